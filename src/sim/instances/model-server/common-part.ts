/**
 * The shared half of the model server script: arguments, HTTP helpers, the GPU the machine reports (read from its
 * own `nvidia-smi`, as a runtime detects it), the GPU memory the process takes (registered where the machine's
 * `nvidia-smi` adds it up), and the download of the weights from the hub. Verbatim script text.
 */
export const COMMON_PART = String.raw`
const fs = require('node:fs');
const path = require('node:path');
const http = require('node:http');
const crypto = require('node:crypto');
const zlib = require('node:zlib');
const { execFileSync } = require('node:child_process');

const GPU_MEM_DIR = process.argv[2];
const COMMAND = process.argv[3];

function parseArgs(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) continue;
    const key = a.slice(2);
    const next = argv[i + 1];
    if (next === undefined || next.startsWith('--')) out[key] = true;
    else {
      out[key] = next;
      i++;
    }
  }
  return out;
}
const ARGS = parseArgs(process.argv.slice(4));
const SIM_DEFECTS = new Set(String(ARGS['sim-defects'] || '').split(',').filter(Boolean));

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const log = (line) => process.stderr.write(new Date().toISOString() + ' ' + line + '\n');

function sendJson(res, status, body, headers) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...(headers || {}) });
  res.end(text);
}

function readRaw(req, limit) {
  return new Promise((resolve) => {
    const chunks = [];
    let size = 0;
    req.on('data', (c) => {
      size += c.length;
      if (size <= limit) chunks.push(c);
    });
    req.on('end', () => resolve(size > limit ? null : Buffer.concat(chunks)));
    req.on('error', () => resolve(null));
  });
}

async function readJson(req) {
  const raw = await readRaw(req, 8 * 1024 * 1024);
  if (raw === null) return { error: 'body too large' };
  const text = raw.toString('utf8');
  if (!text.trim()) return { error: 'empty body' };
  try {
    const value = JSON.parse(text);
    if (!value || typeof value !== 'object' || Array.isArray(value)) return { error: 'body must be a JSON object' };
    return { value };
  } catch (err) {
    return { error: 'invalid JSON: ' + err.message };
  }
}

const hash = (...parts) => crypto.createHash('sha256').update(parts.join('\u0000')).digest();

/** A deterministic stream of 32-bit numbers from a seed text. */
function stream(seed) {
  let counter = 0;
  let block = Buffer.alloc(0);
  let offset = 0;
  return () => {
    if (offset + 4 > block.length) {
      block = hash(seed, String(counter++));
      offset = 0;
    }
    const v = block.readUInt32BE(offset);
    offset += 4;
    return v;
  };
}

// ------------------------------------------------------------------------------------------------- the machine's GPU

/** Memory bandwidth (GB/s) of the GPUs a runtime knows: decoding is bandwidth-bound. */
const BANDWIDTH = [
  ['H100 80GB HBM3', 3350], ['H100', 2000], ['A100-SXM4', 2039], ['A100', 1935], ['RTX 4090', 1008],
  ['RTX 3090', 936], ['RTX 3080', 760], ['RTX 3070', 448],
];

function detectGpu() {
  try {
    const out = execFileSync('nvidia-smi', ['--query-gpu=name,memory.total,memory.used', '--format=csv,noheader,nounits'], {
      encoding: 'utf8',
    });
    const [name, total, used] = out.split('\n')[0].split(',').map((s) => s.trim());
    const bw = (BANDWIDTH.find(([k]) => name.includes(k)) || ['', 500])[1];
    return { name, totalMiB: Number(total), usedMiB: Number(used), bandwidthGBs: bw };
  } catch (err) {
    return null;
  }
}

/** The start time of this process (field 22 of /proc/self/stat), so a stale registration is told from a live one. */
function startTime() {
  try {
    const stat = fs.readFileSync('/proc/self/stat', 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return '0';
  }
}

/** Takes 'mib' of GPU 0's memory for as long as this process lives: the machine's nvidia-smi adds it up. */
function holdGpuMemory(mib) {
  fs.mkdirSync(GPU_MEM_DIR, { recursive: true });
  const file = path.join(GPU_MEM_DIR, String(process.pid));
  fs.writeFileSync(file, Math.round(mib) + ' ' + startTime() + ' 0\n');
  const release = () => {
    try {
      fs.rmSync(file, { force: true });
    } catch {}
  };
  process.on('exit', release);
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(signal, () => process.exit(0));
}

// ------------------------------------------------------------------------------------------------------- the hub

const MiB = 1024 * 1024;
/** Bytes per parameter of each stored precision (AWQ keeps a little more than 4 bits per weight: scales). */
const BYTES_PER_PARAM = { fp16: 2, 'awq-int4': 0.56 };
/** Real download and load speed of the weights, bytes per second. */
const DOWNLOAD_RATE = 2.5e9;
const LOAD_RATE = 8e9;

function weightBytes(model, precision) {
  return model.paramsM * 1e6 * BYTES_PER_PARAM[precision];
}

/**
 * Downloads the model's repository into the Hugging Face cache of the machine (config and a deterministic sample of
 * the weights; the time follows the full size). An unknown id fails as the hub does.
 */
async function download(id, precision, onProgress) {
  const model = HUB.find((m) => m.id === id);
  if (!model) {
    throw new Error(
      'huggingface_hub.errors.RepositoryNotFoundError: 404 Client Error. Repository Not Found for url: https://huggingface.co/api/models/' +
        id + '/revision/main. Please make sure you specified the correct repo_id and repo_type.'
    );
  }
  const home = process.env.HF_HOME || path.join(process.env.HOME || '.', '.cache', 'huggingface');
  const dir = path.join(home, 'hub', 'models--' + id.replace(/\//g, '--'), 'snapshots', 'main');
  fs.mkdirSync(dir, { recursive: true });
  const bytes = weightBytes(model, precision);
  const marker = path.join(dir, 'model.safetensors');
  if (!fs.existsSync(marker)) {
    // Real seconds at the download rate, capped so that big checkpoints keep tests short.
    const total = Math.min(3000, (bytes / DOWNLOAD_RATE) * 1000);
    const started = Date.now();
    for (;;) {
      const done = Math.min(1, (Date.now() - started) / total);
      onProgress(done);
      if (done >= 1) break;
      await sleep(Math.min(50, total));
    }
    fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ _name_or_path: id, ...model }));
    fs.writeFileSync(marker, hash('weights', id, precision));
  }
  return { model, bytes };
}
`;
