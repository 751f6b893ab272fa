import { defineScenario } from '../../kit';

const TOP = 10;

/** 88 — The ten most reliable hosts, ordered by a reliability that is what their recorded outcomes say. */
export const hostReliabilityRankingScenario = defineScenario(88, 'host-reliability-ranking', async (ctx) => {
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
    if (Math.abs(rate - host.reliability_score) > 0.001)
      mismatched.push(`${host.machine_id}: score ${host.reliability_score}, outcomes ${o.ok}/${o.total}`);
  }
  ctx.check(
    'scores-match-outcomes',
    "each host's score is the share of its recorded outcomes that succeeded",
    mismatched.length === 0,
    mismatched.length ? mismatched.join('; ') : `${top.length} hosts checked against their histories`
  );
  const all = await ctx.steps.providerRanking({ limit: 500 });
  const floor = Math.min(...scores);
  const better = all.filter((h) => !top.some((t) => t.machine_id === h.machine_id) && h.reliability_score > floor);
  ctx.check(
    'top-is-top',
    'no host left out of the top ten is more reliable than one in it',
    better.length === 0,
    better.length
      ? better.map((h) => `${h.machine_id} ${h.reliability_score}`).join(', ')
      : `${all.length} hosts ranked`
  );
  ctx.metric('bestScore', scores[0] ?? 0);
  ctx.metric('tenthScore', floor);
});
