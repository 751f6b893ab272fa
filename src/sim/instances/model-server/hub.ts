/**
 * The simulator's Hugging Face hub: the model ids it knows, with their type, size (parameters), stored precision and,
 * for embedding models, their dimension. Pure data: the model server script embeds it (an unknown id fails its
 * download as the hub answers), and the models feature reads it for its templates.
 */

/** What a runtime serves. */
export type HubModelType = 'llm' | 'speech' | 'image' | 'embeddings';

/** One repository of the hub. */
export interface HubModel {
  id: string;
  type: HubModelType;
  /** Parameters, millions. */
  paramsM: number;
  /** How the weights are stored: `fp16`, or 4-bit (`awq-int4`), which the runtime loads as such. */
  precision: 'fp16' | 'awq-int4';
  /** Embedding models: the vector dimension. */
  dimensions?: number;
}

/** Every model id the simulated hub serves. */
export const HUB_MODELS: readonly HubModel[] = [
  { id: 'Qwen/Qwen2.5-0.5B-Instruct', type: 'llm', paramsM: 494, precision: 'fp16' },
  { id: 'meta-llama/Llama-3.2-1B-Instruct', type: 'llm', paramsM: 1236, precision: 'fp16' },
  { id: 'TinyLlama/TinyLlama-1.1B-Chat-v1.0', type: 'llm', paramsM: 1100, precision: 'fp16' },
  { id: 'meta-llama/Llama-3.2-3B-Instruct', type: 'llm', paramsM: 3213, precision: 'fp16' },
  { id: 'mistralai/Mistral-7B-Instruct-v0.3', type: 'llm', paramsM: 7248, precision: 'fp16' },
  { id: 'meta-llama/Llama-3.1-8B-Instruct', type: 'llm', paramsM: 8030, precision: 'fp16' },
  { id: 'hugging-quants/Meta-Llama-3.1-8B-Instruct-AWQ-INT4', type: 'llm', paramsM: 8030, precision: 'awq-int4' },
  { id: 'meta-llama/Llama-3.1-70B-Instruct', type: 'llm', paramsM: 70554, precision: 'fp16' },
  { id: 'openai/whisper-base', type: 'speech', paramsM: 74, precision: 'fp16' },
  { id: 'openai/whisper-small', type: 'speech', paramsM: 244, precision: 'fp16' },
  { id: 'openai/whisper-large-v3', type: 'speech', paramsM: 1550, precision: 'fp16' },
  { id: 'stabilityai/stable-diffusion-2-1', type: 'image', paramsM: 1290, precision: 'fp16' },
  { id: 'stabilityai/sdxl-turbo', type: 'image', paramsM: 3500, precision: 'fp16' },
  { id: 'sentence-transformers/all-MiniLM-L6-v2', type: 'embeddings', paramsM: 23, precision: 'fp16', dimensions: 384 },
  { id: 'BAAI/bge-base-en-v1.5', type: 'embeddings', paramsM: 109, precision: 'fp16', dimensions: 768 },
];

/** The hub entry of `id`, if the hub has it. */
export function hubModel(id: string): HubModel | undefined {
  return HUB_MODELS.find((m) => m.id === id);
}
