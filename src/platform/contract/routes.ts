/**
 * PURE: THE route map of the platform contract (`docs/platform-contract.md`): every route the scenarios call, on
 * which face, who needs it and where it comes from. `dumont-e2e contract` probes exactly these, and the doc's
 * "Route map" section is rendered from them (`./render.ts`; a test keeps the two equal). Paths are full, with
 * `{param}` placeholders; Dumont paths under `/api/v1`, declared with the trailing slash the real router has.
 */

/** Which face a route is on. */
export type ContractFace = 'dumont' | 'vast';
/** Dumont's own route, Dumont's stub (it answers, nothing moves), or an extension the harness needs. */
export type ContractOrigin = 'own' | 'stub' | 'extension';

/** One route of the contract. */
export interface ContractRoute {
  face: ContractFace;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  /** The scenarios that need it; `all` for the routes every scenario (or every create, or cleanup) needs. */
  usedBy: 'all' | readonly number[];
  origin: ContractOrigin;
  /** The section of `docs/platform-contract.md` it belongs to. */
  section: string;
}

/** `"1-5,14"` → [1, 2, 3, 4, 5, 14]. */
function ids(spec: string): number[] {
  return spec.split(',').flatMap((part) => {
    const [a, b] = part.split('-').map(Number);
    return b === undefined ? [a] : Array.from({ length: b - a + 1 }, (_, i) => a + i);
  });
}

type Row = [ContractRoute['method'], string, string, ContractOrigin?];

function section(name: string, face: ContractFace, rows: Row[]): ContractRoute[] {
  return rows.map(([method, path, used, origin = 'own']) => ({
    face,
    method,
    path: face === 'dumont' ? `/api/v1${path}` : path,
    usedBy: used === 'all' ? 'all' : ids(used),
    origin,
    section: name,
  }));
}

/** Every route of the contract, in the doc's order. */
export const CONTRACT_ROUTES: readonly ContractRoute[] = [
  ...section('Dumont instances', 'dumont', [
    ['POST', '/auth/login', 'all'],
    ['GET', '/instances/offers', 'all'],
    ['POST', '/instances', 'all'],
    ['GET', '/instances', 'all'],
    ['GET', '/instances/{id}', 'all'],
    ['POST', '/instances/{id}/pause', '6-10,12'],
    ['POST', '/instances/{id}/resume', '6-10,12'],
    ['DELETE', '/instances/{id}', 'all'],
  ]),
  ...section('VAST', 'vast', [
    ['POST', '/api/v0/bundles/', '2'],
    ['GET', '/api/v1/instances/', 'all'],
    ['GET', '/api/v0/instances/{id}/', 'all'],
    ['DELETE', '/api/v0/instances/{id}/', 'all'],
    ['GET', '/api/v0/volumes/', 'all'],
    ['DELETE', '/api/v0/volumes/', 'all'],
    ['GET', '/api/v0/ssh/', 'all'],
    ['POST', '/api/v0/ssh/', 'all'],
    ['DELETE', '/api/v0/ssh/{id}/', 'all'],
    ['GET', '/api/v0/charges/', 'all'],
  ]),
  ...section('Serverless', 'dumont', [
    ['POST', '/serverless/enable/{id}', '16-27'],
    ['GET', '/serverless/status/{id}', '16-27'],
    ['POST', '/serverless/disable/{id}', '16-27'],
    ['GET', '/serverless/list', '16-27'],
    ['POST', '/serverless/wake/{id}', '19,24-27'],
    ['POST', '/agent/instances/{id}/keep-alive', '19,21-27'],
    ['GET', '/instances/{id}/savings', '24'],
    ['GET', '/standby/associations', '16-42', 'extension'],
    ['DELETE', '/standby/associations/{id}', '16-42'],
  ]),
  ...section('Models', 'dumont', [
    ['POST', '/models/deploy', '65-76'],
    ['GET', '/models/', '65-76'],
    ['GET', '/models/{id}', '65-76'],
    ['DELETE', '/models/{id}', '65-76'],
    ['GET', '/models/{id}/health', '76'],
    ['POST', '/models/{id}/scale', '75', 'extension'],
  ]),
  ...section('Market', 'dumont', [
    ['GET', '/metrics/market', '87,90'],
    ['GET', '/metrics/market/summary', '90'],
    ['GET', '/metrics/predictions/{gpu_name}', '87'],
    ['GET', '/metrics/providers', '88'],
    ['GET', '/reliability/machines/{machine_id}/history', '88'],
    ['POST', '/spot/instances', '89', 'extension'],
  ]),
  ...section('Edge cases', 'dumont', [
    ['GET', '/instances/blacklist/status', '97'],
    ['POST', '/instances/blacklist/{machine_id}', '97'],
    ['DELETE', '/instances/blacklist/{machine_id}', '97'],
  ]),
  ...section('Snapshots', 'dumont', [
    ['POST', '/snapshots', '43-52'],
    ['GET', '/snapshots', '43-52'],
    ['POST', '/snapshots/restore', '46,47,49,50'],
    ['POST', '/snapshots/restore/partial', '48', 'extension'],
    ['DELETE', '/snapshots/{id}', '43-52'],
    ['POST', '/snapshots/{id}/keep-forever', '52'],
    ['PUT', '/snapshots/retention-policy', '52'],
    ['POST', '/snapshots/cleanup', '52'],
  ]),
  ...section('Migration', 'dumont', [
    ['POST', '/instances/{id}/migrate/estimate', '94'],
    ['POST', '/instances/{id}/migrate', '91-95'],
  ]),
  ...section('Fine-tuning', 'dumont', [
    ['POST', '/finetune/jobs/upload-dataset', '77-84'],
    ['POST', '/finetune/jobs', '77-84'],
    ['GET', '/finetune/jobs', '77-84'],
    ['GET', '/finetune/jobs/{id}', '77-84'],
    ['GET', '/finetune/jobs/{id}/logs', '77,78,81,83,84'],
    ['POST', '/finetune/jobs/{id}/cancel', '77-84'],
    ['DELETE', '/finetune/jobs/{id}', '77-84'],
    ['GET', '/finetune/jobs/{id}/checkpoints', '79,84', 'extension'],
    ['POST', '/finetune/jobs/{id}/export', '82', 'extension'],
  ]),
  ...section('Jobs', 'dumont', [
    ['POST', '/jobs/', '53-64'],
    ['GET', '/jobs/', '53-64'],
    ['GET', '/jobs/{id}', '53-64'],
    ['POST', '/jobs/{id}/cancel', '53-64'],
    ['GET', '/jobs/{id}/logs', '53,54,56,58-61,64'],
  ]),
  ...section('Failover', 'dumont', [
    ['GET', '/standby/status', '28'],
    ['POST', '/standby/configure', '28'],
    ['POST', '/standby/provision/{id}', '29-32,39-42'],
    ['GET', '/standby/associations/{id}', '28-32,39-42'],
    ['POST', '/standby/associations/{id}/start-sync', '29-32,39-42'],
    ['POST', '/standby/failover/simulate/{id}', '30-32,38-42'],
    ['GET', '/standby/failover/status/{failover_id}', '30-32,38-42'],
    ['POST', '/instances/{id}/failback', '32,41', 'stub'],
    ['POST', '/instances/{id}/recover', '38', 'stub'],
    ['GET', '/failover/readiness/{machine_id}', '30'],
    ['GET', '/warmpool/hosts', '33-37'],
    ['POST', '/warmpool/provision', '33-37'],
    ['GET', '/warmpool/status/{machine_id}', '33-37'],
    ['GET', '/warmpool/list', '33-37', 'extension'],
    ['POST', '/warmpool/failover/test/{machine_id}', '34'],
    ['DELETE', '/warmpool/cleanup/{machine_id}', '33-37'],
    ['GET', '/failover/regional-volume/list', '33-37'],
    ['GET', '/failover/regional-volume/{volume_id}', '33,36,37'],
    ['GET', '/failover/regional-volume/search/{region}', '33,36,37'],
    ['DELETE', '/failover/regional-volume/{volume_id}', '33-37'],
  ]),
];

/** Whether `route` is needed by scenario `id`. */
export function routeNeededBy(route: ContractRoute, id: number): boolean {
  return route.usedBy === 'all' || route.usedBy.includes(id);
}
