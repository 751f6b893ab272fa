import { SelectionError } from './selection-error';

/** One lexical token of a selection expression; `column` is 1-based. */
export interface Token {
  kind: 'number' | 'word' | 'dash' | 'comma' | 'lparen' | 'rparen';
  text: string;
  column: number;
}

const SINGLE: Record<string, Token['kind']> = { '-': 'dash', ',': 'comma', '(': 'lparen', ')': 'rparen' };

/**
 * Splits an expression into tokens. Words may contain `-` and `_` so that a misspelt name such as `cost-high`
 * is reported whole rather than as `cost` followed by a stray dash.
 */
export function tokenize(expression: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < expression.length) {
    const ch = expression[i];
    if (/\s/.test(ch)) {
      i++;
    } else if (/[0-9]/.test(ch)) {
      const text = /^[0-9]+/.exec(expression.slice(i))![0];
      tokens.push({ kind: 'number', text, column: i + 1 });
      i += text.length;
    } else if (/[A-Za-z_]/.test(ch)) {
      const text = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(expression.slice(i))![0];
      tokens.push({ kind: 'word', text, column: i + 1 });
      i += text.length;
    } else if (ch in SINGLE) {
      tokens.push({ kind: SINGLE[ch], text: ch, column: i + 1 });
      i++;
    } else {
      throw new SelectionError(`unexpected character '${ch}' at column ${i + 1}`, expression, i + 1, ch);
    }
  }
  return tokens;
}
