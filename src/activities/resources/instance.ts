import { errorText, type FoundResource, type ResourceKind } from './types';

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
    const [dumont, vast] = await Promise.allSettled([deps.dumont.listInstances(), deps.vast.listInstances()]);
    if (dumont.status === 'rejected' && vast.status === 'rejected') throw dumont.reason;
    if (dumont.status === 'rejected')
      warn(`Dumont's instance list was unusable, VAST's was used: ${errorText(dumont.reason)}`);
    if (vast.status === 'rejected')
      warn(`VAST's instance list was unusable, Dumont's was used: ${errorText(vast.reason)}`);
    const nowSeconds = Date.now() / 1000;
    const byId = new Map<number, FoundResource>();
    const add = (rows: { id: number; label?: string | null; start_date?: number | null }[], at: 'dumont' | 'vast') => {
      for (const row of rows) {
        if (!row.label?.startsWith(prefix)) continue;
        const seen = byId.get(row.id);
        if (seen) {
          seen.seenAt.push(at);
          continue;
        }
        const started = typeof row.start_date === 'number' ? row.start_date : undefined;
        byId.set(row.id, {
          kind: 'instance',
          id: row.id,
          label: row.label,
          seenAt: [at],
          ...(started ? { ageSeconds: Math.max(0, nowSeconds - started) } : {}),
        });
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
