/**
 * Item 8: the secret scan. Everything a run leaves where people (or a CI log) can read it: every workflow history
 * (payloads decoded), failure message, search attribute and memo on the Temporal server, every report and log file,
 * and the simulator's state. Searched for the secrets themselves (password, VAST key, Dumont token, key-derivation
 * secret, object-store secret, each suite's derived SSH private key) and for their shapes (a PEM private key, a JWT).
 */
import type { Client } from '@temporalio/client';
import fs from 'node:fs';
import path from 'node:path';
import { runKeyLabel } from '../src/labels';
import { deriveRunKeyPair } from '../src/platform/keys';

/** A secret to look for, by name (the name goes in reports; the value never does). */
export interface Needle {
  name: string;
  value: string;
}

/** Text from one place: `where` says which (`history <workflowId>`, `file <path>`, `sim state`). */
export interface Source {
  where: string;
  text: string;
}

/** A secret found: which one, and where. */
export interface Hit {
  secret: string;
  where: string;
}

/** Shapes no harness output may contain, whatever the values. */
const SHAPES: { name: string; re: RegExp }[] = [
  { name: 'a PEM private key', re: /-----BEGIN [A-Z ]*PRIVATE KEY-----/ },
  { name: 'a JWT', re: /eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}/ },
];

/** Every secret and shape found in `sources`. Needles shorter than 8 characters are refused (they would match noise). */
export function findSecrets(sources: readonly Source[], needles: readonly Needle[]): Hit[] {
  for (const n of needles) {
    if (n.value.length < 8) throw new Error(`secret ${n.name} is too short to search for (${n.value.length} chars)`);
  }
  const hits: Hit[] = [];
  for (const s of sources) {
    for (const n of needles) if (s.text.includes(n.value)) hits.push({ secret: n.name, where: s.where });
    for (const shape of SHAPES) if (shape.re.test(s.text)) hits.push({ secret: shape.name, where: s.where });
  }
  return hits;
}

/** The base64 lines of a suite's derived SSH private key (all but the fixed first line), as every worker derives it. */
export function suiteKeyNeedles(keySecret: string, suiteIds: readonly string[]): Needle[] {
  return suiteIds.flatMap((id) => {
    const { privateKey } = deriveRunKeyPair(keySecret, id, runKeyLabel(id));
    const lines = privateKey.split('\n').filter((l) => /^[A-Za-z0-9+/=]{16,}$/.test(l));
    return lines.slice(1).map((value, i) => ({ name: `ssh private key of ${id} (line ${i + 2})`, value }));
  });
}

/** Every string and byte payload (decoded as UTF-8) inside `value`, so base64-encoded payloads are searched too. */
export function textOf(value: unknown, out: string[] = []): string[] {
  if (value instanceof Uint8Array) out.push(Buffer.from(value).toString('utf8'));
  else if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) textOf(v, out);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) textOf(v, out);
  return out;
}

/**
 * One source per workflow on the server (`query` narrows them): its whole history (inputs, results, failures,
 * markers), its search attributes and its memo. Returns the sources and the workflow ids seen.
 */
export async function temporalSources(client: Client, query?: string): Promise<{ sources: Source[]; ids: string[] }> {
  const sources: Source[] = [];
  const ids: string[] = [];
  for await (const wf of client.workflow.list(query ? { query } : {})) {
    ids.push(wf.workflowId);
    const handle = client.workflow.getHandle(wf.workflowId, wf.runId);
    const history = await handle.fetchHistory();
    sources.push({ where: `history ${wf.workflowId}`, text: textOf(history).join('\n') });
    sources.push({
      where: `search attributes and memo of ${wf.workflowId}`,
      text: textOf([wf.searchAttributes, wf.memo, JSON.stringify(wf.searchAttributes ?? {})]).join('\n'),
    });
  }
  return { sources, ids };
}

/**
 * One source per file under `dirs` (recursively), except the files whose job is to hold a secret (`skip`, matched
 * against the base name). Files over `maxBytes` are read up to it.
 */
export function fileSources(dirs: readonly string[], skip: readonly string[], maxBytes = 256 * 1024 * 1024): Source[] {
  const out: Source[] = [];
  const walk = (p: string): void => {
    const st = fs.statSync(p, { throwIfNoEntry: false });
    if (!st) return;
    if (st.isDirectory()) {
      for (const name of fs.readdirSync(p)) walk(path.join(p, name));
    } else if (st.isFile() && !skip.includes(path.basename(p))) {
      const fd = fs.openSync(p, 'r');
      try {
        const buf = Buffer.alloc(Math.min(st.size, maxBytes));
        fs.readSync(fd, buf, 0, buf.length, 0);
        out.push({ where: `file ${p}`, text: buf.toString('latin1') });
      } finally {
        fs.closeSync(fd);
      }
    }
  };
  for (const d of dirs) walk(d);
  return out;
}
