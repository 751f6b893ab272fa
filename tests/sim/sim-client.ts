/** Small real-HTTP and real-SSH helpers for the simulator tests (loopback only). */
import fs from 'node:fs';
import { generateRunKeyPair } from '../../src/platform/keys';
import { Client } from 'ssh2';
import type { RunningSim } from '../../src/sim';
import { waitFor } from '../helpers/wait-for';

export interface HttpReply {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  text: string;
  contentType: string;
  headers: Headers;
}

/** One HTTP call; `auth` is a bearer token. Resolves with the status and the parsed (or raw) body. */
export async function call(
  base: string,
  method: string,
  path: string,
  opts: { auth?: string; body?: unknown; rawBody?: string } = {}
): Promise<HttpReply> {
  const headers: Record<string, string> = {};
  if (opts.auth) headers.authorization = `Bearer ${opts.auth}`;
  if (opts.body !== undefined || opts.rawBody !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${base}${path}`, {
    method,
    headers,
    body: opts.rawBody ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body)),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON (VAST's plain-text 429, nginx 5xx pages).
  }
  return {
    status: response.status,
    body,
    text,
    contentType: response.headers.get('content-type') ?? '',
    headers: response.headers,
  };
}

/** A VAST-face client bound to a sim's API key. */
export function vast(sim: RunningSim, apiKey: string) {
  return (method: string, path: string, body?: unknown) => call(sim.vastUrl, method, path, { auth: apiKey, body });
}

/** A Dumont-face client with a token. */
export function dumont(sim: RunningSim, token: string) {
  return (method: string, path: string, body?: unknown) => call(sim.dumontUrl, method, path, { auth: token, body });
}

/** A fresh ed25519 key pair in OpenSSH formats. */
export function newKeyPair(): { privateKey: string; publicKey: string } {
  return generateRunKeyPair('sim-test');
}

export interface ExecResult {
  code: number | null;
  signal?: string;
  stdout: string;
  stderr: string;
}

/** Connects as root with `privateKey` (to `host`, the loopback by default); rejects on auth failure or a drop. */
export function sshConnect(port: number, privateKey: string, host = '127.0.0.1'): Promise<Client> {
  return new Promise((resolve, reject) => {
    const client = new Client();
    client.on('ready', () => resolve(client));
    client.on('error', reject);
    client.on('close', () => reject(new Error('connection closed before ready')));
    client.connect({ host, port, username: 'root', privateKey, readyTimeout: 5_000 });
  });
}

/** Runs one command over an open connection. */
export function execOn(client: Client, command: string): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    client.exec(command, (err, stream) => {
      if (err) return reject(err);
      let stdout = '';
      let stderr = '';
      let code: number | null = null;
      let signal: string | undefined;
      stream.on('data', (d: Buffer) => (stdout += d.toString()));
      stream.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      stream.on('exit', (c: number | null, s?: string) => {
        code = c;
        signal = s;
      });
      stream.on('close', () => resolve({ code, signal, stdout, stderr }));
    });
  });
}

/** Connects, runs one command, disconnects. */
export async function sshExec(
  port: number,
  privateKey: string,
  command: string,
  host = '127.0.0.1'
): Promise<ExecResult> {
  const client = await sshConnect(port, privateKey, host);
  try {
    return await execOn(client, command);
  } finally {
    client.end();
  }
}

/** Whether a pid is a live (non-zombie) process on this machine. */
export function isAlive(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** Polls a VAST instance row until `pred` holds. */
export async function waitForInstance(
  sim: RunningSim,
  apiKey: string,
  id: number,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  pred: (row: any) => boolean,
  timeoutMs = 5_000
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
): Promise<any> {
  return waitFor(
    async () => {
      const reply = await call(sim.vastUrl, 'GET', `/api/v0/instances/${id}/`, { auth: apiKey });
      return reply.status === 200 && pred(reply.body.instances) ? reply.body.instances : undefined;
    },
    { timeoutMs, what: `instance ${id} condition` }
  );
}

/** Rents the cheapest on-demand offer matching `filter` through VAST; returns the instance id and offer. */
export async function rent(
  sim: RunningSim,
  apiKey: string,
  filter: Record<string, unknown>,
  create: Record<string, unknown> = {}
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
): Promise<{ id: number; offer: any }> {
  const search = await call(sim.vastUrl, 'POST', '/api/v0/bundles/', {
    auth: apiKey,
    body: { ...filter, order: [['dph_total', 'asc']], limit: 1 },
  });
  const offer = search.body.offers[0];
  if (!offer) throw new Error(`no offer for ${JSON.stringify(filter)}`);
  const created = await call(sim.vastUrl, 'PUT', `/api/v0/asks/${offer.id}/`, {
    auth: apiKey,
    body: { image: 'vastai/base-image:latest', disk: 20, ...create },
  });
  if (created.status !== 200) throw new Error(`create failed: ${created.status} ${created.text}`);
  return { id: created.body.new_contract, offer };
}
