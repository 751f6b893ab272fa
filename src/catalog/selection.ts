import { SCENARIOS } from './scenarios';
import { closestName, SelectionError, validNames } from './selection-error';
import { tokenize, type Token } from './selection-lexer';
import { CATEGORIES, MARKERS, type Category, type Marker, type ScenarioSpec } from './types';

export { SelectionError } from './selection-error';

/**
 * Parsed selection expression. `name` matches a category or a marker (`failover` is both, and means either);
 * a single number is a range of one.
 */
export type SelectionAst =
  | { kind: 'all' }
  | { kind: 'range'; from: number; to: number }
  | { kind: 'name'; name: Category | Marker }
  | { kind: 'not'; operand: SelectionAst }
  | { kind: 'and' | 'or'; left: SelectionAst; right: SelectionAst };

const KEYWORDS = ['and', 'or', 'not', 'all'];
const NAMES: readonly string[] = [...new Set<string>([...CATEGORIES, ...MARKERS])];
const EXPECTED_TERM = "expected a scenario number, range, category, marker, 'all', 'not' or '('";

/**
 * Parses a pytest `-m` style expression: numbers (`7`), ranges (`1-15`), comma lists (`1-15,53`, a union),
 * categories, markers and `all`, combined with `not` > `and` > `or` and parentheses; keywords and names are
 * case-insensitive. A comma binds tighter than `not`, so `not 1-3,7` excludes all four scenarios. An empty
 * expression is `all`. Scenario numbers are checked against `catalog`.
 * @throws {SelectionError} naming the bad token and its column.
 */
export function parseSelection(expr: string, catalog: readonly ScenarioSpec[] = SCENARIOS): SelectionAst {
  const tokens = tokenize(expr);
  if (tokens.length === 0) return { kind: 'all' };
  const parser = new Parser(expr, tokens, new Set(catalog.map((s) => s.id)));
  return parser.parse();
}

/** Whether `spec` is selected by `ast`. */
export function matchesSelection(ast: SelectionAst, spec: ScenarioSpec): boolean {
  switch (ast.kind) {
    case 'all':
      return true;
    case 'range':
      return spec.id >= ast.from && spec.id <= ast.to;
    case 'name':
      return spec.category === ast.name || (spec.markers as string[]).includes(ast.name);
    case 'not':
      return !matchesSelection(ast.operand, spec);
    case 'and':
      return matchesSelection(ast.left, spec) && matchesSelection(ast.right, spec);
    case 'or':
      return matchesSelection(ast.left, spec) || matchesSelection(ast.right, spec);
  }
}

/** Canonical, fully parenthesised text of `ast` (for logs and to show how an expression was read). */
export function formatSelection(ast: SelectionAst): string {
  switch (ast.kind) {
    case 'all':
      return 'all';
    case 'range':
      return ast.from === ast.to ? String(ast.from) : `${ast.from}-${ast.to}`;
    case 'name':
      return ast.name;
    case 'not':
      return `(not ${formatSelection(ast.operand)})`;
    default:
      return `(${formatSelection(ast.left)} ${ast.kind} ${formatSelection(ast.right)})`;
  }
}

/**
 * The scenarios of `catalog` that `expr` selects, ordered by id. `undefined`, blank and `all` select everything.
 * @throws {SelectionError} when the expression is invalid or selects no scenario.
 */
export function selectScenarios(
  expr: string | undefined,
  catalog: readonly ScenarioSpec[] = SCENARIOS
): ScenarioSpec[] {
  const ast = parseSelection(expr ?? '', catalog);
  const selected = catalog.filter((spec) => matchesSelection(ast, spec)).sort((a, b) => a.id - b.id);
  if (selected.length === 0) {
    throw new SelectionError(`selection '${(expr ?? '').trim()}' matches no scenario`, expr ?? '');
  }
  return selected;
}

/** Recursive descent over the token list; one instance per parse. */
class Parser {
  private index = 0;
  private depth = 0;
  private readonly minId: number;
  private readonly maxId: number;

  constructor(
    private readonly expr: string,
    private readonly tokens: readonly Token[],
    private readonly ids: ReadonlySet<number>
  ) {
    this.minId = Math.min(...ids);
    this.maxId = Math.max(...ids);
  }

  parse(): SelectionAst {
    const ast = this.parseOr();
    const extra = this.peek();
    if (extra?.kind === 'rparen')
      this.fail(`unbalanced parenthesis: ')' at column ${extra.column} has no matching '('`, extra);
    if (extra) this.fail(`unexpected '${extra.text}' at column ${extra.column}; expected 'and', 'or' or ','`, extra);
    return ast;
  }

  private parseOr(): SelectionAst {
    let left = this.parseAnd();
    while (this.isKeyword(this.peek(), 'or')) {
      this.index++;
      left = { kind: 'or', left, right: this.parseAnd() };
    }
    return left;
  }

  private parseAnd(): SelectionAst {
    let left = this.parseNot();
    while (this.isKeyword(this.peek(), 'and')) {
      this.index++;
      left = { kind: 'and', left, right: this.parseNot() };
    }
    return left;
  }

  private parseNot(): SelectionAst {
    if (this.isKeyword(this.peek(), 'not')) {
      this.index++;
      return { kind: 'not', operand: this.parseNot() };
    }
    return this.parseList();
  }

  private parseList(): SelectionAst {
    let left = this.parseAtom();
    while (this.peek()?.kind === 'comma') {
      this.index++;
      left = { kind: 'or', left, right: this.parseAtom() };
    }
    return left;
  }

  private parseAtom(): SelectionAst {
    const token = this.next();
    switch (token.kind) {
      case 'lparen':
        return this.parseGroup(token);
      case 'number':
        return this.parseRange(token);
      case 'word':
        return this.parseName(token);
      case 'rparen':
        if (this.depth === 0)
          this.fail(`unbalanced parenthesis: ')' at column ${token.column} has no matching '('`, token);
        return this.fail(`unexpected ')' at column ${token.column}; ${EXPECTED_TERM}`, token);
      default:
        return this.fail(`unexpected '${token.text}' at column ${token.column}; ${EXPECTED_TERM}`, token);
    }
  }

  private parseGroup(open: Token): SelectionAst {
    this.depth++;
    const inner = this.parseOr();
    const close = this.peek();
    if (!close) this.fail(`unbalanced parenthesis: '(' at column ${open.column} is never closed`, open);
    if (close.kind !== 'rparen') this.fail(`unexpected '${close.text}' at column ${close.column}; expected ')'`, close);
    this.index++;
    this.depth--;
    return inner;
  }

  private parseRange(first: Token): SelectionAst {
    const from = this.checkId(first);
    if (this.peek()?.kind !== 'dash') return { kind: 'range', from, to: from };
    this.index++;
    const last = this.next();
    if (last.kind !== 'number') {
      this.fail(`incomplete range '${first.text}-' at column ${first.column}; expected a number after '-'`, first);
    }
    const to = this.checkId(last);
    if (from > to) this.fail(`range ${from}-${to} is reversed at column ${first.column}`, first, `${from}-${to}`);
    return { kind: 'range', from, to };
  }

  private parseName(token: Token): SelectionAst {
    const word = token.text.toLowerCase();
    if (word === 'all') return { kind: 'all' };
    if (NAMES.includes(word)) return { kind: 'name', name: word as Category | Marker };
    if (KEYWORDS.includes(word)) {
      this.fail(`unexpected '${token.text}' at column ${token.column}; ${EXPECTED_TERM}`, token);
    }
    const hint = closestName(word, NAMES);
    const suggestion = hint ? `; did you mean '${hint}'?` : '';
    return this.fail(
      `unknown category or marker '${token.text}' at column ${token.column} ${validNames()}${suggestion}`,
      token
    );
  }

  private checkId(token: Token): number {
    const id = Number(token.text);
    if (!this.ids.has(id)) {
      this.fail(`scenario ${id} does not exist (${this.minId}-${this.maxId}) at column ${token.column}`, token);
    }
    return id;
  }

  private peek(): Token | undefined {
    return this.tokens[this.index];
  }

  /** The next token; running out here means the expression stopped mid-way, after the previous token. */
  private next(): Token {
    const token = this.tokens[this.index];
    if (token) {
      this.index++;
      return token;
    }
    const previous = this.tokens[this.index - 1];
    return this.fail(`unexpected end of expression after '${previous.text}' at column ${previous.column}`, previous);
  }

  private isKeyword(token: Token | undefined, keyword: string): boolean {
    return token?.kind === 'word' && token.text.toLowerCase() === keyword;
  }

  private fail(message: string, token: Token, text = token.text): never {
    throw new SelectionError(message, this.expr, token.column, text);
  }
}
