/**
 * The registry of platform defects: every `defects.ts` declaration, aggregated. PURE: workflow and catalog
 * code import it (a scenario names the defect it must catch and the check that defect breaks), so this file
 * and the declarations it imports use no Node builtin and no runtime module of the simulator.
 *
 * A defect changes what the platform does, never what cleanup through the VAST face can do: the harness
 * falls back to VAST `DELETE /instances/{id}/` (and `DELETE /volumes/`) when the Dumont face misbehaves.
 */
import { BILLING_DEFECTS } from './core/defects';
import type { DefectDeclaration } from './defect-types';
import { DUMONT_DEFECTS } from './dumont/defects';
import { FEATURE_DEFECTS } from './features/feature-defects';
import { INSTANCE_DEFECTS } from './instances/defects';

export type { DefectDeclaration, DefectScope } from './defect-types';

const DECLARED = [...INSTANCE_DEFECTS, ...DUMONT_DEFECTS, ...BILLING_DEFECTS, ...FEATURE_DEFECTS] as const;
type Declared = (typeof DECLARED)[number];

/** The name of a declared defect. */
export type DefectName = Declared['name'];

/** Name → declaration (`name`, `scenario`, `check`, `description`, `hook`, `scope`), in scenario order. */
export const DEFECTS: { readonly [N in DefectName]: Extract<Declared, { name: N }> } = Object.fromEntries(
  [...DECLARED].sort((a, b) => a.scenario - b.scenario).map((d) => [d.name, d])
) as { readonly [N in DefectName]: Extract<Declared, { name: N }> };

if (Object.keys(DEFECTS).length !== DECLARED.length) {
  const seen = new Set<string>();
  const twice = DECLARED.find((d) => (seen.has(d.name) ? true : (seen.add(d.name), false)));
  throw new Error(`defect "${twice?.name}" is declared twice`);
}

/** Every defect name, in scenario order. */
export const DEFECT_NAMES = Object.keys(DEFECTS) as DefectName[];

/** An active defect: for every resource, or only for those whose label starts with `labelPrefix`. */
export type DefectActivation = DefectName | { name: DefectName; labelPrefix: string };

/** What callers may pass: a name, `name@LABEL_PREFIX` (the CLI form), or `{ name, labelPrefix }`. */
export type DefectInput = string | { name: string; labelPrefix?: string | null };

/** True when `name` is a known defect. */
export function isDefectName(name: string): name is DefectName {
  return Object.prototype.hasOwnProperty.call(DEFECTS, name);
}

/** The declaration of `name`. */
export function defectDeclaration(name: DefectName): DefectDeclaration {
  return DEFECTS[name];
}

function unknownDefect(name: string): Error {
  return new Error(`unknown defect "${name}" (known: ${DEFECT_NAMES.join(', ')})`);
}

/** Validates defect names; throws an Error naming the first unknown one and listing the known ones. */
export function parseDefects(names: readonly string[]): DefectName[] {
  const out: DefectName[] = [];
  for (const name of names) {
    if (!isDefectName(name)) throw unknownDefect(name);
    if (!out.includes(name)) out.push(name);
  }
  return out;
}

/**
 * Parses one activation. Throws an Error naming the defect when it is unknown, when a global-scope defect
 * is given a label prefix, or when the prefix is empty.
 */
export function parseDefectActivation(input: DefectInput): DefectActivation {
  let name: string;
  let prefix: string | null | undefined;
  if (typeof input === 'string') {
    const at = input.indexOf('@');
    name = at < 0 ? input : input.slice(0, at);
    prefix = at < 0 ? undefined : input.slice(at + 1);
  } else if (input !== null && typeof input === 'object' && typeof input.name === 'string') {
    name = input.name;
    prefix = input.labelPrefix;
    if (prefix !== undefined && prefix !== null && typeof prefix !== 'string') {
      throw new Error(`defect "${name}": labelPrefix must be a string, got ${JSON.stringify(prefix)}`);
    }
  } else {
    throw new Error(`a defect is a name, "name@LABEL_PREFIX" or {name, labelPrefix}; got ${JSON.stringify(input)}`);
  }
  if (!isDefectName(name)) throw unknownDefect(name);
  if (prefix === undefined || prefix === null) return name;
  if (DEFECTS[name].scope === 'global') {
    throw new Error(
      `defect "${name}" has global scope (it changes answers that belong to no labelled resource), so it cannot be limited to label prefix ${JSON.stringify(prefix)}`
    );
  }
  if (prefix === '') throw new Error(`defect "${name}": the label prefix is empty (leave it out to apply to all)`);
  return { name, labelPrefix: prefix };
}

/** Parses a list of activations (duplicates dropped); throws on the first bad one, see {@link parseDefectActivation}. */
export function parseDefectActivations(inputs: readonly DefectInput[]): DefectActivation[] {
  const out: DefectActivation[] = [];
  const seen = new Set<string>();
  for (const input of inputs) {
    const activation = parseDefectActivation(input);
    const key = formatDefectActivation(activation);
    if (!seen.has(key)) {
      seen.add(key);
      out.push(activation);
    }
  }
  return out;
}

/** `name` for an activation that applies to all, `name@LABEL_PREFIX` for a scoped one (the CLI form). */
export function formatDefectActivation(activation: DefectActivation): string {
  return typeof activation === 'string' ? activation : `${activation.name}@${activation.labelPrefix}`;
}
