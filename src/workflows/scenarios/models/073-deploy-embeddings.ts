import { defineScenario } from '../../kit';
import { deleteAndVerify, deploy } from './helpers';

const MODEL = 'sentence-transformers/all-MiniLM-L6-v2';
/** all-MiniLM-L6-v2's published embedding size. */
const DIMENSIONS = 384;
const QUERIES = ['how do I reset my account password', 'best recipes for chocolate cake'];
const DOCUMENTS = [
  'password reset steps for your account',
  'chocolate cake recipes with cocoa',
  'train timetable for lisbon',
];

/** 73 — Sentence-transformers embeddings: the model's dimension, unit length, and texts sharing meaning ranked closest. */
export const deployEmbeddingsScenario = defineScenario(73, 'deploy-embeddings', async (ctx) => {
  const dep = await deploy(ctx, 'embeddings', { model_id: MODEL, model_type: 'embeddings', gpu_type: 'RTX 3080' });
  const texts = [...QUERIES, ...DOCUMENTS];
  const out = await ctx.steps.embedTexts({ deploymentId: dep.deploymentId, model: MODEL, texts });
  ctx.check(
    'dimensions',
    `every embedding has ${DIMENSIONS} dimensions`,
    out.dimensions.length === texts.length && out.dimensions.every((d) => d === DIMENSIONS),
    out.error ?? `dimensions ${[...new Set(out.dimensions)].join(', ')}`
  );
  ctx.check(
    'normalized',
    'embeddings have unit length',
    out.norms.length > 0 && out.norms.every((n) => Math.abs(n - 1) < 0.01),
    out.norms.join(', ')
  );
  ctx.metric('similarityRelated', Math.min(...QUERIES.map((_, i) => out.similarity[i]?.[QUERIES.length + i] ?? 0)));
  // Query i's related document is document i: it must be clearly closer than every other one.
  const misses = QUERIES.flatMap((q, i) => {
    const sims = DOCUMENTS.map((_, j) => out.similarity[i]?.[QUERIES.length + j] ?? 0);
    const others = sims.filter((_, j) => j !== i);
    return sims[i] >= 0.5 && others.every((s) => sims[i] > s + 0.2)
      ? []
      : [`"${q}": ${sims.map((s) => s.toFixed(2)).join(' / ')}`];
  });
  ctx.check(
    'similarity-ranking',
    'each query is clearly closest to the document sharing its meaning',
    out.similarity.length > 0 && misses.length === 0,
    misses.join('; ') || 'ranked as expected'
  );
  await deleteAndVerify(ctx, dep);
});
