/** At most `size` holders at once; the others wait in arrival order. */
export interface Semaphore {
  /** Runs `work` once a slot is free, and frees it afterwards whatever happens. */
  run<T>(work: () => Promise<T>): Promise<T>;
  readonly waiting: number;
}

export function createSemaphore(size: number): Semaphore {
  if (!Number.isInteger(size) || size < 1) throw new Error(`semaphore size must be a positive integer, got ${size}`);
  let free = size;
  const queue: (() => void)[] = [];
  return {
    async run(work) {
      if (free > 0) free--;
      else await new Promise<void>((resolve) => queue.push(resolve));
      try {
        return await work();
      } finally {
        const next = queue.shift();
        if (next) next();
        else free++;
      }
    },
    get waiting() {
      return queue.length;
    },
  };
}
