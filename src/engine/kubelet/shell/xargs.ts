/**
 * xargs.ts: busybox's xargs (findutils/xargs.c): runs a command with the words of its standard input as
 * arguments. Inside a container it runs the programs the shell knows; in the terminal (a host with a
 * kubectl hook) it runs kubectl lines, as typing them would, and echo.
 */
import { write, Unknown, type Proc } from './proc.ts';

const USAGE = 'Usage: xargs [OPTIONS] [PROG ARGS]\n';

/** XargsOptions: what xargs's options ask for, and the command (argv; echo when none is given). */
export interface XargsOptions {
  argv: string[];
  /** max: -n, the most input words a command gets. */
  max?: number;
  /** size: -s, the longest command line in bytes (xargs.c: 32 KiB less 2048 by default). */
  size: number;
  /** replace: -I STR (or -i, STR being {}): STR in the command's words becomes each input line. */
  replace?: string;
  zero: boolean;
  trace: boolean;
  noEmpty: boolean;
}

/**
 * xargsOptions reads xargs's options as getopt32 does ("+trn:s:e::E:px0I:i::": bundled letters, values
 * attached or next, options end at the command); a string is the error. -p (ask before each command) and
 * -e/-E (an end-of-input word) are not simulated.
 */
export function xargsOptions(args: string[]): XargsOptions | string {
  const o: XargsOptions = { argv: [], size: 32 * 1024 - 2048, zero: false, trace: false, noEmpty: false };
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i];
    if (a === '--') {
      i++;
      break;
    }
    if (a === '--no-run-if-empty') {
      o.noEmpty = true;
      continue;
    }
    if (!a.startsWith('-') || a === '-') break;
    for (let j = 1; j < a.length; j++) {
      const f = a[j];
      if (f === 't') o.trace = true;
      else if (f === 'r') o.noEmpty = true;
      else if (f === '0') o.zero = true;
      else if (f === 'x') continue;
      else if (f === 'i') {
        o.replace = a.slice(j + 1) || '{}';
        break;
      } else if (f === 'n' || f === 's' || f === 'I') {
        const v = j + 1 < a.length ? a.slice(j + 1) : args[++i];
        if (v === undefined) return `option requires an argument -- '${f}'`;
        if (f === 'I') o.replace = v;
        else {
          if (!/^\d+$/.test(v) || Number(v) < 1) return `invalid number '${v}'`;
          if (f === 'n') o.max = Number(v);
          else o.size = Number(v);
        }
        break;
      } else if (f === 'p' || f === 'e' || f === 'E') throw new Unknown(`xargs -${f}`);
      else return `invalid option -- '${f}'`;
    }
  }
  o.argv = args.slice(i);
  if (!o.argv.length) o.argv = ['echo'];
  return o;
}

/**
 * inputWords splits xargs's input into words as xargs.c's process_stdin does: blanks separate them, '…'
 * and "…" keep blanks, a backslash keeps the next character. error is xargs's message for a quote left
 * open, after the words before it.
 */
export function inputWords(text: string): { words: string[]; error?: string } {
  const words: string[] = [];
  let cur = '';
  let inWord = false;
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = '';
      else cur += c;
    } else if (c === '\\' && i + 1 < text.length) {
      cur += text[++i];
      inWord = true;
    } else if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
    } else if (/[ \t\n\v\f\r]/.test(c)) {
      if (inWord) words.push(cur);
      cur = '';
      inWord = false;
    } else {
      cur += c;
      inWord = true;
    }
  }
  // The word ends at the end of input; a quote still open there is xargs.c's "unmatched … quote".
  if (quote) return { words, error: `unmatched ${quote === "'" ? 'single' : 'double'} quote` };
  if (inWord) words.push(cur);
  return { words };
}

/** Exec runs one command line; its exit status. */
export type Exec = (argv: string[]) => number;

/**
 * commands groups the input into the command lines xargs runs: with -I one per input line (xargs.c stops
 * at an empty one) with STR replaced in every word; otherwise the command and as many words as -n and -s
 * allow at a time.
 */
function commands(o: XargsOptions, text: string): { lines: string[][]; error?: string } {
  if (o.replace !== undefined) {
    const rep = o.replace;
    const sep = o.zero ? '\0' : '\n';
    const input = text.split(sep);
    const lines: string[][] = [];
    for (const line of input) {
      if (line === '') break;
      lines.push(o.argv.map((w) => (rep ? w.split(rep).join(line) : w)));
    }
    return { lines };
  }
  const { words, error } = o.zero ? { words: text.split('\0').filter((w, k, all) => w !== '' || k < all.length - 1), error: undefined } : inputWords(text);
  const fixed = o.argv.reduce((n, w) => n + w.length + 1, 0);
  const room = o.size - fixed;
  if (room <= 0) return { lines: [], error: "can't fit single argument within argument list size limit" };
  const lines: string[][] = [];
  for (let k = 0; k < words.length; ) {
    const batch: string[] = [];
    let used = 0;
    while (k < words.length && (o.max === undefined || batch.length < o.max) && (batch.length === 0 || used + words[k].length + 1 <= room)) {
      used += words[k].length + 1;
      batch.push(words[k++]);
    }
    // With -n, a last short batch before an unmatched quote is not run: xargs.c dies reading it.
    if (error && k >= words.length && o.max !== undefined && batch.length < o.max) break;
    if (error && o.max === undefined) break;
    lines.push([...o.argv, ...batch]);
  }
  // Without -r, xargs.c runs the command once even when the input has no words.
  if (!words.length && !o.noEmpty && !error) lines.push([...o.argv]);
  return { lines, error };
}

/**
 * xargs runs its command on the words of standard input (see commands), each with an empty standard input.
 * Its status is busybox's: 0; 123 when a command failed; 124 when one exited 255 (and xargs stopped); 127
 * when the command is not there; 1 for its own errors.
 */
export function xargs(p: Proc, args: string[], readStdin: (p: Proc) => string, exec: Exec): number {
  const o = xargsOptions(args);
  if (typeof o === 'string') {
    write(p, `xargs: ${o}\n${USAGE}`, 2);
    return 1;
  }
  const { lines, error } = commands(o, readStdin(p));
  let status = 0;
  const stdin = p.stdin;
  p.stdin = '';
  try {
    for (const argv of lines) {
      if (o.trace) write(p, `${argv.join(' ')}\n`, 2);
      const code = run(p, argv, exec);
      if (code === 127 || code === 126) return code;
      if (code === 255) {
        write(p, `xargs: ${argv[0]}: exited with status 255; aborting\n`, 2);
        return 124;
      }
      if (code !== 0) status = 123;
    }
  } finally {
    p.stdin = stdin;
  }
  if (error) {
    write(p, `xargs: ${error}\n`, 2);
    return 1;
  }
  return status;
}

/**
 * run runs one of xargs's command lines. In the terminal (a host with a kubectl hook) that is a kubectl line,
 * run as if typed, or echo; anything else is refused with what it can run. In a container a program the
 * image does not have is xargs.c's `xargs: NAME: No such file or directory` (status 127).
 */
function run(p: Proc, argv: string[], exec: Exec): number {
  const name = argv[0];
  if (p.host.kubectl) {
    if (name === 'kubectl' || name === 'k') {
      const r = p.host.kubectl(argv);
      // A failing kubectl printed its error on stderr, which a following pipe does not carry.
      write(p, r.out, r.exit === 0 ? 1 : 2);
      return r.exit;
    }
    if (name !== 'echo') {
      write(p, `kubeplay: xargs in the terminal runs kubectl (or k) and echo, not "${name}" (kubectl exec POD -- sh -c '… | xargs ${name} …' runs it in a container)\n`, 2);
      return 127;
    }
    return exec(argv);
  }
  if (p.host.has?.(name) === false) {
    write(p, `xargs: ${name}: No such file or directory\n`, 2);
    return 127;
  }
  return exec(argv);
}
