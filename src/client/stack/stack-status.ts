import { isOurProcess, isPortOpen } from './processes';
import { SIM_MARKERS, simAnswers } from './sim-process';
import { resolveStackConfig } from './stack-config';
import { readStackFile } from './stack-file';
import { isTemporalServer, splitAddress, TEMPORAL_MARKERS } from './temporal-server';
import { WORKER_MARKERS } from './worker-process';

/** One line of `stack status`. */
export interface StackStatus {
  dataDir: string;
  temporal: { address: string; uiUrl: string | null; pid: number | null; running: boolean; startedByUs: boolean };
  sim: {
    vastUrl: string | null;
    dumontUrl: string | null;
    pid: number | null;
    running: boolean;
    /** The recorded simulator's profile (null when none is recorded). */
    profile: string | null;
  };
  worker: { pid: number | null; running: boolean };
}

/** Options of `stackDown` (stack.ts) and {@link stackStatus}. */
export interface StackLocateOptions {
  /** Default `DUMONT_E2E_DATA_DIR`, then `<repo>/.data`. */
  dataDir?: string;
  log?: (line: string) => void;
}

/** Each component's state, address and pid, checked live (pid alive and still ours, port answering). */
export async function stackStatus(opts: StackLocateOptions = {}): Promise<StackStatus> {
  const cfg = resolveStackConfig({ dataDir: opts.dataDir });
  const state = readStackFile(cfg.stackFile);
  const t = state?.temporal;
  const s = state?.sim;
  const w = state?.worker;

  let temporalRunning = false;
  if (t?.startedByUs) {
    const [host, port] = splitAddress(t.address);
    temporalRunning = isOurProcess(t.pid, TEMPORAL_MARKERS) && (await isPortOpen(host, port));
  } else if (t) {
    temporalRunning = await isTemporalServer(t.address);
  }
  const simRunning = s ? isOurProcess(s.pid, SIM_MARKERS) && (await simAnswers(s)) : false;
  const workerRunning = w ? isOurProcess(w.pid, WORKER_MARKERS) : false;

  return {
    dataDir: cfg.dataDir,
    temporal: {
      address: t?.address ?? cfg.temporalAddress,
      uiUrl: t ? t.uiUrl : cfg.uiUrl,
      pid: t?.pid ?? null,
      running: temporalRunning,
      startedByUs: t?.startedByUs ?? false,
    },
    sim: {
      vastUrl: s?.vastUrl ?? null,
      dumontUrl: s?.dumontUrl ?? null,
      pid: s?.pid ?? null,
      running: simRunning,
      profile: s?.profile ?? null,
    },
    worker: { pid: w?.pid ?? null, running: workerRunning },
  };
}
