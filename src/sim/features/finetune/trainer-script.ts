/**
 * The training process a fine-tune runs inside its instance (a Node script, since the simulator's instances run
 * real processes): it reads the dataset the platform copied there, trains `totalSteps` steps from `startStep` at the
 * rate of the GPUs it was given (one rank per GPU, each a process of its own), logs loss and step as it goes, writes a
 * checkpoint every `saveSteps` steps and the adapter at the end; each rank keeps `ranks/rank-N.json` (its pid and step)
 * current on the instance's disk. The loss curve is noisy but deterministic: a
 * decaying exponential whose start, floor and noise come from the dataset's SHA-256, so another dataset gives
 * another curve and a resumed run continues the same one.
 */

/** What the platform hands the script (a JSON file whose path is its argument). */
export interface TrainerConfig {
  datasetPath: string;
  totalSteps: number;
  startStep: number;
  saveSteps: number;
  /** Real milliseconds per step for the whole job (already divided among the ranks). */
  stepMs: number;
  ranks: number;
  logEvery: number;
  /** Where checkpoints (`checkpoints/checkpoint-N/`) and the final adapter (`output/`) are written. */
  outDir: string;
  loraRank: number;
}

export const TRAINER_SCRIPT = String.raw`'use strict';
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const { spawn } = require('child_process');
const cfg = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const rankEnv = process.env.FT_RANK;

function datasetInfo() {
  const body = fs.readFileSync(cfg.datasetPath);
  const records = body.toString('utf8').split('\n').filter((l) => l.trim() !== '').length;
  return { sha: crypto.createHash('sha256').update(body).digest('hex'), records };
}
const ds = datasetInfo();
const seed = Buffer.from(ds.sha, 'hex');
const lossStart = 2.2 + (seed[0] / 255) * 0.8;
const lossFloor = 0.35 + (seed[1] / 255) * 0.3;
const tau = Math.max(10, cfg.totalSteps / 3);
function unit(step) {
  return crypto.createHash('sha256').update(ds.sha + ':' + step).digest().readUInt32BE(0) / 4294967296;
}
function lossAt(step) {
  const smooth = lossFloor + (lossStart - lossFloor) * Math.exp(-step / tau);
  return Math.round(smooth * (1 + (unit(step) - 0.5) * 0.08) * 10000) / 10000;
}
function weights(step) {
  const size = cfg.loraRank * 8192;
  const out = Buffer.alloc(size);
  for (let off = 0, i = 0; off < size; off += 32, i++)
    crypto.createHash('sha256').update(ds.sha + ':' + step + ':' + i).digest().copy(out, off);
  return out;
}
function writeAdapter(dir, step, loss) {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'adapter_model.safetensors'), weights(step));
  fs.writeFileSync(
    path.join(dir, 'adapter_config.json'),
    JSON.stringify({ peft_type: 'LORA', r: cfg.loraRank, lora_alpha: cfg.loraRank, target_modules: ['q_proj', 'v_proj'] })
  );
  fs.writeFileSync(
    path.join(dir, 'trainer_state.json'),
    JSON.stringify({ global_step: step, loss, dataset_sha256: ds.sha, max_steps: cfg.totalSteps })
  );
}

function runRank(rank) {
  const tag = '[rank ' + rank + '/' + cfg.ranks + ']';
  const ranksDir = path.join(cfg.outDir, 'ranks');
  fs.mkdirSync(ranksDir, { recursive: true });
  console.log(tag + ' started at step ' + cfg.startStep + ' on GPU ' + rank);
  const t0 = Date.now();
  let step = cfg.startStep;
  const tick = () => {
    step++;
    const loss = lossAt(step);
    // Each rank's own progress, on the instance's disk (what someone logged in over SSH sees).
    // Written aside then renamed, so a reader never sees half a file.
    const rankFile = path.join(ranksDir, 'rank-' + rank + '.json');
    fs.writeFileSync(rankFile + '.tmp', JSON.stringify({ rank, pid: process.pid, step, gpu: rank }));
    fs.renameSync(rankFile + '.tmp', rankFile);
    if (step % cfg.logEvery === 0 || step === cfg.totalSteps || step === cfg.startStep + 1) {
      if (rank === 0)
        console.log('step ' + step + '/' + cfg.totalSteps + ' loss ' + loss.toFixed(4) + ' lr 0.000200 epoch ' +
          (step / cfg.totalSteps).toFixed(2));
      else console.log(tag + ' step ' + step + '/' + cfg.totalSteps);
    }
    if (rank === 0 && step % cfg.saveSteps === 0) {
      const name = 'checkpoint-' + step;
      writeAdapter(path.join(cfg.outDir, 'checkpoints', name), step, loss);
      console.log('checkpoint ' + name + ' step ' + step + ' loss ' + loss.toFixed(4));
    }
    if (step >= cfg.totalSteps) {
      if (rank === 0) {
        writeAdapter(path.join(cfg.outDir, 'output'), step, loss);
        console.log('done step ' + step + ' loss ' + loss.toFixed(4));
      } else console.log(tag + ' done step ' + step);
      return;
    }
    // An absolute schedule, so timer drift does not slow training down.
    setTimeout(tick, Math.max(0, t0 + (step - cfg.startStep) * cfg.stepMs - Date.now()));
  };
  if (step >= cfg.totalSteps) {
    // Resumed from a checkpoint at (or past) the target: nothing left to train.
    if (rank === 0) {
      writeAdapter(path.join(cfg.outDir, 'output'), step, lossAt(step));
      console.log('done step ' + step + ' loss ' + lossAt(step).toFixed(4));
    }
    return;
  }
  setTimeout(tick, cfg.stepMs);
}

if (rankEnv !== undefined) runRank(Number(rankEnv));
else {
  console.log('dataset: ' + ds.records + ' records sha256 ' + ds.sha);
  if (cfg.ranks <= 1) runRank(0);
  else {
    let left = cfg.ranks;
    let worst = 0;
    for (let r = 0; r < cfg.ranks; r++) {
      const child = spawn(process.execPath, [__filename, process.argv[2]], {
        env: { ...process.env, FT_RANK: String(r) },
        stdio: ['ignore', 'inherit', 'inherit'],
      });
      child.on('exit', (code) => {
        worst = Math.max(worst, code === null ? 1 : code);
        if (--left === 0) process.exit(worst);
      });
    }
  }
}
`;
