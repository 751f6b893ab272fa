import { ANY_GPU, boot, defineScenario, destroyAndVerify, isGpuModel } from '../../kit';

const IMAGE = 'pytorch/pytorch:2.4.0-cuda12.4-cudnn9-runtime';

/** 3 — Custom image (pytorch/pytorch): the image is the one asked for and CUDA sees the rented GPU. */
export const createCustomImageScenario = defineScenario(3, 'create-custom-image', async (ctx) => {
  const inst = await boot(ctx, 'main', { query: ANY_GPU, image: IMAGE });
  ctx.check('image-recorded', 'VAST records the requested image', inst.image === IMAGE, `image_uuid=${inst.image}`);
  const probe = await ctx.probe(
    inst,
    `python3 -c "import torch; print(torch.__version__); print(torch.cuda.is_available()); print(torch.cuda.device_count()); print(torch.cuda.get_device_name(0))"`
  );
  const [version, available, count, name] = probe.stdout.trim().split('\n');
  ctx.check(
    'torch-sees-gpu',
    'torch inside the image sees CUDA and the rented GPU',
    probe.code === 0 && available === 'True' && Number(count) >= 1 && isGpuModel(inst.gpuName, name ?? ''),
    probe.code === 0
      ? `torch ${version}, cuda ${available}, ${count}x ${name}`
      : (probe.stderr.trim().split('\n').pop() ?? '')
  );
  await destroyAndVerify(ctx, inst);
});
