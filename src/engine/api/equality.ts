/**
 * semanticEqual is apimachinery's equality.Semantic.DeepEqual for plain API data: structural, with
 * object key order ignored and a key whose value is undefined the same as a missing key (what the
 * object is once serialized: a snapshot restored from JSON has no undefined fields). Controllers use
 * it to skip updates that would change nothing, as upstream does before writing.
 */
export function semanticEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!semanticEqual(a[i], b[i])) return false;
    return true;
  }
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(b)) return false;
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  for (const k in x) if (x[k] !== undefined && !semanticEqual(x[k], y[k])) return false;
  for (const k in y) if (y[k] !== undefined && x[k] === undefined) return false;
  return true;
}

/** hasKeys: o has an own enumerable key (without making the array of them: asked on every status write and every bind). */
export function hasKeys(o: object): boolean {
  for (const k in o) if (Object.hasOwn(o, k)) return true;
  return false;
}
