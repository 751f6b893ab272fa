/** Defects of the models feature (`./index.ts`). Pure data: the registry is imported by workflow code. */
import type { DefectDeclaration } from '../../defect-types';

const HOOK_DEPLOY = 'model deployment launch (models feature)';

/** The models feature's defects, at least one per scenario 65–76 (label scope: the deployment's label). */
export const MODEL_DEFECTS = [
  {
    name: 'model-running-before-healthy',
    scenario: 65,
    check: 'answers-when-running',
    hook: 'model deployment monitor (models feature)',
    scope: 'label',
    description:
      'A deployment is marked running as soon as its server process starts, before its health check passes (the model is still downloading).',
  },
  {
    name: 'quantization-ignored',
    scenario: 66,
    check: 'vram-int4-reduced',
    hook: HOOK_DEPLOY,
    scope: 'label',
    description: 'A 4-bit (AWQ INT4) checkpoint is loaded dequantised to FP16, so it takes as much GPU memory as FP16.',
  },
  {
    name: 'vllm-runtime-replaced',
    scenario: 67,
    check: 'throughput-floor',
    hook: HOOK_DEPLOY,
    scope: 'label',
    description:
      'The vLLM runtime is replaced by plain transformers (no batching, slower kernels), so concurrent throughput falls.',
  },
  {
    name: 'chat-usage-missing',
    scenario: 68,
    check: 'usage-reported',
    hook: HOOK_DEPLOY,
    scope: 'label',
    description: 'Chat completions answer without `usage` (and streams never send the usage chunk).',
  },
  {
    name: 'model-api-key-not-enforced',
    scenario: 68,
    check: 'api-key-enforced',
    hook: HOOK_DEPLOY,
    scope: 'label',
    description:
      "A private deployment's API key is handed out but its server runs without it, answering anyone (the real Dumont's behaviour).",
  },
  {
    name: 'transcription-truncated',
    scenario: 69,
    check: 'word-error-rate',
    hook: HOOK_DEPLOY,
    scope: 'label',
    description: 'The speech server transcribes only the first 60 % of each audio, dropping its last words.',
  },
  {
    name: 'whisper-large-downgraded',
    scenario: 70,
    check: 'vram-large',
    hook: HOOK_DEPLOY,
    scope: 'label',
    description: 'A Whisper large request loads whisper-base under the large name, so it uses far less GPU memory.',
  },
  {
    name: 'transcription-stale',
    scenario: 71,
    check: 'all-transcribed',
    hook: HOOK_DEPLOY,
    scope: 'label',
    description: "From the fourth request on, the speech server answers the previous audio's transcript.",
  },
  {
    name: 'image-wrong-size',
    scenario: 72,
    check: 'image-size',
    hook: HOOK_DEPLOY,
    scope: 'label',
    description: 'The image server renders 512x512 whatever width and height were asked for (and says it did).',
  },
  {
    name: 'embeddings-random',
    scenario: 73,
    check: 'similarity-ranking',
    hook: HOOK_DEPLOY,
    scope: 'label',
    description: 'The embedding server returns random unit vectors, unrelated to the texts.',
  },
  {
    name: 'hf-model-id-ignored',
    scenario: 74,
    check: 'serves-requested-model',
    hook: HOOK_DEPLOY,
    scope: 'label',
    description: "A custom Hugging Face id is replaced by its type's default template model, which is served instead.",
  },
  {
    name: 'replicas-not-balanced',
    scenario: 75,
    check: 'requests-balanced',
    hook: HOOK_DEPLOY,
    scope: 'label',
    description: "The deployment's balancer sends every request to its first replica.",
  },
  {
    name: 'model-health-always-ok',
    scenario: 76,
    check: 'unhealthy-when-down',
    hook: 'GET /models/{id}/health (models feature)',
    scope: 'label',
    description: "The health route reports a running deployment healthy without asking its server's /health.",
  },
] as const satisfies readonly DefectDeclaration[];
