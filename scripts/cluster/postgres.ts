import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
  isPortOpen,
  spawnDetached,
  stopProcess,
  waitForProcess,
  type SpawnedProcess,
} from '../../src/client/stack/processes';
import { MIN_POSTGRES_MAJOR } from './versions';

/** A private PostgreSQL on loopback, started by {@link startPostgres}. */
export interface Postgres {
  port: number;
  user: string;
  /** Random per cluster; lives only in the server's config file and the schema tool's environment. */
  password: string;
  proc: SpawnedProcess;
}

const PG_BIN_CANDIDATES = ['/usr/local/bin', '/usr/lib/postgresql'];
const INSTALL_HINT =
  'install PostgreSQL ≥ 12 (Debian/Ubuntu: apt-get install -y postgresql; it need not run as a service) or put ' +
  'its bin directory (initdb, postgres) on PATH';

/** The directory holding `initdb` and `postgres`: PATH first, then /usr/local/bin, then Debian's newest version. */
export function findPostgresBin(env: NodeJS.ProcessEnv = process.env): string {
  const dirs = (env.PATH ?? '').split(path.delimiter).filter(Boolean);
  dirs.push(PG_BIN_CANDIDATES[0]!);
  const debian = PG_BIN_CANDIDATES[1]!;
  if (fs.existsSync(debian)) {
    const versions = fs.readdirSync(debian).filter((v) => /^\d+$/.test(v));
    versions.sort((a, b) => Number(b) - Number(a));
    dirs.push(...versions.map((v) => path.join(debian, v, 'bin')));
  }
  const dir = dirs.find((d) => fs.existsSync(path.join(d, 'initdb')) && fs.existsSync(path.join(d, 'postgres')));
  if (!dir) throw new Error(`PostgreSQL not found (initdb and postgres): ${INSTALL_HINT}`);
  return dir;
}

/** The major version in `postgres --version` output, e.g. 15 from "postgres (PostgreSQL) 15.18 (Debian ...)". */
export function postgresMajor(versionLine: string): number {
  const m = /\(PostgreSQL\)\s+(\d+)/.exec(versionLine);
  if (!m) throw new Error(`cannot read the PostgreSQL version from ${JSON.stringify(versionLine)}`);
  return Number(m[1]);
}

/**
 * PostgreSQL refuses to run as root: as root, commands run as the `postgres` system user (Debian's package creates
 * it) through `setpriv`; otherwise as ourselves.
 */
function runAs(): { wrap: (cmd: string, args: string[]) => [string, string[]]; uid?: number; gid?: number } {
  if (process.getuid?.() !== 0) return { wrap: (cmd, args) => [cmd, args] };
  let uid: number;
  let gid: number;
  try {
    uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  } catch {
    throw new Error(
      `running as root, PostgreSQL needs an unprivileged 'postgres' user: ${INSTALL_HINT}, or run as a non-root user`
    );
  }
  const wrap = (cmd: string, args: string[]): [string, string[]] => [
    'setpriv',
    ['--reuid', String(uid), '--regid', String(gid), '--clear-groups', cmd, ...args],
  ];
  return { wrap, uid, gid };
}

/**
 * Creates a cluster in `dataDir` (which must not exist; its parent must be traversable by the postgres user) with
 * password authentication only, and starts it on `127.0.0.1:port`, no other address, its socket inside `dataDir`.
 * Tuned for a throwaway test database: no fsync (a crash of the machine loses it, a crash of Temporal does not).
 */
export async function startPostgres(opts: { dataDir: string; port: number; logsDir: string }): Promise<Postgres> {
  const bin = findPostgresBin();
  const version = execFileSync(path.join(bin, 'postgres'), ['--version'], { encoding: 'utf8' }).trim();
  if (postgresMajor(version) < MIN_POSTGRES_MAJOR) {
    throw new Error(`${version} is too old: Temporal's postgres12 plugin needs PostgreSQL ≥ ${MIN_POSTGRES_MAJOR}`);
  }
  const as = runAs();
  const user = 'temporal';
  const password = crypto.randomBytes(18).toString('base64url');
  fs.mkdirSync(opts.dataDir, { mode: 0o700 });
  const pwFile = path.join(opts.dataDir, '.pw');
  fs.writeFileSync(pwFile, `${password}\n`, { mode: 0o600 });
  const pgData = path.join(opts.dataDir, 'pgdata');
  if (as.uid !== undefined) (fs.chownSync(opts.dataDir, as.uid, as.gid!), fs.chownSync(pwFile, as.uid, as.gid!));
  const [initCmd, initArgs] = as.wrap(path.join(bin, 'initdb'), [
    '-D',
    pgData,
    '-U',
    user,
    '--pwfile',
    pwFile,
    '--auth',
    'scram-sha-256',
    '-E',
    'UTF8',
    '--locale',
    'C',
    '--no-sync',
  ]);
  try {
    execFileSync(initCmd, initArgs, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    throw new Error(`initdb failed: ${String((err as { stderr?: string }).stderr ?? err).trim()}`);
  } finally {
    fs.rmSync(pwFile, { force: true });
  }
  const [cmd, args] = as.wrap(path.join(bin, 'postgres'), [
    '-D',
    pgData,
    '-p',
    String(opts.port),
    '-k',
    opts.dataDir,
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    'max_connections=300',
    '-c',
    'fsync=off',
    '-c',
    'synchronous_commit=off',
    '-c',
    'full_page_writes=off',
  ]);
  const proc = spawnDetached({
    name: 'postgres',
    command: cmd,
    args,
    logsDir: opts.logsDir,
    cwd: opts.dataDir,
    env: { PATH: process.env.PATH ?? '' },
  });
  try {
    await waitForProcess(
      'postgres',
      proc,
      `127.0.0.1:${opts.port}`,
      async () => ((await isPortOpen('127.0.0.1', opts.port)) ? true : undefined),
      60_000
    );
  } catch (err) {
    await stopProcess(proc.pid, 0).catch(() => undefined);
    throw err;
  }
  return { port: opts.port, user, password, proc };
}

/** Fast shutdown (SIGINT: disconnect clients, checkpoint), then SIGKILL after 20 s. */
export async function stopPostgres(pg: Postgres): Promise<void> {
  try {
    process.kill(pg.proc.pid, 'SIGINT');
  } catch {
    return;
  }
  await stopProcess(pg.proc.pid, 20_000);
}
