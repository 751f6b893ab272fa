/**
 * Probes the contract's routes on a deployment without renting anything (`docs/operations.md` § Contract): each
 * route is called with a placeholder id that names nothing and, for a POST or PUT, an empty JSON body; Dumont's
 * routes without credentials (its auth answers before any handler runs), VAST's with the API key when one is given
 * (read-only calls, or writes with ids that do not exist). An answer is read as "no route" only when it is the
 * framework's own: a 405, or a 404 whose body is the not-found page (Dumont: `{"error"|"detail": "Not Found"}`;
 * VAST: a non-JSON body or `{"msg": "No route ..."}`); any other answer, a handler's 404 included, means the route
 * is there. A 307/308 (FastAPI's other slash form) is followed once.
 */
import { CONTRACT_ROUTES, routeNeededBy, type ContractRoute } from './routes';

/** Where to probe. */
export interface ProbeTarget {
  dumontUrl: string;
  vastUrl: string;
  /** Sent as VAST's bearer; without it VAST's routes are probed anonymously (a 401 still proves a route). */
  vastApiKey?: string;
  /** Per request. @default 10000 */
  timeoutMs?: number;
}

/** `present`: a handler answered; `missing`: the framework's "no route"; `unreachable`: no HTTP answer. */
export type RouteVerdict = 'present' | 'missing' | 'unreachable';

/** The probe of one route. */
export interface RouteProbe {
  route: ContractRoute;
  /** The path actually requested (placeholders filled). */
  probed: string;
  status: number | null;
  verdict: RouteVerdict;
  note: string;
}

/** Placeholder values: ids no deployment has, so no handler finds (or changes) anything. */
const PLACEHOLDERS: Record<string, string> = {
  id: '999999999',
  machine_id: '999999999',
  failover_id: 'dumont-e2e-contract-probe',
  gpu_name: 'dumont-e2e-contract-probe',
  volume_id: '999999999',
  region: 'dumont-e2e-contract-probe',
};

/** `route.path` with every `{param}` replaced by its placeholder. */
export function probePath(route: ContractRoute): string {
  return route.path.replace(/\{(\w+)\}/g, (_, name: string) => PLACEHOLDERS[name] ?? PLACEHOLDERS.id);
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Whether a 404 body is the framework's "no route" on `face` rather than a handler's answer. */
export function isNoRouteBody(face: ContractRoute['face'], text: string): boolean {
  const body = parse(text) as Record<string, unknown> | undefined;
  if (face === 'dumont') return body?.error === 'Not Found' || body?.detail === 'Not Found';
  if (body === undefined || typeof body !== 'object' || body === null) return true;
  return typeof body.msg === 'string' && body.msg.startsWith('No route');
}

async function request(
  url: string,
  route: ContractRoute,
  target: ProbeTarget
): Promise<{ status: number; text: string; location: string | null }> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (route.face === 'vast' && target.vastApiKey) headers.authorization = `Bearer ${target.vastApiKey}`;
  const withBody = route.method === 'POST' || route.method === 'PUT';
  if (withBody) headers['content-type'] = 'application/json';
  const res = await fetch(url, {
    method: route.method,
    headers,
    body: withBody ? '{}' : undefined,
    redirect: 'manual',
    signal: AbortSignal.timeout(target.timeoutMs ?? 10_000),
  });
  return { status: res.status, text: await res.text(), location: res.headers.get('location') };
}

/** Probes one route. */
export async function probeRoute(route: ContractRoute, target: ProbeTarget): Promise<RouteProbe> {
  const base = (route.face === 'dumont' ? target.dumontUrl : target.vastUrl).replace(/\/+$/, '');
  const probed = probePath(route);
  try {
    let answer = await request(`${base}${probed}`, route, target);
    let note = '';
    if ((answer.status === 307 || answer.status === 308) && answer.location) {
      const next = new URL(answer.location, `${base}${probed}`);
      note = `redirected to ${next.pathname} (the other slash form)`;
      answer = await request(next.href, route, target);
    }
    const noRoute = answer.status === 405 || (answer.status === 404 && isNoRouteBody(route.face, answer.text));
    if (noRoute) note = answer.status === 405 ? 'method not allowed' : 'no route';
    return { route, probed, status: answer.status, verdict: noRoute ? 'missing' : 'present', note };
  } catch (err) {
    return { route, probed, status: null, verdict: 'unreachable', note: (err as Error).message };
  }
}

/** Probes `routes` (default: the whole contract), a few at a time, in order. */
export async function probeContract(
  target: ProbeTarget,
  routes: readonly ContractRoute[] = CONTRACT_ROUTES,
  concurrency = 8
): Promise<RouteProbe[]> {
  const results: RouteProbe[] = new Array<RouteProbe>(routes.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < routes.length) {
      const i = next++;
      results[i] = await probeRoute(routes[i], target);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, routes.length) }, lane));
  return results;
}

/** Whether one scenario can run on the probed deployment, and the routes it lacks. */
export interface ScenarioReadiness {
  id: number;
  slug: string;
  canRun: boolean;
  missing: string[];
}

/** `METHOD path` of a route, as the tables show it. */
export const routeName = (route: ContractRoute): string => `${route.method} ${route.path}`;

/** Per scenario: can it run (every route it needs answered by a handler), and if not, what it lacks. */
export function scenarioReadiness(
  probes: readonly RouteProbe[],
  scenarios: readonly { id: number; slug: string }[]
): ScenarioReadiness[] {
  return scenarios.map(({ id, slug }) => {
    const missing = probes
      .filter((p) => p.verdict !== 'present' && routeNeededBy(p.route, id))
      .map((p) => routeName(p.route));
    return { id, slug, canRun: missing.length === 0, missing };
  });
}
