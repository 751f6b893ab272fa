/**
 * The defects switched on in one simulator, each for everyone or for one label prefix. Code that implements
 * a defect asks `has(name, label)` with the label of the instance (or volume) it is acting on, so several
 * scenarios' defect cases can run at once against one simulator without seeing each other's bugs.
 */
import {
  formatDefectActivation,
  parseDefectActivations,
  type DefectActivation,
  type DefectInput,
  type DefectName,
} from '../defect-registry';

/** Stateful: the active defect activations. */
export class ActiveDefects {
  private activations: DefectActivation[] = [];

  /** Replaces every activation; throws (changing nothing) on a bad one. */
  set(inputs: readonly DefectInput[]): void {
    this.activations = parseDefectActivations(inputs);
  }

  /** Adds activations (already active ones are kept once); throws (changing nothing) on a bad one. */
  add(inputs: readonly DefectInput[]): void {
    this.activations = parseDefectActivations([...this.activations, ...parseDefectActivations(inputs)]);
  }

  /** Removes exactly these activations (`name` removes the unscoped one, `name@prefix` that scoped one). */
  remove(inputs: readonly DefectInput[]): void {
    const gone = new Set(parseDefectActivations(inputs).map(formatDefectActivation));
    this.activations = this.activations.filter((a) => !gone.has(formatDefectActivation(a)));
  }

  /**
   * Whether `name` applies to a resource labelled `label`: an unscoped activation applies to everything,
   * a scoped one to labels starting with its prefix (never to unlabelled resources).
   */
  has(name: DefectName, label?: string | null): boolean {
    return this.scopesCovering(name, label).length > 0;
  }

  /**
   * The activations of `name` that cover `label`, as scope keys (`''` for the unscoped one, else the
   * prefix). Defects that compare requests with each other (concurrent-destroy-dropped) keep their memory
   * per scope, so two scoped activations never interfere.
   */
  scopesCovering(name: DefectName, label?: string | null): string[] {
    const keys: string[] = [];
    for (const a of this.activations) {
      if (a === name) keys.push('');
      else if (typeof a === 'object' && a.name === name && typeof label === 'string' && label.startsWith(a.labelPrefix))
        keys.push(a.labelPrefix);
    }
    return keys;
  }

  /** The activations, in the order given. */
  list(): DefectActivation[] {
    return [...this.activations];
  }

  /** The activations as `name` / `name@LABEL_PREFIX` strings (the form `sim state` and the CLI use). */
  names(): string[] {
    return this.activations.map(formatDefectActivation);
  }
}
