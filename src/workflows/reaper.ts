import { LABEL_ROOT, parseLabel } from '../labels';
import { boundedDestroy } from './kit/cleanup';
import { messageOf } from './kit/saga';
import { stepsFor } from './kit/steps';
import type { Target } from './types';
import { asObject, invalid, keysOf, knownKeysOnly, optNumber, optTarget } from './validate';

export interface ReaperInput {
  /** Only report what would be destroyed. @default true (a reaper started by hand must not surprise anyone) */
  dryRun?: boolean;
  /** Resources older than this are destroyed whatever their owner's state. @default 6 */
  ttlHours?: number;
  /** @default 'sim' */
  target?: Target;
}

export interface ReaperVerdict {
  label: string;
  /** The resource kind (registry name): instance, volume, ssh-key, … */
  kind: string;
  id: number;
  reason: string;
}

export interface ReaperResult {
  dryRun: boolean;
  scanned: number;
  /** What was destroyed, or would be in a dry run. */
  doomed: ReaperVerdict[];
  /** Labels kept because their owner still runs. */
  kept: number;
  /** Destroys that gave up within their bound (the next reaper run tries again). */
  errors: string[];
}

/** The keys `ReaperWorkflow` reads. */
const REAPER_INPUT_KEYS = keysOf<ReaperInput>({ dryRun: true, ttlHours: true, target: true });

/**
 * The belt to the sagas' braces: finds everything labelled `dumont-e2e/...` and destroys what no running
 * workflow owns any more (its suite closed, or Temporal never heard of it) or what outlived the hard TTL.
 * Run it on its own Schedule with `dryRun: false`; by hand it only reports unless told otherwise.
 */
export async function ReaperWorkflow(rawInput?: ReaperInput): Promise<ReaperResult> {
  const input = asObject(rawInput, 'input');
  knownKeysOnly(input, REAPER_INPUT_KEYS);
  const dryRun = input.dryRun ?? true;
  if (typeof dryRun !== 'boolean') throw invalid('dryRun', dryRun, 'a boolean');
  const ttlHours = optNumber(input, 'ttlHours', 0.01, 24 * 365) ?? 6;
  const target = optTarget(input);
  const steps = stepsFor(target);

  const found = await steps.findLabelled();
  const owners = [...new Set(found.map((r) => parseLabel(r.label)?.suite).filter((s): s is string => !!s))];
  const status = owners.length ? await steps.ownerStatus({ owners }) : {};
  const doomed: ReaperVerdict[] = [];
  for (const r of found) {
    const suite = parseLabel(r.label)?.suite;
    const owner = suite ? status[suite] : undefined;
    let reason: string | undefined;
    if (r.ageSeconds !== undefined && r.ageSeconds > ttlHours * 3600) reason = `older than ${ttlHours} h`;
    else if (!suite) reason = `label not in the ${LABEL_ROOT}/<suite>/s<NNN>/<step> form`;
    else if (owner === 'closed') reason = `owner ${suite} is closed`;
    else if (owner === 'unknown')
      reason = `owner ${suite} is unknown to Temporal${suite.startsWith('h-') ? ' (no running workflow has this hash)' : ''}`;
    if (reason) doomed.push({ label: r.label, kind: r.kind, id: r.id, reason });
  }
  const errors: string[] = [];
  if (!dryRun) {
    const targets = [...new Map(doomed.map((d) => [`${d.kind} ${d.label}`, d])).values()];
    for (const d of targets) {
      try {
        await boundedDestroy(steps, { labelPrefix: d.label, kinds: [d.kind], timeScale: 1 });
      } catch (err) {
        errors.push(messageOf(err));
      }
    }
  }
  return { dryRun, scanned: found.length, doomed, kept: found.length - doomed.length, errors };
}
