/**
 * applyCompletion is what one Tab press does with the worker's answer, as bash's readline does: a single
 * candidate is inserted (with a space after it unless it ends in `=` or `/`, where a value follows); several
 * extend the word to their longest common prefix; when that adds nothing, the second Tab lists them.
 */
export interface TabResult {
  line: string;
  cursor: number;
  /** list: the candidates to show under the prompt (second Tab), else undefined */
  list?: string[];
}

/** commonPrefix is the longest prefix every string shares. */
export function commonPrefix(items: string[]): string {
  if (items.length === 0) return '';
  let p = items[0];
  for (const s of items) {
    let i = 0;
    while (i < p.length && i < s.length && p[i] === s[i]) i++;
    p = p.slice(0, i);
  }
  return p;
}

export function applyCompletion(line: string, cursor: number, c: { replaceFrom: number; candidates: string[] }, secondTab: boolean): TabResult {
  const from = Math.max(0, Math.min(c.replaceFrom, cursor));
  const typed = line.slice(from, cursor);
  const insert = (text: string): TabResult => ({ line: line.slice(0, from) + text + line.slice(cursor), cursor: from + text.length });
  if (c.candidates.length === 0) return { line, cursor };
  if (c.candidates.length === 1) {
    const only = c.candidates[0];
    const after = line.slice(cursor);
    const space = /[=/]$/.test(only) || after.startsWith(' ') ? '' : ' ';
    const r = insert(only + space);
    // With a space already after the cursor, step over it as bash does.
    return after.startsWith(' ') && !/[=/]$/.test(only) ? { ...r, cursor: r.cursor + 1 } : r;
  }
  const prefix = commonPrefix(c.candidates);
  if (prefix.length > typed.length && prefix.startsWith(typed)) return insert(prefix);
  return secondTab ? { line, cursor, list: c.candidates } : { line, cursor };
}
