/**
 * One-line summaries of activities and timers (Temporal user metadata), so a scenario's timeline in the Web UI
 * reads like the scenario: "rent RTX 3090 (offer 8348878)", "ssh: md5sum data/blob.bin", "paused 60 platform s",
 * "deadline 25 platform min". Summaries are made from the activity's input only, which the history already holds
 * (and which never carries a secret: docs/operations.md); they add no new data, only a readable line. Metadata
 * is not part of replay's determinism check, so adding or rewording them needs no patch.
 */
import { CancellationScope, sleep } from '@temporalio/workflow';

/** Temporal shows summaries on one line; keep them short. */
const MAX_SUMMARY = 160;

type Input = Record<string, unknown>;

/** `dumont-e2e/<suite>/s001/boot` → `s001/boot`: the suite part is the same on every line of a run. */
function labelTail(label: unknown): string | undefined {
  if (typeof label !== 'string') return undefined;
  const m = /^dumont-e2e\/[^/]+\/(.*)$/.exec(label);
  return m ? m[1] || 'the suite' : label;
}

function instance(input: unknown): string {
  const id = typeof input === 'number' ? input : (input as Input | undefined)?.instanceId;
  return id === undefined ? 'instance' : `instance ${String(id)}`;
}

/** `RTX 3090`, `2x RTX 4090 in EU`, `a GPU`. */
function gpuOf(query: unknown): string {
  const q = (query ?? {}) as Input;
  const n = typeof q.num_gpus === 'number' && q.num_gpus > 1 ? `${q.num_gpus}x ` : '';
  const region = typeof q.region === 'string' ? ` in ${q.region}` : '';
  return `${n}${typeof q.gpu_name === 'string' ? q.gpu_name : 'a GPU'}${region}`;
}

/** The first line of a command, cut: scripts are long, the first line says what they are. */
function command(cmd: unknown): string {
  const text = typeof cmd === 'string' ? cmd.trim() : '';
  const first = text.split('\n')[0] ?? '';
  return first.length < text.length ? `${first} …` : first;
}

const FORMATS: Partial<Record<string, (input: Input) => string>> = {
  createInstance: (i) =>
    `rent ${gpuOf(i.query)}${i.offerId !== undefined ? ` (offer ${String(i.offerId)})` : ''}` +
    (labelTail(i.label) ? ` as ${labelTail(i.label)}` : ''),
  waitForRunning: (i) => `wait until ${instance(i)} runs and answers SSH`,
  waitForStopped: (i) => `wait until ${instance(i)} is stopped`,
  waitUntilGone: (i) => `wait until ${instance(i)} is gone from both lists`,
  pauseInstance: (i) => `pause ${instance(i)}`,
  resumeInstance: (i) => `resume ${instance(i)}`,
  destroyInstance: (i) => `destroy ${instance(i)}`,
  getInstance: (i) => `read ${instance(i)}`,
  sshRun: (i) => `ssh: ${command(i.command)}`,
  sshProbe: (i) => `ssh: ${command(i.command)}`,
  destroyByLabel: (i) =>
    `destroy everything labelled ${labelTail(i.labelPrefix) ?? '?'}` +
    (Array.isArray(i.kinds) ? ` (${i.kinds.join(', ')})` : ''),
  listByLabel: (i) => `list what is labelled ${labelTail(i.labelPrefix) ?? '?'}`,
  findLabelled: (i) => `find what is labelled ${labelTail(i.labelPrefix ?? i.label) ?? '?'}`,
  chargesForLabel: (i) => `read charges of ${labelTail(i.labelPrefix) ?? '?'}`,
  chargesForInstance: (i) => `read charges of ${instance(i)}`,
  now: () => 'read the clock',
  searchOffers: (i) => `search offers: ${gpuOf(i.query ?? i)}`,
};

/** `waitForDeployment` → `wait for deployment`. */
function words(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
}

/** The salient fields of an input no format names: ids, names and labels, never free text. */
function generic(name: string, input: unknown): string {
  if (typeof input === 'number') return `${words(name)} ${input}`;
  const i = (input ?? {}) as Input;
  const parts: string[] = [];
  for (const key of ['instanceId', 'offerId', 'machineId', 'jobId', 'deploymentId', 'snapshotId', 'name']) {
    const v = i[key];
    if (typeof v === 'number' || (typeof v === 'string' && v.length <= 60)) parts.push(`${key} ${v}`);
  }
  const label = labelTail(i.label ?? i.labelPrefix);
  if (label) parts.push(label);
  for (const key of ['gpuName', 'model']) if (typeof i[key] === 'string') parts.push(String(i[key]));
  return parts.length ? `${words(name)}: ${parts.join(', ')}` : words(name);
}

/** The summary of one activity call. Never throws: a summary is decoration, the call must go on. */
export function activitySummary(name: string, input: unknown): string {
  let text: string;
  try {
    const format = FORMATS[name];
    // Some activities take a bare instance id (`destroyInstance(123)`).
    const fields = typeof input === 'number' ? { instanceId: input } : (input ?? {});
    text = format && fields !== null && typeof fields === 'object' ? format(fields as Input) : generic(name, input);
  } catch {
    text = words(name);
  }
  return text.length > MAX_SUMMARY ? `${text.slice(0, MAX_SUMMARY - 1)}…` : text;
}

/** `wait 60 platform s`, `paused 60 platform s`. */
export function sleepSummary(platformSeconds: number, why = 'wait'): string {
  return `${why} ${Math.round(platformSeconds * 100) / 100} platform s`;
}

/** What `proxyActivities` hands out: a function with `executeWithOptions` for call-site options. */
type ActivityFn = ((...args: unknown[]) => Promise<unknown>) & {
  executeWithOptions?: (options: { summary: string }, args: unknown[]) => Promise<unknown>;
};

/**
 * Activity proxies that carry a summary: each call goes through `executeWithOptions` with only `summary` added
 * (the proxy's options are merged in unchanged), so the commands are those of a plain call.
 */
export function withSummaries<T extends object>(steps: T): T {
  const out: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(steps as Record<string, ActivityFn>)) {
    const call = fn.executeWithOptions;
    out[name] = call ? (...args: unknown[]) => call({ summary: activitySummary(name, args[0]) }, args) : fn;
  }
  return out as T;
}

/**
 * `CancellationScope.withTimeout(ms, fn)` with a summary on its timer ("deadline 25 platform min"): the same
 * commands in the same order (the timer starts before `fn`, is cancelled when `fn` settles first), so histories of
 * runs made with `withTimeout` replay unchanged.
 */
export function withDeadline<T>(ms: number, summary: string, fn: () => Promise<T>): Promise<T> {
  const scope = new CancellationScope({ cancellable: true });
  return scope.run(async () => {
    const timerScope = new CancellationScope();
    timerScope
      .run(() => sleep(ms, { summary }))
      .then(
        () => scope.cancel(),
        () => undefined // the timer was cancelled: fn settled first, or the scope was cancelled from outside
      );
    try {
      return await fn();
    } finally {
      if (!timerScope.consideredCancelled) timerScope.cancel();
    }
  });
}
