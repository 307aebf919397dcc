/**
 * sed.ts: busybox's stream editor (editors/sed.c) with the GNU extensions it shares: -n, -e, -f, -E/-r,
 * -i on the container's files; addresses N, $, /re/, \cREc, N~S, A,B, A,+N and !; commands s y a i c d
 * D p P n N g G h H x b t T : = q Q r z and {…}. sedparse.ts reads the script; this runs it a line at a
 * time. Every command counts against the run's step budget, so `:a;ba` is a loop that runs on (as `yes`
 * is), not a frozen tab; w and l, which write files and list bytes, are not simulated.
 */
import type { RE2JS } from 're2js';
import { capped, readPath, Stop, Unknown, write, writePath, type Proc } from './proc.ts';
import { BackReference, parseSed, SedError, type Addr, type SedCmd, type SedRegex, type SedScript } from './sedparse.ts';
import { lines } from './text.ts';

const USAGE = 'Usage: sed [-i[SFX]] [-nrE] [-f FILE]... [-e CMD]... [FILE]...\n';

interface SedOptions {
  scripts: string[];
  files: string[];
  quiet: boolean;
  extended: boolean;
  /** inPlace: -i's backup suffix ('' for none); undefined without -i. */
  inPlace?: string;
}

/** sedArgs reads sed's command line as getopt32 does ("i::rEne:*f:*": bundled letters, -e/-f values attached or next). */
function sedArgs(p: Proc, args: string[]): SedOptions | string {
  const o: SedOptions = { scripts: [], files: [], quiet: false, extended: false };
  let scripted = false;
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i];
    if (a === '--') {
      i++;
      break;
    }
    if (a.startsWith('--')) {
      const [name, value] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
      if (name === '--quiet' || name === '--silent') o.quiet = true;
      else if (name === '--regexp-extended') o.extended = true;
      else if (name === '--in-place') o.inPlace = value ?? '';
      else if (name === '--expression' || name === '--file') {
        const v = value ?? args[++i];
        if (v === undefined) return `option '${name}' requires an argument`;
        const script = name === '--file' ? scriptFile(p, v) : v;
        if (script === undefined) return `can't open '${v}': No such file or directory`;
        o.scripts.push(script);
        scripted = true;
      } else if (name === '--version') return 'version';
      else return `unrecognized option '${a}'`;
      continue;
    }
    if (!a.startsWith('-') || a === '-') {
      o.files.push(a);
      continue;
    }
    for (let j = 1; j < a.length; j++) {
      const f = a[j];
      if (f === 'n') o.quiet = true;
      else if (f === 'r' || f === 'E') o.extended = true;
      else if (f === 'i') {
        // -i takes its suffix only attached (-i.bak), as an optional argument does.
        o.inPlace = a.slice(j + 1);
        break;
      } else if (f === 'e' || f === 'f') {
        const v = j + 1 < a.length ? a.slice(j + 1) : args[++i];
        if (v === undefined) return `option requires an argument -- '${f}'`;
        const script = f === 'f' ? scriptFile(p, v) : v;
        if (script === undefined) return `can't open '${v}': No such file or directory`;
        o.scripts.push(script);
        scripted = true;
        break;
      } else if (f === 's' || f === 'u' || f === 'z') {
        if (f === 'z') throw new Unknown('sed -z (NUL-separated lines)');
      } else return `invalid option -- '${f}'`;
    }
  }
  // Without -e or -f, the first operand is the script (busybox takes it wherever it stands among the options).
  const rest = [...o.files, ...args.slice(i)];
  if (!scripted) {
    if (!rest.length) return '';
    o.scripts.push(rest.shift()!);
  }
  o.files = rest;
  return o;
}

/** scriptFile reads -f FILE's script (its lines are the script's), undefined when it cannot. */
function scriptFile(p: Proc, path: string): string | undefined {
  const text = readPath(p, path);
  return typeof text === 'string' ? text.replace(/\n$/, '') : undefined;
}

/**
 * sed edits its input as busybox's sed does: prints each line after the script has run on it (unless -n),
 * with -i writes each file back (FILE + SUFFIX keeps the old one). Status 0; 1 on an error (an unreadable
 * file, a script it refuses: `sed: unmatched '/'`), or q/Q's exit code.
 */
export function sed(p: Proc, args: string[], readStdin: (p: Proc) => string): number {
  const o = sedArgs(p, args);
  if (o === 'version') {
    write(p, 'This is not GNU sed version 4.0\n');
    return 0;
  }
  if (typeof o === 'string') {
    write(p, `${o ? `sed: ${o}\n` : ''}${USAGE}`, 2);
    return 1;
  }
  let script: SedScript;
  try {
    script = parseSed(o.scripts.join('\n'), o.extended);
    labels(script);
  } catch (e) {
    if (e instanceof BackReference) throw new Unknown(`sed ${o.scripts.join(' ')} (a back-reference in a regex)`);
    if (!(e instanceof SedError)) throw e;
    write(p, `sed: ${e.message}\n`, 2);
    return 1;
  }
  const quiet = o.quiet || script.quiet;
  if (o.inPlace !== undefined) return inPlace(p, o, script, quiet);
  let text = '';
  let code = 0;
  for (const f of o.files.length ? o.files : ['-']) {
    const t = f === '-' ? readStdin(p) : readPath(p, f);
    if (typeof t !== 'string') {
      write(p, `sed: can't open '${f}': ${t === null ? 'Is a directory' : 'No such file or directory'}\n`, 2);
      code = 1;
      continue;
    }
    // Files are one stream (line numbers and $ run across them); one that ends without a newline still ends its line.
    text += text && !text.endsWith('\n') ? `\n${t}` : t;
  }
  const r = edit(p, script, text, quiet);
  write(p, r.out);
  if (r.error) {
    write(p, `sed: ${r.error}\n`, 2);
    return 1;
  }
  return r.exit ?? code;
}

/** inPlace: sed -i edits each file on its own (its own line numbers and $) and writes it back. */
function inPlace(p: Proc, o: SedOptions, script: SedScript, quiet: boolean): number {
  if (!o.files.length) {
    write(p, 'sed: -i requires an argument\n', 2);
    return 1;
  }
  let code = 0;
  for (const f of o.files) {
    const t = readPath(p, f);
    if (typeof t !== 'string') {
      write(p, `sed: ${f}: ${t === null ? 'Is a directory' : 'No such file or directory'}\n`, 2);
      code = 1;
      continue;
    }
    if (p.host.readOnly?.(f)) {
      // sed.c writes a temporary file beside FILE first (xmkstemp), which a read-only mount refuses.
      write(p, `sed: can't create temp file '${f}XXXXXX': Read-only file system\n`, 2);
      return 1;
    }
    for (const c of script.cmds) c.active = false;
    const r = edit(p, script, t, quiet);
    if (r.error) {
      write(p, `sed: ${r.error}\n`, 2);
      return 1;
    }
    if (o.inPlace) writePath(p, f + o.inPlace, t);
    writePath(p, f, r.out);
    if (r.exit !== undefined) return r.exit;
  }
  return code;
}

/** labels checks that every b, t and T names a label the script has (GNU checks when it reads the script). */
function labels(script: SedScript): void {
  const known = new Set(script.cmds.filter((c) => c.name === ':').map((c) => c.text));
  for (const c of script.cmds) {
    if ('btT'.includes(c.name) && c.text !== undefined && !known.has(c.text)) throw new SedError(`can't find label for jump to '${c.text}'`);
  }
}

/**
 * edit runs a parsed script over text: what it prints, the exit code q or Q asked for, or the error it
 * stopped at (printed after what came before it, as sed.c dies mid-stream).
 */
function edit(p: Proc, script: SedScript, text: string, quiet: boolean): { out: string; exit?: number; error?: string } {
  const { cmds } = script;
  const input = lines(text);
  // A last line without its newline is printed without one (sed.c's NO_EOL_CHAR, as GNU sed does).
  const lastUnended = text !== '' && !text.endsWith('\n');
  const labelAt = new Map(cmds.map((c, i) => [c.name === ':' ? c.text : undefined, i] as const).filter(([l]) => l !== undefined));
  let out = '';
  let ended = true; // the output's last line has its newline
  let next = 0;
  let lineNo = 0;
  let ps = '';
  let hold = '';
  let gotNewline = true;
  let lastRe: RE2JS | undefined;
  let appends: string[] = [];

  const put = (s: string, newline: boolean) => {
    // Text after a line printed without its newline starts a line of its own (sed.c's puts_maybe_newline).
    if (!ended) out += '\n';
    out += s;
    if (s) ended = false;
    if (newline) {
      out += '\n';
      ended = true;
    }
    capped(out);
  };
  const flushAppends = () => {
    for (const a of appends) put(a, true);
    appends = [];
  };
  const read = (): string => {
    flushAppends();
    const line = input[next++];
    lineNo++;
    gotNewline = !(next === input.length && lastUnended);
    return line;
  };
  const isLast = () => next >= input.length;
  const regex = (re: SedRegex): RE2JS => {
    const r = re ?? lastRe;
    if (!r) throw new SedError('no previous regexp');
    lastRe = r;
    return r;
  };
  const test = (re: SedRegex) => regex(re).matcher(ps).find(0);
  const hit = (a: Addr): boolean => {
    switch (a.k) {
      case 'line':
        return lineNo === a.n;
      case 'last':
        return isLast();
      case 'step':
        return a.step <= 0 ? lineNo === a.first : lineNo >= a.first && (lineNo - a.first) % a.step === 0;
      case 're':
        return test(a.re);
      case 'plus':
        return false;
    }
  };
  const selected = (c: SedCmd): boolean => {
    if (!c.a1) return true;
    if (!c.a2) return hit(c.a1);
    const a2 = c.a2;
    if (!c.active) {
      // GNU's 0,/re/: the range is open before line 1, so /re/ may end it on line 1 itself.
      const zero = c.a1.k === 'line' && c.a1.n === 0 && lineNo === 1;
      if (!zero && !hit(c.a1)) return false;
      c.active = true;
      if (zero && a2.k === 're' && test(a2.re)) c.active = false;
      // A range whose end is a line number at or before the first is that one line (POSIX).
      else if (a2.k === 'line' && a2.n <= lineNo) c.active = false;
      else if (a2.k === 'plus') {
        c.endLine = lineNo + a2.n;
        if (a2.n === 0) c.active = false;
      } else if (a2.k === 'last' && isLast()) c.active = false;
      return true;
    }
    // Inside the range: this line is in it, and may be its last. sed.c matches a line past a numeric end
    // (`1{N;N;d};2,3p` prints line 4): N read over the end, and the range closes on the next line it sees.
    if (a2.k === 'line' || a2.k === 'plus') {
      if (lineNo >= (a2.k === 'line' ? a2.n : c.endLine!)) c.active = false;
    } else if (a2.k === 'last') {
      if (isLast()) c.active = false;
    } else if (a2.k === 're' && test(a2.re)) c.active = false;
    return true;
  };

  try {
    while (!isLast()) {
      ps = read();
      let substituted = false;
      let autoprint = !quiet;
      let quit: number | undefined;
      let pc = 0;
      cycle: while (pc < cmds.length) {
        if (++p.steps > p.maxSteps) throw new Stop();
        const c = cmds[pc];
        const on = selected(c) !== c.invert;
        if (c.name === '{') {
          pc = on ? pc + 1 : c.end! + 1;
          continue;
        }
        if (!on) {
          pc++;
          continue;
        }
        switch (c.name) {
          case '=':
            put(String(lineNo), true);
            break;
          case 'a':
            appends.push(c.text!);
            break;
          case 'i':
            put(c.text!, true);
            break;
          case 'c':
            // In a range the text replaces the whole range: it is printed at its last line.
            if (!c.a2 || !c.active) put(c.text!, true);
            autoprint = false;
            break cycle;
          case 'd':
            autoprint = false;
            break cycle;
          case 'D': {
            const nl = ps.indexOf('\n');
            if (nl < 0) {
              autoprint = false;
              break cycle;
            }
            // Delete up to the first newline and start the script again on the rest, reading nothing.
            ps = ps.slice(nl + 1);
            flushAppends();
            pc = 0;
            continue;
          }
          case 'g':
            ps = hold;
            break;
          case 'G':
            ps = capped(`${ps}\n${hold}`);
            gotNewline = true;
            break;
          case 'h':
            hold = ps;
            break;
          case 'H':
            hold = capped(`${hold}\n${ps}`);
            break;
          case 'x':
            [ps, hold] = [hold, ps];
            gotNewline = true;
            break;
          case 'z':
            ps = '';
            break;
          case 'n':
            if (!quiet) put(ps, gotNewline);
            // No next line: sed ends without printing the pattern space again.
            if (isLast()) {
              autoprint = false;
              break cycle;
            }
            ps = read();
            substituted = false;
            break;
          case 'N':
            // On the last line GNU sed (and busybox after it) prints the pattern space and ends; POSIX sed would not print.
            if (isLast()) break cycle;
            ps = capped(`${ps}\n${read()}`);
            break;
          case 'p':
            put(ps, true);
            break;
          case 'P': {
            const nl = ps.indexOf('\n');
            put(nl < 0 ? ps : ps.slice(0, nl), true);
            break;
          }
          case 'q':
          case 'Q':
            quit = c.exit ?? 0;
            if (c.name === 'Q') autoprint = false;
            break cycle;
          case 's': {
            const r = substitute(p, ps, c.sub!, regex);
            if (r === undefined) break;
            ps = capped(r);
            substituted = true;
            if (c.sub!.print) put(ps, gotNewline);
            break;
          }
          case 'y':
            ps = [...ps].map((ch) => c.y!.get(ch) ?? ch).join('');
            break;
          case 't':
          case 'T':
          case 'b': {
            const jump = c.name === 'b' || (c.name === 't') === substituted;
            if (c.name === 't' && substituted) substituted = false;
            if (!jump) break;
            if (c.text === undefined) break cycle;
            pc = labelAt.get(c.text)!;
            break;
          }
          case 'r': {
            const data = readPath(p, c.text!);
            if (typeof data === 'string' && data !== '') appends.push(data.replace(/\n$/, ''));
            break;
          }
        }
        pc++;
      }
      if (autoprint) put(ps, gotNewline);
      flushAppends();
      if (quit !== undefined) return { out, exit: quit };
    }
  } catch (e) {
    if (e instanceof SedError) return { out, error: e.message };
    throw e;
  }
  return { out };
}

/**
 * substitute runs an s command on the pattern space: the new text, or undefined when nothing matched. With
 * g every match is replaced, with N only the Nth (Ng: the Nth and those after it). An empty match right
 * after a match is not one: replacing every `c*` in cccd by R gives RdR, not RRdR (sed.c's prev_match_empty, as GNU).
 */
function substitute(p: Proc, ps: string, sub: NonNullable<SedCmd['sub']>, regex: (re: SedRegex) => RE2JS): string | undefined {
  const m = regex(sub.re).matcher(ps);
  let out = '';
  let copied = 0;
  let count = 0;
  let changed = false;
  let prevEnd = -1;
  for (let pos = 0; pos <= ps.length && m.find(pos); ) {
    if (++p.steps > p.maxSteps) throw new Stop();
    const s = m.start();
    const e = m.end();
    if (s === e && s === prevEnd) {
      pos = s + 1;
      continue;
    }
    count++;
    prevEnd = e;
    if (count >= sub.nth && (sub.global || count === sub.nth)) {
      out += ps.slice(copied, s);
      for (const part of sub.repl) out += typeof part === 'string' ? part : (m.group(part) ?? '');
      copied = e;
      changed = true;
      if (!sub.global) break;
    }
    pos = e > s ? e : s + 1;
  }
  return changed ? out + ps.slice(copied) : undefined;
}
