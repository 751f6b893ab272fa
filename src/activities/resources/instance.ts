import type { LabelRows } from '../../platform/types';
import { errorText, type FoundResource, type ResourceKind, type Witness } from './types';

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
    const nowSeconds = Date.now() / 1000;
    const add = (read: LabelRows, at: Witness) => {
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
