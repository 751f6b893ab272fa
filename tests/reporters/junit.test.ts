import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toJunitXml, writeJunitReport } from '../../src/client/reporters/junit';
import { fixtureSuite } from './fixture';
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

  it('has one testsuite per category, plus cleanup for suite-level leaks', () => {
    expect(findAll(root, 'testsuite').map((s) => s.attrs.name)).toEqual(['lifecycle', 'serverless', 'cleanup']);
  });

  it('has tests/failures/skipped attributes that match its test cases, at every level', () => {
    for (const suite of [root, ...findAll(root, 'testsuite')]) {
      const cases = findAll(suite, 'testcase');
      expect(suite.attrs.tests, suite.attrs.name).toBe(String(cases.length));
      expect(suite.attrs.failures).toBe(String(cases.filter((c) => count(c, 'failure') > 0).length));
      expect(suite.attrs.skipped).toBe(String(cases.filter((c) => count(c, 'skipped') > 0).length));
    }
    expect(root.attrs).toMatchObject({ tests: '6', failures: '3', skipped: '2' });
    const lifecycle = findAll(root, 'testsuite')[0];
    expect(lifecycle.attrs).toMatchObject({ tests: '3', failures: '2', skipped: '0', time: '40.445' });
  });

  it('names test cases by class and scenario key with their time in seconds', () => {
    expect(testcase('s001').attrs).toEqual({
      classname: 'dumont-e2e.lifecycle',
      name: 's001-create-rtx-4090 Create an RTX 4090 instance',
      time: '12.345',
    });
    expect(testcase('s016').attrs.classname).toBe('dumont-e2e.serverless');
  });

  it('reports a passed scenario with no failure or skip, and its checks in system-out', () => {
    const passed = testcase('s001');
    expect(count(passed, 'failure') + count(passed, 'skipped')).toBe(0);
    expect(findAll(passed, 'system-out')[0].text).toContain('[ok] gpu-model: RTX 4090');
    expect(findAll(passed, 'system-out')[0].text).toContain('metric sshReadySeconds = 31');
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
      'check billing-stopped failed: expected <gpu name="RTX 4090"> & got \'RTX 3080\'\nsee log; error: scenario failed: <billing> & "more"'
    );
    expect(failure.text).toContain('error: scenario failed: <billing> & "more"');
    expect(failure.text).not.toContain('paused');
  });

  it('fails a scenario for cleanup errors and leaks', () => {
    const [failure] = findAll(testcase('s002'), 'failure');
    expect(failure.attrs.message).toContain('cleanup error: destroy instance 42: 500 Failed to destroy');
    expect(failure.attrs.message).toContain('leaked: dumont-e2e/suite-1/s002/create (instance 42)');
  });

  it('fails the cleanup case with every distinct leaked resource', () => {
    const [failure] = findAll(testcase('no leaked resources'), 'failure');
    expect(failure.attrs.message).toBe(
      '2 resource(s) leaked: dumont-e2e/suite-1/s002/create (instance 42), dumont-e2e/suite-1/orphan (volume 7)'
    );
  });

  it('escapes raw markup and drops characters XML forbids', () => {
    const xml = toJunitXml(fixtureSuite());
    expect(xml).not.toContain('<gpu');
    expect(xml).not.toContain('<billing>');
    expect(xml).toContain('&lt;billing&gt; &amp; &quot;more&quot;');
    expect(xml).not.toContain('\u0007');
  });

  it('has no cleanup suite when nothing leaked at suite level', () => {
    const clean = parseXml(toJunitXml({ ...fixtureSuite(), leaked: [] }));
    expect(findAll(clean, 'testsuite').map((s) => s.attrs.name)).toEqual(['lifecycle', 'serverless']);
    expect(clean.attrs).toMatchObject({ tests: '5', failures: '2', skipped: '2' });
  });
});
