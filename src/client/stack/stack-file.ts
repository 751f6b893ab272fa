import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { OperationalError } from '../operational-error';

const temporalRecord = z.object({
  address: z.string(),
  uiUrl: z.string().nullable(),
  /** null when the server was already running and is not ours. */
  pid: z.number().int().positive().nullable(),
  /** false: somebody else's server; `stack down` leaves it alone. */
  startedByUs: z.boolean(),
});

const simRecord = z.object({
  vastUrl: z.string(),
  dumontUrl: z.string(),
  /** The object store's S3 endpoint (the bucket and keys derive from the simulator's API key); absent in older files. */
  objectStoreUrl: z.string().optional(),
  pid: z.number().int().positive(),
  timeScale: z.number().positive(),
  /** The simulator's profile (`dumont-e2e sim --profile`); files written before profiles existed ran the default. */
  profile: z.string().min(1).default('ideal'),
});

const workerRecord = z.object({
  pid: z.number().int().positive(),
  // What the worker was started against: a change means it must be restarted, not reused.
  temporalAddress: z.string(),
  dumontUrl: z.string(),
  simPid: z.number().int().positive(),
  timeScale: z.number().positive(),
});

const stackFileSchema = z.object({
  temporal: temporalRecord.nullable(),
  sim: simRecord.nullable(),
  worker: workerRecord.nullable(),
  startedAt: z.string(),
});

export type TemporalRecord = z.infer<typeof temporalRecord>;
export type SimRecord = z.infer<typeof simRecord>;
export type WorkerRecord = z.infer<typeof workerRecord>;
/** Contents of `.data/stack.json`: what the local stack started, so `down` and `status` work from any process. */
export type StackFile = z.infer<typeof stackFileSchema>;

/**
 * Writes JSON so that a reader never sees half a file: a temp file in the same directory, then rename (atomic on
 * one filesystem). `mode` applies from creation, so a secret is never readable by others, not even briefly.
 */
export function writeJsonAtomic(file: string, value: unknown, mode = 0o644): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(value, null, 2)}\n`, { mode });
  fs.chmodSync(tmp, mode); // writeFileSync's mode is filtered by the umask
  fs.renameSync(tmp, file);
}

/**
 * Reads the stack file; `null` when there is none.
 *
 * @throws Error naming the file when it exists but is not a stack file (hand-edited or from another version).
 */
export function readStackFile(file: string): StackFile | null {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new OperationalError(`${file} is not valid JSON; stop any leftover processes by hand and delete it`);
  }
  const parsed = stackFileSchema.safeParse(json);
  if (!parsed.success) {
    throw new OperationalError(
      `${file} is not a stack file (${parsed.error.issues[0]?.message ?? 'bad shape'}); delete it`
    );
  }
  return parsed.data;
}

/** Writes the stack file atomically (a simulator record without a profile ran the default one). */
export function writeStackFile(file: string, stack: z.input<typeof stackFileSchema>): void {
  writeJsonAtomic(file, stack);
}

/** Removes the stack file (after `down`); a missing file is fine. */
export function removeStackFile(file: string): void {
  fs.rmSync(file, { force: true });
}
