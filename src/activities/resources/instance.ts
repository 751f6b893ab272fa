import type { LabelRows } from '../../platform/types';
import { errorText, type FoundResource, type ResourceKind, type Witness } from './types';

/**
 * A list can lie by omission (`instances: []`, `instances_found: 0` while instances run — a stale cache, a
 * half-deployed backend): nothing in the answer itself shows it, and cleanup would call everything gone. So each
 * instance Dumont lists and VAST's list leaves out is asked for by id at VAST; one VAST still shows proves its list
 * incomplete, and the instance is kept as seen at VAST (so it is destroyed there if Dumont cannot). One GET per
 * disagreement, none when the lists agree.
 */
async function crossCheckVast(
  deps: Parameters<ResourceKind['list']>[0],
  found: FoundResource[],
  warn: (message: string) => void
): Promise<void> {
  for (const r of found.filter((f) => !f.seenAt.includes('vast'))) {
    let shown;
    try {
      shown = await deps.vast.showInstance(r.id);
    } catch (err) {
      warn(`instance ${r.id} ${r.label} is missing from VAST's list and could not be read by id: ${errorText(err)}`);
      continue;
    }
    if (!shown) continue;
    r.seenAt.push('vast');
    warn(
      `VAST's instance list left out instance ${r.id} ${r.label}, which GET by id shows ${shown.actual_status ?? 'present'}: the list is incomplete`
    );
  }
}

/** Dumont gets this many tries at destroying an instance before cleanup goes to VAST directly. */
const DUMONT_TRIES = 2;

/**
 * GPU instances: listed at Dumont and at VAST (Dumont can lose track of an instance VAST still bills), destroyed
 * through Dumont as a user would, then through VAST when Dumont keeps failing — a platform bug must not cost money.
 */
export const instanceKind: ResourceKind = {
  name: 'instance',
  destroyOrder: 0,
  async list(deps, prefix, warn) {
    // Only id, label and state are read, row by row: a quirk elsewhere in a row (a date format, a unit, a new
    // field) must never stop cleanup. A witness whose answer is unusable is skipped when the other one answered.
    const [dumont, vast] = await Promise.allSettled([deps.dumont.listLabelled(), deps.vast.listLabelled()]);
    if (dumont.status === 'rejected' && vast.status === 'rejected') throw dumont.reason;
    if (dumont.status === 'rejected')
      warn(`Dumont's instance list was unusable, VAST's was used: ${errorText(dumont.reason)}`);
    if (vast.status === 'rejected')
      warn(`VAST's instance list was unusable, Dumont's was used: ${errorText(vast.reason)}`);
    const byId = new Map<number, FoundResource>();
    // Ages are taken on the witness's own clock (its latest answer's `Date`), never the worker's: a platform's
    // clock may be skewed from ours, and the simulator's runs compressed, starting in the past.
    const clockOf = (at: Witness): number =>
      (at === 'dumont' ? deps.dumont.serverNow?.() : deps.vast.serverNow?.()) ?? Date.now() / 1000;
    const add = (read: LabelRows, at: Witness) => {
      const nowSeconds = clockOf(at);
      if (read.unreadable > 0)
        warn(
          `${read.unreadable} row(s) of ${at === 'dumont' ? "Dumont's" : "VAST's"} instance list had no readable id`
        );
      for (const row of read.rows) {
        if (!row.label?.startsWith(prefix)) continue;
        const seen = byId.get(row.id);
        const found = seen ?? { kind: 'instance', id: row.id, label: row.label, seenAt: [] };
        found.seenAt.push(at);
        // Ages come from VAST's epoch start dates (Dumont's `start_date` is the time of the read).
        if (row.startedAt !== undefined) found.ageSeconds = Math.max(0, nowSeconds - row.startedAt);
        byId.set(row.id, found);
      }
    };
    if (dumont.status === 'fulfilled') add(dumont.value, 'dumont');
    if (vast.status === 'fulfilled') add(vast.value, 'vast');
    if (vast.status === 'fulfilled') await crossCheckVast(deps, [...byId.values()], warn);
    return [...byId.values()];
  },
  async destroy(deps, found, attempt) {
    const dumontKnowsIt = found.seenAt.includes('dumont');
    if (dumontKnowsIt && attempt <= DUMONT_TRIES) {
      await deps.dumont.destroyInstance(found.id);
      return {};
    }
    await deps.vast.destroyInstance(found.id);
    return {
      warning: dumontKnowsIt
        ? `instance ${found.id} ${found.label} was destroyed through VAST after ${DUMONT_TRIES} Dumont destroys left it alive`
        : `instance ${found.id} ${found.label} was only known to VAST and was destroyed there`,
    };
  },
};
