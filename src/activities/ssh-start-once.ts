/**
 * The shell side of "start at most once": a POSIX sh script that claims a marker directory with `mkdir` (atomic:
 * exactly one session wins), starts the command detached in it with its output and exit code in files, and then
 * waits a while for the code. Any later session running the same script finds the marker and only waits. The
 * command travels base64-encoded so that no quoting of it can break the wrapper.
 */

const MARK = '__dumont_e2e_run__';

export function startOnceScript(runKey: string, command: string, waitSeconds: number, maxOutput: number): string {
  if (!/^[A-Za-z0-9._-]{1,80}$/.test(runKey)) throw new Error(`invalid run key ${JSON.stringify(runKey)}`);
  const b64 = Buffer.from(command, 'utf8').toString('base64');
  const ticks = Math.max(1, Math.round(waitSeconds * 10));
  return [
    `d="$HOME/.dumont-e2e/runs/${runKey}"`,
    'mkdir -p "$HOME/.dumont-e2e/runs"',
    'if mkdir "$d" 2>/dev/null; then',
    `  printf '%s' '${b64}' | base64 -d > "$d/cmd.sh"`,
    // nohup + all three descriptors redirected: the command outlives a dropped session, as on any Linux host.
    '  nohup sh -c \'bash "$1/cmd.sh" > "$1/out" 2> "$1/err" < /dev/null; echo $? > "$1/code.tmp"; mv "$1/code.tmp" "$1/code"\' sh "$d" > /dev/null 2>&1 < /dev/null &',
    'fi',
    'i=0',
    `while [ ! -f "$d/code" ] && [ $i -lt ${ticks} ]; do sleep 0.1; i=$((i+1)); done`,
    'if [ -f "$d/code" ]; then',
    `  echo "${MARK} done $(cat "$d/code")"`,
    `  echo "${MARK} out $(tail -c ${maxOutput} "$d/out" | base64 | tr -d '\\n')"`,
    `  echo "${MARK} err $(tail -c ${maxOutput} "$d/err" | base64 | tr -d '\\n')"`,
    'else',
    `  echo "${MARK} running"`,
    'fi',
  ].join('\n');
}

export type StartOnceAnswer =
  { state: 'done'; code: number; stdout: string; stderr: string } | { state: 'running' } | { state: 'invalid' };

export function parseStartOnceOutput(stdout: string): StartOnceAnswer {
  const lines = stdout.split('\n').filter((l) => l.startsWith(MARK));
  const field = (name: string) =>
    lines.find((l) => l.startsWith(`${MARK} ${name}`))?.slice(MARK.length + name.length + 2);
  if (lines.some((l) => l === `${MARK} running`)) return { state: 'running' };
  const code = field('done');
  if (code === undefined || !/^-?\d+$/.test(code.trim())) return { state: 'invalid' };
  const decode = (b64: string | undefined) => Buffer.from(b64 ?? '', 'base64').toString('utf8');
  return { state: 'done', code: Number(code.trim()), stdout: decode(field('out')), stderr: decode(field('err')) };
}
