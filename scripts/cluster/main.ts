/**
 * `npm run cluster`: the suite on a real Temporal deployment (server built from Go + PostgreSQL + several workers), with
 * a worker SIGKILL and a server crash-restart mid-run. See CLUSTER_HELP and docs/operations.md § Real cluster.
 */
import type { ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isAlive, stopProcess, type SpawnedProcess } from '../../src/client/stack/processes';
import { summarize } from '../../src/client/reporters/summary';
import { REPO_ROOT } from '../../src/client/stack/stack-config';
import { ensureBinaries } from './build';
import { disruptMidRun, type Cluster } from './disrupt';
import { CLUSTER_HELP, parseClusterFlags, type ClusterOptions } from './flags';
import { clusterClient, histories, simAlive, suiteResult, suiteWorkflows } from './gather';
import { startClusterSim, startClusterWorker } from './harness-processes';
import { freePorts } from './ports';
import { startPostgres, stopPostgres, type Postgres } from './postgres';
import { setupSchemas } from './schema';
import { startServer, setupNamespace, waitForServer, writePrivate } from './server';
import { renderDynamicConfig, renderServerConfig, SERVER_PORT_COUNT, serverPorts } from './server-config';
import { startSuiteRun } from './suite-run';
import { printSummary } from './summary';
import { clusterVerdict, tasksStartedAfter, workerShares } from './verdict';
import { TEMPORAL_SERVER_VERSION } from './versions';

const log = (line: string): void => void process.stdout.write(`${line}\n`);

async function runCluster(opts: ClusterOptions): Promise<number> {
  const startedAt = Date.now();
  const outDir = path.join(REPO_ROOT, 'reports', 'cluster');
  const logsDir = path.join(outDir, 'logs');
  fs.rmSync(outDir, { recursive: true, force: true });
  fs.mkdirSync(logsDir, { recursive: true });
  const bins = await ensureBinaries({
    repoRoot: REPO_ROOT,
    logFile: path.join(REPO_ROOT, '.tools', 'cluster', 'build.log'),
    log,
  });
  if (opts.buildOnly) return 0;

  // Traversable (not listable) by the postgres user, which owns the database directory inside.
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'dumont-e2e-cluster-'));
  fs.chmodSync(work, 0o711);
  const started: SpawnedProcess[] = [];
  let pg: Postgres | undefined;
  let runChild: ChildProcess | undefined;
  const cleanup = async (): Promise<void> => {
    // A run still going means we failed mid-way: it goes with the cluster it was watching.
    if (runChild && runChild.exitCode === null && runChild.signalCode === null) runChild.kill('SIGKILL');
    for (const p of started.reverse()) if (isAlive(p.pid)) await stopProcess(p.pid, 30_000).catch(() => undefined);
    if (pg) await stopPostgres(pg).catch(() => undefined);
    if (opts.keep) log(`kept the data dir: ${work}`);
    else fs.rmSync(work, { recursive: true, force: true });
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    log(`${signal}: stopping the cluster`);
    void cleanup().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', onSignal).once('SIGTERM', onSignal);
  try {
    const free = await freePorts(SERVER_PORT_COUNT + 1);
    const ports = serverPorts(free.slice(1));
    const address = `127.0.0.1:${ports.frontend}`;
    log(`postgres: 127.0.0.1:${free[0]}, data in ${work}/pg`);
    pg = await startPostgres({ dataDir: path.join(work, 'pg'), port: free[0]!, logsDir });
    await setupSchemas(bins.sqlTool, pg, log);
    const dynamicConfigFile = path.join(work, 'dynamicconfig.yaml');
    const configFile = path.join(work, 'temporal-server.yaml');
    writePrivate(dynamicConfigFile, renderDynamicConfig());
    writePrivate(configFile, renderServerConfig({ ports, pg, dynamicConfigFile }));
    const serverOpts = { binary: bins.server, configFile, address, logsDir };
    const server = startServer(serverOpts);
    started.push(server);
    await waitForServer(server, address);
    log(`temporal server v${TEMPORAL_SERVER_VERSION}: ${address} (pid ${server.pid})`);
    await setupNamespace(address, log);

    const sim = await startClusterSim({ dir: work, logsDir, timeScale: opts.timeScale });
    started.push(sim.proc);
    log(`simulator: ${sim.dumontUrl} (dumont), ${sim.vastUrl} (vast)`);
    const keySecret = crypto.randomBytes(32).toString('hex'); // shared by every worker, as in a deployment
    const workerOpts = (name: string) => ({ name, dir: work, logsDir, temporalAddress: address, sim, keySecret });
    const names = Array.from({ length: opts.workers }, (_, i) => `worker-${i + 1}`);
    const starts = await Promise.allSettled(names.map((n) => startClusterWorker(workerOpts(n))));
    const workers = starts.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    started.push(...workers.map((w) => w.proc)); // before failing: the ones that did start are stopped too
    const failedStart = starts.find((r) => r.status === 'rejected');
    if (failedStart) throw failedStart.reason;
    const nameByIdentity = new Map(workers.map((w) => [`${w.proc.pid}@${os.hostname()}`, w.name]));
    log(`workers: ${workers.map((w) => `${w.name} (pid ${w.proc.pid})`).join(', ')}`);

    const cluster: Cluster = {
      address,
      server,
      restartServer: async () => {
        const next = startServer(serverOpts);
        started.push(next);
        await waitForServer(next, address);
        return next;
      },
      restartWorker: async (name) => {
        const w = await startClusterWorker(workerOpts(name));
        started.push(w.proc);
        nameByIdentity.set(`${w.proc.pid}@${os.hostname()}`, name);
        return w;
      },
      workers,
    };
    const run = startSuiteRun({
      address,
      select: opts.select,
      maxParallel: opts.maxParallel,
      timeScale: opts.timeScale,
      reportsDir: outDir,
      logFile: path.join(logsDir, 'run.log'),
    });
    runChild = run.child;
    const suiteId = await run.suiteId;
    const { client, close } = await clusterClient(address);
    try {
      const disruptions = await disruptMidRun({ cluster, client, suiteId, run, log });
      const runExit = await run.exit;
      const result = await suiteResult(client, suiteId, 30 * 60_000);
      const ids = await suiteWorkflows(client, suiteId);
      const events = await histories(client, ids);
      const shares = workerShares(events, (identity) => nameByIdentity.get(identity) ?? identity);
      const restart = disruptions.find((d) => d.what === 'server restart');
      const tasksAfterRestart = restart ? tasksStartedAfter(events, restart.atMs) : 0;
      const verdict = clusterVerdict({
        selected: opts.selected,
        results: result.scenarios,
        stillRunning: (await suiteWorkflows(client, suiteId, 'Running')).length,
        reportedLeaks: summarize(result).leaked,
        simAlive: await simAlive(sim),
        workers: names,
        shares,
        disruptions,
        requiredDisruptions: ['worker SIGKILL', 'server restart'],
        runExit,
        tasksAfterRestart,
      });
      const wallMs = Date.now() - startedAt;
      printSummary({
        log,
        suiteId,
        runExit,
        verdict,
        shares,
        disruptions,
        workflows: ids.length,
        tasksAfterRestart,
        wallMs,
        outDir,
      });
      fs.writeFileSync(
        path.join(outDir, 'summary.json'),
        JSON.stringify(
          {
            suiteId,
            select: opts.select,
            runExit,
            ...verdict,
            disruptions,
            tasksAfterRestart,
            wallMs,
            shares: Object.fromEntries([...shares].map(([k, v]) => [k, { ...v, workflows: v.workflows.size }])),
          },
          null,
          2
        )
      );
      return verdict.problems.length === 0 ? 0 : 1;
    } finally {
      await close();
    }
  } finally {
    process.removeListener('SIGINT', onSignal).removeListener('SIGTERM', onSignal);
    await cleanup();
  }
}

async function main(): Promise<number> {
  let opts: ClusterOptions;
  try {
    opts = parseClusterFlags(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`cluster: ${(err as Error).message}\n`);
    return 2;
  }
  if (opts.help) {
    process.stdout.write(CLUSTER_HELP);
    return 0;
  }
  return runCluster(opts);
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`cluster: ${(err as Error).message}\n`);
    process.exit(/not found|too old|needs an unprivileged/.test((err as Error).message) ? 2 : 1);
  }
);
