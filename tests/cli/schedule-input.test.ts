/**
 * `schedule create --report-url` refuses a URL that would show credentials in the Web UI, before connecting to
 * anything (exit 2, one line naming the value without the credential).
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const CLI = path.resolve(__dirname, '..', '..', 'bin', 'dumont-e2e.cjs');

describe('schedule create --report-url', () => {
  it.each([
    ['https://user:secret@ci.example/{suite}/report.html', 'https://***@ci.example/{suite}/report.html'],
    ['https://ci.example/r.html?token=abc', 'https://ci.example/r.html?***'],
    ['ftp://x/r.html', 'ftp://x/r.html'],
  ])('rejects %s without echoing a credential', (url, shown) => {
    const r = spawnSync(process.execPath, [CLI, 'schedule', 'create', '--report-url', url], {
      env: { ...process.env, TEMPORAL_ADDRESS: '127.0.0.1:1' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`--report-url ${JSON.stringify(shown)}: expected an http(s):// or file:// URL`);
    expect(r.stderr).not.toMatch(/secret|abc/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});
