/**
 * sedparse.ts: reads a sed script into commands, as busybox's sed.c (add_cmd, get_address, parse_cmd_args)
 * reads one: `[addr1[,addr2]][!]cmd` separated by `;` or newlines, `{…}` blocks, labels. Its errors are
 * busybox's words (`unmatched '/'`, `unsupported command X`, `missing command`). sed.ts runs the result.
 */
import { RE2JS } from 're2js';
import { Unknown } from './proc.ts';
import { BadRegex, toRe2 } from './text.ts';

/** SedError is a message sed dies with (bb_error_msg_and_die): `sed: MSG`, status 1. */
export class SedError extends Error {}

/**
 * SedRegex is a compiled pattern, or null for an empty one (`//`, `s//x/`): sed then uses the last
 * regex it ran (POSIX: "the last regular expression used in the last command applied").
 */
export type SedRegex = RE2JS | null;

export type Addr =
  | { k: 'line'; n: number }
  | { k: 'last' }
  | { k: 're'; re: SedRegex }
  /** step: GNU's first~step, the lines first, first+step, first+2·step … (0~4 is 4, 8, 12 …). */
  | { k: 'step'; first: number; step: number }
  /** plus: GNU's addr1,+N, the N lines after the one addr1 matched. */
  | { k: 'plus'; n: number };

/** ReplPart is a piece of an s command's replacement: literal text or a group (0 for `&`). */
export type ReplPart = string | number;

export interface SedCmd {
  a1?: Addr;
  a2?: Addr;
  invert: boolean;
  /** name: the command letter: s y a i c b t T : { } d D g G h H n N p P q Q x = r. */
  name: string;
  /** text: a/i/c's text, b/t/T's and :'s label, r's file. */
  text?: string;
  /** end: for `{`, the index of its `}`. */
  end?: number;
  /** exit: q/Q's exit code. */
  exit?: number;
  sub?: { re: SedRegex; repl: ReplPart[]; global: boolean; nth: number; print: boolean };
  /** y: y's map from each source character to its replacement. */
  y?: Map<string, string>;
  // The range's state while the script runs (sed.c keeps it in the command too).
  active?: boolean;
  endLine?: number;
}

/** SedScript is a parsed script; quiet is set by `#n` on its first line (POSIX). */
export interface SedScript {
  cmds: SedCmd[];
  quiet: boolean;
}

/** SINGLE: commands that take no argument. */
const SINGLE = 'dDgGhHnNpPxz=}';

/**
 * parseSed parses a script (the -e parts joined by newlines) for basic (or, extended, ERE) regexes.
 * Throws SedError with busybox's message.
 */
export function parseSed(script: string, extended: boolean): SedScript {
  const cmds: SedCmd[] = [];
  const open: number[] = [];
  // A script whose first line is `#n` alone runs as with -n (POSIX).
  const quiet = /^#n(\n|$)/.test(script);
  let i = 0;
  const at = () => script[i];
  const skipBlanks = () => {
    while (i < script.length && /[ \t\r\v]/.test(script[i])) i++;
  };
  const regex = (delim: string): SedRegex => {
    const end = delimEnd(script, i, delim, true);
    const body = script.slice(i, end);
    i = end + 1;
    let flags = 0;
    // GNU's /re/I: the address matches ignoring case.
    if (script[i] === 'I') {
      flags = RE2JS.CASE_INSENSITIVE;
      i++;
    }
    return body === '' ? null : compile(body, delim, extended, flags);
  };
  const address = (): Addr | undefined => {
    const c = at();
    if (c !== undefined && /[0-9]/.test(c)) {
      const n = number();
      if (at() === '~') {
        i++;
        return { k: 'step', first: n, step: /[0-9]/.test(at() ?? '') ? number() : 0 };
      }
      return { k: 'line', n };
    }
    if (c === '$') {
      i++;
      return { k: 'last' };
    }
    if (c === '/' || c === '\\') {
      let delim = '/';
      if (c === '\\') {
        delim = script[++i] ?? '';
        if (delim === '' || delim === '\n') throw new SedError('unexpected end of address');
      }
      i++;
      return { k: 're', re: regex(delim) };
    }
    return undefined;
  };
  const number = (): number => {
    const m = /^[0-9]+/.exec(script.slice(i))!;
    i += m[0].length;
    return Number(m[0]);
  };

  while (i < script.length) {
    while (i < script.length && /[;\s]/.test(script[i])) i++;
    if (i >= script.length) break;
    if (at() === '#') {
      while (i < script.length && script[i] !== '\n') i++;
      continue;
    }
    const cmd: SedCmd = { invert: false, name: '' };
    cmd.a1 = address();
    if (cmd.a1?.k === 'line' && cmd.a1.n === 0 && !(at() === ',' && /[/\\]/.test(script[i + 1] ?? ''))) throw new SedError('invalid usage of line address 0');
    if (cmd.a1 && at() === ',') {
      i++;
      skipBlanks();
      if (at() === '+' && /[0-9]/.test(script[i + 1] ?? '')) {
        i++;
        cmd.a2 = { k: 'plus', n: number() };
      } else cmd.a2 = address();
      if (!cmd.a2 || cmd.a2.k === 'step') throw new SedError('no address after comma');
    }
    skipBlanks();
    while (at() === '!') {
      cmd.invert = true;
      i++;
      skipBlanks();
    }
    if (i >= script.length) throw new SedError('missing command');
    const name = script[i++];
    cmd.name = name;
    if (name === '{') open.push(cmds.length);
    else if (name === '}') {
      if (cmd.a1) throw new SedError("'}' doesn't want any addresses");
      const start = open.pop();
      if (start === undefined) throw new SedError("unexpected '}'");
      cmds[start].end = cmds.length;
    } else if (name === 's') {
      i = parseSubst(script, i, cmd, extended);
    } else if (name === 'y') {
      i = parseY(script, i, cmd);
    } else if (name === 'a' || name === 'i' || name === 'c') {
      // sed.c: a and i take one address; the text runs to the end of the line (`a text`, GNU's one-liner form,
      // or `a\` and the text on the next lines, each but the last ending in a backslash).
      if ((name === 'a' || name === 'i') && cmd.a2) throw new SedError(`command '${name}' uses only one address`);
      skipBlanks();
      // After `a\` the text starts at once: `a\  text` keeps its blanks (GNU).
      if (at() === '\\') {
        i++;
        if (at() === '\n') i++;
      }
      let text = '';
      for (; i < script.length && script[i] !== '\n'; i++) {
        if (script[i] !== '\\' || i + 1 >= script.length) text += script[i];
        else {
          const e = script[++i];
          text += e === 'n' ? '\n' : e === 't' ? '\t' : e;
        }
      }
      cmd.text = text;
    } else if (name === ':' || name === 'b' || name === 't' || name === 'T') {
      // A label runs to a semicolon or a blank (sed.c's semicolon_whitespace).
      skipBlanks();
      const m = /^[^;\s]*/.exec(script.slice(i))![0];
      i += m.length;
      if (name === ':' && !m) throw new SedError("':' lacks a label");
      if (m) cmd.text = m;
    } else if (name === 'q' || name === 'Q') {
      skipBlanks();
      cmd.exit = /[0-9]/.test(at() ?? '') ? number() : 0;
    } else if (name === 'r') {
      skipBlanks();
      const m = /^[^\n]*/.exec(script.slice(i))![0];
      i += m.length;
      if (!m) throw new SedError('empty filename');
      cmd.text = m;
    } else if (name === 'w' || name === 'l') {
      throw new Unknown(`sed ${name} (${name === 'w' ? 'writing a file' : 'listing unprintable characters'})`);
    } else if (!SINGLE.includes(name)) {
      throw new SedError(`unsupported command ${name}`);
    }
    cmds.push(cmd);
  }
  if (open.length) throw new SedError('unterminated {');
  return { cmds, quiet };
}

/**
 * delimEnd finds the delimiter that ends a regex or replacement starting at from: the next one not
 * escaped by a backslash and, in a regex, not inside a bracket expression (sed.c's
 * index_of_next_unescaped_regexp_delim). A newline cannot be inside one.
 */
function delimEnd(s: string, from: number, delim: string, brackets: boolean): number {
  let bracket = -1;
  for (let j = from; j < s.length; j++) {
    const c = s[j];
    if (bracket >= 0) {
      // `]` first in the bracket (after an optional ^) is a member, not its end.
      if (c === ']' && !(bracket === j - 1 || (bracket === j - 2 && s[j - 1] === '^'))) bracket = -1;
    } else if (c === '\\') j++;
    else if (brackets && c === '[') bracket = j;
    else if (c === delim) return j;
    else if (c === '\n' && delim !== '\n') break;
  }
  throw new SedError(`unmatched '${delim}'`);
}

/**
 * compile translates a sed regex into RE2: `\n` and `\t` are a newline and a tab (GNU, and sed.c's
 * copy_parsing_escapes), an escaped delimiter is the delimiter itself; then toRe2 reads it as POSIX
 * does. Matches are leftmost-longest, as POSIX regexec's, and `.` matches the newlines N puts in the
 * pattern space. RE2 has no back-references: a pattern with one is not simulated.
 */
export function compile(body: string, delim: string, extended: boolean, flags = 0): RE2JS {
  let re = '';
  let inBracket = false;
  for (let j = 0; j < body.length; j++) {
    const c = body[j];
    if (c === '[' && !inBracket) {
      inBracket = true;
      re += c;
      if (body[j + 1] === '^') re += body[++j];
      if (body[j + 1] === ']') re += body[++j];
      continue;
    }
    if (inBracket) {
      if (c === '[' && /[:.=]/.test(body[j + 1] ?? '')) {
        const close = body.indexOf(`${body[j + 1]}]`, j + 2);
        if (close > 0) {
          re += body.slice(j, close + 2);
          j = close + 1;
          continue;
        }
      }
      if (c === ']') inBracket = false;
      // GNU takes the delimiter's backslash off inside a bracket too ([\/] is a slash).
      if (c === '\\' && body[j + 1] === delim) continue;
      re += c;
      continue;
    }
    if (c !== '\\' || j + 1 >= body.length) {
      re += c;
      continue;
    }
    const e = body[++j];
    if (e === 'n') re += '\n';
    else if (e === 't') re += '\t';
    else if (e === delim && !/[A-Za-z0-9]/.test(e)) re += e === ']' || e === '^' || e === '\\' ? `\\${e}` : `[${e}]`;
    else re += `\\${e}`;
  }
  let translated: string;
  try {
    translated = toRe2(re, extended);
    return RE2JS.compile(translated, flags | RE2JS.DOTALL | RE2JS.LONGEST_MATCH);
  } catch (e) {
    if (e instanceof Error && /invalid escape sequence: `\\[1-9]`/.test(e.message)) throw new BackReference(body);
    throw new SedError(`bad regex '${body}': ${e instanceof BadRegex ? e.message : 'Invalid regular expression'}`);
  }
}

/** BackReference: a regex that refers back to a group (\1), which RE2 cannot match: not simulated. */
export class BackReference extends Error {}

/** parseSubst reads `s/RE/REPL/FLAGS` from i (just after the s) into cmd; returns the index after it. */
function parseSubst(script: string, i: number, cmd: SedCmd, extended: boolean): number {
  const delim = script[i];
  if (delim === undefined || delim === '\n' || delim === '\\') throw new SedError('bad format in substitution expression');
  const reEnd = delimEnd(script, i + 1, delim, true);
  const body = script.slice(i + 1, reEnd);
  // The replacement ends at the next unescaped delimiter, brackets or not (sed.c passes -delimiter).
  const replEnd = delimEnd(script, reEnd + 1, delim, false);
  const repl = replacement(script.slice(reEnd + 1, replEnd), delim);
  let j = replEnd + 1;
  let global = false;
  let nth = 1;
  let print = false;
  let flags = 0;
  for (; j < script.length; j++) {
    const c = script[j];
    if (/[0-9]/.test(c)) {
      const m = /^[0-9]+/.exec(script.slice(j))![0];
      nth = Number(m);
      if (nth === 0) throw new SedError('bad option in substitution expression');
      j += m.length - 1;
    } else if (c === 'g') global = true;
    else if (c === 'p') print = true;
    else if (c === 'i' || c === 'I') flags |= RE2JS.CASE_INSENSITIVE;
    else if (c === 'w') throw new Unknown('sed s///w (writing a file)');
    else if (c === ' ' || c === '\t') continue;
    else if (c === ';' || c === '}' || c === '\n' || c === '#') break;
    else throw new SedError('bad option in substitution expression');
  }
  const re = body === '' ? null : compile(body, delim, extended, flags);
  const bad = repl.find((r) => typeof r === 'number' && re && r > re.groupCount());
  if (bad !== undefined) throw new SedError(`invalid reference \\${bad} on 's' command's RHS`);
  cmd.sub = { re, repl, global, nth, print };
  return j;
}

/**
 * replacement reads an s command's replacement: `&` is the match, `\1`…`\9` its groups, `\n` a newline
 * (as is a backslash before a newline in the script), `\&` and any other escaped character itself.
 */
function replacement(text: string, delim: string): ReplPart[] {
  const parts: ReplPart[] = [];
  let lit = '';
  const flush = () => {
    if (lit) parts.push(lit);
    lit = '';
  };
  for (let j = 0; j < text.length; j++) {
    const c = text[j];
    if (c === '&') {
      flush();
      parts.push(0);
    } else if (c === '\\' && j + 1 < text.length) {
      const e = text[++j];
      if (/[0-9]/.test(e)) {
        flush();
        parts.push(Number(e));
      } else lit += e === 'n' ? '\n' : e === 't' ? '\t' : e === delim ? delim : e;
    } else lit += c;
  }
  flush();
  return parts;
}

/** parseY reads `y/SRC/DST/` from i into cmd: `\n`, `\\` and the escaped delimiter are characters. */
function parseY(script: string, i: number, cmd: SedCmd): number {
  const delim = script[i];
  if (delim === undefined || delim === '\n' || delim === '\\') throw new SedError('bad format in substitution expression');
  const srcEnd = delimEnd(script, i + 1, delim, false);
  const dstEnd = delimEnd(script, srcEnd + 1, delim, false);
  const chars = (s: string): string[] => {
    const out: string[] = [];
    for (let j = 0; j < s.length; j++) {
      if (s[j] === '\\' && j + 1 < s.length) {
        const e = s[++j];
        out.push(e === 'n' ? '\n' : e === 't' ? '\t' : e === '\\' || e === delim ? e : `\\${e}`);
      } else out.push(s[j]);
    }
    return out.flatMap((c) => (c.length > 1 ? [...c] : [c]));
  };
  const src = chars(script.slice(i + 1, srcEnd));
  const dst = chars(script.slice(srcEnd + 1, dstEnd));
  // GNU refuses strings of different lengths; busybox pairs them up to the shorter. Saying so helps more.
  if (src.length !== dst.length) throw new SedError("strings for 'y' command are different lengths");
  cmd.y = new Map(src.map((c, k) => [c, dst[k]]));
  return dstEnd + 1;
}
