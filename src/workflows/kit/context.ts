import { isCancellation, sleep, workflowInfo } from '@temporalio/workflow';
import { sleepSummary } from './summaries';
import type { CreateInstanceInput, InstanceRef, WaitRunningResult } from '../../activities/instances';
import type { WaitWindow } from '../../activities/polling';
import type { ResourceKindName } from '../../activities/resources';
import type { RunOutcome } from '../../activities/ssh';
import type { ScenarioSpec } from '../../catalog/types';
import { shortHash, stepLabel } from '../../labels';
import type { ExecResult } from '../../platform/types';
import type { CheckOutcome, Target } from '../types';
import { CheckFailed, limitOutcome, type LimitCheck } from './checks';
import { boundedDestroy } from './cleanup';
import { messageOf, type Saga } from './saga';
import type { Steps } from './steps';

/** What a scenario body gets: its steps, its saga, and the places to record checks, metrics and warnings. */
export interface ScenarioContext {
  readonly spec: ScenarioSpec;
  readonly suiteId: string;
  readonly target: Target;
  readonly timeScale: number;
  readonly steps: Steps;
  readonly saga: Saga;
  /** `dumont-e2e/<suite>/s<NNN>/<step>` */
  label(step: string): string;
  /** Records a check under its stable `id`; returns `ok` so the body can stop when later steps make no sense. */
  check(id: string, name: string, ok: boolean, detail?: string): boolean;
  /** Records a limit check: the measured value compared with the seed's limit (`cold start 212 s ≤ 300 s`). */
  limit(check: LimitCheck): boolean;
  /** A measurement worth a line in the report. */
  metric(name: string, value: number): void;
  /** Something that passed but deserves a look (a fallback, a retry); shown beside the checks. */
  warn(message: string): void;
  /** A wait window of `platformSeconds` starting now, fixed before the action it waits on. */
  window(platformSeconds: number): Promise<WaitWindow>;
  /**
   * Registers destroy-by-label of `kind` for `step` FIRST, then creates it with `create(label)`; the create adopts
   * whatever already carries the label, so neither a lost answer nor a replay rents twice.
   */
  acquire<T>(kind: ResourceKindName, step: string, create: (label: string) => Promise<T>): Promise<T>;
  /** `acquire('instance', step, …)`: rents an instance labelled for `step`. */
  rent(step: string, opts: Omit<CreateInstanceInput, 'suiteId' | 'label'>): Promise<InstanceRef>;
  /**
   * Waits for `running` plus an SSH login within `budgetSeconds` (platform) of `window`'s start (default: now).
   * A failure is recorded as the failed check `check` and ends the body.
   */
  waitRunning(
    inst: InstanceRef,
    opts: { check: string; name: string; budgetSeconds?: number; window?: WaitWindow }
  ): Promise<WaitRunningResult>;
  /** Waits for `stopped`; a failure is recorded as the failed check `check`. */
  waitStopped(inst: InstanceRef, check: string, name: string, budgetSeconds?: number): Promise<boolean>;
  /** A read-only command (retried after a dropped session). */
  probe(inst: InstanceRef, command: string, timeoutSeconds?: number): Promise<ExecResult>;
  /** A command that changes something: started at most once, its outcome collected within `budgetSeconds`. */
  run(inst: InstanceRef, command: string, budgetSeconds?: number): Promise<RunOutcome>;
  /**
   * Sleeps for platform seconds (scaled by timeScale): a durable timer, shown in the Web UI as
   * `<why> <n> platform s` (`why` defaults to `wait`).
   */
  sleep(platformSeconds: number, why?: string): Promise<void>;
}

/** Real milliseconds added to every wait: network and SSH latency do not scale with the simulator's clock. */
const WAIT_SLACK_MS = 2_000;

/** Real milliseconds a command started with `ctx.run` gets at least (it runs in real time on any target). */
const RUN_FLOOR_MS = 60_000;

export interface ContextParts {
  spec: ScenarioSpec;
  suiteId: string;
  target: Target;
  timeScale: number;
  steps: Steps;
  saga: Saga;
  checks: CheckOutcome[];
  metrics: Record<string, number>;
  warnings: string[];
}

export function createContext(p: ContextParts): ScenarioContext {
  const { spec, suiteId, timeScale, steps, saga } = p;
  // Names this workflow run's commands on the instances: deterministic, different for every run.
  const runPrefix = shortHash(workflowInfo().runId);
  let runSeq = 0;
  const ctx: ScenarioContext = {
    spec,
    suiteId,
    target: p.target,
    timeScale,
    steps,
    saga,
    label: (step) => stepLabel(suiteId, spec.id, step),
    check(id, name, ok, detail = '') {
      p.checks.push({ id, name, ok, detail });
      return ok;
    },
    limit(check) {
      const outcome = limitOutcome(check);
      p.checks.push(outcome);
      return outcome.ok;
    },
    metric(name, value) {
      p.metrics[name] = Math.round(value * 100) / 100;
    },
    warn(message) {
      if (!p.warnings.includes(message)) p.warnings.push(message);
    },
    async window(platformSeconds) {
      const now = await steps.now();
      return { startedAtMs: now, deadlineMs: now + platformSeconds * 1000 * timeScale + WAIT_SLACK_MS, timeScale };
    },
    async acquire(kind, step, create) {
      const label = stepLabel(suiteId, spec.id, step);
      // Every kind under the step's label, not only `kind`: the platform may leave something of another kind
      // behind under the same label (a volume of a destroyed instance), and it is this step's to clean.
      saga.add(`destroy ${kind} ${label}`, async () => {
        const report = await boundedDestroy(steps, { labelPrefix: label, timeScale });
        for (const w of report.warnings) ctx.warn(w);
      });
      return create(label);
    },
    rent: (step, opts) => ctx.acquire('instance', step, (label) => steps.createInstance({ ...opts, suiteId, label })),
    async waitRunning(inst, opts) {
      const window = opts.window ?? (await ctx.window(opts.budgetSeconds ?? 900));
      try {
        return await steps.waitForRunning({ instanceId: inst.instanceId, suiteId, ...window });
      } catch (err) {
        if (isCancellation(err)) throw err;
        ctx.check(opts.check, opts.name, false, messageOf(err));
        throw new CheckFailed(opts.check);
      }
    },
    async waitStopped(inst, check, name, budgetSeconds = 120) {
      try {
        await steps.waitForStopped({ instanceId: inst.instanceId, suiteId, ...(await ctx.window(budgetSeconds)) });
        return true;
      } catch (err) {
        if (isCancellation(err)) throw err;
        ctx.check(check, name, false, messageOf(err));
        return false;
      }
    },
    probe: (inst, command, timeoutSeconds) =>
      steps.sshProbe({ suiteId, instanceId: inst.instanceId, command, timeoutSeconds }),
    async run(inst, command, budgetSeconds = 300) {
      const runKey = `${runPrefix}-s${spec.id}-${++runSeq}`;
      // Commands are real processes even on the simulator: their budget never shrinks below a real minute.
      const now = await steps.now();
      const deadlineMs = now + Math.max(budgetSeconds * 1000 * timeScale, RUN_FLOOR_MS);
      return steps.sshRun({
        suiteId,
        instanceId: inst.instanceId,
        command,
        runKey,
        startedAtMs: now,
        deadlineMs,
        timeScale,
      });
    },
    sleep: (platformSeconds, why) =>
      sleep(Math.max(1, Math.round(platformSeconds * 1000 * timeScale)), {
        summary: sleepSummary(platformSeconds, why),
      }),
  };
  return ctx;
}
