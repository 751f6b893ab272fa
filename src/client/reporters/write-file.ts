import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

/**
 * Writes `text` to `file`, creating parent directories. The text goes to a sibling temp file first and is
 * renamed into place, so a CI job or browser never reads a half-written report. Resolves to the absolute path.
 */
export async function writeTextFile(file: string, text: string): Promise<string> {
  const target = resolve(file);
  await mkdir(dirname(target), { recursive: true });
  const temp = `${target}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(temp, text, 'utf8');
  await rename(temp, target);
  return target;
}
