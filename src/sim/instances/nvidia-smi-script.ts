/** A machine's `nvidia-smi`: a bash script that prints what the driver would for the GPUs it exposes. */
import { CUDA_VERSION, DRIVER_VERSION, gpuModel, gpuUuids, type ReportedGpus } from './gpu-models';

const shellQuote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/** Placeholders of the table that the script fills in at run time (same widths as what replaces them). */
const UTIL_MARK = '@U@%';
const PERF_MARK = '@P';
const POWER_MARK = '@W@W';

/**
 * The bash script of one machine's nvidia-smi: `-L`, `--query-gpu ... --format=csv[...]`, `-i`, and the table.
 * Utilisation (and with it power draw and performance state) comes from the live `gpu-stress` processes
 * registered under `stressDir` (`gpu-stress-script.ts`), the same rule as `gpuUtilization()`.
 */
export function nvidiaSmiScript(instanceId: number, gpus: ReportedGpus, stressDir: string): string {
  const model = gpuModel(gpus.name);
  const uuids = gpuUuids(instanceId, gpus.count);
  const names = Array.from({ length: gpus.count }, () => model.nvidiaName);
  const cap = `${Math.floor(model.computeCap / 100)}.${Math.floor(model.computeCap / 10) % 10}`;
  return `#!/usr/bin/env bash
# Simulated nvidia-smi of simulator instance ${instanceId}: reports the GPUs this machine exposes.
set -u
names=(${names.map(shellQuote).join(' ')})
uuids=(${uuids.map(shellQuote).join(' ')})
mem_total=${model.vramMiB}
driver=${DRIVER_VERSION}
cap=${cap}
power_limit=${model.powerLimitW}
count=\${#names[@]}
stress_dir=${shellQuote(stressDir)}

# GPU utilisation: the highest percent of the live gpu-stress processes (pid and start time must match).
util=0
for f in "$stress_dir"/*; do
  pid=\${f##*/}
  [[ "$pid" =~ ^[0-9]+$ ]] || continue
  read -r pct started < "$f" 2>/dev/null || continue
  [[ "$pct" =~ ^[0-9]+$ ]] || continue
  { stat=$(< "/proc/$pid/stat"); } 2>/dev/null || continue
  read -ra fields <<< "\${stat##*) }"
  [ "\${fields[0]}" != Z ] && [ "\${fields[19]:-}" = "$started" ] || continue
  [ "$pct" -gt "$util" ] && util=$pct
done
[ "$util" -gt 100 ] && util=100
# GPU memory: what live processes registered under gpu-mem/ (model servers: "<MiB> <starttime> <gpu>").
mem_dir="\${stress_dir%/*}/gpu-mem"
mem_used=()
for ((i = 0; i < count; i++)); do mem_used+=(1); done
for f in "$mem_dir"/*; do
  pid=\${f##*/}
  [[ "$pid" =~ ^[0-9]+$ ]] || continue
  read -r mib started gpu < "$f" 2>/dev/null || continue
  [[ "$mib" =~ ^[0-9]+$ ]] || continue
  gpu=\${gpu:-0}
  [[ "$gpu" =~ ^[0-9]+$ ]] && [ "$gpu" -lt "$count" ] || continue
  { stat=$(< "/proc/$pid/stat"); } 2>/dev/null || continue
  read -ra fields <<< "\${stat##*) }"
  [ "\${fields[0]}" != Z ] && [ "\${fields[19]:-}" = "$started" ] || continue
  mem_used[$gpu]=$((mem_used[gpu] + mib))
done

if [ "$util" -gt 0 ]; then
  pstate=P2
  power_draw=$((power_limit * (20 + 75 * util / 100) / 100)).00
else
  pstate=P8
  power_draw=21.43
fi

query=''; format=''; list=0; ids=''
while [ $# -gt 0 ]; do
  case "$1" in
    -L|--list-gpus) list=1 ;;
    --query-gpu=*) query="\${1#*=}" ;;
    --query-gpu) shift; query="\${1:-}" ;;
    --format=*) format="\${1#*=}" ;;
    --format) shift; format="\${1:-}" ;;
    --id=*) ids="\${1#*=}" ;;
    -i|--id) shift; ids="\${1:-}" ;;
    -h|--help)
      echo "NVIDIA System Management Interface -- v$driver (simulated)"
      echo "Supported: (no options) | -L | --query-gpu=FIELD[,FIELD...] --format=csv[,noheader][,nounits] | -i ID[,ID]"
      exit 0 ;;
    *) echo "Invalid combination of input arguments. Please run 'nvidia-smi -h' for help." >&2; exit 2 ;;
  esac
  shift
done

selected=()
if [ -n "$ids" ]; then IFS=',' read -ra selected <<< "$ids"; else for ((i = 0; i < count; i++)); do selected+=("$i"); done; fi
for i in "\${selected[@]}"; do
  if ! [[ "$i" =~ ^[0-9]+$ ]] || [ "$i" -ge "$count" ]; then echo "No devices were found" >&2; exit 6; fi
done

if [ "$list" = 1 ]; then
  for i in "\${selected[@]}"; do echo "GPU $i: \${names[$i]} (UUID: \${uuids[$i]})"; done
  exit 0
fi

units=1; header=1
value() { # sets v to field $1 of GPU $2
  local u=''
  case "$1" in
    index) v=$2 ;;
    name|gpu_name) v="\${names[$2]}" ;;
    uuid|gpu_uuid) v="\${uuids[$2]}" ;;
    count) v=$count ;;
    driver_version) v=$driver ;;
    memory.total) v=$mem_total; u=' MiB' ;;
    memory.used) v=\${mem_used[$2]}; u=' MiB' ;;
    memory.free) v=$((mem_total - mem_used[$2])); u=' MiB' ;;
    utilization.gpu) v=$util; u=' %' ;;
    utilization.memory) v=$((util / 2)); u=' %' ;;
    temperature.gpu) v=$((31 + $2)) ;;
    power.draw) v=$power_draw; u=' W' ;;
    power.limit) v="$power_limit.00"; u=' W' ;;
    pci.bus_id) v=$(printf '00000000:%02X:00.0' $(($2 + 1))) ;;
    compute_cap) v=$cap ;;
    persistence_mode) v='Enabled' ;;
    pstate) v=$pstate ;;
    *) return 1 ;;
  esac
  if [ "$units" = 1 ]; then v="$v$u"; fi
}
unit_of() {
  case "$1" in
    memory.*) echo ' [MiB]' ;; utilization.*) echo ' [%]' ;; power.*) echo ' [W]' ;; *) echo '' ;;
  esac
}

if [ -n "$query" ]; then
  case ",$format," in
    *,csv,*) ;;
    *) echo 'Option "--format" must be specified with "--query-gpu" (e.g. --format=csv).' >&2; exit 2 ;;
  esac
  case ",$format," in *,noheader,*) header=0 ;; esac
  case ",$format," in *,nounits,*) units=0 ;; esac
  IFS=',' read -ra fields <<< "\${query// /}"
  for f in "\${fields[@]}"; do
    if ! value "$f" 0; then echo "Field \\"$f\\" is not a valid field to query." >&2; exit 2; fi
  done
  if [ "$header" = 1 ]; then
    line=''
    for f in "\${fields[@]}"; do line="$line\${line:+, }$f$(unit_of "$f")"; done
    echo "$line"
  fi
  for i in "\${selected[@]}"; do
    line=''
    for f in "\${fields[@]}"; do value "$f" "$i"; line="$line\${line:+, }$v"; done
    echo "$line"
  done
  exit 0
fi

date '+%a %b %e %H:%M:%S %Y'
table=$(cat <<'TABLE'
${nvidiaSmiTable(names, model.vramMiB, model.powerLimitW)}
TABLE
)
table=\${table//${UTIL_MARK}/$(printf '%3d%%' "$util")}
table=\${table//${PERF_MARK}/$pstate}
table=\${table//${POWER_MARK}/$(printf '%3dW' "\${power_draw%%.*}")}
for ((i = 0; i < count; i++)); do table=\${table//@MEM$i@/$(printf '%6d' "\${mem_used[$i]}")}; done
printf '%s\n' "$table"
`;
}

/** The default `nvidia-smi` table, laid out as driver 550 prints it. */
function nvidiaSmiTable(names: string[], vramMiB: number, powerW: number): string {
  const cell = (text: string, width: number): string => text.slice(0, width).padEnd(width);
  const rule = (c: string): string => `+${c.repeat(41)}+${c.repeat(24)}+${c.repeat(22)}+`;
  const lines = [
    `+${'-'.repeat(89)}+`,
    `|${cell(` NVIDIA-SMI ${DRIVER_VERSION}              Driver Version: ${DRIVER_VERSION}      CUDA Version: ${CUDA_VERSION}`, 89)}|`,
    rule('-').replace(/^\+/, '|').replace(/\+$/, '|'),
    '| GPU  Name                 Persistence-M | Bus-Id          Disp.A | Volatile Uncorr. ECC |',
    '| Fan  Temp   Perf          Pwr:Usage/Cap |           Memory-Usage | GPU-Util  Compute M. |',
    '|                                         |                        |               MIG M. |',
    rule('=').replace(/^\+/, '|').replace(/\+$/, '|'),
  ];
  names.forEach((name, i) => {
    const bus = `00000000:${(i + 1).toString(16).toUpperCase().padStart(2, '0')}:00.0`;
    lines.push(`|${String(i).padStart(4)}  ${cell(name, 31)}On  |${cell(`   ${bus} Off`, 24)}|${'Off'.padStart(21)} |`);
    const power = `${POWER_MARK} / ${String(powerW).padStart(4)}W`;
    const memory = `@MEM${i}@MiB / ${String(vramMiB).padStart(6)}MiB`;
    lines.push(
      `|  30%   ${31 + i}C    ${PERF_MARK}${power.padStart(23)} |${memory.padStart(23)} |${`${UTIL_MARK}      Default`.padStart(21)} |`
    );
    lines.push(`|${' '.repeat(41)}|${' '.repeat(24)}|${'N/A'.padStart(21)} |`);
    lines.push(rule('-'));
  });
  lines.push(
    '',
    `+${'-'.repeat(89)}+`,
    `|${cell(' Processes:', 89)}|`,
    `|${cell('  GPU   GI   CI        PID   Type   Process name                              GPU Memory', 89)}|`,
    `|${cell('        ID   ID                                                               Usage', 89)}|`,
    `|${'='.repeat(89)}|`,
    `|${cell('  No running processes found', 89)}|`,
    `+${'-'.repeat(89)}+`
  );
  return lines.join('\n');
}
