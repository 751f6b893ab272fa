import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, DefaultLogger, Runtime, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { findTemporalBinary, findTestServerBinary } from '../../src/client/temporal-binary';
import { WORKFLOW_INTERCEPTOR_MODULES } from '../../src/workflow-bundle';
import { SEARCH_ATTRIBUTE_KEYS } from '../../src/workflows/search-attributes';

const REPO_ROOT = path.resolve(__dirname, '..', '..');

// Worker state changes and bundler chatter at INFO drown test output; warnings and errors still show.
try {
  Runtime.install({ logger: new DefaultLogger('WARN') });
} catch {
  // already installed in this process
}

/** Entry module of every workflow the worker registers (written by the workflows' owner). */
export const WORKFLOWS_PATH = path.join(REPO_ROOT, 'src', 'workflows', 'index.ts');

/**
 * A real Temporal dev server (the `temporal` CLI from `.tools/venv` or PATH) on a random loopback port, in memory,
 * with our search attributes registered. Never downloads: `existing-path` is mandatory offline.
 * Call `teardown()` in `afterAll`.
 */
export async function createTestEnv(): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: findTemporalBinary() },
      ip: '127.0.0.1',
      searchAttributes: SEARCH_ATTRIBUTE_KEYS,
      log: { format: 'pretty', level: 'warn' },
    },
  });
}

/**
 * The Java time-skipping test server (`.tools/venv/bin/temporal-test-server` or PATH), for tests that need timers to
 * fire at once. Time is global to the environment: use one per test file and run its tests serially.
 */
export async function createTimeSkippingTestEnv(): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: findTestServerBinary() } },
  });
}

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;

/**
 * The workflow bundle of `src/workflows/index.ts`, built once per test process (webpack takes seconds) and shared by
 * every worker: pass `workflowBundle: await bundleWorkflowsOnce()` to `Worker.create`. A failed build is not
 * memoised, so the next caller sees the real error again instead of a stale rejection.
 */
export function bundleWorkflowsOnce(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflowCode({
    workflowsPath: WORKFLOWS_PATH,
    workflowInterceptorModules: WORKFLOW_INTERCEPTOR_MODULES,
    logger: new DefaultLogger('WARN'),
  }).catch((err: unknown) => {
    bundle = undefined;
    throw err;
  });
  return bundle;
}
