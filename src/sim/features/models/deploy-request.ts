/**
 * `POST /models/deploy`'s body (`DeployModelRequest`): `model_id` or `model`, `model_type` or its `type` alias (else
 * guessed from the name, as Dumont does), `gpu_type`, `num_gpus`, `max_price`, `access_type`, `port`, `name`,
 * `label`; and the simulator's extensions `runtime` (`vllm` or `transformers` for an LLM) and `replicas`.
 */
import type { ValidationDetail } from '../../dumont/dumont-errors';
import type { HubModelType } from '../../instances/model-server';
import { DEFAULT_RUNTIME, RUNTIMES, type Runtime } from './model-store';

export interface DeployRequest {
  modelId: string;
  modelType: HubModelType;
  runtime: Runtime;
  gpuType: string | null;
  numGpus: number;
  maxPrice: number;
  accessType: 'private' | 'public';
  port: number;
  name: string | null;
  label: string | null;
  replicas: number;
}

const TYPE_ALIASES: Record<string, HubModelType> = {
  llm: 'llm',
  'text-generation': 'llm',
  speech: 'speech',
  'speech-to-text': 'speech',
  audio: 'speech',
  image: 'image',
  'text-to-image': 'image',
  embeddings: 'embeddings',
  embedding: 'embeddings',
  'sentence-embeddings': 'embeddings',
};

/** Dumont's guess from a model id when no type is given. */
export function guessType(modelId: string): HubModelType {
  const id = modelId.toLowerCase();
  if (/whisper|wav2vec|speech/.test(id)) return 'speech';
  if (/diffusion|sdxl|flux|stable-?diff/.test(id)) return 'image';
  if (/sentence-transformers|minilm|bge-|e5-|embed|mpnet/.test(id)) return 'embeddings';
  return 'llm';
}

/** Parses the body: the request, or the 422 details. */
export function parseDeployBody(b: Record<string, unknown>): { request?: DeployRequest; details: ValidationDetail[] } {
  const details: ValidationDetail[] = [];
  const bad = (field: string, msg: string, type = 'value_error') => details.push({ loc: ['body', field], msg, type });
  const modelId = b.model_id ?? b.model;
  if (typeof modelId !== 'string' || !modelId.trim()) bad('model_id', 'Field required', 'missing');
  const typeText = b.model_type ?? b.type;
  let modelType: HubModelType | undefined;
  if (typeText !== undefined && typeText !== null) {
    modelType = TYPE_ALIASES[String(typeText).toLowerCase()];
    if (!modelType) bad('model_type', `Input should be 'llm', 'speech', 'image' or 'embeddings'`, 'enum');
  }
  const int = (field: string, dflt: number, min: number, max: number): number => {
    const v = b[field] ?? dflt;
    if (!Number.isInteger(v) || (v as number) < min || (v as number) > max) {
      bad(field, `Input should be an integer between ${min} and ${max}`, 'int_parsing');
      return dflt;
    }
    return v as number;
  };
  const numGpus = int('num_gpus', 1, 1, 8);
  const port = int('port', 8000, 1, 65535);
  const replicas = int('replicas', 1, 1, 8);
  const maxPrice = b.max_price ?? 2.0;
  if (typeof maxPrice !== 'number' || !(maxPrice > 0))
    bad('max_price', 'Input should be greater than 0', 'greater_than');
  const accessType = b.access_type ?? 'private';
  if (accessType !== 'private' && accessType !== 'public')
    bad('access_type', "Input should be 'private' or 'public'", 'enum');
  const str = (field: string): string | null => {
    const v = b[field];
    if (v === undefined || v === null) return null;
    if (typeof v !== 'string') bad(field, 'Input should be a valid string', 'string_type');
    return typeof v === 'string' ? v : null;
  };
  const gpuType = str('gpu_type');
  const name = str('name');
  const label = str('label');
  const type = modelType ?? (typeof modelId === 'string' ? guessType(modelId) : 'llm');
  const runtimeText = b.runtime ?? DEFAULT_RUNTIME[type];
  const runtime = runtimeText as Runtime;
  if (!(String(runtimeText) in RUNTIMES) || RUNTIMES[runtime].type !== type) {
    bad('runtime', `runtime ${JSON.stringify(runtimeText)} does not serve ${type} models`, 'enum');
  }
  if (details.length) return { details };
  return {
    details,
    request: {
      modelId: (modelId as string).trim(),
      modelType: type,
      runtime,
      gpuType,
      numGpus,
      maxPrice: maxPrice as number,
      accessType: accessType as 'private' | 'public',
      port,
      name,
      label,
      replicas,
    },
  };
}
