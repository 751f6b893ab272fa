import { stringify } from 'yaml';
import { SQL_PLUGIN } from './versions';

/** The ports of one single-process server: gRPC and membership for each of its four services, HTTP on the frontend. */
export interface ServerPorts {
  frontend: number;
  frontendHttp: number;
  frontendMembership: number;
  history: number;
  historyMembership: number;
  matching: number;
  matchingMembership: number;
  worker: number;
  workerMembership: number;
}

/** How many ports {@link ServerPorts} holds (allocate that many free ports). */
export const SERVER_PORT_COUNT = 9;

/** Ports in {@link ServerPorts} order from a list of free ones. */
export function serverPorts(free: number[]): ServerPorts {
  if (free.length < SERVER_PORT_COUNT) throw new Error(`need ${SERVER_PORT_COUNT} ports, got ${free.length}`);
  const [
    frontend,
    frontendHttp,
    frontendMembership,
    history,
    historyMembership,
    matching,
    matchingMembership,
    worker,
    workerMembership,
  ] = free as [number, number, number, number, number, number, number, number, number];
  return {
    frontend,
    frontendHttp,
    frontendMembership,
    history,
    historyMembership,
    matching,
    matchingMembership,
    worker,
    workerMembership,
  };
}

function sqlStore(database: string, pg: { port: number; user: string; password: string }, maxConns: number) {
  return {
    sql: {
      pluginName: SQL_PLUGIN,
      databaseName: database,
      connectAddr: `127.0.0.1:${pg.port}`,
      connectProtocol: 'tcp',
      user: pg.user,
      password: pg.password,
      maxConns,
      maxIdleConns: maxConns,
      maxConnLifetime: '1h',
    },
  };
}

/**
 * The server's static config (Temporal's `config/development-postgres12.yaml`, on our ports, loopback only): all four
 * services in one process, PostgreSQL for persistence and for visibility (which keeps custom search attributes), no
 * archival, no metrics or pprof listeners. Holds the database password: write it with mode 0600.
 */
export function renderServerConfig(opts: {
  ports: ServerPorts;
  pg: { port: number; user: string; password: string };
  dynamicConfigFile: string;
  numHistoryShards?: number;
}): string {
  const p = opts.ports;
  const rpc = (grpcPort: number, membershipPort: number, extra: Record<string, number> = {}) => ({
    rpc: { grpcPort, membershipPort, bindOnIP: '127.0.0.1', ...extra },
  });
  return stringify({
    log: { stdout: true, level: 'warn' },
    persistence: {
      defaultStore: 'postgres-default',
      visibilityStore: 'postgres-visibility',
      numHistoryShards: opts.numHistoryShards ?? 4,
      datastores: {
        // Four services share one process, each with its own pools: PostgreSQL is started with room for all of them.
        'postgres-default': sqlStore('temporal', opts.pg, 20),
        'postgres-visibility': sqlStore('temporal_visibility', opts.pg, 10),
      },
    },
    global: { membership: { maxJoinDuration: '30s', broadcastAddress: '127.0.0.1' } },
    services: {
      frontend: rpc(p.frontend, p.frontendMembership, { httpPort: p.frontendHttp }),
      history: rpc(p.history, p.historyMembership),
      matching: rpc(p.matching, p.matchingMembership),
      worker: rpc(p.worker, p.workerMembership),
    },
    clusterMetadata: {
      enableGlobalNamespace: false,
      failoverVersionIncrement: 10,
      masterClusterName: 'active',
      currentClusterName: 'active',
      clusterInformation: {
        active: {
          enabled: true,
          initialFailoverVersion: 1,
          rpcName: 'frontend',
          rpcAddress: `127.0.0.1:${p.frontend}`,
        },
      },
    },
    dcRedirectionPolicy: { policy: 'noop' },
    dynamicConfigClient: { filepath: opts.dynamicConfigFile, pollInterval: '10s' },
  });
}

/**
 * Dynamic config: search attributes registered a moment ago are usable at once (as on the dev server), and a new
 * namespace is seen by every service within a second instead of ten.
 */
export function renderDynamicConfig(): string {
  return stringify({
    'system.forceSearchAttributesCacheRefreshOnRead': [{ value: true }],
    'system.namespaceCacheRefreshInterval': [{ value: '1s' }],
  });
}
