/**
 * What `run` says on signals (tests/cli/run-signals.test.ts drives the real processes): the lines a second signal
 * prints for each target and phase, and the cleanup progress lines.
 */
import { describe, expect, it } from 'vitest';
import {
  createCleanupPrinter,
  handleRunSignals,
  LEAVE_WAIT_MS,
  leaveNowLines,
  SIGNAL_EXIT_CODE,
  sweepCommand,
} from '../../src/client/run-interrupt';

const SUITE = 'e2e-20261130-120000-ab12';

describe('leaving at once (second signal)', () => {
  it('on sim: the suite, its label prefix, who finishes the cleanup, the sweep command', () => {
    const lines = leaveNowLines('SIGINT', {
      target: 'sim',
      suiteId: SUITE,
      running: [`${SUITE}/s001-create-rtx-4090`],
      stackStartedHere: true,
    });
    expect(lines[0]).toBe(
      `SIGINT again: leaving now. Suite ${SUITE} may still hold rented resources labelled dumont-e2e/${SUITE}/ ` +
        '(still cleaning up: s001-create-rtx-4090)'
    );
    expect(lines.join('\n')).toMatch(/local stack's worker, which keeps running/);
    expect(lines.join('\n')).toContain('npx dumont-e2e stack down');
    expect(lines.at(-1)).toBe(
      '  to destroy whatever it left once its workflow is closed: npx dumont-e2e sweep --target sim'
    );
  });

  it('on dumont: the workflow stays open until a worker with the credentials runs; sweep with --target dumont', () => {
    const lines = leaveNowLines('SIGTERM', { target: 'dumont', suiteId: SUITE, running: [], stackStartedHere: false });
    expect(lines[0]).toMatch(/^SIGTERM again: leaving now\. .* labelled dumont-e2e\/e2e-20261130-120000-ab12\/$/);
    expect(lines[1]).toMatch(/stays open \(cancel requested\).*npx dumont-e2e worker' with DUMONT_E2E_TARGET=dumont/);
    expect(lines.at(-1)).toContain(sweepCommand('dumont'));
    expect(sweepCommand('dumont')).toBe('npx dumont-e2e sweep --target dumont');
  });

  it('before the suite started, and after it closed, nothing is said to be rented', () => {
    expect(leaveNowLines('SIGINT', { target: 'sim', running: [], stackStartedHere: false })).toEqual([
      'SIGINT again: leaving now; no suite was started, nothing was rented by this run',
    ]);
    const closed = leaveNowLines('SIGINT', {
      target: 'dumont',
      suiteId: SUITE,
      closed: true,
      running: [],
      stackStartedHere: false,
    });
    expect(closed).toHaveLength(1);
    expect(closed[0]).toMatch(/already closed \(its cleanup ran\)/);
  });

  it('exit codes are 128 + the signal number', () => {
    expect(SIGNAL_EXIT_CODE).toEqual({ SIGINT: 130, SIGTERM: 143 });
  });
});

describe("the second signal and the first one's cancel", () => {
  /** Two SIGINTs through the real handlers (process.emit calls the listeners; no signal is sent). */
  async function twoSignals(pending: Promise<unknown>): Promise<{ lines: string[]; code: number; waitedMs: number }> {
    const lines: string[] = [];
    let exited: (code: number) => void = () => undefined;
    const exit = new Promise<number>((resolve) => (exited = resolve));
    const signals = handleRunSignals({
      log: (line) => lines.push(line),
      onFirst: () => undefined,
      state: () => ({ target: 'sim', suiteId: SUITE, running: [], stackStartedHere: false }),
      pending: () => pending,
      exit: (code) => exited(code),
    });
    try {
      process.emit('SIGINT');
      const second = Date.now();
      process.emit('SIGINT');
      const code = await exit;
      return { lines, code, waitedMs: Date.now() - second };
    } finally {
      signals.dispose();
    }
  }

  it('waits for the cancel request in flight, then leaves', async () => {
    let acknowledge: () => void = () => undefined;
    const pending = new Promise<void>((resolve) => (acknowledge = resolve));
    const left = twoSignals(pending);
    setTimeout(() => acknowledge(), 50);
    const { lines, code } = await left;
    expect(code).toBe(130);
    expect(lines.join('\n')).toContain(`SIGINT again: leaving now. Suite ${SUITE}`);
    expect(lines.join('\n')).not.toContain('not acknowledged');
  });

  it('leaves after a bounded wait when the cancel is never acknowledged, and says how to cancel for sure', async () => {
    const { lines, code, waitedMs } = await twoSignals(new Promise(() => undefined));
    expect(code).toBe(130);
    expect(waitedMs).toBeGreaterThanOrEqual(LEAVE_WAIT_MS - 50);
    expect(lines.at(-1)).toBe(
      `  the cancel request was not acknowledged; to be sure: temporal workflow cancel --workflow-id ${SUITE}`
    );
  });
});

describe('cleanup progress', () => {
  it('a line when the set of scenarios still cleaning up changes, again every 15 s, then the final sweep', () => {
    const lines: string[] = [];
    let now = 0;
    const print = createCleanupPrinter(
      (l) => lines.push(l),
      () => now
    );
    const two = [`${SUITE}/s001-create-rtx-4090`, `${SUITE}/s002-create-cheapest-rtx-3080`];
    print({ suiteId: SUITE, running: two });
    now = 5_000;
    print({ suiteId: SUITE, running: two });
    now = 16_000;
    print({ suiteId: SUITE, running: two });
    print({ suiteId: SUITE, running: two.slice(1) });
    print({ suiteId: SUITE, running: [] });
    expect(lines).toEqual([
      '  cleaning up: 2 scenarios still destroying what they rented (s001-create-rtx-4090, s002-create-cheapest-rtx-3080)',
      '  cleaning up: 2 scenarios still destroying what they rented (s001-create-rtx-4090, s002-create-cheapest-rtx-3080)',
      '  cleaning up: 1 scenario still destroying what it rented (s002-create-cheapest-rtx-3080)',
      `  final sweep: destroying anything still labelled dumont-e2e/${SUITE}/, then the final audit`,
    ]);
  });
});
