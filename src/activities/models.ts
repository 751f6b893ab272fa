import { TransientPlatformError, ProtocolError } from '../platform/errors';
import { modelsApi, type DeployModelRequest, type DeploymentRow } from '../platform/dumont/models';
import { serverCall, type ServerTarget } from '../platform/dumont/model-servers';
import type { ActivityDeps } from './deps';
import { pause, platformSecondsSince, pollUntil, scaled, type WaitWindow } from './polling';

export type { DeployModelRequest } from '../platform/dumont/models';

/** A deployment as workflows see it: facts only, never its API key. Plain JSON. */
export interface DeploymentView {
  deploymentId: string;
  status: string;
  statusMessage: string;
  progress: number | null;
  instanceId: number | null;
  gpuName: string | null;
  modelId: string | null;
  runtime: string | null;
  hasEndpoint: boolean;
  accessType: string | null;
  /** Whether Dumont handed out an API key (the key itself stays in the activities). */
  hasApiKey: boolean;
  replicas: number | null;
  replicasReady: number | null;
  requestsTotal: number | null;
}

export function viewOf(row: DeploymentRow): DeploymentView {
  return {
    deploymentId: row.id,
    status: row.status,
    statusMessage: row.status_message ?? '',
    progress: row.progress,
    instanceId: row.instance_id,
    gpuName: row.gpu_name,
    modelId: row.model_id,
    runtime: row.runtime,
    hasEndpoint: !!row.endpoint_url,
    accessType: row.access_type,
    hasApiKey: !!row.api_key,
    replicas: row.replicas,
    replicasReady: row.replicas_ready,
    requestsTotal: row.requests_total,
  };
}

/** A chat request's outcome, as checks read it. */
export interface ChatOutcome {
  status: number;
  content: string | null;
  model: string | null;
  finishReason: string | null;
  servedBy: string | null;
  ms: number;
  error: string | null;
}

const TERMINAL = new Set(['running', 'error', 'stopped']);

/** Dumont's model deployment activities (docs/platform-contract.md § Models). */
export function createModelActivities(deps: ActivityDeps) {
  const api = modelsApi(deps.dumont);
  const pollMs = (seconds: number, timeScale: number) => Math.max(deps.minPollMs ?? 25, scaled(seconds, timeScale));

  async function findLabelled(label: string): Promise<DeploymentRow | undefined> {
    return (await api.list()).find((r) => r.name === label || r.label === label);
  }

  /** The endpoint and key of a deployment, read fresh from Dumont (the key never leaves the activity). */
  async function target(deploymentId: string): Promise<ServerTarget | null> {
    const row = await api.get(deploymentId);
    return row?.endpoint_url ? { url: row.endpoint_url, apiKey: row.api_key } : null;
  }

  async function chat(t: ServerTarget, body: Record<string, unknown>, noAuth = false): Promise<ChatOutcome> {
    const reply = await serverCall(t, 'POST', '/v1/chat/completions', { json: body, noAuth });
    const json = reply.json as {
      model?: string;
      system_fingerprint?: string;
      choices?: { message?: { content?: string }; finish_reason?: string }[];
      error?: unknown;
      message?: string;
    } | null;
    const choice = json?.choices?.[0];
    return {
      status: reply.status,
      content: typeof choice?.message?.content === 'string' ? choice.message.content : null,
      model: json?.model ?? null,
      finishReason: choice?.finish_reason ?? null,
      servedBy: reply.servedBy ?? json?.system_fingerprint ?? null,
      ms: reply.ms,
      error: reply.error ?? (reply.status >= 400 ? reply.text : null),
    };
  }

  return {
    /**
     * Deploys a model under `label` (Dumont's `name` and `label`), registering the suite's SSH key first so the
     * deployment's instance accepts it. Adopts a deployment already carrying the label, so a retry never deploys twice.
     */
    async deployModel(input: {
      suiteId: string;
      label: string;
      request: Omit<DeployModelRequest, 'name' | 'label'>;
    }): Promise<{ deploymentId: string; adopted: boolean }> {
      await deps.keys.ensureRegistered(input.suiteId);
      const existing = await findLabelled(input.label);
      if (existing) return { deploymentId: existing.id, adopted: true };
      try {
        const id = await api.deploy({ ...input.request, name: input.label, label: input.label });
        return { deploymentId: id, adopted: false };
      } catch (err) {
        const lost = (err instanceof TransientPlatformError && err.mayHaveTakenEffect) || err instanceof ProtocolError;
        if (!lost) throw err;
        // The answer was lost, not necessarily the deployment: look for the label before trying again.
        for (let i = 0; i < 10; i++) {
          const landed = await findLabelled(input.label);
          if (landed) return { deploymentId: landed.id, adopted: true };
          await pause(500);
        }
        throw err;
      }
    },

    /**
     * Waits until the deployment is running, failed or stopped (or the window closes). With `ask`, the chat request
     * goes out the moment `running` is seen, in this activity: "running" must mean the model answers.
     */
    async waitForDeployment(
      input: WaitWindow & { deploymentId: string; ask?: Record<string, unknown> }
    ): Promise<{ reached: boolean; view: DeploymentView | null; platformSeconds: number; answer?: ChatOutcome }> {
      let last: DeploymentRow | undefined;
      const hit = await pollUntil(
        async () => {
          last = await api.get(input.deploymentId);
          return last && TERMINAL.has(last.status) ? last : undefined;
        },
        { deadlineMs: input.deadlineMs, startedAtMs: input.startedAtMs, intervalMs: pollMs(2, input.timeScale) }
      );
      const platformSeconds = platformSecondsSince(input);
      const view = last ? viewOf(last) : null;
      if (hit?.status === 'running' && input.ask && hit.endpoint_url) {
        const answer = await chat({ url: hit.endpoint_url, apiKey: hit.api_key }, input.ask);
        return { reached: true, view, platformSeconds, answer };
      }
      return { reached: hit !== undefined, view, platformSeconds };
    },

    async deploymentView(input: { deploymentId: string }): Promise<DeploymentView | null> {
      const row = await api.get(input.deploymentId);
      return row ? viewOf(row) : null;
    },

    /** Deletes the deployment and checks Dumont no longer lists it. */
    async deleteDeployment(input: { deploymentId: string }): Promise<{ gone: boolean }> {
      await api.remove(input.deploymentId);
      const rows = await api.list();
      return { gone: !rows.some((r) => r.id === input.deploymentId) };
    },

    async deploymentHealth(input: { deploymentId: string }) {
      return api.health(input.deploymentId);
    },

    /** Polls Dumont's health route until `healthy` is as wanted or the window closes. */
    async waitForModelHealth(input: WaitWindow & { deploymentId: string; healthy: boolean }) {
      let last: Awaited<ReturnType<typeof api.health>> | undefined;
      const hit = await pollUntil(
        async () => {
          last = await api.health(input.deploymentId);
          return last.healthy === input.healthy ? true : undefined;
        },
        { deadlineMs: input.deadlineMs, startedAtMs: input.startedAtMs, intervalMs: pollMs(2, input.timeScale) }
      );
      return { reached: hit === true, platformSeconds: platformSecondsSince(input), last: last ?? null };
    },

    /** The scale extension: sets the replica count. */
    async scaleDeployment(input: { deploymentId: string; replicas: number }): Promise<DeploymentView> {
      return viewOf(await api.scale(input.deploymentId, input.replicas));
    },

    /** Waits until `replicas` replicas answer their health checks (as Dumont reports `replicas_ready`). */
    async waitForReplicas(input: WaitWindow & { deploymentId: string; replicas: number }) {
      let last: DeploymentRow | undefined;
      const hit = await pollUntil(
        async () => {
          last = await api.get(input.deploymentId);
          return last && (last.replicas_ready ?? 0) >= input.replicas ? true : undefined;
        },
        { deadlineMs: input.deadlineMs, startedAtMs: input.startedAtMs, intervalMs: pollMs(2, input.timeScale) }
      );
      return { reached: hit === true, platformSeconds: platformSecondsSince(input), view: last ? viewOf(last) : null };
    },

    /** One chat completion at the deployment's endpoint (`noAuth`: without its API key). */
    async chatCompletion(input: { deploymentId: string; body: Record<string, unknown>; noAuth?: boolean }) {
      const t = await target(input.deploymentId);
      if (!t) return noEndpoint();
      return chat(t, input.body, input.noAuth);
    },
  };
}

function noEndpoint(): ChatOutcome {
  return {
    status: 0,
    content: null,
    model: null,
    finishReason: null,
    servedBy: null,
    ms: 0,
    error: 'the deployment has no endpoint_url',
  };
}
