/**
 * The `ollama serve` half of the script: Ollama's HTTP API (pull, tags, generate/chat, show, delete, ps, version).
 * Verbatim script text (no template placeholders).
 */
export const HTTP_API_PART = String.raw`function sendJson(res, status, body) {
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

`;
