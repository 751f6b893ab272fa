/**
 * A small synchronous event bus: the instance state machine emits, feature modules listen. Listeners run
 * in registration order; one that throws is logged and skipped, because a feature's bug must never leave
 * an instance half-way through a transition.
 */

/** Stateful: listeners by event type. */
export class EventBus<E extends { type: string }> {
  private readonly listeners = new Map<string, Set<(event: E) => void>>();

  constructor(private readonly onListenerError: (type: string, err: unknown) => void) {}

  /** Subscribes to one event type; returns the unsubscribe function. */
  on<T extends E['type']>(type: T, listener: (event: Extract<E, { type: T }>) => void): () => void {
    const set = this.listeners.get(type) ?? new Set();
    this.listeners.set(type, set);
    const fn = listener as (event: E) => void;
    set.add(fn);
    return () => set.delete(fn);
  }

  /** Calls every listener of `event.type`, synchronously. */
  emit(event: E): void {
    for (const listener of this.listeners.get(event.type) ?? []) {
      try {
        listener(event);
      } catch (err) {
        this.onListenerError(event.type, err);
      }
    }
  }
}
