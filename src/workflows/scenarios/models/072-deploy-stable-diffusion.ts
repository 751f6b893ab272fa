import { defineScenario } from '../../kit';
import { deleteAndVerify, deploy } from './helpers';

const ASK = { prompt: 'a lighthouse at dusk, oil painting', width: 512, height: 384, seed: 42 };

/** 72 — Stable Diffusion generates a valid PNG of the size asked, the same for the same seed, another for another prompt. */
export const deployStableDiffusionScenario = defineScenario(72, 'deploy-stable-diffusion', async (ctx) => {
  const dep = await deploy(ctx, 'sd', {
    model_id: 'stabilityai/stable-diffusion-2-1',
    model_type: 'image',
    gpu_type: 'RTX 4090',
  });
  const image = await ctx.steps.generateImage({ deploymentId: dep.deploymentId, ...ASK });
  const png = image.png;
  if (png) {
    ctx.metric('imageMs', image.ms);
    ctx.metric('imageWidth', png.width);
    ctx.metric('imageHeight', png.height);
  }
  ctx.check(
    'png-valid',
    'the image is a valid PNG',
    png?.valid === true,
    png ? png.problems.join('; ') || `${png.bytes} bytes` : (image.error ?? '')
  );
  ctx.check(
    'image-size',
    `the image is ${ASK.width}x${ASK.height} as asked`,
    png?.width === ASK.width && png.height === ASK.height,
    png ? `${png.width}x${png.height}` : 'no image'
  );
  ctx.check(
    'image-not-blank',
    'the image is not blank',
    (png?.distinctColours ?? 0) > 16,
    `${png?.distinctColours ?? 0} distinct colours sampled`
  );
  ctx.limit({
    id: 'generation-latency',
    what: 'generation time',
    measured: png ? image.ms : undefined,
    op: '<=',
    limit: 30_000,
    unit: 'ms',
  });
  const again = await ctx.steps.generateImage({ deploymentId: dep.deploymentId, ...ASK });
  ctx.check(
    'same-seed-same-image',
    'the same prompt and seed give the same image',
    !!png && again.png?.sha256 === png.sha256,
    `${again.png?.sha256.slice(0, 12) ?? 'none'} vs ${png?.sha256.slice(0, 12) ?? 'none'}`
  );
  const other = await ctx.steps.generateImage({
    deploymentId: dep.deploymentId,
    ...ASK,
    prompt: 'a red bicycle in the snow',
  });
  ctx.check(
    'prompt-changes-image',
    'another prompt gives another image',
    !!other.png?.valid && other.png.sha256 !== png?.sha256,
    other.png?.sha256.slice(0, 12) ?? other.error ?? ''
  );
  await deleteAndVerify(ctx, dep);
});
