import { parseArgs, type ParseArgsConfig } from 'node:util';

/** Bad command-line input: reported as one line naming the flag and the value, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** `node:util` parseArgs with its errors turned into {@link UsageError}s. */
export function parseFlags<T extends ParseArgsConfig['options']>(argv: string[], options: T, allowPositionals = false) {
  try {
    return parseArgs({ args: argv, options, allowPositionals, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message.split('\n')[0]);
  }
}

export function intFlag(name: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new UsageError(`--${name} ${JSON.stringify(value)}: expected an integer in [${min}, ${max}]`);
  return n;
}

export function numberFlag(
  name: string,
  value: string | undefined,
  min: number,
  max: number,
  minExclusive = false
): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n > max || (minExclusive ? n <= min : n < min)) {
    throw new UsageError(
      `--${name} ${JSON.stringify(value)}: expected a number in ${minExclusive ? '(' : '['}${min}, ${max}]`
    );
  }
  return n;
}

/** `--target`: `sim` (default) or `dumont`. */
export function targetFlag(value: string | undefined): 'sim' | 'dumont' {
  const target = value ?? 'sim';
  if (target !== 'sim' && target !== 'dumont')
    throw new UsageError(`--target ${JSON.stringify(value)}: expected sim or dumont`);
  return target;
}
