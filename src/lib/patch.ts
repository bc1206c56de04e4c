// Updates change only what they are given, and `updated_at` moves only when a stored value
// really changes (docs/behaviour.md "IDs and time"): one rule, one function, for every repository.

/**
 * The record with the patch's defined `fields` applied, or undefined when no stored value
 * changes (the caller then answers with the record as it is and writes nothing).
 */
export function applyPatch<T extends object, K extends keyof T>(current: T, patch: { [P in K]?: T[P] | undefined }, fields: readonly K[]): T | undefined {
  const next = { ...current };
  let changed = false;
  for (const field of fields) {
    const value = patch[field];
    if (value === undefined || same(value, current[field])) continue;
    next[field] = value as T[K];
    changed = true;
  }
  return changed ? next : undefined;
}

/** Values are compared as stored: JSON columns by their text. */
const same = (a: unknown, b: unknown): boolean =>
  a === b || (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null && JSON.stringify(a) === JSON.stringify(b));
