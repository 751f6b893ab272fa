import { AsyncLocalStorage } from 'node:async_hooks';
import { MAX_NOTES } from '../workflows/retry-envelope';

/**
 * The retryable platform errors met during one activity execution (the clients retry some in place). They are
 * heartbeated while the activity runs, so the Web UI shows what is being retried; added to the activity's failure
 * when it fails, and to its result when it succeeds (`mapFailures`), so the history keeps them either way.
 */
interface Notes {
  list: string[];
  /** Every note ever made in this execution, including those dropped from `list`. */
  count: number;
}

const notes = new AsyncLocalStorage<Notes>();

/** Runs `work` with its own list of retry notes. */
export function withRetryNotes<T>(work: () => Promise<T>): Promise<T> {
  return notes.run({ list: [], count: 0 }, work);
}

/** Records a retryable error met by the current activity (no-op outside one). */
export function noteRetry(message: string): void {
  const store = notes.getStore();
  if (!store) return;
  store.count += 1;
  store.list.push(message);
  if (store.list.length > MAX_NOTES) store.list.splice(0, store.list.length - MAX_NOTES);
}

/** The current activity's notes, newest last (the last {@link MAX_NOTES}). */
export function retryNotes(): readonly string[] {
  return notes.getStore()?.list ?? [];
}

/** How many retryable errors the current activity met in all. */
export function retryCount(): number {
  return notes.getStore()?.count ?? 0;
}
