/** Polls `condition` until it holds or `timeoutMs` passes (then throws naming `what`). */
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  opts: { timeoutMs: number; intervalMs?: number; what: string }
): Promise<void> {
  const deadline = Date.now() + opts.timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${opts.timeoutMs} ms waiting for ${opts.what}`);
    await new Promise((resolve) => setTimeout(resolve, opts.intervalMs ?? 50));
  }
}
