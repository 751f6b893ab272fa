import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toJunitXml, writeJunitReport } from '../../src/client/reporters/junit';
import { fixtureSuite, S006_LEAKED, SUITE_LEAKED, VAST_WARNING } from './fixture';
import { findAll, parseXml, type XmlElement } from './xml';

let dir: string;
let root: XmlElement;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dumont-e2e-junit-'));
  const file = join(dir, 'sub', 'junit.xml');
  await writeJunitReport(fixtureSuite(), file);
  root = parseXml(await readFile(file, 'utf8'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const testcase = (prefix: string) => findAll(root, 'testcase').find((t) => t.attrs.name.startsWith(prefix))!;
const count = (el: XmlElement, name: string) => findAll(el, name).length;

describe('JUnit report', () => {
  it('is well-formed XML with a testsuites root', () => {
    expect(root.name).toBe('testsuites');
    expect(root.attrs).toMatchObject({ name: 'dumont-e2e', errors: '0', time: '95.500' });
  });

  it('has one testsuite per category, plus cleanup', () => {
    expect(findAll(root, 'testsuite').map((s) => s.attrs.name)).toEqual(['lifecycle', 'serverless', 'cleanup']);
  });

  it('has tests/failures/skipped attributes that match its test cases, at every level', () => {
    for (const suite of [root, ...findAll(root, 'testsuite')]) {
      const cases = findAll(suite, 'testcase');
      expect(suite.attrs.tests, suite.attrs.name).toBe(String(cases.length));
      expect(suite.attrs.failures).toBe(String(cases.filter((c) => count(c, 'failure') > 0).length));
      expect(suite.attrs.skipped).toBe(String(cases.filter((c) => count(c, 'skipped') > 0).length));
    }
    // 5 scenarios and the cleanup case, plus one case per check (failed checks fail their own case too).
    const checks = fixtureSuite().scenarios.flatMap((s) => s.checks);
    const failedChecks = checks.filter((c) => !c.ok).length;
    expect(root.attrs).toMatchObject({
      tests: String(6 + checks.length),
      failures: String(3 + failedChecks),
      skipped: '2',
    });
    const lifecycle = findAll(root, 'testsuite')[0];
    const lifecycleChecks = fixtureSuite()
      .scenarios.filter((s) => s.category === 'lifecycle')
      .flatMap((s) => s.checks);
    expect(lifecycle.attrs).toMatchObject({
      tests: String(3 + lifecycleChecks.length),
      failures: String(2 + lifecycleChecks.filter((c) => !c.ok).length),
      skipped: '0',
      time: '40.445',
    });
  });

  it('names test cases by class and scenario key with their time in seconds', () => {
    expect(testcase('s001').attrs).toEqual({
      classname: 'dumont-e2e.lifecycle',
      name: 's001-create-rtx-4090 Create an RTX 4090 instance',
      time: '12.345',
    });
    expect(testcase('s016').attrs.classname).toBe('dumont-e2e.serverless');
  });

  it('reports a passed scenario with no failure or skip, and its checks by id, metrics and warnings in system-out', () => {
    const passed = testcase('s001');
    expect(count(passed, 'failure') + count(passed, 'skipped')).toBe(0);
    const out = findAll(passed, 'system-out')[0].text;
    expect(out).toContain('[ok] [gpus-visible] nvidia-smi over SSH shows 1x RTX 4090: RTX 4090');
    expect(out).toContain('[ok] [ssh-ready] SSH ready ≤ 300 s: SSH ready 31 s ≤ 300 s (measured 31 s, limit ≤ 300 s)');
    expect(out).toContain('metric sshReadySeconds = 31');
    expect(out).toContain(`warning: ${VAST_WARNING}`);
  });

  it('gives limit checks and warnings as test case properties', () => {
    const props = (prefix: string) =>
      findAll(testcase(prefix), 'property').map((p) => [p.attrs.name, p.attrs.value] as [string, string]);
    expect(props('s001')).toEqual([
      ['check.ssh-ready', 'ok: measured 31 s, limit ≤ 300 s'],
      ['warning', VAST_WARNING],
    ]);
    expect(props('s006')).toEqual([['check.cold-start', 'FAILED: measured 412 s, limit ≤ 300 s']]);
    expect(count(testcase('s016'), 'properties')).toBe(0);
  });

  it('marks not-implemented as skipped, never passed', () => {
    const notImplemented = testcase('s016');
    expect(findAll(notImplemented, 'skipped').map((s) => s.attrs.message)).toEqual(['not implemented']);
    expect(count(notImplemented, 'failure')).toBe(0);
    expect(findAll(testcase('s021'), 'skipped')[0].attrs.message).toBe('budget spent');
  });

  it('lists the failed checks and the error in the failure, escaped and round-tripped', () => {
    const [failure] = findAll(testcase('s006'), 'failure');
    expect(failure.attrs.message).toBe(
      [
        'check [billing-stopped] no GPU billing while paused failed: expected <gpu name="RTX 4090"> & got \'RTX 3080\'\nsee log',
        'check [cold-start] cold start ≤ 300 s failed: cold start 412 s > 300 s',
        'error: scenario failed: <billing> & "more"',
        'cleanup error: destroy instance dumont-e2e/suite-1/s006/main: could not destroy instance after 4 tries',
        `leaked: ${S006_LEAKED}`,
      ].join('; ')
    );
    expect(failure.text).toContain('error: scenario failed: <billing> & "more"');
    expect(failure.text).not.toContain('[paused]');
  });

  it('fails a scenario for cleanup errors and leaks', () => {
    const [failure] = findAll(testcase('s002'), 'failure');
    expect(failure.attrs.message).toContain('cleanup error: destroy instance 42: 500 Failed to destroy');
    expect(failure.attrs.message).toContain('leaked: instance 42 dumont-e2e/suite-1/s002/create (at dumont, vast)');
  });

  it('fails the cleanup case with what is still alive after the final sweep', () => {
    const [failure] = findAll(testcase('no leaked resources'), 'failure');
    expect(failure.attrs.message).toBe(`2 resource(s) leaked: ${SUITE_LEAKED.join(', ')}`);
    expect(failure.text).toContain('final sweep: could not destroy instance dumont-e2e/suite-1/s002/create');
  });

  it('says in the cleanup case what the final sweep destroyed, its warnings and its error', () => {
    const cleanup = findAll(root, 'testsuite').find((s) => s.attrs.name === 'cleanup')!;
    expect(findAll(cleanup, 'system-out')[0].text.split('\n')).toEqual([
      'final sweep: destroyed 2, 1 warning(s), gave up',
      `destroyed: ${S006_LEAKED}`,
      'destroyed: ssh-key 5 dumont-e2e/suite-1/s000/ssh-key (at vast)',
      "warning: VAST's instance list was unusable, Dumont's was used: 502 <html>",
      'error: could not destroy instance dumont-e2e/suite-1/s002/create after 9 tries: 500 Failed to destroy',
      `leaked by its scenario: ${S006_LEAKED} (destroyed later by the final sweep)`,
    ]);
    const props = Object.fromEntries(findAll(cleanup, 'property').map((p) => [p.attrs.name, p.attrs.value]));
    expect(props).toMatchObject({
      'finalSweep.destroyed': '2',
      'finalSweep.warnings': '1',
      'finalSweep.error':
        'could not destroy instance dumont-e2e/suite-1/s002/create after 9 tries: 500 Failed to destroy',
    });
  });

  it('escapes raw markup and drops characters XML forbids', () => {
    const xml = toJunitXml(fixtureSuite());
    expect(xml).not.toContain('<gpu');
    expect(xml).not.toContain('<billing>');
    expect(xml).toContain('&lt;billing&gt; &amp; &quot;more&quot;');
    expect(xml).not.toContain('\u0007');
  });

  it('passes the cleanup case when nothing is alive at suite level after the final sweep', () => {
    const clean = parseXml(
      toJunitXml({
        ...fixtureSuite(),
        leaked: [],
        finalSweep: { destroyed: ['ssh-key 5 dumont-e2e/suite-1/s000/ssh-key (at vast)'], warnings: [] },
      })
    );
    expect(findAll(clean, 'testsuite').map((s) => s.attrs.name)).toEqual(['lifecycle', 'serverless', 'cleanup']);
    const checks = fixtureSuite().scenarios.flatMap((s) => s.checks);
    expect(clean.attrs).toMatchObject({
      tests: String(6 + checks.length),
      failures: String(2 + checks.filter((c) => !c.ok).length),
      skipped: '2',
    });
    const cleanup = findAll(clean, 'testcase').find((t) => t.attrs.name === 'no leaked resources')!;
    expect(count(cleanup, 'failure')).toBe(0);
    expect(findAll(cleanup, 'system-out')[0].text).toMatch(
      /^final sweep: destroyed 1, 0 warning\(s\)\ndestroyed: ssh-key 5/
    );
  });
});
