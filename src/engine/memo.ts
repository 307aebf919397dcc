/**
 * memoized answers fn once per key, for lookups asked at every sync of every container. The cache
 * is emptied when it holds `limit` keys, so names a stranger's scenario keeps inventing cannot grow it.
 */
export function memoized<T>(limit: number, fn: (key: string) => T): (key: string) => T {
  const answers = new Map<string, T>();
  return (key) => {
    if (answers.has(key)) return answers.get(key)!;
    const answer = fn(key);
    if (answers.size >= limit) answers.clear();
    answers.set(key, answer);
    return answer;
  };
}

/**
 * keepHidden keeps what a module derived about an object on the object itself, under the module's
 * own symbol: not enumerable, so copies (spread), JSON and snapshots (structuredClone) never see it.
 * It is defined once per object; later values are plain writes. Whoever reads it back (hidden) checks
 * it still holds before trusting it (the object may have been replaced, removed or restored since).
 */
export function keepHidden(obj: object, key: symbol, value: unknown): void {
  const slots = obj as Record<symbol, unknown>;
  if (slots[key] !== undefined) slots[key] = value;
  else Object.defineProperty(obj, key, { value, writable: true, configurable: true });
}

/** hidden is what keepHidden last kept on obj under key. */
export function hidden<T>(obj: object, key: symbol): T | undefined {
  return (obj as Record<symbol, T | undefined>)[key];
}
