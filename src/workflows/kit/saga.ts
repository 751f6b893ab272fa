/**
 * Compensations for one scenario. Each is registered BEFORE the step it undoes (the step may take effect and
 * still fail to answer), runs LIFO, and runs even when an earlier one failed; failures are collected and
 * returned, never swallowed. Callers run `compensate()` inside `CancellationScope.nonCancellable`.
 */
export interface Saga {
  /** Registers `undo` unless one is already registered under `name`. */
  add(name: string, undo: () => Promise<unknown>): void;
  /** Runs every registered compensation, newest first; returns `name: message` for each that failed. */
  compensate(): Promise<string[]>;
  readonly size: number;
}

export function createSaga(): Saga {
  const undos: { name: string; undo: () => Promise<unknown> }[] = [];
  return {
    add(name, undo) {
      // A step retried under the same name (same label) needs its compensation once.
      if (!undos.some((u) => u.name === name)) undos.unshift({ name, undo });
    },
    async compensate() {
      const errors: string[] = [];
      while (undos.length > 0) {
        const { name, undo } = undos.shift()!;
        try {
          await undo();
        } catch (err) {
          errors.push(`${name}: ${messageOf(err)}`);
        }
      }
      return errors;
    },
    get size() {
      return undos.length;
    },
  };
}

/** The innermost useful message of a (possibly wrapped) Temporal failure. */
export function messageOf(err: unknown): string {
  let e = err as { message?: string; cause?: unknown } | undefined;
  let msg = e?.message ?? String(err);
  while (e?.cause) {
    e = e.cause as { message?: string; cause?: unknown };
    if (e?.message) msg = e.message;
  }
  return msg;
}

/** `ApplicationFailure.type` of the innermost cause, if any. */
export function failureTypeOf(err: unknown): string | undefined {
  let e = err as { type?: string; cause?: unknown } | undefined;
  let type: string | undefined;
  while (e) {
    if (typeof e.type === 'string') type = e.type;
    e = e.cause as { type?: string; cause?: unknown } | undefined;
  }
  return type;
}

/** The first `details` entry of an `ApplicationFailure` of `type` in a (possibly wrapped) failure, if any. */
export function failureDetailsOf<T>(err: unknown, type: string): T | undefined {
  let e = err as { type?: string; details?: unknown[]; cause?: unknown } | undefined;
  while (e) {
    if (e.type === type && Array.isArray(e.details) && e.details.length > 0) return e.details[0] as T;
    e = e.cause as typeof e;
  }
  return undefined;
}
