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
