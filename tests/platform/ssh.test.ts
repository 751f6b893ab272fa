import { createServer, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AuthError,
  TransientPlatformError,
  generateRunKeyPair,
  isDroppedSession,
  probeSsh,
  sshExec,
  type SshTarget,
} from '../../src/platform';
import { closedPort, rejection } from './fixture-server';
import { startSshServer, type TestSshServer } from './ssh-server';

const key = generateRunKeyPair('ssh-test');
const otherKey = generateRunKeyPair('intruder');
const target = (port: number, privateKey = key.privateKey): SshTarget => ({
  host: '127.0.0.1',
  port,
  username: 'root',
  privateKey,
});

let sshd: TestSshServer;
beforeAll(async () => {
  sshd = await startSshServer({ authorizedKey: key.publicKey });
});
afterAll(() => sshd.close());

describe('sshExec', () => {
  it('runs a command with key auth and returns stdout, stderr and the exit code', async () => {
    const res = await sshExec(target(sshd.port), 'echo hello; echo oops >&2; exit 3');
    expect(res).toEqual({ code: 3, stdout: 'hello\n', stderr: 'oops\n' });
  });

  it('reports exit code 0 and multi-chunk output intact', async () => {
    const res = await sshExec(target(sshd.port), 'seq 1 20000');
    expect(res.code).toBe(0);
    expect(res.stdout.split('\n')).toHaveLength(20001);
  });

  it('fails fast with AuthError for a refused key, without retrying, and without leaking the key', async () => {
    const before = sshd.connections;
    const err = await rejection(sshExec(target(sshd.port, otherKey.privateKey), 'true', { connectRetryDelayMs: 10 }));
    expect(err).toBeInstanceOf(AuthError);
    expect(sshd.connections - before).toBe(1);
    const keyBody = otherKey.privateKey.split('\n')[1]!;
    expect(`${err.message} ${err.stack}`).not.toContain(keyBody);
  });

  it('gives up after connectAttempts with a TransientPlatformError', async () => {
    const err = await rejection(
      sshExec(target(await closedPort()), 'true', { connectAttempts: 3, connectRetryDelayMs: 10 })
    );
    expect(err).toBeInstanceOf(TransientPlatformError);
    expect(err).toMatchObject({ code: 'ECONNREFUSED', retryable: true });
  });

  it('retries the connection until a late server comes up', async () => {
    const port = await closedPort();
    // First a port that resets every connection (sshd not started yet), then the real server.
    let resets = 0;
    let twoResets!: () => void;
    const sawTwoResets = new Promise<void>((resolve) => (twoResets = resolve));
    const resetter = createServer((s: Socket) => {
      s.destroy();
      if (++resets === 2) twoResets();
    });
    await new Promise<void>((resolve) => resetter.listen(port, '127.0.0.1', resolve));

    const running = sshExec(target(port), 'echo late', { connectAttempts: 30, connectRetryDelayMs: 20 });
    await sawTwoResets;
    await new Promise<void>((resolve) => resetter.close(() => resolve()));
    const late = await startSshServer({ authorizedKey: key.publicKey, port });
    try {
      expect(await running).toEqual({ code: 0, stdout: 'late\n', stderr: '' });
      expect(resets).toBeGreaterThanOrEqual(2);
    } finally {
      await late.close();
    }
  });

  it('turns a connection dropped mid-command into a transient error that may have taken effect', async () => {
    const dropping = await startSshServer({ authorizedKey: key.publicKey, onExec: 'drop' });
    try {
      const err = await rejection(sshExec(target(dropping.port), 'echo never'));
      expect(err).toBeInstanceOf(TransientPlatformError);
      expect(err).toMatchObject({ mayHaveTakenEffect: true });
      // The address answered: a read-only probe may run it again rather than report the address as down.
      expect(isDroppedSession(err)).toBe(true);
    } finally {
      await dropping.close();
    }
  });

  it('enforces the command timeout', async () => {
    const err = await rejection(sshExec(target(sshd.port), 'sleep 10', { timeoutMs: 300 }));
    expect(err).toBeInstanceOf(TransientPlatformError);
    expect(err).toMatchObject({ code: 'ETIMEDOUT' });
  });
});

describe('probeSsh', () => {
  it('is true when the key is accepted and `true` runs', async () => {
    expect(await probeSsh(target(sshd.port), 5000)).toBe(true);
  });

  it('is false for a refused key or a closed port', async () => {
    expect(await probeSsh(target(sshd.port, otherKey.privateKey), 5000)).toBe(false);
    expect(await probeSsh(target(await closedPort()), 5000)).toBe(false);
  });

  it('tells a connection that never came up from a session dropped under its command', async () => {
    const err = await rejection(sshExec(target(await closedPort()), 'true', { connectAttempts: 1 }));
    expect(err).toBeInstanceOf(TransientPlatformError);
    expect(isDroppedSession(err)).toBe(false);
  });
});
