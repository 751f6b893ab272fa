import { describe, expect, it } from 'vitest';
import {
  formatSelection,
  parseSelection,
  SCENARIOS,
  selectScenarios,
  SelectionError,
  type ScenarioSpec,
} from '../../src/catalog';

const ids = (expr: string | undefined) => selectScenarios(expr).map((s) => s.id);
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const has = (marker: string) => (s: ScenarioSpec) => (s.markers as string[]).includes(marker);

/** The SelectionError thrown by `expr`, so tests can assert on its message and fields. */
function errorOf(expr: string): SelectionError {
  try {
    selectScenarios(expr);
  } catch (err) {
    expect(err).toBeInstanceOf(SelectionError);
    return err as SelectionError;
  }
  throw new Error(`expected '${expr}' to be rejected`);
}

describe('selectScenarios: terms', () => {
  it('selects everything for undefined, blank and all, ordered by id', () => {
    expect(ids(undefined)).toEqual(range(1, 100));
    expect(ids('')).toEqual(range(1, 100));
    expect(ids('   ')).toEqual(range(1, 100));
    expect(ids('all')).toEqual(range(1, 100));
    expect(ids('ALL')).toEqual(range(1, 100));
  });

  it('selects numbers, ranges and comma lists (a union, deduplicated and ordered)', () => {
    expect(ids('7')).toEqual([7]);
    expect(ids('1-15')).toEqual(range(1, 15));
    expect(ids('1-15,53')).toEqual([...range(1, 15), 53]);
    expect(ids('53, 1 - 3 ,2')).toEqual([1, 2, 3, 53]);
    expect(ids('100')).toEqual([100]);
    expect(ids('5-5')).toEqual([5]);
  });

  it('selects categories and markers, case-insensitively', () => {
    expect(ids('lifecycle')).toEqual(range(1, 15));
    expect(ids('edge')).toEqual(range(96, 100));
    expect(ids('Models')).toEqual(range(65, 76));
    expect(ids('model')).toEqual(range(65, 76));
    expect(ids('failover')).toEqual(range(28, 42));
    expect(ids('cost_high')).toEqual(SCENARIOS.filter(has('cost_high')).map((s) => s.id));
    expect(ids('SLOW')).toEqual(SCENARIOS.filter(has('slow')).map((s) => s.id));
  });

  it('mixes names into comma lists', () => {
    expect(ids('edge,1')).toEqual([1, ...range(96, 100)]);
  });
});

describe('selectScenarios: operators', () => {
  it('applies and, or, not', () => {
    expect(ids('lifecycle and slow')).toEqual(SCENARIOS.filter((s) => s.id <= 15 && has('slow')(s)).map((s) => s.id));
    expect(ids('market or edge')).toEqual([...range(85, 90), ...range(96, 100)]);
    expect(ids('not real_gpu')).toEqual([85, 86, 87, 88, 90]);
    expect(ids('market and not real_gpu')).toEqual([85, 86, 87, 88, 90]);
    expect(ids('lifecycle and not slow')).not.toContain(8);
  });

  it('accepts keywords in any case', () => {
    expect(ids('Lifecycle AND NOT slow')).toEqual(ids('lifecycle and not slow'));
    expect(ids('1 Or 2')).toEqual([1, 2]);
  });

  it('binds not tighter than and, and and tighter than or', () => {
    expect(formatSelection(parseSelection('not 1 and 2 or 3'))).toBe('(((not 1) and 2) or 3)');
    expect(formatSelection(parseSelection('1 or 2 and 3'))).toBe('(1 or (2 and 3))');
    expect(ids('1 or 2 and 3')).toEqual([1]);
    expect(ids('not 1 and 1-3')).toEqual([2, 3]);
    expect(ids('not not 4')).toEqual([4]);
  });

  it('binds a comma tighter than not', () => {
    expect(formatSelection(parseSelection('not 1-3,7'))).toBe('(not (1-3 or 7))');
    expect(ids('lifecycle and not 1-3,7')).toEqual([4, 5, 6, 8, 9, 10, 11, 12, 13, 14, 15]);
  });

  it('groups with parentheses', () => {
    expect(ids('(1 or 2) and 2')).toEqual([2]);
    expect(ids('not (lifecycle or serverless) and 28-30')).toEqual([28, 29, 30]);
    expect(ids('((1))')).toEqual([1]);
    expect(ids('(1-3),(5)')).toEqual([1, 2, 3, 5]);
  });

  it('checks numbers against the given catalog', () => {
    const small = SCENARIOS.slice(0, 3);
    expect(selectScenarios('2-3', small).map((s) => s.id)).toEqual([2, 3]);
    expect(ids('4')).toEqual([4]);
    expect(() => selectScenarios('4', small)).toThrow('scenario 4 does not exist (1-3) at column 1');
  });
});

describe('selectScenarios: errors name the bad token and its column', () => {
  it('rejects an unknown name and lists the valid ones', () => {
    const err = errorOf('lifecyle');
    expect(err.message).toMatch(
      /^unknown category or marker 'lifecyle' at column 1 \(categories: lifecycle, serverless,/
    );
    expect(err.message).toContain('markers: real_gpu, slow, cost_high, failover, model)');
    expect(err.message).toContain("did you mean 'lifecycle'?");
    expect(err).toMatchObject({ column: 1, token: 'lifecyle', expression: 'lifecyle' });
    expect(errorOf('lifecycle and cost-high').message).toMatch(/'cost-high' at column 15 .*did you mean 'cost_high'/);
    expect(errorOf('1 or banana').message).not.toContain('did you mean');
  });

  it('rejects scenarios that do not exist', () => {
    expect(errorOf('101').message).toBe('scenario 101 does not exist (1-100) at column 1');
    expect(errorOf('0').message).toBe('scenario 0 does not exist (1-100) at column 1');
    expect(errorOf('90-120').message).toBe('scenario 120 does not exist (1-100) at column 4');
  });

  it('rejects reversed ranges', () => {
    const err = errorOf('lifecycle or 15-1');
    expect(err.message).toBe('range 15-1 is reversed at column 14');
    expect(err).toMatchObject({ column: 14, token: '15-1' });
  });

  it('rejects an expression that stops after an operator', () => {
    expect(errorOf('lifecycle and').message).toBe("unexpected end of expression after 'and' at column 11");
    expect(errorOf('1 or').message).toBe("unexpected end of expression after 'or' at column 3");
    expect(errorOf('not').message).toBe("unexpected end of expression after 'not' at column 1");
    expect(errorOf('1,').message).toBe("unexpected end of expression after ',' at column 2");
    expect(errorOf('1-').message).toBe("unexpected end of expression after '-' at column 2");
  });

  it('rejects unbalanced parentheses', () => {
    expect(errorOf('(1 or 2').message).toBe("unbalanced parenthesis: '(' at column 1 is never closed");
    expect(errorOf('1 or 2)').message).toBe("unbalanced parenthesis: ')' at column 7 has no matching '('");
    expect(errorOf(')').message).toBe("unbalanced parenthesis: ')' at column 1 has no matching '('");
  });

  it('rejects misplaced tokens and characters', () => {
    expect(errorOf('1 2').message).toBe("unexpected '2' at column 3; expected 'and', 'or' or ','");
    expect(errorOf('and 1').message).toMatch(/^unexpected 'and' at column 1; expected a scenario number/);
    expect(errorOf('1 and or 2').message).toMatch(/^unexpected 'or' at column 7;/);
    expect(errorOf('()').message).toMatch(/^unexpected '\)' at column 2;/);
    expect(errorOf('(1 2)').message).toBe("unexpected '2' at column 4; expected ')'");
    expect(errorOf('1-a').message).toMatch(/^incomplete range '1-' at column 1/);
    expect(errorOf('1 && 2').message).toBe("unexpected character '&' at column 3");
  });

  it('rejects a valid expression that selects nothing', () => {
    const err = errorOf('lifecycle and market');
    expect(err.message).toBe("selection 'lifecycle and market' matches no scenario");
    expect(errorOf('not all').message).toBe("selection 'not all' matches no scenario");
  });

  it('is a typed, named error', () => {
    const err = errorOf('nope');
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe('SelectionError');
  });
});
