import { CATEGORIES, MARKERS } from './types';

/**
 * A `--select` expression that cannot be parsed or selects nothing. The message names the offending token and
 * its 1-based column, so the CLI can print it as is; `column` and `token` carry the same facts for callers.
 */
export class SelectionError extends Error {
  override readonly name = 'SelectionError';

  constructor(
    message: string,
    /** The whole expression as the user wrote it. */
    readonly expression: string,
    /** 1-based column of the offending token, when there is one. */
    readonly column?: number,
    /** The offending token's text, when there is one. */
    readonly token?: string
  ) {
    super(message);
  }
}

/** `(categories: lifecycle, ...; markers: real_gpu, ...)`: appended where a name was not understood. */
export function validNames(): string {
  return `(categories: ${CATEGORIES.join(', ')}; markers: ${MARKERS.join(', ')})`;
}

/** The closest known name within two edits, for a "did you mean" hint. */
export function closestName(word: string, names: readonly string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const name of names) {
    const distance = editDistance(word, name);
    if (distance <= 2 && (best === undefined || distance < best.distance)) best = { name, distance };
  }
  return best?.name;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j] + 1, current[j - 1] + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length];
}
