/**
 * tr.ts: busybox's tr (coreutils/tr.c): translate, delete (-d) and squeeze (-s) characters of standard
 * input, SET1 complemented with -c/-C. Sets have ranges (a-z), classes ([:upper:] …), escapes (\n \t \\
 * \NNN) and, as GNU's tr, [c*n] and [c*] repeats.
 */
import { write, type Proc } from './proc.ts';

const USAGE = 'Usage: tr [-cds] STRING1 [STRING2]\n';

/** CLASSES are tr.c's character classes, in its order (digits, then upper, then lower for alnum). */
const CLASSES: Record<string, () => string[]> = {
  alpha: () => [...range('A', 'Z'), ...range('a', 'z')],
  alnum: () => [...range('0', '9'), ...range('A', 'Z'), ...range('a', 'z')],
  digit: () => range('0', '9'),
  lower: () => range('a', 'z'),
  upper: () => range('A', 'Z'),
  space: () => ['\t', '\n', '\v', '\f', '\r', ' '],
  blank: () => ['\t', ' '],
  punct: () => range('!', '~').filter((c) => !/[A-Za-z0-9]/.test(c)),
  cntrl: () => [...range('\x00', '\x1f'), '\x7f'],
  xdigit: () => [...range('0', '9'), ...range('A', 'F'), ...range('a', 'f')],
  print: () => range(' ', '~'),
  graph: () => range('!', '~'),
};

function range(from: string, to: string): string[] {
  const out: string[] = [];
  for (let c = from.charCodeAt(0); c <= to.charCodeAt(0); c++) out.push(String.fromCharCode(c));
  return out;
}

/** ESCAPES: bb_process_escape_sequence's letters. */
const ESCAPES: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\' };

/** escape reads the escape after a backslash at s[i] ('\\'): the character and the index after it. */
function escape(s: string, i: number): [string, number] {
  const oct = /^[0-7]{1,3}/.exec(s.slice(i + 1));
  if (oct) return [String.fromCharCode(parseInt(oct[0], 8) & 0xff), i + 1 + oct[0].length];
  const e = s[i + 1];
  if (e !== undefined && Object.hasOwn(ESCAPES, e)) return [ESCAPES[e], i + 2];
  // An unknown escape is the backslash itself; the next character is read as usual.
  return ['\\', i + 1];
}

/**
 * expand spells out a set: `a-z` is every character from a to z (none when reversed, as tr.c), `[:name:]`
 * a class (an unknown name is literal), `[=c=]` the character c, `[c*n]` n copies of c and `[c*]` as many
 * as SET1 needs (fill, for SET2 only).
 */
function expand(set: string, fill = 0): string[] {
  const out: string[] = [];
  let star = -1;
  for (let i = 0; i < set.length; ) {
    if (set[i] === '[') {
      const cls = /^\[:([a-z]+):\]/.exec(set.slice(i));
      if (cls && Object.hasOwn(CLASSES, cls[1])) {
        out.push(...CLASSES[cls[1]]());
        i += cls[0].length;
        continue;
      }
      const eq = /^\[=(.)=\]/s.exec(set.slice(i));
      if (eq) {
        out.push(eq[1]);
        i += eq[0].length;
        continue;
      }
      const rep = /^\[(\\[0-7]{1,3}|\\.|[^\\])\*([0-9]*)\]/s.exec(set.slice(i));
      if (rep) {
        const ch = rep[1].length > 1 ? escape(rep[1], 0)[0] : rep[1];
        // GNU: the count is octal when it starts with 0; none (or 0) fills SET2 to SET1's length.
        const n = rep[2] === '' ? 0 : parseInt(rep[2], rep[2].startsWith('0') ? 8 : 10);
        if (n === 0) star = out.length;
        out.push(...Array<string>(Math.min(n || 1, 4096)).fill(ch));
        i += rep[0].length;
        continue;
      }
    }
    let ch: string;
    [ch, i] = set[i] === '\\' ? escape(set, i) : [set[i], i + 1];
    if (set[i] === '-' && i + 1 < set.length) {
      const [to, after] = set[i + 1] === '\\' ? escape(set, i + 1) : [set[i + 1], i + 2];
      out.push(...range(ch, to));
      i = after;
      continue;
    }
    out.push(ch);
  }
  if (star >= 0 && fill > out.length) out.splice(star, 1, ...Array<string>(fill - out.length + 1).fill(out[star]));
  return out;
}

/**
 * tr translates standard input as busybox's tr does: each character of SET1 becomes the one at its place
 * in SET2 (a shorter SET2 is padded with its last character), -d deletes SET1's characters, -s squeezes a
 * run of one character that is in SET1 or (translating) came from SET2 into one, -c/-C take every
 * character not in SET1 (in byte order) as SET1.
 */
export function tr(p: Proc, args: string[], readStdin: (p: Proc) => string): number {
  let complement = false, del = false, squeeze = false;
  const sets: string[] = [];
  let i = 0;
  // getopt32 "+Ccds": options stop at the first operand.
  for (; i < args.length && /^-./.test(args[i]); i++) {
    if (args[i] === '--') {
      i++;
      break;
    }
    for (const f of args[i].slice(1)) {
      if (f === 'c' || f === 'C') complement = true;
      else if (f === 'd') del = true;
      else if (f === 's') squeeze = true;
      else {
        write(p, `tr: invalid option -- '${f}'\n${USAGE}`, 2);
        return 1;
      }
    }
  }
  sets.push(...args.slice(i));
  if (sets.length < 1 || sets.length > 2) {
    write(p, USAGE, 2);
    return 1;
  }
  let set1 = expand(sets[0]);
  if (complement) {
    const inSet = new Set(set1);
    set1 = range('\x00', '\xff').filter((c) => !inSet.has(c));
  }
  if (sets[1] === '') {
    write(p, 'tr: STRING2 cannot be empty\n', 2);
    return 1;
  }
  const set2 = sets[1] === undefined ? [] : expand(sets[1], set1.length);
  const map = new Map<string, string>();
  set1.forEach((c, k) => map.set(c, set2.length ? set2[Math.min(k, set2.length - 1)] : c));
  const in1 = new Set(set1);
  const in2 = new Set(set2);
  // Beyond a byte (a character tr.c would see as several bytes) -c counts it as not in SET1: it maps to SET2's last.
  const member = (c: string) => in1.has(c) || (complement && c.charCodeAt(0) > 0xff);
  const coded = (c: string) => (!set2.length ? c : (map.get(c) ?? (complement && c.charCodeAt(0) > 0xff ? set2[set2.length - 1] : c)));
  let out = '';
  let last: string | undefined;
  for (const c of readStdin(p)) {
    if (del && member(c)) continue;
    const to = coded(c);
    if (squeeze && last === to && (member(c) || in2.has(to))) continue;
    out += to;
    last = to;
  }
  write(p, out);
  return 0;
}
