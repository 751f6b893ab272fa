import { defineScenario } from '../../kit';

const TOP = 10;

/** 88 — The ten most reliable hosts, ordered by a reliability that is what their recorded outcomes say. */
export const hostReliabilityRankingScenario = defineScenario(88, 'host-reliability-ranking', async (ctx) => {
  // The whole ranking read around the top ten: hosts join, leave and gain outcomes meanwhile, so only hosts ranked
  // in both whole reads, at the lower of their two scores, can show that the top ten left a better one out.
  const before = await ctx.steps.providerRanking({ limit: 500 });
  const top = await ctx.steps.providerRanking({ limit: TOP });
  ctx.check('ten-hosts', `the ranking returns ${TOP} hosts`, top.length === TOP, `${top.length} hosts`);
  const scores = top.map((h) => h.reliability_score);
  const inversions = scores.flatMap((s, i) => (i > 0 && s > scores[i - 1] ? [`#${i} ${s} > ${scores[i - 1]}`] : []));
  ctx.check(
    'ranked-by-reliability',
    'hosts are ordered by reliability score, best first',
    inversions.length === 0,
    inversions.length ? `out of order: ${inversions.join(', ')}` : scores.join(' ≥ ')
  );
  const mismatched: string[] = [];
  for (const host of top) {
    const o = await ctx.steps.machineOutcomes({ machineId: host.machine_id });
    const rate = o.total ? o.ok / o.total : 0;
    // Within one outcome's weight (platforms smooth short records, e.g. (ok + 1) / (n + 2)), plus one more for an
    // outcome recorded between the two reads.
    if (!(o.total > 0 && Math.abs(rate - host.reliability_score) <= 2 / o.total + 0.0001))
      mismatched.push(`${host.machine_id}: score ${host.reliability_score}, outcomes ${o.ok}/${o.total}`);
  }
  ctx.check(
    'scores-match-outcomes',
    "each host's score is the share of its recorded outcomes that succeeded (within its smoothing)",
    mismatched.length === 0,
    mismatched.length ? mismatched.join('; ') : `${top.length} hosts checked against their histories`
  );
  const after = await ctx.steps.providerRanking({ limit: 500 });
  const floor = Math.min(...scores);
  const better = after.flatMap((h) => {
    const then = before.find((b) => b.machine_id === h.machine_id);
    const score = then ? Math.min(then.reliability_score, h.reliability_score) : -1;
    return !top.some((t) => t.machine_id === h.machine_id) && score > floor ? [{ ...h, reliability_score: score }] : [];
  });
  ctx.check(
    'top-is-top',
    'no host left out of the top ten is more reliable than one in it',
    better.length === 0,
    better.length
      ? better.map((h) => `${h.machine_id} ${h.reliability_score}`).join(', ')
      : `${after.length} hosts ranked`
  );
  ctx.metric('bestScore', scores[0] ?? 0);
  ctx.metric('tenthScore', floor);
});
