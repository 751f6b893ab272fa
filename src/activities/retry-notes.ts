import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The retryable platform errors met during one activity execution (the clients retry some in place). They are
 * heartbeated while the activity runs, so the Web UI shows what is being retried, and added to the activity's
 * failure when it fails, so the history keeps them.
 */
const notes = new AsyncLocalStorage<string[]>();

/** Runs `work` with its own list of retry notes. */
export function withRetryNotes<T>(work: () => Promise<T>): Promise<T> {
  return notes.run([], work);
}

/** Records a retryable error met by the current activity (no-op outside one). */
export function noteRetry(message: string): void {
  const list = notes.getStore();
  if (!list) return;
  list.push(message);
  if (list.length > 20) list.splice(0, list.length - 20);
}

/** The current activity's notes, newest last. */
export function retryNotes(): readonly string[] {
  return notes.getStore() ?? [];
}
