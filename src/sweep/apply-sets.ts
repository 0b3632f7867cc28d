/**
 * Writing `--set` values into the scenario's raw parsed YAML (plain data), before the
 * normal loader validates it (resolve-point.ts). Missing maps on the way are created, as
 * the user would add them to the file; a path that runs through a value that is not a map,
 * or past the end of a list, cannot be written and is reported here.
 */
import { DtrainError } from '../errors.js';
import { formatPath, type PathSegment } from '../scenario/field-path.js';
import { describeValue } from '../scenario/issues.js';
import type { SetAxis } from './set-spec.js';

function unknownPath(axis: SetAxis, problem: string): DtrainError {
  return new DtrainError('cli.invalidArgument', `--set ${axis.arg}: unknown path ${axis.pathText}: ${problem}`);
}

function isMap(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The value of an own field only: an inherited one (`constructor`, `toString`) is not in the file. */
function ownValue(record: object, key: PathSegment): unknown {
  return Object.hasOwn(record, key) ? (record as Record<PathSegment, unknown>)[key] : undefined;
}

/**
 * Writes an own, plain data property, even for a name such as `__proto__`, whose assignment
 * would replace the object's prototype instead (set-spec.ts refuses such names already; this
 * keeps the write harmless whatever the path holds).
 */
function defineOwn(record: object, key: PathSegment, value: unknown): void {
  Object.defineProperty(record, key, { value, writable: true, enumerable: true, configurable: true });
}

/** Set `value` at `axis.path` inside `root` (mutated); throws for a path that cannot exist. */
export function setAtPath(root: Record<string, unknown>, axis: SetAxis, value: unknown): void {
  let container: Record<string, unknown> | unknown[] = root;
  axis.path.forEach((segment: PathSegment, depth) => {
    const here = formatPath(axis.path.slice(0, depth));
    const last = depth === axis.path.length - 1;
    if (Array.isArray(container)) {
      if (typeof segment !== 'number') throw unknownPath(axis, `${here} is a list; pick an entry, e.g. ${here}[0]`);
      if (segment >= container.length) throw unknownPath(axis, `${here} has ${container.length} entries (indexes 0…${container.length - 1})`);
    } else if (typeof segment === 'number') {
      throw unknownPath(axis, `${here || 'the scenario'} is not a list`);
    }
    if (last) {
      defineOwn(container, segment, value);
      return;
    }
    let next = ownValue(container, segment);
    if (next === undefined || next === null) {
      if (typeof axis.path[depth + 1] === 'number') throw unknownPath(axis, `${formatPath(axis.path.slice(0, depth + 1))} is not in the scenario`);
      next = {};
      defineOwn(container, segment, next);
    } else if (!isMap(next) && !Array.isArray(next)) {
      throw unknownPath(axis, `${formatPath(axis.path.slice(0, depth + 1))} is ${describeValue(next)}, not a map`);
    }
    container = next as Record<string, unknown> | unknown[];
  });
}

/** A deep copy of `root` with every (axis, value) written in. */
export function applySets(root: unknown, assignments: ReadonlyArray<{ axis: SetAxis; value: unknown }>): unknown {
  if (!isMap(root)) return root; // the loader reports a scenario that is not a map
  const copy = structuredClone(root);
  for (const { axis, value } of assignments) setAtPath(copy, axis, structuredClone(value));
  return copy;
}
