/**
 * A machine's `ollama`: a Node script (run with the simulator's own `node`) that is both the CLI (`serve`,
 * `pull`, `list`/`ls`, `run`, `ps`, `rm`, `--version`) and, under `ollama serve`, Ollama's HTTP API with its
 * real shapes (`/api/pull` NDJSON progress, `/api/tags`, `/api/generate` and `/api/chat` streamed or not,
 * `/api/show`, `/api/delete`, `/api/ps`, `/api/version`). It listens on `OLLAMA_HOST` (default
 * 127.0.0.1:11434; the simulator sets a port of its own per instance). Pulled models are files under
 * `$OLLAMA_MODELS` or `~/.ollama/models` (manifest + sha256 blobs, a few MiB of deterministic weights), so
 * they live exactly as long as the workspace; every pull appends a JSON line to `~/.ollama/pull.log`
 * (`downloaded_bytes` 0 when everything was already on disk). See docs/simulator.md § SSH endpoints.
 */

/** The script's source (no template placeholders inside: it is written out verbatim). */
export const OLLAMA_SCRIPT = String.raw`'use strict';
// Simulated Ollama of a simulator instance: the CLI and, under 'ollama serve', the HTTP API.
const http = require('http');
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const os = require('os');

const VERSION = '0.5.7';
const DEFAULT_PORT = 11434;
const MiB = 1024 * 1024;
// The registry: what 'pull' can fetch. Weights are a few MiB of deterministic bytes.
const CATALOGUE = {
  'tinyllama:latest': { family: 'llama', parameterSize: '1.1B', quantization: 'Q4_0', weights: 3 * MiB },
  'llama3.2:1b': { family: 'llama', parameterSize: '1.2B', quantization: 'Q8_0', weights: 4 * MiB },
  'qwen2.5:0.5b': { family: 'qwen2', parameterSize: '494.03M', quantization: 'Q4_K_M', weights: 2 * MiB },
};
const TEMPLATE = '{{ if .System }}<|system|>\n{{ .System }}</s>\n{{ end }}<|user|>\n{{ .Prompt }}</s>\n<|assistant|>\n';
const PARAMS = '{"stop":["</s>"]}';

// ---------------------------------------------------------------------------------------------- common

function address() {
  let spec = (process.env.OLLAMA_HOST || '').trim().replace(/^https?:\/\//, '').replace(/\/+$/, '');
  let host = '127.0.0.1';
  let port = DEFAULT_PORT;
  if (spec) {
    const colon = spec.lastIndexOf(':');
    if (colon >= 0) {
      host = spec.slice(0, colon) || host;
      port = Number(spec.slice(colon + 1)) || DEFAULT_PORT;
    } else {
      host = spec;
    }
  }
  return { host: host.replace(/^\[|\]$/g, ''), port };
}

const ollamaHome = () => path.join(os.homedir(), '.ollama');
const modelsDir = () => process.env.OLLAMA_MODELS || path.join(ollamaHome(), 'models');
const blobPath = (digest) => path.join(modelsDir(), 'blobs', digest.replace(':', '-'));

/** 'tinyllama' → 'tinyllama:latest'; 'registry.ollama.ai/library/x:y' → 'x:y'. */
function normalize(name) {
  let n = String(name || '').trim().toLowerCase().replace(/^(https?:\/\/)?registry\.ollama\.ai\/(library\/)?/, '');
  if (n && !n.includes(':')) n += ':latest';
  return n;
}

function manifestPath(name) {
  const [model, tag] = name.split(':');
  return path.join(modelsDir(), 'manifests', 'registry.ollama.ai', 'library', model, tag);
}

const sha256 = (data) => 'sha256:' + crypto.createHash('sha256').update(data).digest('hex');

/** The deterministic weights of a catalogue model (AES-CTR keystream keyed by its name). */
function weights(name) {
  const key = crypto.createHash('sha256').update('ollama-weights:' + name).digest();
  const cipher = crypto.createCipheriv('aes-256-ctr', key, Buffer.alloc(16));
  return cipher.update(Buffer.alloc(CATALOGUE[name].weights));
}

// ---------------------------------------------------------------------------------------------- server

const loaded = new Map(); // name -> { since, expires }

function installedModels() {
  const root = path.join(modelsDir(), 'manifests', 'registry.ollama.ai', 'library');
  const out = [];
  let models = [];
  try {
    models = fs.readdirSync(root);
  } catch {
    return out;
  }
  for (const model of models) {
    let tags = [];
    try {
      tags = fs.readdirSync(path.join(root, model));
    } catch {
      continue;
    }
    for (const tag of tags) {
      const info = readModel(model + ':' + tag);
      if (info) out.push(info);
    }
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : 1));
}

/** An installed model's /api/tags entry (plus its weights blob), or null when not (completely) installed. */
function readModel(name) {
  let raw;
  let stat;
  try {
    raw = fs.readFileSync(manifestPath(name));
    stat = fs.statSync(manifestPath(name));
  } catch {
    return null;
  }
  let manifest;
  try {
    manifest = JSON.parse(raw.toString('utf8'));
  } catch {
    return null;
  }
  const layers = manifest.layers || [];
  const model = layers.find((l) => l.mediaType === 'application/vnd.ollama.image.model');
  if (!model || !fs.existsSync(blobPath(model.digest))) return null;
  const entry = CATALOGUE[name] || { family: 'llama', parameterSize: 'unknown', quantization: 'unknown' };
  return {
    name,
    model: name,
    modified_at: stat.mtime.toISOString(),
    size: layers.reduce((sum, l) => sum + l.size, 0),
    digest: sha256(raw).slice(7),
    details: {
      parent_model: '',
      format: 'gguf',
      family: entry.family,
      families: [entry.family],
      parameter_size: entry.parameterSize,
      quantization_level: entry.quantization,
    },
    weights: blobPath(model.digest),
  };
}

const publicEntry = (m) => {
  const { weights: _weights, ...rest } = m;
  return rest;
};

function sendJson(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function readBody(req) {
  return new Promise((resolve) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      if (!text.trim()) return resolve({});
      try {
        const parsed = JSON.parse(text);
        resolve(parsed && typeof parsed === 'object' ? parsed : null);
      } catch {
        resolve(null);
      }
    });
    req.on('error', () => resolve(null));
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const nowNs = () => process.hrtime.bigint();
const elapsedNs = (since) => Number(nowNs() - since);

/** A streamed (NDJSON) or single JSON reply, chosen by the request's 'stream'. */
function replier(res, stream) {
  let started = false;
  return {
    line(obj) {
      if (!started) {
        res.writeHead(200, { 'content-type': 'application/x-ndjson' });
        started = true;
      }
      res.write(JSON.stringify(obj) + '\n');
    },
    end() {
      if (!started) res.writeHead(200, { 'content-type': 'application/x-ndjson' });
      res.end();
    },
    stream,
  };
}

function writeFileAtomic(file, data) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = file + '-partial';
  fs.writeFileSync(tmp, data);
  fs.renameSync(tmp, file);
}

async function pull(req, res) {
  const body = await readBody(req);
  if (!body) return sendJson(res, 400, { error: 'invalid request body' });
  const name = normalize(body.model || body.name);
  const out = replier(res, body.stream !== false);
  const progress = [];
  const emit = (obj) => (out.stream ? out.line(obj) : progress.push(obj));
  emit({ status: 'pulling manifest' });
  await sleep(20);
  const entry = CATALOGUE[name];
  if (!name || !entry) {
    const error = 'pull model manifest: file does not exist';
    if (out.stream) {
      out.line({ error });
      return out.end();
    }
    return sendJson(res, 500, { error });
  }
  const weightBytes = weights(name);
  const layerData = [
    ['application/vnd.ollama.image.model', weightBytes],
    ['application/vnd.ollama.image.template', Buffer.from(TEMPLATE)],
    ['application/vnd.ollama.image.params', Buffer.from(PARAMS)],
  ];
  const layers = layerData.map(([mediaType, data]) => ({ mediaType, digest: sha256(data), size: data.length, data }));
  const config = Buffer.from(
    JSON.stringify({
      model_format: 'gguf',
      model_family: entry.family,
      model_families: [entry.family],
      model_type: entry.parameterSize,
      file_type: entry.quantization,
      architecture: 'amd64',
      os: 'linux',
      rootfs: { type: 'layers', diff_ids: layers.map((l) => l.digest) },
    })
  );
  let downloaded = 0;
  for (const layer of layers) {
    const short = layer.digest.slice(7, 19);
    const file = blobPath(layer.digest);
    const have = fs.existsSync(file) && fs.statSync(file).size === layer.size;
    emit({ status: 'pulling ' + short, digest: layer.digest, total: layer.size });
    if (!have) {
      const chunk = MiB;
      for (let done = 0; done < layer.size; ) {
        done = Math.min(layer.size, done + chunk);
        if (layer.size > chunk) await sleep(25);
        emit({ status: 'pulling ' + short, digest: layer.digest, total: layer.size, completed: done });
      }
      writeFileAtomic(file, layer.data);
      downloaded += layer.size;
    } else {
      emit({ status: 'pulling ' + short, digest: layer.digest, total: layer.size, completed: layer.size });
    }
  }
  writeFileAtomic(blobPath(sha256(config)), config);
  emit({ status: 'verifying sha256 digest' });
  for (const layer of layers) {
    if (sha256(fs.readFileSync(blobPath(layer.digest))) !== layer.digest) {
      const error = 'digest mismatch, file must be downloaded again: ' + layer.digest;
      if (out.stream) {
        out.line({ error });
        return out.end();
      }
      return sendJson(res, 500, { error });
    }
  }
  emit({ status: 'writing manifest' });
  const manifest = {
    schemaVersion: 2,
    mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
    config: { mediaType: 'application/vnd.docker.container.image.v1+json', digest: sha256(config), size: config.length },
    layers: layers.map((l) => ({ mediaType: l.mediaType, digest: l.digest, size: l.size })),
  };
  writeFileAtomic(manifestPath(name), JSON.stringify(manifest));
  fs.mkdirSync(ollamaHome(), { recursive: true });
  fs.appendFileSync(
    path.join(ollamaHome(), 'pull.log'),
    JSON.stringify({ time: new Date().toISOString(), model: name, digest: layers[0].digest, downloaded_bytes: downloaded }) + '\n'
  );
  emit({ status: 'success' });
  if (out.stream) return out.end();
  return sendJson(res, 200, { status: 'success' });
}

/** Loads 'model' into "GPU memory" unless loaded: reads its weights from disk; slow the first time. */
async function load(model) {
  const started = nowNs();
  if (!loaded.has(model.name)) {
    fs.readFileSync(model.weights);
    await sleep(300);
    loaded.set(model.name, { since: Date.now() });
  } else {
    await sleep(1);
  }
  loaded.get(model.name).expires = Date.now() + 5 * 60 * 1000;
  return elapsedNs(started);
}

/** The deterministic answer of 'model' to 'prompt'. */
function answer(model, prompt) {
  const hash = crypto.createHash('sha256').update(model + '\0' + prompt).digest('hex').slice(0, 12);
  return 'This is ' + model + ' answering prompt ' + hash + ' with a deterministic reply from the simulator.';
}

const tokensOf = (text) => text.match(/\s*\S+/g) || [];

async function generate(req, res, chat) {
  const started = nowNs();
  const body = await readBody(req);
  if (!body) return sendJson(res, 400, { error: 'invalid request body' });
  const requested = body.model || body.name;
  if (!requested) return sendJson(res, 400, { error: 'model is required' });
  const name = normalize(requested);
  const model = readModel(name);
  if (!model) return sendJson(res, 404, { error: "model '" + requested + "' not found, try pulling it first" });
  let prompt = body.prompt;
  if (chat) {
    const messages = Array.isArray(body.messages) ? body.messages : [];
    const users = messages.filter((m) => m && m.role === 'user');
    prompt = users.length ? String(users[users.length - 1].content || '') : '';
  }
  prompt = typeof prompt === 'string' ? prompt : '';
  const loadDuration = await load(model);
  const created = () => new Date().toISOString();
  const piece = (text) => (chat ? { message: { role: 'assistant', content: text } } : { response: text });
  if (body.keep_alive === 0 || body.keep_alive === '0' || body.keep_alive === '0s') loaded.delete(name);
  if (!prompt && !(chat && Array.isArray(body.messages) && body.messages.length)) {
    return sendJson(res, 200, { model: name, created_at: created(), ...piece(''), done_reason: 'load', done: true });
  }
  const evalStarted = nowNs();
  const text = answer(name, prompt);
  const tokens = tokensOf(text);
  const promptEvalCount = tokensOf(prompt).length + 8;
  const out = replier(res, body.stream !== false);
  for (const token of tokens) {
    await sleep(2);
    if (out.stream) out.line({ model: name, created_at: created(), ...piece(token), done: false });
  }
  const evalDuration = elapsedNs(evalStarted);
  const final = {
    model: name,
    created_at: created(),
    ...piece(out.stream ? '' : text),
    done: true,
    done_reason: 'stop',
    ...(chat ? {} : { context: tokens.map((_, i) => 1000 + i) }),
    total_duration: elapsedNs(started),
    load_duration: loadDuration,
    prompt_eval_count: promptEvalCount,
    prompt_eval_duration: promptEvalCount * 100000,
    eval_count: tokens.length,
    eval_duration: evalDuration,
  };
  if (out.stream) {
    out.line(final);
    return out.end();
  }
  return sendJson(res, 200, final);
}

async function show(req, res) {
  const body = await readBody(req);
  const requested = body && (body.model || body.name);
  const model = requested ? readModel(normalize(requested)) : null;
  if (!model) return sendJson(res, 404, { error: "model '" + (requested || '') + "' not found" });
  return sendJson(res, 200, {
    modelfile: '# Modelfile generated by "ollama show"\nFROM ' + model.weights + '\nTEMPLATE """' + TEMPLATE + '"""\nPARAMETER stop </s>\n',
    parameters: 'stop                           "</s>"',
    template: TEMPLATE,
    details: model.details,
    model_info: { 'general.architecture': model.details.family, 'general.parameter_count': 0 },
    modified_at: model.modified_at,
  });
}

async function remove(req, res) {
  const body = await readBody(req);
  const requested = body && (body.model || body.name);
  const name = normalize(requested);
  if (!requested || !fs.existsSync(manifestPath(name))) {
    return sendJson(res, 404, { error: "model '" + (requested || '') + "' not found" });
  }
  fs.rmSync(manifestPath(name), { force: true });
  loaded.delete(name);
  res.writeHead(200);
  return res.end();
}

function ps(res) {
  const now = Date.now();
  const models = [];
  for (const [name, state] of loaded) {
    if (state.expires <= now) {
      loaded.delete(name);
      continue;
    }
    const model = readModel(name);
    if (!model) continue;
    models.push({ ...publicEntry(model), expires_at: new Date(state.expires).toISOString(), size_vram: model.size });
  }
  return sendJson(res, 200, { models });
}

async function route(req, res) {
  const url = (req.url || '/').split('?')[0];
  const key = req.method + ' ' + url;
  if (key === 'GET /' || key === 'HEAD /') {
    res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
    return res.end(req.method === 'HEAD' ? undefined : 'Ollama is running');
  }
  if (key === 'GET /api/version') return sendJson(res, 200, { version: VERSION });
  if (key === 'GET /api/tags') return sendJson(res, 200, { models: installedModels().map(publicEntry) });
  if (key === 'GET /api/ps') return ps(res);
  if (key === 'POST /api/pull') return pull(req, res);
  if (key === 'POST /api/generate') return generate(req, res, false);
  if (key === 'POST /api/chat') return generate(req, res, true);
  if (key === 'POST /api/show') return show(req, res);
  if (key === 'DELETE /api/delete') return remove(req, res);
  res.writeHead(404, { 'content-type': 'text/plain' });
  return res.end('404 page not found');
}

function serve() {
  const { host, port } = address();
  const server = http.createServer((req, res) => {
    const started = Date.now();
    res.on('finish', () =>
      process.stderr.write(
        '[GIN] ' + new Date().toISOString() + ' | ' + res.statusCode + ' | ' + (Date.now() - started) + 'ms | ' + req.method + ' "' + req.url + '"\n'
      )
    );
    route(req, res).catch((err) => {
      if (!res.headersSent) sendJson(res, 500, { error: String((err && err.message) || err) });
      else res.end();
    });
  });
  server.on('error', (err) => {
    const where = host + ':' + port;
    if (err.code === 'EADDRINUSE') process.stderr.write('Error: listen tcp ' + where + ': bind: address already in use\n');
    else process.stderr.write('Error: listen tcp ' + where + ': ' + err.message + '\n');
    process.exit(1);
  });
  server.listen(port, host, () => {
    process.title = 'ollama serve';
    process.stderr.write(
      'time=' + new Date().toISOString() + ' level=INFO source=routes.go msg="Listening on ' + host + ':' + port + ' (version ' + VERSION + ')"\n'
    );
  });
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(signal, () => process.exit(0));
}

// ---------------------------------------------------------------------------------------------- client

function request(method, urlPath, body, onLine) {
  const { host, port } = address();
  const target = host === '0.0.0.0' || host === '::' || host === '' ? '127.0.0.1' : host;
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(
      { host: target, port, method, path: urlPath, headers: payload ? { 'content-type': 'application/json' } : {} },
      (res) => {
        let buffer = '';
        let text = '';
        let failed = false;
        const each = (line) => {
          if (failed || !line.trim()) return;
          try {
            onLine(JSON.parse(line));
          } catch (err) {
            failed = true;
            res.destroy();
            reject(err);
          }
        };
        res.setEncoding('utf8');
        res.on('data', (chunk) => {
          text += chunk;
          if (!onLine || res.statusCode !== 200) return;
          buffer += chunk;
          let nl;
          while ((nl = buffer.indexOf('\n')) >= 0) {
            each(buffer.slice(0, nl));
            buffer = buffer.slice(nl + 1);
          }
        });
        res.on('end', () => {
          if (onLine && res.statusCode === 200) each(buffer);
          if (failed) return;
          let json = null;
          try {
            json = JSON.parse(text);
          } catch {
            // NDJSON or plain text.
          }
          resolve({ status: res.statusCode, json, text });
        });
      }
    );
    req.on('error', (err) => reject(err));
    if (payload) req.write(payload);
    req.end();
  });
}

class CliError extends Error {}

async function call(method, urlPath, body, onLine) {
  let reply;
  try {
    reply = await request(method, urlPath, body, onLine);
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw new CliError('could not connect to ollama app, is it running?');
  }
  if (reply.status !== 200) throw new CliError((reply.json && reply.json.error) || reply.text.trim() || 'status ' + reply.status);
  return reply;
}

function humanSize(bytes) {
  if (bytes >= 1e9) return (bytes / 1e9).toFixed(1) + ' GB';
  if (bytes >= 1e6) return (bytes / 1e6).toFixed(1) + ' MB';
  if (bytes >= 1e3) return (bytes / 1e3).toFixed(1) + ' KB';
  return bytes + ' B';
}

function ago(iso) {
  const s = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
  if (s < 60) return s <= 1 ? 'Less than a second ago' : s + ' seconds ago';
  const m = Math.round(s / 60);
  if (m < 60) return m === 1 ? 'About a minute ago' : m + ' minutes ago';
  const h = Math.round(m / 60);
  if (h < 48) return h === 1 ? 'About an hour ago' : h + ' hours ago';
  return Math.round(h / 24) + ' days ago';
}

function table(rows) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] + 4))).join('').trimEnd()).join('\n') + '\n';
}

async function pullCommand(name) {
  let last = '';
  await call('POST', '/api/pull', { model: name }, (p) => {
    if (p.error) throw new CliError(p.error);
    let line = p.status;
    if (p.total && p.completed === p.total) line += '... 100% ' + humanSize(p.total);
    else if (p.total) return;
    if (line !== last) process.stderr.write(line + '\n');
    last = line;
  });
}

function readStdin() {
  return new Promise((resolve) => {
    if (process.stdin.isTTY) return resolve('');
    let text = '';
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', (c) => (text += c));
    process.stdin.on('end', () => resolve(text));
    process.stdin.on('error', () => resolve(text));
  });
}

const USAGE =
  'Large language model runner (simulated)\n\nUsage:\n  ollama [flags]\n  ollama [command]\n\nAvailable Commands:\n' +
  '  serve       Start ollama\n  pull        Pull a model from a registry\n  list        List models\n' +
  '  ps          List running models\n  run         Run a model\n  rm          Remove a model\n  help        Help about any command\n\n' +
  'Flags:\n  -h, --help      help for ollama\n  -v, --version   Show version information\n';

async function main(argv) {
  const [command, ...rest] = argv;
  switch (command) {
    case undefined:
    case 'help':
    case '-h':
    case '--help':
      process.stdout.write(USAGE);
      return 0;
    case '-v':
    case '--version':
    case 'version':
      try {
        const reply = await request('GET', '/api/version');
        process.stdout.write('ollama version is ' + ((reply.json && reply.json.version) || VERSION) + '\n');
      } catch {
        process.stdout.write('Warning: could not connect to a running Ollama instance\nWarning: client version is ' + VERSION + '\n');
      }
      return 0;
    case 'serve':
    case 'start':
      serve();
      return null;
    case 'pull':
      if (rest.length !== 1) throw new CliError('accepts 1 arg(s), received ' + rest.length);
      await pullCommand(rest[0]);
      return 0;
    case 'list':
    case 'ls': {
      const { json } = await call('GET', '/api/tags');
      const rows = [['NAME', 'ID', 'SIZE', 'MODIFIED']];
      for (const m of json.models) rows.push([m.name, m.digest.slice(0, 12), humanSize(m.size), ago(m.modified_at)]);
      process.stdout.write(table(rows));
      return 0;
    }
    case 'ps': {
      const { json } = await call('GET', '/api/ps');
      const rows = [['NAME', 'ID', 'SIZE', 'PROCESSOR', 'UNTIL']];
      for (const m of json.models) rows.push([m.name, m.digest.slice(0, 12), humanSize(m.size), '100% GPU', 'About a minute from now']);
      process.stdout.write(table(rows));
      return 0;
    }
    case 'rm':
      if (!rest.length) throw new CliError('requires at least 1 arg(s), only received 0');
      for (const name of rest) {
        await call('DELETE', '/api/delete', { model: name });
        process.stdout.write("deleted '" + name + "'\n");
      }
      return 0;
    case 'run': {
      const flags = rest.filter((a) => a.startsWith('-'));
      const args = rest.filter((a) => !a.startsWith('-'));
      if (!args.length) throw new CliError('requires at least 1 arg(s), only received 0');
      const [name, ...words] = args;
      let prompt = words.join(' ');
      const stdin = await readStdin();
      // As the real client: a stdin that is not a terminal is read to its end and goes before the prompt.
      if (stdin) prompt = prompt ? stdin + ' ' + prompt : stdin;
      const show = await request('POST', '/api/show', { model: name }).catch(() => {
        throw new CliError('could not connect to ollama app, is it running?');
      });
      if (show.status === 404) await pullCommand(name);
      else if (show.status !== 200) throw new CliError((show.json && show.json.error) || 'status ' + show.status);
      if (!prompt.trim()) {
        await call('POST', '/api/generate', { model: name, prompt: '' });
        return 0;
      }
      let final = null;
      await call('POST', '/api/generate', { model: name, prompt }, (p) => {
        if (p.error) throw new CliError(p.error);
        if (p.response) process.stdout.write(p.response);
        if (p.done) final = p;
      });
      process.stdout.write('\n\n');
      if (flags.includes('--verbose') && final) {
        process.stderr.write(
          'total duration:       ' + final.total_duration / 1e6 + 'ms\nload duration:        ' + final.load_duration / 1e6 +
            'ms\neval count:           ' + final.eval_count + ' token(s)\n'
        );
      }
      return 0;
    }
    default:
      throw new CliError('unknown command "' + command + '" for "ollama"');
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== null) process.exitCode = code;
  },
  (err) => {
    process.stderr.write('Error: ' + (err instanceof CliError ? err.message : (err && err.stack) || String(err)) + '\n');
    process.exitCode = 1;
  }
);
`;
