/** Activities of the bench's bare workflows: as little as an activity can be. */

/** Does nothing; returns 1 so the caller has something to keep. */
export async function emptyActivity(): Promise<number> {
  return 1;
}
