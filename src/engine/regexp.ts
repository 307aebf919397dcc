/**
 * regexp.ts: regular expressions that strangers write (CRD schema patterns, PromQL label matchers, the
 * canary-by-header-pattern annotation, the shell's grep and pattern removal) are matched with RE2 (re2js),
 * the engine Go's regexp package and Prometheus use: the same syntax as upstream, and time linear in the
 * input. JavaScript's backtracking engine can take exponential or high-polynomial time on a pattern such
 * as (a+)+$ or a*a*a*b (13.7 s on a 300-character line), and one shared scenario would freeze the worker.
 */
import { RE2JS } from 're2js';
import { memoized } from './memo.ts';

/** GoRegexp is a compiled pattern: test is Go's MatchString, true when it matches anywhere in s. */
export interface GoRegexp {
  test(s: string): boolean;
}

/**
 * compiled compiles each pattern once (about 100 µs with RE2, where a match is a few): a canary header
 * pattern is asked about on every request, a CRD pattern on every write. A refusal is kept as its Error.
 */
const compiled = memoized<GoRegexp | Error>(512, (pattern) => {
  try {
    const re = RE2JS.compile(pattern);
    return { test: (s) => re.matcher(s).find() };
  } catch (e) {
    return e instanceof Error ? e : new Error(String(e));
  }
});

/** compileGo compiles a pattern as regexp.Compile does; it throws Go's message ("error parsing regexp: …") when it is not one. */
export function compileGo(pattern: string): GoRegexp {
  const re = compiled(pattern);
  if (re instanceof Error) throw re;
  return re;
}
