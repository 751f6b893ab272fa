import fs from 'node:fs';
import path from 'node:path';
import { isAlive } from './processes';
import { OperationalError } from '../operational-error';

/**
 * Runs `fn` holding the stack lock (a file with our pid, created exclusively), so two `stack up`/`down` never race
 * on the same ports and stack file. A lock whose owner died is stale and taken over.
 *
 * @throws Error naming the other command's pid while it is alive.
 */
export async function withStackLock<T>(lockFile: string, fn: () => Promise<T>): Promise<T> {
  fs.mkdirSync(path.dirname(lockFile), { recursive: true });
  for (let attempt = 0; ; attempt++) {
    try {
      fs.writeFileSync(lockFile, String(process.pid), { flag: 'wx' });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw lockError(lockFile, err);
      const owner = Number(readOrEmpty(lockFile));
      if (owner > 0 && isAlive(owner)) {
        throw new OperationalError(
          `another dumont-e2e stack command (pid ${owner}) holds ${lockFile}; wait for it to finish`,
          {
            cause: err,
          }
        );
      }
      fs.rmSync(lockFile, { force: true }); // stale: its owner is gone
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(lockFile, { force: true });
  }
}

function readOrEmpty(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    return '';
  }
}

function lockError(lockFile: string, err: unknown): Error {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'EEXIST'
    ? new Error(`another dumont-e2e stack command took ${lockFile} at the same moment; try again`)
    : (err as Error);
}
