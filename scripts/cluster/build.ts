import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { TEMPORAL_SERVER_MODULE, TEMPORAL_SERVER_VERSION } from './versions';

/** The two binaries the cluster needs, built from {@link TEMPORAL_SERVER_MODULE}. */
export interface ClusterBinaries {
  server: string;
  sqlTool: string;
}

/** Where the binaries of `version` are cached: `<repo>/.tools/cluster/v<version>/bin`. */
export function binariesDir(repoRoot: string, version = TEMPORAL_SERVER_VERSION): string {
  return path.join(repoRoot, '.tools', 'cluster', `v${version}`, 'bin');
}

/** The `go install` arguments that build the server and its SQL schema tool at `version`. */
export function goInstallArgs(version = TEMPORAL_SERVER_VERSION): string[] {
  return [
    'install',
    '-trimpath',
    `${TEMPORAL_SERVER_MODULE}/cmd/server@v${version}`,
    `${TEMPORAL_SERVER_MODULE}/cmd/tools/sql@v${version}`,
  ];
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function goVersion(): string {
  try {
    return execFileSync('go', ['version'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error(
      'go not found on PATH: the cluster builds the Temporal server from its Go module. Install Go ≥ 1.26.8 ' +
        '(https://go.dev/dl, or your package manager when it has that version; with GOTOOLCHAIN=auto an older ' +
        'Go ≥ 1.21 fetches the right toolchain from the Go proxy)'
    );
  }
}

/**
 * The cached binaries, or builds them once with the machine's Go (niced: it is minutes of CPU on two cores). The
 * build's output goes to `logFile`; `log` gets one line per minute while it runs. Needs the Go module proxy (or a
 * filled module cache); never called by `npm test`.
 *
 * @throws Error naming the log file when the build fails.
 */
export async function ensureBinaries(opts: {
  repoRoot: string;
  logFile: string;
  log: (line: string) => void;
  version?: string;
}): Promise<ClusterBinaries> {
  const version = opts.version ?? TEMPORAL_SERVER_VERSION;
  const dir = binariesDir(opts.repoRoot, version);
  const bins = { server: path.join(dir, 'temporal-server'), sqlTool: path.join(dir, 'temporal-sql-tool') };
  if (isExecutable(bins.server) && isExecutable(bins.sqlTool)) {
    opts.log(`temporal server v${version}: cached in ${path.relative(opts.repoRoot, dir)}`);
    return bins;
  }
  const go = goVersion();
  const staging = `${dir}.staging`;
  fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(staging, { recursive: true });
  fs.mkdirSync(path.dirname(opts.logFile), { recursive: true });
  opts.log(`temporal server v${version}: building with ${go} (minutes on 2 cores; log ${opts.logFile})`);
  const out = fs.openSync(opts.logFile, 'a');
  const started = Date.now();
  const code = await new Promise<number | null>((resolve, reject) => {
    // nice: the build must not starve whatever else runs on the machine.
    const child = spawn('nice', ['-n', '15', 'go', ...goInstallArgs(version)], {
      cwd: staging, // outside any module: `go install m@v` builds exactly the module's own go.sum
      env: { ...process.env, GOBIN: staging, GOFLAGS: '-buildvcs=false' },
      stdio: ['ignore', out, out],
    });
    const ticker = setInterval(
      () => opts.log(`  still building (${Math.round((Date.now() - started) / 60_000)} min)`),
      60_000
    );
    child.once('error', reject);
    child.once('exit', (c) => {
      clearInterval(ticker);
      resolve(c);
    });
  }).finally(() => fs.closeSync(out));
  if (code !== 0) throw new Error(`go install exited ${code}; see ${opts.logFile}`);
  fs.mkdirSync(dir, { recursive: true });
  fs.renameSync(path.join(staging, 'sql'), bins.sqlTool);
  fs.renameSync(path.join(staging, 'server'), bins.server); // last: its presence means the pair is complete
  fs.rmSync(staging, { recursive: true, force: true });
  opts.log(`temporal server v${version}: built in ${Math.round((Date.now() - started) / 1000)} s`);
  return bins;
}
