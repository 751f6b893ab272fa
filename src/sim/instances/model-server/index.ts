/**
 * A machine's model server: one Node script (run with the simulator's own `node`, like `ollama`) that is a replica of
 * a model runtime (`serve`: vLLM or plain transformers with the OpenAI API, Whisper, Stable Diffusion, sentence
 * transformers) or a deployment's endpoint (`balance`). Models download from the simulated hub (`./hub.ts`) into the
 * machine's Hugging Face cache; GPU memory is registered where the machine's `nvidia-smi` reads it. See
 * docs/simulator.md § Models.
 */
import { COMMON_PART } from './common-part';
import { HUB_MODELS } from './hub';
import { LLM_PART } from './llm-part';
import { MEDIA_PART } from './media-part';
import { SERVE_PART } from './serve-part';

/** The script's source: the hub's catalogue as data, then its parts in order. */
export const MODEL_SERVER_SCRIPT =
  `'use strict';\nconst HUB = ${JSON.stringify(HUB_MODELS)};\n` + COMMON_PART + LLM_PART + MEDIA_PART + SERVE_PART;

export { HUB_MODELS, hubModel, type HubModel, type HubModelType } from './hub';
