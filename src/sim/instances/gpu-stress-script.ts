/**
 * A machine's `gpu-stress [SECONDS] [PERCENT]`: a Node script (run with the simulator's own `node`) that
 * keeps the instance's GPUs PERCENT busy for SECONDS real seconds. It burns a little CPU and registers
 * itself as `var/gpu-stress/<pid>` (`<percent> <starttime>`, the start time from `/proc/<pid>/stat`, so a
 * reused pid never counts); `nvidia-smi` and {@link gpuUtilization} count only registrations whose process is
 * alive. A normal end, SIGTERM, SIGINT or SIGHUP removes the file; after SIGKILL (pause, destroy) the stale
 * file stays and simply no longer counts.
 */

/** The script; argv[2] is the registration directory, the user's arguments follow. */
export const GPU_STRESS_SCRIPT = String.raw`'use strict';
const fs = require('fs');
const path = require('path');

const dir = process.argv[2];
const args = process.argv.slice(3);
const usage = 'usage: gpu-stress [SECONDS] [PERCENT]   (defaults: 60 seconds, 100 percent)';
if (args.includes('-h') || args.includes('--help')) {
  console.log(usage);
  process.exit(0);
}
const seconds = args[0] === undefined ? 60 : Number(args[0]);
const percent = args[1] === undefined ? 100 : Number(args[1]);
if (args.length > 2 || !Number.isFinite(seconds) || seconds < 0 || !Number.isInteger(percent) || percent < 0 || percent > 100) {
  console.error(usage);
  process.exit(2);
}

function startTime(pid) {
  try {
    const stat = fs.readFileSync('/proc/' + pid + '/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[0] === 'Z' ? null : fields[19];
  } catch {
    return null;
  }
}

process.title = 'gpu-stress';
fs.mkdirSync(dir, { recursive: true });
// Forget registrations of processes that are gone (killed ones leave their file behind).
for (const name of fs.readdirSync(dir)) {
  if (!/^[0-9]+$/.test(name)) continue;
  try {
    const started = fs.readFileSync(path.join(dir, name), 'utf8').trim().split(' ')[1];
    if (startTime(name) !== started) fs.unlinkSync(path.join(dir, name));
  } catch {
    // Raced with its owner removing it.
  }
}
const file = path.join(dir, String(process.pid));
const tmp = file + '.tmp';
fs.writeFileSync(tmp, percent + ' ' + (startTime(process.pid) || '0') + '\n');
fs.renameSync(tmp, file);
process.on('exit', () => {
  try {
    fs.unlinkSync(file);
  } catch {
    // Already gone.
  }
});
for (const [signal, code] of [['SIGTERM', 143], ['SIGINT', 130], ['SIGHUP', 129]]) {
  process.on(signal, () => process.exit(code));
}
process.stdout.on('error', () => undefined);
console.log('gpu-stress: pid ' + process.pid + ', GPUs at ' + percent + '% for ' + seconds + ' s');

// A little real work (about 5% of one core), as a real kernel launcher would spend.
const burn = setInterval(() => {
  const until = Date.now() + 5;
  let x = 0;
  while (Date.now() < until) x = (x * 1103515245 + 12345) % 2147483648;
  return x;
}, 100);
setTimeout(() => {
  clearInterval(burn);
  console.log('gpu-stress: done');
  process.exit(0);
}, seconds * 1000);
`;
