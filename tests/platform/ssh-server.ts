/**
 * A real ssh2 server on loopback for the SSH client tests: public-key auth against one authorized key, and
 * `exec` running the command with bash, like an instance's sshd. A fixture, not a mock of the client.
 */
import { spawn } from 'node:child_process';
import { timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Server, utils, type Connection, type ParsedKey } from 'ssh2';
import { generateRunKeyPair } from '../../src/platform/keys';

export interface TestSshServer {
  port: number;
  /** TCP connections accepted so far. */
  connections: number;
  /** Commands requested so far (dropped ones included). */
  execs: number;
  close(): Promise<void>;
}

export interface TestSshServerOptions {
  /** OpenSSH public key line allowed to log in. */
  authorizedKey: string;
  /** Listen on this port (default: any free one). */
  port?: number;
  /** `drop`: close the connection as soon as a command is requested (a host reset mid-command). */
  onExec?: 'run' | 'drop';
  /** With `run`: drop this many commands first, then run the rest (sessions lost to a flaky host). @default 0 */
  dropFirst?: number;
}

export async function startSshServer(opts: TestSshServerOptions): Promise<TestSshServer> {
  const allowed = utils.parseKey(opts.authorizedKey) as ParsedKey;
  const allowedBlob = allowed.getPublicSSH();
  const clients = new Set<Connection>();
  const state = { connections: 0, execs: 0 };
  const hostKey = generateRunKeyPair('test-host').privateKey;

  const server = new Server({ hostKeys: [hostKey] }, (client) => {
    state.connections++;
    clients.add(client);
    client.on('close', () => clients.delete(client));
    client.on('error', () => {});
    client.on('authentication', (ctx) => {
      if (ctx.method !== 'publickey') return ctx.reject(['publickey']);
      const sameKey =
        ctx.key.algo === allowed.type &&
        ctx.key.data.length === allowedBlob.length &&
        timingSafeEqual(ctx.key.data, allowedBlob);
      if (!sameKey) return ctx.reject();
      if (ctx.signature && ctx.blob && allowed.verify(ctx.blob, ctx.signature, ctx.hashAlgo) !== true)
        return ctx.reject();
      ctx.accept();
    });
    client.on('ready', () => {
      client.on('session', (acceptSession) => {
        const session = acceptSession();
        session.on('exec', (accept, _reject, info) => {
          const stream = accept();
          state.execs++;
          if (opts.onExec === 'drop' || state.execs <= (opts.dropFirst ?? 0)) return client.end();
          const child = spawn('bash', ['-c', info.command], { stdio: ['ignore', 'pipe', 'pipe'] });
          child.stdout.on('data', (d: Buffer) => stream.write(d));
          child.stderr.on('data', (d: Buffer) => stream.stderr.write(d));
          child.on('close', (code) => {
            stream.exit(code ?? 255);
            stream.end();
          });
          stream.on('close', () => child.kill('SIGKILL'));
        });
      });
    });
  });

  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    get connections() {
      return state.connections;
    },
    get execs() {
      return state.execs;
    },
    close() {
      for (const c of clients) c.end();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
