/**
 * PURE: whether the GPU a machine shows (nvidia-smi, torch) is the model that was rented, by VAST's name for it. The
 * two never spell it alike: VAST's `A100 SXM4` is nvidia-smi's `NVIDIA A100-SXM4-80GB`, VAST's `H100 SXM` prints as
 * `NVIDIA H100 80GB HBM3` (no form factor at all), `RTX 4090` as `NVIDIA GeForce RTX 4090`. A substring test passes
 * the RTX cards only, and fails every A100/H100 host of a real market.
 */

/** Vendor words, memory sizes and memory kinds: never part of the model's identity. */
const NOISE = /^(nvidia|geforce|generation|\d+gb|hbm\d*e?)$/;
/** Form factors, compared by family (`sxm4` and `sxm5` are both SXM). */
const FORM = /^(pcie|sxm\d*|nvl)$/;

interface ParsedName {
  model: string[];
  form: string | undefined;
}

function parse(name: string): ParsedName {
  const words = name
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w && !NOISE.test(w));
  const form = words.find((w) => FORM.test(w))?.replace(/\d+$/, '');
  // `A6000`, `6000Ada` and `A100` split at letter/digit boundaries, so `RTX 6000Ada` meets `RTX 6000 Ada Generation`.
  const model = words
    .filter((w) => !FORM.test(w))
    .flatMap((w) => w.split(/(?<=\d)(?=[a-z])|(?<=[a-z])(?=\d)/))
    .sort();
  return { model, form };
}

/** The GPU name in one line of `nvidia-smi -L` (`GPU 0: NAME (UUID: …)`), or the line itself (torch prints the name). */
function nameIn(line: string): string {
  const m = /^GPU \d+:\s*(.*?)\s*(\(UUID:.*)?$/.exec(line.trim());
  return m ? m[1]! : line.trim();
}

/**
 * Whether `shown` (one GPU's name, or a line of `nvidia-smi -L`) is the model VAST calls `rented`: the same model
 * words once vendor words and memory sizes are dropped, and a compatible form factor (a card printing none counts as
 * SXM, as H100 SXM cards do; PCIe always prints `PCIe`).
 */
export function isGpuModel(rented: string, shown: string): boolean {
  const r = parse(rented);
  const s = parse(nameIn(shown));
  if (r.model.length === 0 || r.model.join(' ') !== s.model.join(' ')) return false;
  if (r.form === undefined || r.form === s.form) return true;
  return s.form === undefined && r.form === 'sxm';
}

/** Whether any line of `output` (e.g. a probe's stdout) shows the model VAST calls `rented`. */
export function showsGpuModel(rented: string, output: string): boolean {
  return output.split('\n').some((line) => line.trim() !== '' && isGpuModel(rented, line));
}
