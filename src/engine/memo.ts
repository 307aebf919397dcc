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
