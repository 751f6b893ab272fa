/**
 * Dumont's model deployment routes (docs/platform-contract.md § Models): templates, deploy, list, get, stop, delete,
 * logs and health, plus the `scale` extension. Built on the Dumont client's authenticated `call`; a route the platform
 * does not have answers {@link PlatformLacksError}. Rows carry the deployment's `api_key`: callers keep it inside
 * activities (it never goes into a workflow history).
 */
import { z } from 'zod';
import type { DumontClient } from '../types';
import { lacksAwareCall, optNum, optStr, orMissing } from './routes';

/** What the harness asks `POST /models/deploy` for (Dumont's `DeployModelRequest`; `runtime`, `replicas` extensions). */
export interface DeployModelRequest {
  model_id: string;
  model_type?: 'llm' | 'speech' | 'image' | 'embeddings';
  gpu_type?: string;
  num_gpus?: number;
  max_price?: number;
  access_type?: 'private' | 'public';
  name?: string;
  label?: string;
  /** Extension: `vllm` (default for LLMs) or `transformers`. */
  runtime?: string;
  /** Extension: replicas behind the endpoint. */
  replicas?: number;
}

const rowSchema = z.looseObject({
  id: z.union([z.string(), z.number()]).transform(String),
  name: optStr,
  label: optStr,
  model_type: optStr,
  model_id: optStr,
  runtime: optStr,
  instance_id: optNum,
  gpu_name: optStr,
  num_gpus: optNum,
  status: z.string(),
  status_message: optStr,
  progress: optNum,
  endpoint_url: optStr,
  access_type: optStr,
  api_key: optStr,
  requests_total: optNum,
  replicas: optNum,
  replicas_ready: optNum,
});
/** One deployment as Dumont reports it (with its secret `api_key`: keep it inside activities). */
export type DeploymentRow = z.output<typeof rowSchema>;

const healthSchema = z.looseObject({
  healthy: z.boolean(),
  status: optStr,
  error: optStr,
  uptime_seconds: optNum,
});
export type DeploymentHealth = z.output<typeof healthSchema>;

const deployAnswer = z.looseObject({ deployment_id: z.union([z.string(), z.number()]).transform(String) });
const ack = z.unknown();

/** The models client over one Dumont client. */
export function modelsApi(dumont: DumontClient) {
  const call = lacksAwareCall(dumont, (path) => path.replace(/\/models\/(?!templates|deploy)[^/]+/, '/models/{id}'));
  return {
    /** Starts a deployment. Not idempotent: callers look for their label first (and again after a lost answer). */
    deploy: (req: DeployModelRequest) =>
      call({ method: 'POST', path: '/api/v1/models/deploy', data: req, schema: deployAnswer, idempotent: false }).then(
        (b) => b.deployment_id
      ),
    list: () =>
      call({
        method: 'GET',
        path: '/api/v1/models/',
        schema: z.looseObject({ models: z.array(z.unknown()) }),
      }).then((b) =>
        b.models.flatMap((row) => {
          const parsed = rowSchema.safeParse(row);
          return parsed.success ? [parsed.data] : [];
        })
      ),
    get: (id: string) => orMissing(call({ method: 'GET', path: `/api/v1/models/${id}`, schema: rowSchema })),
    stop: (id: string) =>
      call({ method: 'POST', path: `/api/v1/models/${id}/stop`, data: { force: true }, schema: rowSchema }),
    /** Idempotent: a deployment already gone is deleted. */
    remove: (id: string) =>
      orMissing(call({ method: 'DELETE', path: `/api/v1/models/${id}`, schema: ack })).then(() => undefined),
    health: (id: string) => call({ method: 'GET', path: `/api/v1/models/${id}/health`, schema: healthSchema }),
    logs: (id: string) =>
      call({ method: 'GET', path: `/api/v1/models/${id}/logs`, schema: z.looseObject({ logs: z.string().nullish() }) }),
    /** Extension: sets the number of replicas behind the endpoint. */
    scale: (id: string, replicas: number) =>
      call({ method: 'POST', path: `/api/v1/models/${id}/scale`, data: { replicas }, schema: rowSchema }),
  };
}

export type ModelsApi = ReturnType<typeof modelsApi>;
