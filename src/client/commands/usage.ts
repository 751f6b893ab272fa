import { parseArgs, type ParseArgsConfig } from 'node:util';

/** Bad command-line input: reported as one line naming the flag and the value, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Flag definitions as `parseArgs` takes them. */
export type FlagDefinitions = NonNullable<ParseArgsConfig['options']>;

/**
 * Every set of flag definitions the commands parsed in this process, in order: the CLI's own definitions, from which
 * the hostile-input tests derive their table (so a new flag cannot escape them).
 */
export const flagSetsParsed: FlagDefinitions[] = [];

/** Flags whose value is a file or directory path. */
export const PATH_FLAGS: ReadonlySet<string> = new Set([
  'json',
  'junit',
  'html',
  'markdown',
  'out',
  'data-dir',
  'ready-file',
]);
/** Flags whose value is a name the user picks (a number-looking one such as `1e309` is a valid name). */
export const NAME_FLAGS: ReadonlySet<string> = new Set(['id', 'api-key', 'suite']);
/** Flags whose value is a secret: never echoed in an error. */
export const SECRET_FLAGS: ReadonlySet<string> = new Set(['api-key', 'user']);
/** The longest value any flag takes (PATH_MAX on Linux). */
export const MAX_FLAG_VALUE = 4096;

/** How a value is shown in an error: quoted, cut to 60 characters, or not at all for a secret. */
export function shown(flag: string, value: string): string {
  if (SECRET_FLAGS.has(flag)) return '(value not shown: it is a secret)';
  return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
}

/**
 * Checks every flag takes: no control characters (a newline or NUL is never meant), no value longer than
 * {@link MAX_FLAG_VALUE}, and no unexpanded shell syntax in a path (`$(…)`, `;`, `|`, `&`, `<`, `>`, a backquote, or
 * a leading `-`): a path like that is a quoting mistake, and the harness never runs a shell to expand it.
 */
function checkValue(flag: string, value: string): void {
  if (value.length > MAX_FLAG_VALUE) {
    throw new UsageError(`--${flag} ${shown(flag, value)} (${value.length} characters): longer than ${MAX_FLAG_VALUE}`);
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(value)) {
    throw new UsageError(`--${flag} ${shown(flag, value)}: contains a control character (a newline, a tab, NUL, …)`);
  }
  if (PATH_FLAGS.has(flag) && (/[$`;|&<>]/.test(value) || value.startsWith('-'))) {
    throw new UsageError(
      `--${flag} ${shown(flag, value)}: looks like shell syntax or a flag, not a path (paths may not contain $ \` ; | & < > or start with -)`
    );
  }
}

/**
 * `node:util` parseArgs with its errors turned into {@link UsageError}s, and the checks every string value gets
 * (see {@link checkValue}). Records the definitions in {@link flagSetsParsed}.
 */
export function parseFlags<T extends FlagDefinitions>(argv: string[], options: T, allowPositionals = false) {
  flagSetsParsed.push(options);
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message.split('\n')[0]);
  }
  for (const [flag, value] of Object.entries(parsed.values)) {
    for (const v of Array.isArray(value) ? value : [value]) if (typeof v === 'string') checkValue(flag, v);
  }
  for (const p of parsed.positionals) {
    // eslint-disable-next-line no-control-regex
    if (p.length > MAX_FLAG_VALUE || /[\u0000-\u001f\u007f]/.test(p)) {
      throw new UsageError(`argument ${shown('', p)}: too long or contains a control character`);
    }
  }
  return parsed;
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
