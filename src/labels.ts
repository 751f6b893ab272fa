/**
 * Labels tie every rented resource to the run that created it: `dumont-e2e/<suite>/<sNNN>/<step>`.
 * VAST accepts labels of about 60 characters (dstack's observation), so long suite ids are hashed.
 * Pure functions: used by workflow code and activities alike.
 */
export const LABEL_ROOT = 'dumont-e2e';
const MAX_LABEL = 60;
const MAX_SUITE_PART = 28;

/** FNV-1a, 32 bit, base 36: stable across runs and processes (unlike Math.random in workflows). */
export function shortHash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(36);
}

/** The suite's part of a label: the id itself when short and plain, otherwise `h-<hash>`. */
export function suiteLabelPart(suiteId: string): string {
  return suiteId.length <= MAX_SUITE_PART && /^[A-Za-z0-9._-]+$/.test(suiteId) ? suiteId : `h-${shortHash(suiteId)}`;
}

export function suitePrefix(suiteId: string): string {
  return `${LABEL_ROOT}/${suiteLabelPart(suiteId)}/`;
}

export function scenarioPrefix(suiteId: string, scenarioId: number): string {
  return `${suitePrefix(suiteId)}s${String(scenarioId).padStart(3, '0')}/`;
}

/**
 * The label of a suite's SSH key (the comment of its public line): `dumont-e2e/<suite>/s000/ssh-key`. Scenario
 * number 000 is the suite itself: its key is no scenario's, and the suite's final sweep releases it.
 */
export function runKeyLabel(suiteId: string): string {
  return `${suitePrefix(suiteId)}s000/ssh-key`;
}

/** Full label for one step of one scenario; throws if it would exceed VAST's limit. */
export function stepLabel(suiteId: string, scenarioId: number, step: string): string {
  const label = `${scenarioPrefix(suiteId, scenarioId)}${step}`;
  if (label.length > MAX_LABEL) throw new Error(`label '${label}' is longer than ${MAX_LABEL} characters`);
  return label;
}

/** Parses a label of ours back into its parts; `undefined` for anybody else's label. */
export function parseLabel(
  label: string | null | undefined
): { suite: string; scenarioId: number; step: string } | undefined {
  const m = /^dumont-e2e\/([^/]+)\/s(\d{3})\/(.+)$/.exec(label ?? '');
  return m ? { suite: m[1], scenarioId: Number(m[2]), step: m[3] } : undefined;
}
