/**
 * parseMarkdown reads the small markdown subset lessons use into plain data: headings (#, ##, ###),
 * paragraphs, fenced code blocks, bullet and numbered lists, and inline **bold**, *italic*, `code`
 * and [links](https://…). It never produces HTML: renderMarkdown (markdown.tsx) turns the blocks into
 * React elements, so lesson text from a shared link can never inject markup or script.
 * Linear time: one pass over lines, and inline spans found with indexOf (no backtracking regexes).
 */

export type Inline =
  | { t: 'text'; s: string }
  | { t: 'code'; s: string }
  | { t: 'strong'; c: Inline[] }
  | { t: 'em'; c: Inline[] }
  | { t: 'link'; href: string; c: Inline[] };

export type Block =
  | { t: 'h'; level: 1 | 2 | 3; c: Inline[] }
  | { t: 'p'; c: Inline[] }
  | { t: 'code'; s: string }
  | { t: 'list'; ordered: boolean; items: Inline[][] }
  /** run: commands the lesson step offers, shown as run buttons where the text has them (withRunBlocks) */
  | { t: 'run'; lines: string[] };

/** MAX_MARKDOWN: lesson text is at most 20,000 characters (the format's limit); longer text is cut. */
export const MAX_MARKDOWN = 20_000;
/** MAX_NESTING: emphasis inside emphasis is followed this deep, then read as text. */
const MAX_NESTING = 4;

/**
 * safeHref returns the link target if it is same-origin (`/path`, not `//host`), a fragment (`#x`) or
 * https; anything else (javascript:, data:, http:, protocol-relative) is undefined and the link
 * renders as its text.
 */
export function safeHref(href: string): string | undefined {
  const h = href.trim();
  // Browsers drop tabs and newlines from a URL: "/<TAB>/evil.example" would open //evil.example.
  for (let i = 0; i < h.length; i++) {
    const c = h.charCodeAt(i);
    if (c <= 0x20 || c === 0x7f) return undefined;
  }
  if (h.startsWith('#')) return h;
  if (h.startsWith('/') && !h.startsWith('//') && !h.startsWith('/\\')) return h;
  if (/^https:\/\/[^\s/?#]+/i.test(h) && !/[\s<>"]/.test(h)) return h;
  return undefined;
}

export function parseMarkdown(input: string): Block[] {
  const lines = input.slice(0, MAX_MARKDOWN).replace(/\r\n?/g, '\n').split('\n');
  const blocks: Block[] = [];
  let para: string[] = [];
  let list: { ordered: boolean; items: string[] } | undefined;
  const flush = () => {
    if (para.length) blocks.push({ t: 'p', c: parseInline(para.join(' ')) });
    para = [];
    if (list) blocks.push({ t: 'list', ordered: list.ordered, items: list.items.map((i) => parseInline(i)) });
    list = undefined;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const fence = /^\s*(```|~~~)/.exec(line);
    if (fence) {
      flush();
      const body: string[] = [];
      for (i++; i < lines.length && !lines[i].trimStart().startsWith(fence[1]); i++) body.push(lines[i]);
      blocks.push({ t: 'code', s: body.join('\n') });
      continue;
    }
    if (!line.trim()) {
      flush();
      continue;
    }
    const h = /^(#{1,3})\s+(.*)$/.exec(line);
    if (h) {
      flush();
      blocks.push({ t: 'h', level: h[1].length as 1 | 2 | 3, c: parseInline(h[2].replace(/\s+#+\s*$/, '')) });
      continue;
    }
    const item = /^\s*([-*+]|\d{1,9}[.)])\s+(.*)$/.exec(line);
    if (item) {
      const ordered = /\d/.test(item[1]);
      if (para.length || (list && list.ordered !== ordered)) flush();
      list ??= { ordered, items: [] };
      list.items.push(item[2]);
      continue;
    }
    if (list && /^\s+\S/.test(line)) {
      // A continuation line of the last list item.
      list.items[list.items.length - 1] += ' ' + line.trim();
      continue;
    }
    if (list) flush();
    para.push(line.trim());
  }
  flush();
  return blocks;
}

/** parseInline splits a line into text, code, emphasis and links. */
export function parseInline(s: string, depth = 0): Inline[] {
  const out: Inline[] = [];
  let text = '';
  const pushText = () => {
    if (text) out.push({ t: 'text', s: text });
    text = '';
  };
  let i = 0;
  let nextClose = -2;
  while (i < s.length) {
    const ch = s[i];
    if (ch === '\\' && i + 1 < s.length && /[\\`*_[\]()#]/.test(s[i + 1])) {
      text += s[i + 1];
      i += 2;
      continue;
    }
    if (ch === '`') {
      const end = s.indexOf('`', i + 1);
      if (end > i) {
        pushText();
        out.push({ t: 'code', s: s.slice(i + 1, end) });
        i = end + 1;
        continue;
      }
    }
    if ((ch === '*' || ch === '_') && depth < MAX_NESTING) {
      const strong = s[i + 1] === ch;
      const marker = strong ? ch + ch : ch;
      const end = s.indexOf(marker, i + marker.length + 1);
      // `snake_case_names` and `2 * 3 * 4` are not emphasis: the opener must touch a word.
      if (end > 0 && s[i + marker.length] !== ' ' && s[end - 1] !== ' ' && (ch === '*' || i === 0 || !/\w/.test(s[i - 1]))) {
        pushText();
        const inner = parseInline(s.slice(i + marker.length, end), depth + 1);
        out.push(strong ? { t: 'strong', c: inner } : { t: 'em', c: inner });
        i = end + marker.length;
        continue;
      }
    }
    if (ch === '[') {
      // The next `](` is cached: a line of 20,000 `[` must not search the rest of the line each time.
      if (nextClose !== -1 && nextClose <= i) nextClose = s.indexOf('](', i + 1);
      const close = nextClose;
      const end = close > 0 ? s.indexOf(')', close + 2) : -1;
      // The label is plain when this `[` is the last one before `](`.
      if (close > 0 && end > 0 && s.lastIndexOf('[', close) === i) {
        const label = s.slice(i + 1, close);
        const href = safeHref(s.slice(close + 2, end));
        pushText();
        const c = parseInline(label, depth + 1);
        if (href) out.push({ t: 'link', href, c });
        else out.push(...c);
        i = end + 1;
        continue;
      }
    }
    text += ch;
    i++;
  }
  pushText();
  return out;
}

/**
 * withRunBlocks turns each code block that only repeats commands the step offers as run buttons (every
 * line is one of `lines`) into a run block: the card shows the command once, as a button right where
 * the text speaks of it ("List them:"), not a second time lower down.
 */
export function withRunBlocks(blocks: Block[], lines: readonly string[]): Block[] {
  if (lines.length === 0) return blocks;
  const offered = new Map(lines.map((l) => [l.trim(), l]));
  return blocks.map((b) => {
    if (b.t !== 'code') return b;
    const body = b.s.split('\n').map((l) => l.trim()).filter((l) => l !== '');
    return body.length > 0 && body.every((l) => offered.has(l)) ? { t: 'run', lines: body.map((l) => offered.get(l)!) } : b;
  });
}

/** runLinesIn: the offered commands the text already shows as run blocks. */
export function runLinesIn(blocks: Block[]): Set<string> {
  const out = new Set<string>();
  for (const b of blocks) if (b.t === 'run') for (const l of b.lines) out.add(l);
  return out;
}

