/**
 * The campaign's secret scan (chaos/secret-scan.ts), on a run with transient faults: nothing in the histories (payloads,
 * failures), search attributes, memos, the worker's data dir, the reports or the simulator's state; and the same scan
 * finds each secret once planted, in a memo, a workflow input, a report file and a log line.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileSources, findSecrets, suiteKeyNeedles, temporalSources, type Needle } from '../../chaos/secret-scan';
import { writeReports } from '../../src/client/reporters';
import { objectStoreCredentials } from '../../src/sim/core/object-store/credentials';
import type { SuiteResult } from '../../src/workflows/types';
import { SIM_API_KEY, SIM_KEY_SECRET, SIM_USER, useSimWorker } from '../helpers/harness';

const t = useSimWorker({ faultRate: 0.2, seed: 16 });

async function login(): Promise<string> {
  const res = await fetch(`${t.h.sim.dumontUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(SIM_USER),
  });
  return ((await res.json()) as { token: string }).token;
}

describe('secret scan', () => {
  it('finds nothing after a run with faults, and finds every planted secret', { timeout: 240_000 }, async () => {
    const suiteId = `secret-scan-${t.h.taskQueue}`;
    const result = (await t.env.client.workflow.execute('SuiteWorkflow', {
      taskQueue: t.h.taskQueue,
      workflowId: suiteId,
      args: [{ select: '3,7,53', target: 'sim', maxParallel: 3, timeScale: t.h.timeScale }],
    })) as SuiteResult;
    expect(result.scenarios).toHaveLength(3);
    expect(t.h.sim.state().faults.injected).not.toEqual({}); // the faults did fire
    const reportsDir = path.join(t.h.dataDir, 'reports');
    await writeReports(result, {
      json: path.join(reportsDir, 'report.json'),
      junit: path.join(reportsDir, 'junit.xml'),
      html: path.join(reportsDir, 'report.html'),
    });
    const token = await login();
    const needles: Needle[] = [
      { name: 'the VAST API key', value: SIM_API_KEY },
      { name: 'the Dumont password', value: SIM_USER.password },
      { name: 'a Dumont token signature', value: token.split('.')[2]! },
      { name: 'the key-derivation secret', value: SIM_KEY_SECRET },
      { name: 'the object-store secret key', value: objectStoreCredentials(SIM_API_KEY).secretAccessKey },
      ...suiteKeyNeedles(SIM_KEY_SECRET, [suiteId]),
    ];
    const query = `WorkflowId STARTS_WITH "${suiteId}"`;
    const scan = async () => {
      const { sources, ids } = await temporalSources(t.env.client, query);
      const files = fileSources([t.h.dataDir], []);
      const sim = { where: 'simulator state', text: JSON.stringify(t.h.sim.state()) };
      return { hits: findSecrets([...sources, ...files, sim], needles), ids, files };
    };
    const clean = await scan();
    expect(clean.ids.length).toBe(1 + result.scenarios.length);
    expect(clean.files.map((f) => path.basename(f.where))).toContain('report.json');
    expect(clean.hits).toEqual([]);

    // Planted: a memo, a workflow input, a line of a report, a log line. Each must be found where it was put.
    const planted = await t.env.client.workflow.start('SuiteWorkflow', {
      taskQueue: `nobody-polls-${process.pid}`,
      workflowId: `${suiteId}-planted`,
      args: [{ select: '1', note: SIM_API_KEY }],
      memo: { note: `password ${SIM_USER.password}` },
    });
    fs.appendFileSync(path.join(reportsDir, 'junit.xml'), `<!-- ${token} -->\n`);
    const keyLine = suiteKeyNeedles(SIM_KEY_SECRET, [suiteId])[0]!.value;
    fs.writeFileSync(path.join(t.h.dataDir, 'worker.log'), `debug: key ${keyLine}\n`);
    const dirty = await scan();
    await planted.terminate('planted secrets');
    const found = dirty.hits.map((h) => `${h.secret} @ ${h.where.replace(t.h.dataDir, '<data>')}`);
    expect(found).toEqual(
      expect.arrayContaining([
        `the VAST API key @ history ${suiteId}-planted`,
        `the Dumont password @ search attributes and memo of ${suiteId}-planted`,
        `a Dumont token signature @ file <data>/reports/junit.xml`,
        `a JWT @ file <data>/reports/junit.xml`,
        `ssh private key of ${suiteId} (line 2) @ file <data>/worker.log`,
      ])
    );
  });

  it('refuses a needle too short to mean anything', () => {
    expect(() => findSecrets([{ where: 'x', text: 'abc' }], [{ name: 'tiny', value: 'abc' }])).toThrow(/too short/);
  });
});
