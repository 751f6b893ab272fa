/**
 * One instance's SSH endpoint: an ssh2 server on a loopback port (the instance's own across stop and start, as
 * VAST's proxy keeps it), user `root`, public-key auth with real signature checks against the instance's
 * authorised keys, `exec` (and a plain `shell`) run through a callback, and the SFTP subsystem
 * (`./sftp-server.ts`). Closing it drops every open connection, as a container stop does.
 */
import type { AddressInfo } from 'node:net';
import { Server, utils, type Connection, type ParsedKey, type ServerChannel } from 'ssh2';
import { serveSftp } from './sftp-server';

export interface SshHostOptions {
  /** The port to listen on, 0 for a random one; a taken port falls back to a random one. @default 0 */
  port?: number;
  /** The SFTP subsystem's working directory (the instance's home); without it `sftp` is refused. */
  sftpHome?: string;
  /** PEM/OpenSSH private host key (one ed25519 key per simulator). */
  hostKey: string;
  /** OpenSSH public key lines allowed to log in, read at each attempt (keys can be added later). */
  authorizedKeys: () => string[];
  /** Drawn per accepted TCP connection: true closes it at once (the ssh-reset fault). */
  shouldReset: () => boolean;
  /**
   * Runs one command on an accepted exec (or shell, with `command` null) channel; `connection.drop()`
   * closes the whole SSH connection at once (the ssh-drop-after-start fault).
   */
  exec: (
    command: string | null,
    channel: ServerChannel,
    env: Record<string, string>,
    connection: { drop(): void }
  ) => void;
}

export interface SshHost {
  port: number;
  /** Stops listening and drops every connection. */
  close(): Promise<void>;
}

/** Parses OpenSSH public key lines, skipping unparsable ones. */
export function parsePublicKeys(lines: readonly string[]): ParsedKey[] {
  const keys: ParsedKey[] = [];
  for (const line of lines) {
    const parsed = utils.parseKey(line);
    if (parsed instanceof Error) continue;
    keys.push(...(Array.isArray(parsed) ? parsed : [parsed]));
  }
  return keys;
}

/** Listens on `port` of 127.0.0.1; rejects with the listen error. */
function listen(server: Server, port: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** Starts an SSH server on 127.0.0.1, on `opts.port` when it is free, else on a random port. */
export async function startSshHost(opts: SshHostOptions): Promise<SshHost> {
  const connections = new Set<Connection>();
  const server = new Server({ hostKeys: [opts.hostKey] }, (client) => {
    connections.add(client);
    client.on('close', () => connections.delete(client));
    // A client vanishing mid-handshake must not crash the simulator.
    client.on('error', () => undefined);
    if (opts.shouldReset()) {
      dropConnection(client);
      return;
    }
    client.on('authentication', (ctx) => {
      if (ctx.username !== 'root' || ctx.method !== 'publickey') return ctx.reject(['publickey']);
      const key = parsePublicKeys(opts.authorizedKeys()).find((k) => k.getPublicSSH().equals(ctx.key.data));
      if (!key) return ctx.reject(['publickey']);
      // Without a signature the client only asks whether the key would do; with one, it must verify.
      if (!ctx.signature) return ctx.accept();
      if (!ctx.blob || key.verify(ctx.blob, ctx.signature, ctx.hashAlgo) !== true) return ctx.reject(['publickey']);
      ctx.accept();
    });
    const connection = { drop: () => dropConnection(client) };
    client.on('ready', () => {
      client.on('request', (_accept, reject) => reject?.());
      client.on('tcpip', (_accept, reject) => reject());
      client.on('session', (acceptSession) => {
        const session = acceptSession();
        const env: Record<string, string> = {};
        session.on('env', (accept, _reject, info) => {
          env[info.key] = info.val;
          accept?.();
        });
        session.on('pty', (accept) => accept?.());
        session.on('window-change', (accept) => accept?.());
        session.on('exec', (accept, _reject, info) => opts.exec(info.command, accept(), env, connection));
        session.on('shell', (accept) => opts.exec(null, accept(), env, connection));
        session.on('sftp', (accept, reject) => {
          if (opts.sftpHome === undefined) return reject();
          serveSftp(accept(), opts.sftpHome);
        });
        session.on('subsystem', (_accept, reject) => reject());
      });
    });
  });
  try {
    await listen(server, opts.port ?? 0);
  } catch (err) {
    if (!opts.port || (err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
    await listen(server, 0);
  }
  server.on('error', () => undefined);
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const client of connections) dropConnection(client);
      }),
  };
}

/** Ends a connection and destroys its socket, so the peer sees the drop at once. */
function dropConnection(client: Connection): void {
  try {
    client.end();
  } catch {
    // Already closed.
  }
  // ssh2 keeps the socket private; destroying it makes the drop immediate even mid-handshake.
  (client as unknown as { _sock?: { destroy(): void } })._sock?.destroy();
}
