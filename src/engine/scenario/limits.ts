/**
 * LIMITS bounds what a scenario may ask for. Scenarios come from strangers (share URLs, pasted YAML),
 * so each limit is checked before the work it bounds, and each message states the limit.
 */
export const LIMITS = {
  /** bytes: 2 MiB of YAML per scenario file (the largest upstream example manifest is ~20 KB). */
  bytes: 2 * 1024 * 1024,
  /** documents: YAML documents per file (or per timeline `apply` string). */
  documents: 1000,
  /** aliases: the `yaml` package's maxAliasCount; a "billion laughs" file trips it long before memory does. */
  aliases: 100,
  /** flowDepth: nesting of `[` / `{`; the yaml parser runs out of memory on ~100,000 levels. */
  flowDepth: 256,
  /** blockDepth: nesting by indentation (and `- - -` items); the parser's recursion overflows the stack near 2,000. */
  blockDepth: 256,
  /** nodes: cluster nodes after expanding `count` groups (the benchmark uses 500). */
  nodes: 5000,
  /** steps: timeline entries. */
  steps: 10_000,
  /** timeMs: 30 days of simulated time, for `at` and `--until`. */
  timeMs: 30 * 24 * 3600 * 1000,
  /** errors: problems reported per file before the rest are summarised in one line. */
  errors: 50,
} as const;

/** formatBytes renders a byte count for limit messages: "2 MiB", "512 KiB". */
export function formatBytes(n: number): string {
  if (n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MiB`;
  if (n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} bytes`;
}

/** utf8Length counts the UTF-8 bytes of a string without an encoder (the engine has no TextEncoder types). */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      n += 4; // a surrogate pair is one 4-byte code point
      i++;
    } else n += 3;
  }
  return n;
}

/**
 * flowDepthExceeded scans for `[`/`{` nesting deeper than limit and returns the offset where it
 * happened, or -1. It counts every bracket, in strings and comments too: skipping those would need a
 * YAML lexer, and a wrong guess about where a string ends could hide real nesting. Over-counting needs
 * `limit` unclosed brackets inside strings to raise a false alarm.
 */
export function flowDepthExceeded(text: string, limit: number): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 0x5b || ch === 0x7b) {
      if (++depth > limit) return i;
    } else if (ch === 0x5d || ch === 0x7d) {
      if (depth > 0) depth--;
    } else if (ch === 0x2d && (i === 0 || text.charCodeAt(i - 1) === 10) && text.startsWith('---', i)) {
      depth = 0; // a new document
    }
  }
  return -1;
}

/**
 * blockDepthExceeded scans for block nesting (deeper indentation, and each `- ` that opens an item on a
 * line, as in `- - - a`) deeper than limit and returns the offset of the line's content where it
 * happened, or -1. Lines of a block scalar count as nesting too: a false alarm needs `limit`
 * ever-deeper indentations.
 */
export function blockDepthExceeded(text: string, limit: number): number {
  const indents: number[] = [];
  let i = 0;
  while (i < text.length) {
    const eol = text.indexOf('\n', i);
    const end = eol < 0 ? text.length : eol;
    let j = i;
    while (j < end && text.charCodeAt(j) === 0x20) j++;
    let k = j;
    let items = 0;
    while (k + 1 < end && text.charCodeAt(k) === 0x2d && text.charCodeAt(k + 1) === 0x20) {
      items++;
      k += 2;
      while (k < end && text.charCodeAt(k) === 0x20) k++;
    }
    if (j === i && text.startsWith('---', i)) indents.length = 0; // a new document
    else if (k < end && text.charCodeAt(k) !== 0x23 && text.charCodeAt(k) !== 0x0d) {
      const indent = j - i;
      while (indents.length > 0 && indents[indents.length - 1] >= indent) indents.pop();
      indents.push(indent);
      if (indents.length + items > limit) return j;
    }
    i = end + 1;
  }
  return -1;
}

/** nestingProblem says where and why text nests deeper than the limits allow (flow or block), or undefined. */
export function nestingProblem(text: string): { at: number; message: string } | undefined {
  const flow = flowDepthExceeded(text, LIMITS.flowDepth);
  if (flow >= 0) return { at: flow, message: `YAML nesting is deeper than ${LIMITS.flowDepth} levels of [ and {; the limit is ${LIMITS.flowDepth}` };
  const block = blockDepthExceeded(text, LIMITS.blockDepth);
  if (block >= 0) return { at: block, message: `YAML nesting is deeper than ${LIMITS.blockDepth} levels of indentation; the limit is ${LIMITS.blockDepth}` };
  return undefined;
}

/**
 * documentCount counts a YAML stream's documents before it is parsed (a file of 500,000 `---` lines took
 * the parser ten seconds to refuse): a `---` at the start of a line, followed by a space or the line's
 * end, always starts a document (YAML forbids it inside a scalar), and content before the first one is
 * a document of its own.
 */
export function documentCount(text: string): number {
  let n = 0;
  let first = -1;
  for (let i = text.indexOf('---'); i >= 0; i = text.indexOf('---', i + 3)) {
    if (i > 0 && text[i - 1] !== '\n') continue;
    const next = text[i + 3];
    if (next !== undefined && next !== ' ' && next !== '\t' && next !== '\n' && next !== '\r') continue;
    if (first < 0) first = i;
    n++;
  }
  const before = first < 0 ? text : text.slice(0, first);
  // Comments and blank lines before the first marker are no document; a directive (%YAML) belongs to it.
  return n + (/^[ \t]*[^\s#%]/m.test(before) ? 1 : 0);
}

/** documentsMessage words a stream of more documents than LIMITS.documents. */
export function documentsMessage(what: string, n: number): string {
  return `the ${what} has ${n} YAML documents; the limit is ${LIMITS.documents} documents`;
}

/** aliasMessage words a document whose aliases expand past LIMITS.aliases (a "billion laughs"). */
export const ALIAS_MESSAGE = `YAML aliases expand too far (more than maxAliasCount ${LIMITS.aliases})`;
