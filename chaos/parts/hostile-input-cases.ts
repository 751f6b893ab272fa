/**
 * The hostile command-line input table (docs/hostile.md), shared by `npm test` (tests/hostile/hostile-input) and the
 * chaos part (`./hostile-input.ts`): every command the CLI lists, every flag its parser defines (recorded by
 * `parseFlags` while the command parses `--help`), each given hostile values. The CLI runs in this process through
 * the tsx hook bin/dumont-e2e.cjs uses, so the table costs no process per case.
 */
import { createRequire } from 'node:module';

const req = createRequire(__filename);
req('tsx/cjs/api').register();
const cli = req('../../src/client/cli.ts') as typeof import('../../src/client/cli');
const usage = req('../../src/client/commands/usage.ts') as typeof import('../../src/client/commands/usage');

export { cli, usage };

/** Subcommands that parse their own flags; every other command parses once, right after its name. */
export const SUBCOMMANDS: Record<string, string[][]> = {
  stack: [['up'], ['down'], ['status']],
  sim: [[], ['state']],
  schedule: [['create']],
};

/** What one CLI call did. */
export interface CliResult {
  code: number;
  stderr: string;
  stdout: string;
}

/** Runs `dumont-e2e ...args` in this process; a call that does not return within 20 s accepted its input. */
export async function cliRun(args: string[]): Promise<CliResult> {
  let stderr = '';
  let stdout = '';
  const writeErr = process.stderr.write.bind(process.stderr);
  const writeOut = process.stdout.write.bind(process.stdout);
  process.stderr.write = ((chunk: string | Uint8Array) => (
    (stderr += String(chunk)),
    true
  )) as typeof process.stderr.write;
  process.stdout.write = ((chunk: string | Uint8Array) => (
    (stdout += String(chunk)),
    true
  )) as typeof process.stdout.write;
  let timer: NodeJS.Timeout | undefined;
  try {
    const code = await Promise.race([
      cli.main(args),
      new Promise<number>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`dumont-e2e ${args.join(' ')} did not return: it accepted the input`)),
          20_000
        );
      }),
    ]);
    return { code, stderr, stdout };
  } finally {
    clearTimeout(timer);
    process.stderr.write = writeErr;
    process.stdout.write = writeOut;
  }
}

/** One command line the CLI parses flags for, with the flags its parser defines. */
export interface Invocation {
  prefix: string[];
  flags: Record<string, { type: string }>;
}

/** Every command (and subcommand) with its flags, read from the definitions its parser is given. */
export async function invocations(): Promise<Invocation[]> {
  const out: Invocation[] = [];
  for (const name of cli.COMMAND_NAMES) {
    for (const sub of SUBCOMMANDS[name] ?? [[]]) {
      const prefix = [name, ...sub];
      usage.flagSetsParsed.length = 0;
      const res = await cliRun([...prefix, '--help']);
      if (res.code !== 0) throw new Error(`dumont-e2e ${prefix.join(' ')} --help exited ${res.code}: ${res.stderr}`);
      out.push({ prefix, flags: Object.assign({}, ...usage.flagSetsParsed) as Invocation['flags'] });
    }
  }
  return out;
}

/** Hostile values for a string flag; `forNames: false` ones are valid paths and names ('1e309' may name a file). */
export function hostileValues(marker: string): { name: string; value: string; forNames: boolean }[] {
  return [
    { name: 'negative number', value: '-1', forNames: true },
    { name: 'huge number', value: '1e309', forNames: false },
    { name: 'huge value', value: '9'.repeat(usage.MAX_FLAG_VALUE + 1), forNames: true },
    { name: 'wrong type', value: 'NaN', forNames: false },
    { name: 'command substitution', value: `$(touch ${marker})`, forNames: true },
    { name: 'shell separator', value: `; touch ${marker} #`, forNames: true },
    { name: 'SQL-looking', value: "' OR '1'='1", forNames: false },
    { name: 'control character', value: 'line\nbreak', forNames: true },
  ];
}

/** One hostile case: the command line and why it is hostile. */
export interface HostileCase {
  args: string[];
  flag: string;
  /** The value to find in the error (undefined: the flag alone must be named). */
  value?: string;
  what: string;
}

/** Every hostile case of the table: unknown flags, booleans given values, and each string flag's hostile values. */
export function hostileCases(all: Invocation[], marker: string): HostileCase[] {
  const cases: HostileCase[] = [];
  for (const { prefix, flags } of all) {
    cases.push({ args: [...prefix, '--no-such-flag=1'], flag: 'no-such-flag', what: 'unknown flag' });
    for (const [flag, def] of Object.entries(flags)) {
      if (flag === 'help') continue;
      if (def.type === 'boolean') {
        cases.push({ args: [...prefix, `--${flag}=yes`], flag: `--${flag}`, what: 'a value for a switch' });
        continue;
      }
      const isName = usage.PATH_FLAGS.has(flag) || usage.NAME_FLAGS.has(flag);
      for (const h of hostileValues(marker)) {
        if (isName && !h.forNames) continue;
        cases.push({ args: [...prefix, `--${flag}=${h.value}`], flag: `--${flag}`, value: h.value, what: h.name });
      }
    }
  }
  return cases;
}

/**
 * Why a result is not a proper refusal, or undefined when it is: exit 2, one stderr line, no stack frame, naming
 * the flag and the value (a secret's value never).
 */
export function refusalProblem(res: CliResult, c: HostileCase): string | undefined {
  const lines = res.stderr.trim().split('\n');
  if (res.code !== 2) return `exit ${res.code}, not 2: ${res.stderr.trim() || res.stdout.trim()}`;
  if (/^\s+at /m.test(res.stderr)) return `a stack trace: ${res.stderr}`;
  if (lines.length !== 1) return `${lines.length} lines, not one: ${res.stderr}`;
  const line = lines[0]!;
  if (!line.includes(c.flag)) return `does not name ${c.flag}: ${line}`;
  if (c.value === undefined) return undefined;
  const bare = c.flag.replace(/^--/, '');
  if (usage.SECRET_FLAGS.has(bare))
    return line.includes(c.value.slice(0, 8)) ? `echoes the secret: ${line}` : undefined;
  const raw = c.value.slice(0, 8);
  const quoted = JSON.stringify(c.value).slice(1, 9);
  return line.includes(raw) || line.includes(quoted) ? undefined : `does not name the value ${quoted}: ${line}`;
}
