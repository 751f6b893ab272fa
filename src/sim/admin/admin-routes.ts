/**
 * The admin API under `/_sim/` on the Dumont port (bearer = the VAST API key): state, defects and
 * faults. Faults never touch it, so a test can always read and reset the simulator.
 */
import { DEFECTS, parseDefects } from '../defects';
import { parseFaultSettings } from '../core/fault-injector';
import { bearerToken, jsonBody, type Route, type SimRequest, type SimResponse } from '../core/http-kit';
import { simState } from './sim-state';
import type { SimWorld } from '../world';

const json = (status: number, body: unknown): SimResponse => ({ status, body });

/** The admin routes; `setDefects`/`setFaults` are the same functions `RunningSim` exposes. */
export function adminRoutes(
  world: SimWorld,
  setDefects: (names: string[]) => void,
  setFaults: (f: { rate: number; kinds?: string[]; seed?: number }) => void
): Route[] {
  const admin =
    (handle: (req: SimRequest) => SimResponse) =>
    (req: SimRequest): SimResponse =>
      bearerToken(req) === world.apiKey
        ? handle(req)
        : json(401, { error: 'The admin API needs the VAST API key as bearer token' });
  const route = (method: string, pattern: RegExp, handle: (req: SimRequest) => SimResponse): Route => ({
    method,
    pattern,
    faultable: false,
    handle: admin(handle),
  });
  const defectsBody = (): SimResponse =>
    json(200, {
      defects: [...world.defects],
      available: Object.entries(DEFECTS).map(([name, d]) => ({ name, ...d })),
    });
  return [
    route('GET', /^\/_sim\/state$/, () => json(200, simState(world))),
    route('GET', /^\/_sim\/defects$/, defectsBody),
    route('PUT', /^\/_sim\/defects$/, (req) => {
      const body = jsonBody(req);
      if (!Array.isArray(body.defects) || !body.defects.every((d) => typeof d === 'string')) {
        return json(400, { error: `defects must be a list of names, got ${JSON.stringify(body.defects)}` });
      }
      try {
        parseDefects(body.defects);
      } catch (err) {
        return json(400, { error: (err as Error).message });
      }
      setDefects(body.defects);
      return defectsBody();
    }),
    route('GET', /^\/_sim\/faults$/, () => json(200, world.faults.settings())),
    route('PUT', /^\/_sim\/faults$/, (req) => {
      const body = jsonBody(req);
      try {
        setFaults(parseFaultSettings({ rate: body.rate, kinds: body.kinds, seed: body.seed }));
      } catch (err) {
        return json(400, { error: (err as Error).message });
      }
      return json(200, world.faults.settings());
    }),
  ];
}
