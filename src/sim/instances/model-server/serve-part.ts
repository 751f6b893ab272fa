/**
 * The entry points of the model server script: `serve` (one replica: downloads the weights from the hub, takes the
 * GPU memory its model and runtime need, fails as CUDA does when they do not fit, then serves its runtime's API and
 * `/health`) and `balance` (the deployment's endpoint: spreads requests over the replicas listed in a file, enforces
 * the deployment's API key, answers `/health` from the replicas' own, and counts requests). Verbatim script text.
 */
export const SERVE_PART = String.raw`
// ----------------------------------------------------------------------------------------------------------- serve

const RUNTIME_TYPES = { vllm: 'llm', transformers: 'llm', whisper: 'speech', diffusers: 'image', 'sentence-transformers': 'embeddings' };

/** GPU memory a runtime takes beyond the weights, MiB: its CUDA context, and vLLM's KV cache. */
function overheadMiB(runtime, weightsMiB) {
  const extra = { vllm: 1024 + 0.12 * weightsMiB, transformers: 256, whisper: 300, diffusers: 1200, 'sentence-transformers': 200 };
  return 450 + (extra[runtime] || 0);
}

function fail(message) {
  log('ERROR: ' + message);
  process.exit(1);
}

async function serve() {
  const runtime = String(ARGS.runtime || '');
  const id = String(ARGS.model || '');
  const port = Number(ARGS.port);
  const replica = Number(ARGS.replica || 0);
  const served = String(ARGS['served-model-name'] || id);
  const state = { phase: 'downloading', progress: 0 };
  let routes = null;
  const server = http.createServer((req, res) => {
    const url = (req.url || '/').split('?')[0];
    if (req.method === 'GET' && url === '/health') {
      if (routes) return sendJson(res, 200, { status: 'ok', model: served, runtime, replica });
      return sendJson(res, 503, { status: state.phase, progress: Math.round(state.progress * 100), model: served, replica });
    }
    if (!routes) return sendJson(res, 503, { error: 'model is ' + state.phase, status: state.phase });
    const handler = routes[req.method + ' ' + url];
    if (!handler) return sendJson(res, 404, { detail: 'Not Found' });
    Promise.resolve(handler(req, res)).catch((err) => {
      if (!res.headersSent) sendJson(res, 500, { error: String((err && err.message) || err) });
      else res.end();
    });
  });
  server.on('error', (err) => fail('[Errno 98] error while attempting to bind on address (127.0.0.1, ' + port + '): ' + err.message));
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  process.title = 'model-server serve ' + id;
  log('INFO: Uvicorn running on http://127.0.0.1:' + port + ' (replica ' + replica + ', ' + runtime + ', ' + id + ')');
  if (!RUNTIME_TYPES[runtime]) fail('ValueError: unknown runtime ' + JSON.stringify(runtime));
  const gpu = detectGpu();
  if (!gpu) fail('RuntimeError: No CUDA GPUs are available');
  const known = HUB.find((m) => m.id === id);
  if (known && known.type !== RUNTIME_TYPES[runtime]) {
    fail('ValueError: ' + id + ' is a ' + known.type + ' model; the ' + runtime + ' runtime serves ' + RUNTIME_TYPES[runtime] + ' models');
  }
  // Stored precision, unless the runtime is told to load another dtype (dequantising a 4-bit checkpoint).
  const precision = ARGS.dtype === 'float16' ? 'fp16' : known ? known.precision : 'fp16';
  // The runtime reads the checkpoint's size from its config first: a model that cannot fit fails before the download.
  if (known) {
    const weightsMiB = weightBytes(known, precision) / MiB;
    const needMiB = Math.round(weightsMiB + overheadMiB(runtime, weightsMiB));
    const free = gpu.totalMiB - gpu.usedMiB;
    if (needMiB > free) {
      fail(
        'torch.OutOfMemoryError: CUDA out of memory. Tried to allocate ' + needMiB + ' MiB. GPU 0 has a total capacity of ' +
          gpu.totalMiB + ' MiB of which ' + free + ' MiB is free.'
      );
    }
  }
  let got;
  try {
    log('INFO: Downloading ' + id + ' (' + precision + ')');
    got = await download(id, precision, (p) => (state.progress = p));
  } catch (err) {
    fail(err.message);
  }
  state.phase = 'loading';
  state.progress = 0;
  const weightsMiB = got.bytes / MiB;
  const needMiB = Math.round(weightsMiB + overheadMiB(runtime, weightsMiB));
  holdGpuMemory(needMiB);
  log('INFO: Loading weights took ' + needMiB + ' MiB of GPU memory on ' + gpu.name);
  await sleep(100 + (got.bytes / LOAD_RATE) * 1000);
  const ctx = { served, runtime, gpu, replica, model: got.model, bytes: got.bytes, startedAt: Math.floor(Date.now() / 1000) };
  const type = RUNTIME_TYPES[runtime];
  routes =
    type === 'llm' ? llmRuntime(ctx) : type === 'speech' ? speechRuntime(ctx) : type === 'image' ? imageRuntime(ctx) : embeddingsRuntime(ctx);
  state.phase = 'ready';
  log('INFO: Application startup complete.');
}

// --------------------------------------------------------------------------------------------------------- balance

function balance() {
  const port = Number(ARGS.port);
  const file = String(ARGS['backends-file']);
  const statsFile = ARGS['stats-file'] ? String(ARGS['stats-file']) : null;
  const apiKey = ARGS['api-key'] ? String(ARGS['api-key']) : null;
  const sticky = ARGS.sticky === true;
  let turn = 0;
  const stats = { requests_total: 0, errors_total: 0, latency_ms_total: 0, per_replica: {}, recent: [] };
  const backends = () => {
    try {
      return JSON.parse(fs.readFileSync(file, 'utf8')).backends || [];
    } catch {
      return [];
    }
  };
  const record = (replica, ms, ok) => {
    const now = Date.now();
    stats.requests_total++;
    if (!ok) stats.errors_total++;
    stats.latency_ms_total += ms;
    if (replica !== null) stats.per_replica[replica] = (stats.per_replica[replica] || 0) + 1;
    stats.recent = stats.recent.filter((t) => t > now - 60000).concat(now);
    if (!statsFile) return;
    try {
      fs.writeFileSync(statsFile + '.tmp', JSON.stringify({ ...stats, recent: undefined, requests_last_minute: stats.recent.length, at: now / 1000 }));
      fs.renameSync(statsFile + '.tmp', statsFile);
    } catch {}
  };
  const probe = (b) =>
    new Promise((resolve) => {
      const req = http.get({ host: '127.0.0.1', port: b.port, path: '/health', timeout: 2000 }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (text += c));
        res.on('end', () => {
          let body = null;
          try {
            body = JSON.parse(text);
          } catch {}
          resolve({ ok: res.statusCode === 200, body });
        });
      });
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', () => resolve({ ok: false, body: null }));
    });
  const forward = (b, req, body, res) =>
    new Promise((resolve, reject) => {
      const up = http.request(
        { host: '127.0.0.1', port: b.port, method: req.method, path: req.url, headers: { ...req.headers, host: '127.0.0.1:' + b.port } },
        (answer) => {
          res.writeHead(answer.statusCode || 502, { ...answer.headers, 'x-served-by': 'replica-' + b.replica });
          answer.pipe(res);
          answer.on('end', () => resolve(answer.statusCode || 502));
          answer.on('error', () => resolve(502));
        }
      );
      up.on('error', reject);
      up.end(body);
    });
  const server = http.createServer(async (req, res) => {
    const url = (req.url || '/').split('?')[0];
    const list = backends();
    if (req.method === 'GET' && url === '/health') {
      const results = await Promise.all(list.map(probe));
      const ready = results.filter((r) => r.ok).length;
      if (ready > 0) return sendJson(res, 200, { status: 'ok', replicas: list.length, ready });
      const phase = results.map((r) => r.body && r.body.status).find(Boolean) || 'unavailable';
      const progress = results.map((r) => r.body && r.body.progress).find((p) => typeof p === 'number') || 0;
      return sendJson(res, 503, { status: phase, progress, replicas: list.length, ready: 0 });
    }
    if (apiKey && req.headers.authorization !== 'Bearer ' + apiKey) {
      return sendJson(res, 401, { error: 'Unauthorized' });
    }
    const started = Date.now();
    const body = await readRaw(req, 48 * 1024 * 1024);
    if (body === null) return sendJson(res, 413, { error: 'request too large' });
    const first = sticky ? 0 : turn++;
    for (let i = 0; i < list.length; i++) {
      const b = list[(first + i) % list.length];
      try {
        const status = await forward(b, req, body, res);
        return record(b.replica, Date.now() - started, status < 400);
      } catch {
        if (res.headersSent) return record(b.replica, Date.now() - started, false);
      }
    }
    record(null, Date.now() - started, false);
    sendJson(res, 503, { error: 'no replica is serving' });
  });
  server.on('error', (err) => fail('balancer could not listen on ' + port + ': ' + err.message));
  server.listen(port, '127.0.0.1', () => {
    process.title = 'model-server balance';
    log('INFO: balancing :' + port + ' over ' + backends().length + ' replica(s)');
  });
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(signal, () => process.exit(0));
}

if (COMMAND === 'serve') serve().catch((err) => fail(String((err && err.stack) || err)));
else if (COMMAND === 'balance') balance();
else {
  process.stderr.write('usage: model-server serve --runtime R --model ID --port P [--replica N] | balance --port P --backends-file F\n');
  process.exit(2);
}
`;
