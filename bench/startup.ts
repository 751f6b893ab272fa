/**
 * Benchmark 6, second half: how long `dumont-e2e worker` takes to be ready (polling its task queues), bundling the
 * workflow code at start (no cached bundle) against the prebuilt bundle under the data dir (src/workflow-bundle.ts).
 */
import { rmSync } from 'node:fs';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { bundleDir } from '../src/workflow-bundle';
import { cpuMsOf, REPO_ROOT, runCli, stopChild } from './lib/proc';
import { ratio, seconds } from './lib/stats';
import type { BenchStack } from './lib/stack';

export interface StartupResult {
  /** Spawn → `worker ready`, bundling at start. */
  bundlingS: number;
  /** Spawn → `worker ready`, with the bundle built by the previous start (median of the samples). */
  prebuiltS: number;
  prebuiltSamplesS: number[];
  /** bundling ÷ prebuilt. */
  speedup: number;
  /** CPU seconds the worker used until ready (what the machine's load does not stretch), both ways. */
  bundlingCpuS: number;
  prebuiltCpuS: number;
}

/** Starts a second worker attached to the running stack and resolves with the ms until it says it is ready. */
async function workerReadyMs(stack: BenchStack): Promise<{ wallMs: number; cpuMs: number }> {
  const started = performance.now();
  const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin', 'dumont-e2e.cjs'), 'worker'], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...stack.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  try {
    return await new Promise((resolve, reject) => {
      const onData = (b: Buffer) => {
        out += b.toString();
        if (/worker ready/.test(out))
          resolve({ wallMs: performance.now() - started, cpuMs: cpuMsOf(child.pid!) ?? NaN });
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      child.once('exit', (code) => reject(new Error(`worker exited ${code} before ready:\n${out.slice(-2000)}`)));
    });
  } finally {
    await stopChild(child);
  }
}

export async function benchStartup(stack: BenchStack, log: (line: string) => void): Promise<StartupResult> {
  // Alone (--only startup), nothing started the stack yet.
  if (!(await stack.pids()).worker) {
    const up = await runCli(['stack', 'up'], stack.env, { timeoutMs: 180_000 });
    if (up.code !== 0) throw new Error(`stack up failed (exit ${up.code}):\n${up.lines.slice(-10).join('\n')}`);
  }
  rmSync(bundleDir(stack.dataDir), { recursive: true, force: true });
  const bundling = await workerReadyMs(stack);
  log(`  worker ready, bundling at start: ${seconds(bundling.wallMs)} s (${seconds(bundling.cpuMs)} s CPU)`);
  const samples: { wallMs: number; cpuMs: number }[] = [];
  for (let i = 0; i < 3; i++) samples.push(await workerReadyMs(stack));
  const prebuilt = [...samples].sort((a, b) => a.wallMs - b.wallMs)[1]!;
  log(`  worker ready, prebuilt bundle: ${samples.map((x) => seconds(x.wallMs)).join(', ')} s`);
  return {
    bundlingS: seconds(bundling.wallMs),
    prebuiltS: seconds(prebuilt.wallMs),
    prebuiltSamplesS: samples.map((x) => seconds(x.wallMs)),
    speedup: ratio(bundling.wallMs, prebuilt.wallMs),
    bundlingCpuS: seconds(bundling.cpuMs),
    prebuiltCpuS: seconds(prebuilt.cpuMs),
  };
}
