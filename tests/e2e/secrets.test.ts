/**
 * Secrets live only in the worker's environment: no API key, password, JWT, key-derivation secret or (derived) SSH
 * private key may appear anywhere in workflow histories (inputs, results, failures, search attributes), nor in the
 * reports.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toHtmlReport, toJsonReport, toJunitXml } from '../../src/client/reporters';
import { runKeyLabel } from '../../src/labels';
import { deriveRunKeyPair } from '../../src/platform/keys';
import type { SuiteResult } from '../../src/workflows/types';
import { SIM_API_KEY, SIM_KEY_SECRET, SIM_USER, startSimWorker } from '../helpers/harness';
import { createTestEnv } from '../helpers/temporal-env';

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await createTestEnv();
});
afterAll(async () => {
  await env?.teardown();
});

/** Every string and every byte payload (decoded) in a history, so base64-encoded payloads are searched too. */
function textOf(value: unknown, out: string[] = []): string[] {
  if (value instanceof Uint8Array) out.push(Buffer.from(value).toString('utf8'));
  else if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) textOf(v, out);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) textOf(v, out);
  return out;
}

describe('secrets', () => {
  it('never reach workflow histories or reports', { timeout: 180_000 }, async () => {
    const h = await startSimWorker(env);
    try {
      const workflowId = `secrets-${h.taskQueue}`;
      const result = (await env.client.workflow.execute('SuiteWorkflow', {
        taskQueue: h.taskQueue,
        workflowId,
        args: [{ select: '3,7', target: 'sim', timeScale: h.timeScale }],
      })) as SuiteResult;
      expect(result.scenarios.map((s) => s.status)).toEqual(['passed', 'passed']);
      const token = await fetch(`${h.sim.dumontUrl}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(SIM_USER),
      }).then(async (r) => ((await r.json()) as { token: string }).token);
      const ids = [workflowId, ...result.scenarios.map((s) => s.workflowId)];
      const texts: string[] = [];
      for (const id of ids) textOf(await env.client.workflow.getHandle(id).fetchHistory(), texts);
      texts.push(JSON.stringify(toJsonReport(result)), toJunitXml(result), toHtmlReport(result));
      const all = texts.join('\n');
      expect(all).toContain('create-custom-image'); // the search does see decoded payloads
      // The suite's private key, as every worker derives it: every base64 line but the first (a fixed header).
      const { privateKey } = deriveRunKeyPair(SIM_KEY_SECRET, workflowId, runKeyLabel(workflowId));
      const privateLines = privateKey.split('\n').filter((l) => /^[A-Za-z0-9+/=]{16,}$/.test(l));
      expect(privateLines.length).toBeGreaterThan(3);
      const secrets = [SIM_API_KEY, SIM_USER.password, token.split('.')[2], 'PRIVATE KEY', SIM_KEY_SECRET];
      for (const secret of [...secrets, ...privateLines.slice(1)]) {
        expect(all.includes(secret), `found ${secret.slice(0, 6)}… in histories or reports`).toBe(false);
      }
    } finally {
      await h.stop();
    }
  });
});
