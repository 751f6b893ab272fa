/**
 * The models feature's state: one record per deployment (Dumont's `DeployedModelResponse`, plus the replicas and the
 * processes the simulator runs for it), the per-runtime facts (image, template), and the wire row.
 */
import fs from 'node:fs';
import type { ChildProcess } from 'node:child_process';
import type { SimWorld } from '../../world';
import type { HubModelType } from '../../instances/model-server';
import type { SimTimer } from '../../core/clock';

/** Dumont's deployment states (`src/api/v1/schemas/models.py`). */
export type DeploymentStatus = 'pending' | 'deploying' | 'downloading' | 'starting' | 'running' | 'stopped' | 'error';

/** The runtimes the model server script implements. */
export type Runtime = 'vllm' | 'transformers' | 'whisper' | 'diffusers' | 'sentence-transformers';

/** One replica of a deployment: a `model-server serve` process on its own loopback port. */
export interface Replica {
  index: number;
  port: number;
  child: ChildProcess | null;
  /** Its own /health answered 200 at the last look. */
  ready: boolean;
  /** Why it exited, when it did on its own (its last log line). */
  exitMessage: string | null;
}

/** One deployment. */
export interface Deployment {
  id: string;
  userId: string;
  name: string;
  label: string | null;
  modelType: HubModelType;
  modelId: string;
  runtime: Runtime;
  instanceId: number | null;
  gpuType: string | null;
  gpuName: string | null;
  numGpus: number;
  maxPrice: number;
  dphTotal: number | null;
  accessType: 'private' | 'public';
  apiKey: string | null;
  port: number;
  status: DeploymentStatus;
  statusMessage: string;
  progress: number;
  createdAt: number;
  startedAt: number | null;
  /** Replicas asked for (the scale extension changes it). */
  replicas: number;
  replicaList: Replica[];
  /** The balancer's loopback port: the endpoint. */
  endpointPort: number | null;
  balancer: ChildProcess | null;
  /** Where its processes keep pid files, logs, the replica list and request counters (in the instance's home). */
  dir: string | null;
  timer: SimTimer | null;
  /** Platform time after which a deployment that never became healthy is failed. */
  healthDeadline: number | null;
  /** The feature is tearing it down: its processes' exits are expected. */
  closing: boolean;
}

/** The feature's state. */
export interface ModelsState {
  deployments: Map<string, Deployment>;
}

export function newModelsState(): ModelsState {
  return { deployments: new Map() };
}

/** The image each runtime's instance boots, and the template it comes from. */
export const RUNTIMES: Record<Runtime, { image: string; type: HubModelType }> = {
  vllm: { image: 'vllm/vllm-openai:latest', type: 'llm' },
  transformers: { image: 'pytorch/pytorch:2.1.0-cuda12.1-cudnn8-runtime', type: 'llm' },
  whisper: { image: 'pytorch/pytorch:2.1.0-cuda12.1-cudnn8-runtime', type: 'speech' },
  diffusers: { image: 'pytorch/pytorch:2.1.0-cuda12.1-cudnn8-runtime', type: 'image' },
  'sentence-transformers': { image: 'pytorch/pytorch:2.1.0-cuda12.1-cudnn8-runtime', type: 'embeddings' },
};

/** The default runtime of a model type. */
export const DEFAULT_RUNTIME: Record<HubModelType, Runtime> = {
  llm: 'vllm',
  speech: 'whisper',
  image: 'diffusers',
  embeddings: 'sentence-transformers',
};

/** Dumont's `estimated_time_seconds` per type. */
export const ESTIMATED_SECONDS: Record<HubModelType, number> = { llm: 300, speech: 180, image: 240, embeddings: 120 };

interface BalancerStats {
  requests_total?: number;
  errors_total?: number;
  latency_ms_total?: number;
  requests_last_minute?: number;
  per_replica?: Record<string, number>;
}

/** The balancer's request counters (it writes them after every request). */
export function readStats(dep: Deployment): BalancerStats {
  if (!dep.dir) return {};
  try {
    return JSON.parse(fs.readFileSync(`${dep.dir}/stats.json`, 'utf8')) as BalancerStats;
  } catch {
    return {};
  }
}

const iso = (epoch: number | null): string | null => (epoch === null ? null : new Date(epoch * 1000).toISOString());

/** The wire row (`DeployedModelResponse`), with the replica counts of the scale extension. */
export function deploymentRow(world: SimWorld, dep: Deployment): Record<string, unknown> {
  const stats = readStats(dep);
  const total = stats.requests_total ?? 0;
  const inst = dep.instanceId !== null ? world.instances.get(dep.instanceId) : undefined;
  return {
    id: dep.id,
    user_id: dep.userId,
    name: dep.name,
    label: dep.label,
    model_type: dep.modelType,
    model_id: dep.modelId,
    runtime: dep.runtime,
    instance_id: dep.instanceId,
    gpu_name: dep.gpuName,
    num_gpus: dep.numGpus,
    status: dep.status,
    status_message: dep.statusMessage,
    progress: Math.round(dep.progress),
    // Instances' public address is loopback here (their rows say so too).
    endpoint_url: dep.endpointPort !== null && inst ? `http://127.0.0.1:${dep.endpointPort}` : null,
    access_type: dep.accessType,
    api_key: dep.apiKey,
    port: dep.port,
    dph_total: dep.dphTotal,
    created_at: iso(dep.createdAt),
    started_at: iso(dep.startedAt),
    requests_total: total,
    requests_per_minute: stats.requests_last_minute ?? 0,
    avg_latency_ms: total ? Math.round((stats.latency_ms_total ?? 0) / total) : 0,
    replicas: dep.replicas,
    replicas_ready: dep.replicaList.filter((r) => r.ready).length,
  };
}
