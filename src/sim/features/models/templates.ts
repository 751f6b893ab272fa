/** Dumont's model templates (`GET /models/templates`), built from the simulated hub's catalogue. */
import { HUB_MODELS, type HubModelType } from '../../instances/model-server';

const TEMPLATE_INFO: Record<
  HubModelType,
  { name: string; description: string; runtime: string; port: number; gpuGb: number; defaultModel: string }
> = {
  llm: {
    name: 'Large Language Model',
    description: 'Chat and completion models served by vLLM with an OpenAI-compatible API',
    runtime: 'vllm',
    port: 8000,
    gpuGb: 8,
    defaultModel: 'meta-llama/Llama-3.2-1B-Instruct',
  },
  speech: {
    name: 'Speech to Text',
    description: 'Whisper transcription (POST /transcribe)',
    runtime: 'whisper',
    port: 8001,
    gpuGb: 4,
    defaultModel: 'openai/whisper-base',
  },
  image: {
    name: 'Image Generation',
    description: 'Stable Diffusion text-to-image (POST /generate)',
    runtime: 'diffusers',
    port: 8002,
    gpuGb: 8,
    defaultModel: 'stabilityai/stable-diffusion-2-1',
  },
  embeddings: {
    name: 'Embeddings',
    description: 'Sentence-transformers embeddings (POST /v1/embeddings, /embed)',
    runtime: 'sentence-transformers',
    port: 8003,
    gpuGb: 2,
    defaultModel: 'sentence-transformers/all-MiniLM-L6-v2',
  },
};

/** The model a template deploys when none is named (and what the hf-model-id-ignored defect serves). */
export function defaultModelOf(type: HubModelType): string {
  return TEMPLATE_INFO[type].defaultModel;
}

/** The templates' wire rows; each lists the hub's models of its type (`size` in GB of FP16 weights). */
export function templateRows(): Record<string, unknown>[] {
  return (Object.keys(TEMPLATE_INFO) as HubModelType[]).map((type) => {
    const t = TEMPLATE_INFO[type];
    return {
      type,
      name: t.name,
      description: t.description,
      runtime: t.runtime,
      default_port: t.port,
      gpu_memory_required: t.gpuGb,
      popular_models: HUB_MODELS.filter((m) => m.type === type && m.precision === 'fp16' && m.paramsM < 10_000).map(
        (m) => ({ id: m.id, name: m.id.split('/')[1], size: `${Math.round((m.paramsM * 2) / 100) / 10} GB` })
      ),
    };
  });
}
