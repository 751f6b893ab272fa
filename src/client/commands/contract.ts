/**
 * `dumont-e2e contract`: the gap map of a deployment, for free. Probes every route of the platform contract
 * (`src/platform/contract/`) without renting anything and says, per route, whether the platform has it, and per
 * scenario, whether it can run (`docs/operations.md` § Contract).
 */
import { SCENARIOS } from '../../catalog';
import { loadConfig } from '../../config';
import { CONTRACT_ROUTES } from '../../platform/contract/routes';
import {
  probeContract,
  scenarioReadiness,
  type ProbeTarget,
  type RouteProbe,
  type ScenarioReadiness,
} from '../../platform/contract/probe';
import { parseFlags, targetFlag, UsageError } from './usage';

const HELP = `Usage: dumont-e2e contract [--target sim|dumont] [--without-feature NAME]... [--json]

Probes every route the scenarios need (docs/platform-contract.md § Route map: ${CONTRACT_ROUTES.length} routes) without
renting anything: placeholder ids that name nothing, empty JSON bodies, Dumont's routes without credentials
(its auth answers before any handler runs), VAST's with VAST_API_KEY when set. A route is "missing" when the
answer is the framework's own "no route" (a 405, or a 404 with the not-found body), "present" on any other
answer (a 401, 422 or a handler's 404 included), "unreachable" when no HTTP answer came. Then, per scenario,
whether every route it needs is present.

Options:
  --target sim|dumont      sim (default): a fresh simulator started in this process on random ports, stopped at
                           the end; dumont: DUMONT_API_URL and VAST_API_URL (+ VAST_API_KEY) from the environment
  --without-feature NAME   target sim only: start the simulator without that feature module (repeatable), to see
                           the map of a deployment that lacks it
  --json                   print {target, summary, routes, scenarios} as JSON instead of tables
  -h, --help               this help

Exit codes: 0 every route present; 1 some route missing or unreachable (the scenarios it blocks are listed);
2 bad flag or value, or DUMONT_API_URL unset for --target dumont.
`;

interface ContractReport {
  target: 'sim' | 'dumont';
  summary: { routes: number; present: number; missing: number; unreachable: number; runnable: number; blocked: number };
  routes: (Omit<RouteProbe, 'route'> & { face: string; method: string; path: string })[];
  scenarios: ScenarioReadiness[];
}

function report(target: 'sim' | 'dumont', probes: RouteProbe[]): ContractReport {
  const scenarios = scenarioReadiness(probes, SCENARIOS);
  const count = (v: RouteProbe['verdict']) => probes.filter((p) => p.verdict === v).length;
  return {
    target,
    summary: {
      routes: probes.length,
      present: count('present'),
      missing: count('missing'),
      unreachable: count('unreachable'),
      runnable: scenarios.filter((s) => s.canRun).length,
      blocked: scenarios.filter((s) => !s.canRun).length,
    },
    routes: probes.map(({ route, ...rest }) => ({ face: route.face, method: route.method, path: route.path, ...rest })),
    scenarios,
  };
}

function table(r: ContractReport): string {
  const width = Math.max(...r.routes.map((p) => `${p.method} ${p.path}`.length));
  const lines = r.routes.map((p) =>
    `${p.verdict.padEnd(11)} ${p.face.padEnd(6)} ${`${p.method} ${p.path}`.padEnd(width)} ${String(p.status ?? '-').padEnd(3)} ${p.note}`.trimEnd()
  );
  const blocked = r.scenarios
    .filter((s) => !s.canRun)
    .map((s) => `  #${s.id} ${s.slug}: lacks ${s.missing.join(', ')}`);
  const { summary: s } = r;
  return [
    `routes (${r.target}): ${s.present} present, ${s.missing} missing, ${s.unreachable} unreachable of ${s.routes}`,
    ...lines,
    '',
    `scenarios: ${s.runnable} can run, ${s.blocked} cannot`,
    ...blocked,
    '',
  ].join('\n');
}

async function probeSim(without: string[]): Promise<RouteProbe[]> {
  // Loaded here so that --target dumont never starts (or loads) the simulator.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { startSimulator } = require('../../sim') as typeof import('../../sim');
  const apiKey = `contract-probe-${process.pid}`;
  let sim;
  try {
    sim = await startSimulator({ apiKey, withoutFeatures: without });
  } catch (err) {
    throw new UsageError(`--without-feature: ${(err as Error).message.replace(/^startSimulator: /, '')}`);
  }
  try {
    return await probeContract({ dumontUrl: sim.dumontUrl, vastUrl: sim.vastUrl, vastApiKey: apiKey });
  } finally {
    await sim.stop();
  }
}

/** Entry point of `dumont-e2e contract`; returns the exit code. */
export async function contractCommand(argv: string[]): Promise<number> {
  const { values } = parseFlags(argv, {
    target: { type: 'string' },
    'without-feature': { type: 'string', multiple: true },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const target = targetFlag(values.target);
  const without = values['without-feature'] ?? [];
  if (target !== 'sim' && without.length) throw new UsageError('--without-feature: the simulator only (--target sim)');
  let probes: RouteProbe[];
  if (target === 'sim') probes = await probeSim(without);
  else {
    const config = loadConfig(process.env, { DUMONT_E2E_TARGET: target });
    if (!config.dumontUrl) throw new UsageError('--target dumont needs DUMONT_API_URL in the environment');
    const probeTarget: ProbeTarget = {
      dumontUrl: config.dumontUrl,
      vastUrl: config.vastUrl,
      vastApiKey: config.vastApiKey,
    };
    probes = await probeContract(probeTarget);
  }
  const r = report(target, probes);
  process.stdout.write(values.json ? `${JSON.stringify(r, null, 2)}\n` : table(r));
  return r.summary.missing + r.summary.unreachable === 0 ? 0 : 1;
}
