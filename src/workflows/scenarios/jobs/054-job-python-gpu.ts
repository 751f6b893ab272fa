import { defineScenario } from '../../kit';
import { awaitJob, checkCompleted, JOB_GPU, logsOf, recordJobMetrics, submitJob } from './helpers';

/** What the job's Python prints about CUDA, in one line the scenario parses. */
const SCRIPT = `python - <<'PY'
try:
    import torch
    ok = torch.cuda.is_available()
    count = torch.cuda.device_count() if ok else 0
    name = torch.cuda.get_device_name(0) if ok else "-"
    props = torch.cuda.get_device_properties(0) if ok else None
    mem = props.total_memory // (1024 * 1024) if props else 0
except ImportError as err:
    ok, count, name, mem = False, 0, "no torch (%s)" % err, 0
print("CUDA available=%s count=%d name=%s memory_mib=%d" % (ok, count, name, mem))
PY`;

/** 54 — A Python job sees CUDA through PyTorch: the device it names is the GPU the job asked for. */
export const jobPythonGpuScenario = defineScenario(54, 'job-python-gpu', async (ctx) => {
  const submitted = await submitJob(ctx, 'job', { command: SCRIPT });
  const job = await awaitJob(ctx, submitted, 'finished', 1200);
  checkCompleted(ctx, job);
  const line = (await logsOf(ctx, job)).split('\n').find((l) => l.startsWith('CUDA available='));
  const m = /^CUDA available=(\w+) count=(\d+) name=(.*) memory_mib=(\d+)/.exec(line ?? '');
  ctx.check(
    'cuda-visible',
    `PyTorch in the job sees a CUDA ${JOB_GPU}`,
    m !== null && m[1] === 'True' && Number(m[2]) >= 1 && m[3].includes(JOB_GPU) && Number(m[4]) > 0,
    line ?? 'the job printed no CUDA line'
  );
  recordJobMetrics(ctx, job);
});
