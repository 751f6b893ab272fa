import { defineScenario, must } from '../../kit';
import {
  awaitRecord,
  bootGpu,
  FAILOVER_BUDGET,
  fo,
  NO_GPU_PROBE,
  onEndpoint,
  onInstance,
  probeOn,
  provisionStandby,
  runOn,
  startSyncAndWait,
} from './helpers';

/** An inference-like HTTP server: a completion computed from the prompt and the model's weights. */
const SERVER = `import hashlib, http.server, json, os
home = os.path.expanduser('~')
model = open(os.path.join(home, 'model', 'weights.bin'), 'rb').read()
digest = hashlib.sha256(model).hexdigest()
class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers.get('Content-Length', 0))) or b'{}')
        completion = hashlib.sha256(model + body.get('prompt', '').encode()).hexdigest()[:24]
        data = json.dumps({'completion': completion, 'model_sha256': digest}).encode()
        self.send_response(200)
        self.send_header('Content-Type', 'application/json')
        self.send_header('Content-Length', str(len(data)))
        self.end_headers()
        self.wfile.write(data)
    def log_message(self, *args):
        pass
server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), Handler)
tmp = os.path.join(home, 'serve.port.tmp')
open(tmp, 'w').write(str(server.server_address[1]))
os.replace(tmp, os.path.join(home, 'serve.port'))
server.serve_forever()
`;

/** The client: waits for the server's port, sends one request, prints the answer. */
const CLIENT = `import json, os, sys, time, urllib.request
home = os.path.expanduser('~')
deadline = time.time() + 60
while True:
    try:
        port = open(os.path.join(home, 'serve.port')).read().strip()
        request = urllib.request.Request('http://127.0.0.1:%s/v1/completions' % port, data=json.dumps({'prompt': sys.argv[1]}).encode(), headers={'Content-Type': 'application/json'})
        print(urllib.request.urlopen(request, timeout=5).read().decode())
        break
    except Exception as e:
        if time.time() > deadline:
            print(json.dumps({'error': str(e)}))
            sys.exit(1)
        time.sleep(0.1)
`;

/** The instance's start command: (re)starts the server wherever the workspace is (the GPU, then the standby). */
const ONSTART = 'rm -f ~/serve.port; [ -f ~/serve.py ] && nohup python3 ~/serve.py > ~/serve.log 2>&1 &';

const PROMPT = 'What survives a failover?';

/**
 * 39 — A real request after failover: an inference-like HTTP server runs on the GPU; after its host fails, the same
 * request sent through the moved service endpoint gets the same completion, from the standby that took over.
 */
export const postFailoverValidationScenario = defineScenario(39, 'post-failover-validation', async (ctx) => {
  const gpu = await bootGpu(ctx, 'gpu', { onstart: ONSTART });
  const setup = await runOn(
    ctx,
    onInstance(gpu),
    'install-server',
    [
      'set -e',
      'mkdir -p model && head -c 262144 /dev/urandom > model/weights.bin',
      `cat > serve.py <<'PYEOF'\n${SERVER}PYEOF`,
      `cat > client.py <<'PYEOF'\n${CLIENT}PYEOF`,
      ONSTART,
      'echo installed',
    ].join('\n')
  );
  must(
    ctx.check(
      'server-started',
      'the inference server started on the GPU',
      setup.stdout.includes('installed'),
      setup.stderr
    ),
    'no server'
  );
  const asked = await probeOn(ctx, onInstance(gpu), `python3 client.py '${PROMPT}'`);
  let before: { completion?: string; model_sha256?: string } = {};
  try {
    before = JSON.parse(asked.stdout.trim().split('\n').pop() ?? '{}') as typeof before;
  } catch {
    // recorded below
  }
  must(
    ctx.check(
      'inference-before',
      'the server answers on the GPU',
      !!before.completion,
      asked.stdout.trim() || asked.stderr.trim()
    ),
    'no answer'
  );
  const standby = await provisionStandby(ctx, gpu);
  await startSyncAndWait(ctx, standby);
  const failure = await fo(ctx).simulateFailure({ gpuInstanceId: gpu.instanceId, reason: 'gpu_host_down' });
  await awaitRecord(ctx, failure.failover_id, {
    check: 'failover-completed',
    name: 'the platform detected the failure and failed over to the standby',
    budgetSeconds: FAILOVER_BUDGET,
  });
  const service = onEndpoint(standby.service, 'the service endpoint');
  const after = await probeOn(ctx, service, `${NO_GPU_PROBE}; python3 client.py '${PROMPT}'`);
  const answer = after.stdout.trim().split('\n').pop() ?? '';
  ctx.check(
    'inference-through-endpoint',
    'the same request through the moved endpoint gets the same completion',
    after.code === 0 && answer.includes(before.completion!) && answer.includes(before.model_sha256 ?? '-'),
    after.code === 0 ? `before ${before.completion}, after ${answer}` : after.stderr.trim()
  );
  ctx.check(
    'served-by-standby',
    'the answer came from the standby (no GPU behind the endpoint)',
    after.stdout.includes('gpu=no'),
    after.stdout.split('\n')[0] ?? after.stderr.trim()
  );
});
