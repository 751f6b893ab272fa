/**
 * The speech, image and embedding runtimes of the model server script. Speech (`POST /transcribe`) decodes what is
 * really in the audio: text the client encoded as one tone per character (docs/platform-contract.md § Models), found
 * with a Goertzel filter per tone. Images (`POST /generate`) are real PNGs of the requested size, the same for the
 * same prompt and seed. Embeddings (`POST /v1/embeddings`, `/embed`) are sums of per-word vectors, so texts sharing
 * meaning-bearing words are close. Verbatim script text.
 */
export const MEDIA_PART = String.raw`
// ---------------------------------------------------------------------------------------------------------- speech

const TONE_ALPHABET = " abcdefghijklmnopqrstuvwxyz'0123456789";
const toneFrequency = (i) => 500 + 40 * i;

function parseMultipartFile(raw, contentType) {
  const m = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType || '');
  if (!m) return null;
  const boundary = Buffer.from('--' + (m[1] || m[2]).trim());
  let at = raw.indexOf(boundary);
  while (at >= 0) {
    const start = at + boundary.length + 2;
    const next = raw.indexOf(boundary, start);
    if (next < 0) break;
    const part = raw.subarray(start, next - 2);
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd >= 0) {
      const headers = part.subarray(0, headerEnd).toString('utf8');
      if (/name="(file|audio)"/i.test(headers)) return part.subarray(headerEnd + 4);
    }
    at = next;
  }
  return null;
}

/** 16-bit PCM samples of a WAV file (first channel), scaled to [-1, 1]. */
function readWav(buf) {
  if (buf.length < 12 || buf.toString('ascii', 0, 4) !== 'RIFF' || buf.toString('ascii', 8, 12) !== 'WAVE') {
    throw new Error('not a RIFF/WAVE file');
  }
  let fmt = null;
  let data = null;
  for (let at = 12; at + 8 <= buf.length; ) {
    const id = buf.toString('ascii', at, at + 4);
    const size = buf.readUInt32LE(at + 4);
    if (id === 'fmt ') fmt = { format: buf.readUInt16LE(at + 8), channels: buf.readUInt16LE(at + 10), rate: buf.readUInt32LE(at + 12), bits: buf.readUInt16LE(at + 22) };
    if (id === 'data') data = buf.subarray(at + 8, Math.min(buf.length, at + 8 + size));
    at += 8 + size + (size % 2);
  }
  if (!fmt || !data) throw new Error('WAV without fmt or data chunk');
  if (fmt.format !== 1 || fmt.bits !== 16) throw new Error('only 16-bit PCM WAV is supported');
  const step = 2 * fmt.channels;
  const samples = new Float32Array(Math.floor(data.length / step));
  for (let i = 0; i < samples.length; i++) samples[i] = data.readInt16LE(i * step) / 32768;
  return { rate: fmt.rate, samples };
}

function goertzel(samples, from, to, freq, rate) {
  const k = (2 * Math.PI * freq) / rate;
  const coeff = 2 * Math.cos(k);
  let s1 = 0;
  let s2 = 0;
  for (let i = from; i < to; i++) {
    const s = samples[i] + coeff * s1 - s2;
    s2 = s1;
    s1 = s;
  }
  return s1 * s1 + s2 * s2 - coeff * s1 * s2;
}

/** The text in the audio: tone segments (10 ms frames above the noise), each the strongest of the alphabet's tones. */
function decodeTones({ rate, samples }) {
  const frame = Math.max(1, Math.round(rate / 100));
  const loud = [];
  for (let f = 0; f * frame < samples.length; f++) {
    let sum = 0;
    const end = Math.min(samples.length, (f + 1) * frame);
    for (let i = f * frame; i < end; i++) sum += samples[i] * samples[i];
    loud.push(Math.sqrt(sum / Math.max(1, end - f * frame)) > 0.1);
  }
  let text = '';
  for (let f = 0; f < loud.length; ) {
    if (!loud[f]) {
      f++;
      continue;
    }
    let g = f;
    while (g < loud.length && loud[g]) g++;
    const from = f * frame;
    const to = Math.min(samples.length, g * frame);
    let best = 0;
    let bestPower = -1;
    for (let i = 0; i < TONE_ALPHABET.length; i++) {
      const p = goertzel(samples, from, to, toneFrequency(i), rate);
      if (p > bestPower) {
        bestPower = p;
        best = i;
      }
    }
    text += TONE_ALPHABET[best];
    f = g;
  }
  return text.replace(/\s+/g, ' ').trim();
}

function speechRuntime(ctx) {
  let previous = null;
  let served = 0;
  /** Real-time factor: how many seconds of audio a second of GPU transcribes (smaller models are faster). */
  const speed = Math.max(4, (200 * ctx.gpu.bandwidthGBs) / 936 / Math.sqrt(ctx.model.paramsM / 74));
  async function transcribe(req, res) {
    const raw = await readRaw(req, 32 * 1024 * 1024);
    if (raw === null) return sendJson(res, 413, { error: 'audio too large' });
    const type = req.headers['content-type'] || '';
    let audio = raw;
    if (/multipart\/form-data/i.test(type)) audio = parseMultipartFile(raw, type);
    else if (/json/i.test(type)) {
      try {
        audio = Buffer.from(String(JSON.parse(raw.toString('utf8')).audio || ''), 'base64');
      } catch {
        audio = null;
      }
    }
    if (!audio || audio.length === 0) return sendJson(res, 400, { error: "no audio: send a WAV file as form field 'file'" });
    let wav;
    try {
      wav = readWav(audio);
    } catch (err) {
      return sendJson(res, 400, { error: 'could not decode audio: ' + err.message });
    }
    const duration = wav.samples.length / wav.rate;
    const started = Date.now();
    if (SIM_DEFECTS.has('truncate-audio')) wav = { rate: wav.rate, samples: wav.samples.subarray(0, Math.floor(wav.samples.length * 0.6)) };
    let text = decodeTones(wav);
    served++;
    if (SIM_DEFECTS.has('stale-transcript') && served > 3 && previous !== null) {
      const stale = previous;
      previous = text;
      text = stale;
    } else previous = text;
    await sleep(20 + (duration / speed) * 1000);
    sendJson(
      res,
      200,
      {
        text,
        language: 'en',
        duration: Math.round(duration * 1000) / 1000,
        model: ctx.served,
        segments: [{ id: 0, start: 0, end: Math.round(duration * 100) / 100, text }],
        processing_ms: Date.now() - started,
      },
      { 'x-replica': String(ctx.replica) }
    );
  }
  return { 'POST /transcribe': transcribe };
}

// ----------------------------------------------------------------------------------------------------------- image

function pngChunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(body) >>> 0);
  return Buffer.concat([len, body, crc]);
}

/** A deterministic picture of 'prompt' for 'seed': a gradient in the prompt's colours and a few soft discs. */
function paint(prompt, seed, width, height) {
  const next = stream(prompt + '|' + seed);
  const c = () => next() % 256;
  const from = [c(), c(), c()];
  const to = [c(), c(), c()];
  const discs = Array.from({ length: 3 + (next() % 4) }, () => ({
    x: next() % width, y: next() % height, r: 10 + (next() % Math.max(11, Math.floor(Math.min(width, height) / 3))), rgb: [c(), c(), c()],
  }));
  const stride = 1 + width * 3;
  const raw = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    raw[y * stride] = 0;
    for (let x = 0; x < width; x++) {
      const t = (x + y) / (width + height);
      let rgb = [0, 1, 2].map((k) => from[k] + (to[k] - from[k]) * t);
      for (const d of discs) {
        const dist = Math.hypot(x - d.x, y - d.y);
        if (dist < d.r) {
          const a = 1 - dist / d.r;
          rgb = rgb.map((v, k) => v * (1 - a) + d.rgb[k] * a);
        }
      }
      const at = y * stride + 1 + x * 3;
      raw[at] = rgb[0];
      raw[at + 1] = rgb[1];
      raw[at + 2] = rgb[2];
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', zlib.deflateSync(raw)),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

function imageRuntime(ctx) {
  let busy = Promise.resolve();
  async function generate(req, res) {
    const body = await readJson(req);
    if (body.error) return sendJson(res, 400, { error: body.error });
    const b = body.value;
    if (typeof b.prompt !== 'string' || !b.prompt.trim()) return sendJson(res, 400, { error: "'prompt' is required" });
    const width = b.width ?? 512;
    const height = b.height ?? 512;
    const steps = b.num_inference_steps ?? 25;
    const okSize = (v) => Number.isInteger(v) && v >= 64 && v <= 1024 && v % 8 === 0;
    if (!okSize(width) || !okSize(height)) return sendJson(res, 400, { error: 'width and height must be multiples of 8 between 64 and 1024' });
    if (!Number.isInteger(steps) || steps < 1 || steps > 150) return sendJson(res, 400, { error: "'num_inference_steps' must be 1-150" });
    const seed = Number.isInteger(b.seed) ? b.seed : crypto.randomInt(0, 2 ** 31);
    const [w, h] = SIM_DEFECTS.has('wrong-size') ? [512, 512] : [width, height];
    const run = busy.then(async () => {
      const started = Date.now();
      // Each denoising step costs in proportion to the pixels and the model, and less on a faster GPU.
      await sleep(steps * ((w * h) / 262144) * (ctx.model.paramsM / 1000) * 8 * (936 / ctx.gpu.bandwidthGBs));
      const png = paint(b.prompt, seed, w, h);
      return { png, ms: Date.now() - started };
    });
    busy = run.catch(() => undefined);
    const { png, ms } = await run;
    sendJson(
      res,
      200,
      { image: png.toString('base64'), format: 'png', width, height, seed, steps, model: ctx.served, inference_ms: ms },
      { 'x-replica': String(ctx.replica) }
    );
  }
  return { 'POST /generate': generate };
}

// ------------------------------------------------------------------------------------------------------ embeddings

const STOPWORDS = new Set(
  'a an the and or but of to in on at for with by from is are was were be been it its this that these those as i you he she we they my your our their what which who how do does did not no so if then than there here'.split(' ')
);

function embed(text, dims) {
  if (SIM_DEFECTS.has('random-embeddings')) {
    const v = Array.from({ length: dims }, () => Math.random() * 2 - 1);
    const n = Math.hypot(...v);
    return v.map((x) => x / n);
  }
  const terms = (String(text).toLowerCase().match(/[a-z0-9]+/g) || [])
    .filter((w) => !STOPWORDS.has(w))
    .map((w) => (w.length > 3 && w.endsWith('s') ? w.slice(0, -1) : w));
  const v = new Array(dims).fill(0);
  const add = (seed, weight) => {
    const next = stream(seed);
    for (let i = 0; i < dims; i++) v[i] += weight * ((next() / 4294967295) * 2 - 1);
  };
  if (terms.length === 0) add('text|' + text, 1);
  for (const t of terms) add('word|' + t, 1);
  add('bias', 0.15);
  const n = Math.hypot(...v) || 1;
  return v.map((x) => Math.round((x / n) * 1e6) / 1e6);
}

function embeddingsRuntime(ctx) {
  const dims = ctx.model.dimensions || 384;
  async function embeddings(req, res, openAi) {
    const body = await readJson(req);
    if (body.error) return sendJson(res, 400, { error: body.error });
    const b = body.value;
    const input = openAi ? b.input : (b.texts ?? b.inputs ?? b.input);
    const texts = typeof input === 'string' ? [input] : input;
    if (!Array.isArray(texts) || texts.length === 0 || texts.some((t) => typeof t !== 'string')) {
      return sendJson(res, 400, { error: "'input' must be a string or a non-empty list of strings" });
    }
    if (openAi && b.model !== undefined && b.model !== ctx.served) {
      return sendJson(res, 404, { error: 'The model ' + JSON.stringify(b.model) + ' does not exist.' });
    }
    await sleep(5 + texts.length);
    const vectors = texts.map((t) => embed(t, dims));
    const tokens = texts.reduce((n, t) => n + words(t).length, 0);
    const headers = { 'x-replica': String(ctx.replica) };
    if (!openAi) return sendJson(res, 200, { embeddings: vectors, model: ctx.served, dimensions: dims }, headers);
    sendJson(
      res,
      200,
      {
        object: 'list',
        data: vectors.map((embedding, index) => ({ object: 'embedding', index, embedding })),
        model: ctx.served,
        usage: { prompt_tokens: tokens, total_tokens: tokens },
      },
      headers
    );
  }
  return {
    'POST /v1/embeddings': (req, res) => embeddings(req, res, true),
    'POST /embed': (req, res) => embeddings(req, res, false),
    'GET /v1/models': (req, res) => sendJson(res, 200, { object: 'list', data: [{ id: ctx.served, object: 'model', owned_by: 'sentence-transformers' }] }),
  };
}
`;
