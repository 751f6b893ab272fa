/**
 * A machine's `ollama`: a Node script (run with the simulator's own `node`) that is both the CLI (`serve`,
 * `pull`, `list`/`ls`, `run`, `ps`, `rm`, `--version`) and, under `ollama serve`, Ollama's HTTP API with its
 * real shapes (`/api/pull` NDJSON progress, `/api/tags`, `/api/generate` and `/api/chat` streamed or not,
 * `/api/show`, `/api/delete`, `/api/ps`, `/api/version`). It listens on `OLLAMA_HOST` (default
 * 127.0.0.1:11434; the simulator sets a port of its own per instance). Pulled models are files under
 * `$OLLAMA_MODELS` or `~/.ollama/models` (manifest + sha256 blobs, a few MiB of deterministic weights), so
 * they live exactly as long as the workspace; every pull appends a JSON line to `~/.ollama/pull.log`
 * (`downloaded_bytes` 0 when everything was already on disk). See docs/simulator.md § SSH endpoints.
 */

import { CLI_PART } from './cli';
import { HTTP_API_PART } from './http-api';
import { STORE_PART } from './catalogue-and-store';

/** The script's source (no template placeholders inside: it is written out verbatim), its parts joined in order. */
export const OLLAMA_SCRIPT = STORE_PART + HTTP_API_PART + CLI_PART;
