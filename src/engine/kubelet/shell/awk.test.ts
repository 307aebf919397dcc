import { describe, expect, it } from 'vitest';
import { runArgv } from './run.ts';
import type { ShellHost } from './proc.ts';
import { awkSprintf, numberToString } from './awkformat.ts';

const files: Record<string, string | null> = { '/etc/config/prog.awk': '{ n++ }\nEND { print n " lines" }\n', '/etc/config/data': 'x 1\ny 2\n', '/etc/config': null };
const host: ShellHost = { env: [['GREETING', 'hi']], startMs: 0, hostname: 'web-1', readFile: (p) => files[p] };

/** awk runs `awk ARGS…` on stdin and summarises its outcome as `code: output`, or `running`/`unknown PROGRAM`. */
function awk(args: string[], stdin = ''): string {
  const o = runArgv(['awk', ...args], host, { stdin });
  const out = o.lines.map((l) => l.text).join('|');
  if (o.kind === 'exited') return `${o.code}: ${out}`;
  return o.kind === 'running' ? `running: ${out}` : `unknown ${o.program}: ${out}`;
}

const PODS = [
  'NAME                   READY   STATUS             RESTARTS   AGE',
  'web-7d4b9c8f6d-abcde   1/1     Running            0          5m',
  'web-7d4b9c8f6d-fghij   0/1     CrashLoopBackOff   10         5m',
  'db-0                   1/1     Running            9          1h',
].join('\n') + '\n';
const TOP = 'NAME    CPU(cores)   MEMORY(bytes)\nweb-1   12m          40Mi\nweb-2   3m           25Mi\n';

describe('awk one-liners on kubectl output', () => {
  it.each<[string, string[], string, string]>([
    ['the first column', ['{print $1}'], PODS, '0: NAME|web-7d4b9c8f6d-abcde|web-7d4b9c8f6d-fghij|db-0'],
    ['skipping the header', ['NR>1 {print $1, $2}'], PODS, '0: web-7d4b9c8f6d-abcde 1/1|web-7d4b9c8f6d-fghij 0/1|db-0 1/1'],
    ['a missing action prints the record', ['NR > 1 && $3 != "Running"'], PODS, '0: web-7d4b9c8f6d-fghij   0/1     CrashLoopBackOff   10         5m'],
    // "10" and "9" from fields are numeric strings: compared as numbers with 9, as strings with "9".
    ['fields compare as numbers', ['NR>1 && $4 > 9 {print $1}'], PODS, '0: web-7d4b9c8f6d-fghij'],
    ['a string constant compares as a string', ['NR>1 && $4 > "9" {print $1}'], PODS, '0: '],
    ['a sum in END ("12m" is 12)', ['NR>1 {s+=$2} END {print s "m"}'], TOP, '0: 15m'],
    ['NF and $NF', ['{print NF, $NF, $(NF-1)}'], 'a b c\n', '0: 3 c b'],
    ['printf alignment', ['NR>1 {printf "%-8s|%6s|%5.1f%%\\n", $1, $2, $2/20*100}'], TOP, '0: web-1   |   12m| 60.0%|web-2   |    3m| 15.0%'],
    ['counting with an array (keys in insertion order)', ['NR>1 {n[$3]++} END {for (s in n) print s, n[s]}'], PODS, '0: Running 2|CrashLoopBackOff 1'],
    ['/regex/ patterns, ERE alternation and classes', ['/^(db|api)-[[:digit:]]/ {print $1}'], PODS, '0: db-0'],
    ['~ and !~', ['$1 ~ /^web/ && $3 !~ "Run" {print $1}'], PODS, '0: web-7d4b9c8f6d-fghij'],
    ['a range', ['/b/,/d/'], 'a\nb\nc\nd\ne\nb\n', '0: b|c|d|b'],
    ['unique lines', ['!seen[$0]++'], 'a\nb\na\nc\nb\n', '0: a|b|c'],
    ['assigning a field rebuilds $0 with OFS', ['BEGIN {OFS="-"} {$2 = "X"; print; print NF}'], 'a b  c\n', '0: a-X-c|3'],
    ['assigning NF', ['{NF = 2; print}'], 'a b c d\n', '0: a b'],
    ['$0 assigned is split again', ['{$0 = "x y"; print $2, NF}'], 'a\n', '0: y 2'],
    ['END sees the last record', ['END {print NR, $0}'], 'a\nb\n', '0: 2 b'],
    ['next', ['NR==1 {next} {print}'], 'a\nb\n', '0: b'],
    ['exit runs END, with its status', ['{print; exit 3} END {print "end"}'], 'a\nb\n', '3: a|end'],
    ['a while loop', ['{i = 1; while (i <= NF) {print $i; i++}}'], 'a b\n', '0: a|b'],
    ['do-while, break and continue', ['BEGIN {do {i++; if (i == 2) continue; if (i > 3) break; print i} while (1)}'], '', '0: 1|3'],
    ['for over fields, backwards', ['{for (i = NF; i > 0; i--) printf "%s%s", $i, (i > 1 ? OFS : ORS)}'], 'a b c\n', '0: c b a'],
    ['if/else on one line', ['{if ($1 > 1) print "big"; else print "small"}'], '1\n2\n', '0: small|big'],
    ['multi-dimensional subscripts and in', ['BEGIN {a[1,2] = 3; if ((1,2) in a) print "yes"; for (k in a) {split(k, p, SUBSEP); print p[1], p[2]}}'], '', '0: yes|1 2'],
    ['delete', ['BEGIN {a[1]; a[2]; delete a[1]; print length(a); delete a; print length(a)}'], '', '0: 1|0'],
    ['uninitialised values', ['BEGIN {print x == 0, x == "", length(x), x + 1}'], '', '0: 1 1 0 1'],
    ['getline is not simulated', ['{getline line; print line}'], 'a\n', 'unknown awk getline: '],
    ['nor is CMD | getline', ['BEGIN {"date" | getline d}'], '', 'unknown awk getline: '],
    ['BEGIN, a newline, then its action', ['BEGIN\n{print "x"}'], '', '0: x'],
    ['ENVIRON', ['BEGIN {print ENVIRON["GREETING"]}'], '', '0: hi'],
    ['a user function, recursive', ['function fib(n) {return n < 2 ? n : fib(n-1) + fib(n-2)} BEGIN {print fib(20)}'], '', '0: 6765'],
    ['a function fills an array passed to it', ['function fill(arr) {arr["k"] = 1} BEGIN {fill(a); print length(a), a["k"]}'], '', '0: 1 1'],
    ['print > /dev/stderr', ['{print "err:" $0 > "/dev/stderr"}'], 'a\n', '0: err:a'],
  ])('%s', (_name, args, stdin, want) => expect(awk(args, stdin)).toBe(want));
});

describe('awk options and operands', () => {
  it.each<[string, string[], string, string]>([
    ['-F with one character', ['-F:', '{print $2}'], 'a:b:c\n', '0: b'],
    ['-F separated, a regex', ['-F', '[:=]', '{print $2 "-" $3}'], 'a:b=c\n', '0: b-c'],
    ['-F \\t', ['-F', '\\t', '{print $2}'], 'a b\tc d\n', '0: c d'],
    ['-F with a single space is runs of blanks', ['-F', ' ', '{print $2}'], '  a   b\n', '0: b'],
    ['FS in BEGIN, OFS', ['BEGIN {FS=","; OFS=";"} {$1=$1; print}'], 'a,b,,c\n', '0: a;b;;c'],
    ['-v', ['-v', 'n=2', '-v', 's=a\\tb', 'BEGIN {print n * 3, s}'], '', '0: 6 a\tb'],
    ['-f FILE and file operands', ['-f', '/etc/config/prog.awk', '/etc/config/data'], '', '0: 2 lines'],
    ['FILENAME, FNR and an assignment operand', ['{print FILENAME, FNR, $1 x}', '/etc/config/data', 'x=!', '/etc/config/data'], '', '0: /etc/config/data 1 x|/etc/config/data 2 y|/etc/config/data 1 x!|/etc/config/data 2 y!'],
    ['a missing file', ['{print}', '/nope'], '', "1: awk: can't open '/nope': No such file or directory"],
    ['a missing -f file', ['-f', '/nope'], '', "1: awk: can't open '/nope': No such file or directory"],
    ['no program', [], '', '1: Usage: awk [OPTIONS] [AWK_PROGRAM] [FILE]...||\t-v VAR=VAL\tSet variable|\t-F SEP\t\tUse SEP as field separator|\t-f FILE\t\tRead program from FILE|\t-e AWK_PROGRAM'],
    ['an unknown option', ['-x', '{}'], '', "1: awk: invalid option -- 'x'|Usage: awk [OPTIONS] [AWK_PROGRAM] [FILE]...||\t-v VAR=VAL\tSet variable|\t-F SEP\t\tUse SEP as field separator|\t-f FILE\t\tRead program from FILE|\t-e AWK_PROGRAM"],
    ['RS as one character', ['BEGIN {RS=";"} {print NR": "$0}'], 'a;b;c', '0: 1: a|2: b|3: c'],
    ['RS empty: paragraphs', ['BEGIN {RS=""} {print NR, $1, NF}'], '\na b\nc\n\n\nd\n', '0: 1 a 3|2 d 1'],
    ['print > FILE, then read back', ['{print $1 > "/tmp/out"} END {close("/tmp/out")}'], 'a b\nc d\n', '0: '],
  ])('%s', (_name, args, stdin, want) => expect(awk(args, stdin)).toBe(want));
});

describe('awk builtins and numbers', () => {
  it.each<[string, string, string]>([
    ['CONVFMT/OFMT %.6g, integers whole (up to long long)', 'print 0.1+0.2, 1e6, 2^53, 1/3, 1e20, 100/3*3, -0', '0.3 1000000 9007199254740992 0.333333 1e+20 100 0'],
    ['large values past long long use %.6g', 'print 1e30, 123456789.123', '1e+30 1.23457e+08'],
    ['OFMT for print, CONVFMT for concatenation', 'OFMT="%.2f"; CONVFMT="%.3f"; x = 3.14159; print x, x ""', '3.14 3.142'],
    ['arithmetic', 'print 7%3, -7%3, 2^10, -2^2, 2^-1, 2**3, 10/4, int(-3.9)', '1 -1 1024 -4 0.5 8 2.5 -3'],
    ['++ -- += -= *= /= %= ^=', 'x = 5; x++; ++x; x--; x += 10; x -= 1; x *= 2; x /= 4; x %= 4; x ^= 3; print x, y++ + ++y', '42.875 2'],
    ['?: && || !', 'print 1 ? "y" : "n", 0 || "", 2 && "a", !"", !"0", !0', 'y 0 1 1 0 1'],
    ['concatenation', 'x = 1; print x x+1 "-" (x-1)', '12-0'],
    ['length, substr, index', 'print length("hello"), length(), substr("hello", 2, 3), substr("hello", 0, 2), substr("hello", 4), index("abc", "c"), index("abc", "")', '5 0 ell he lo 3 0'],
    ['split', 'n = split("a:b::c", p, ":"); print n, p[1], p[3] == "", p[4]; print split("a1b22c", q, /[0-9]+/), q[3]; print split("  x  y ", r), r[1]', '4 a 1 c|3 c|2 x'],
    ['sub and gsub with &', 's = "foo bar"; n = gsub(/o/, "[&]", s); sub(/bar/, "\\\\&", s); print n, s', '2 f[o][o] &'],
    ['gsub on $0 and a field', '$0 = "a.b.c"; gsub(/\\./, "-"); print; $0 = "x y"; gsub(/y/, "z", $2); print $0, NF', 'a-b-c|x z 2'],
    ['gsub with empty matches', 's = "abc"; gsub(/x*/, "-", s); print s', '-a-b-c-'],
    ['match sets RSTART and RLENGTH', 'print match("abc123", /[0-9]+/), RSTART, RLENGTH; print match("abc", /z/), RSTART, RLENGTH', '4 4 3|0 0 -1'],
    ['sprintf and printf conversions', 'print sprintf("%5s|%-5s|%.2s|%d|%05.1f|%x|%X|%o|%c|%c|%e|%G|%+d|% d|%i", "ab", "ab", "abc", "42abc", 3.14159, 255, 255, 8, 65, "hello", 1234.5, 0.00001234, 5, 5, 7.9)', '   ab|ab   |ab|42|003.1|ff|FF|10|A|h|1.234500e+03|1.234E-05|+5| 5|7'],
    ['tolower, toupper', 'print tolower("ABC-d"), toupper("abc-D")', 'abc-d ABC-D'],
    ['math', 'printf "%.4f %.4f %.4f %.4f %.4f %.4f\\n", sqrt(2), exp(1), log(10), sin(1), cos(1), atan2(1, 1) * 4', '1.4142 2.7183 2.3026 0.8415 0.5403 3.1416'],
    // glibc's random() seeded with 1, as busybox's rand() is until srand: its first value is 1804289383.
    ['rand is glibc random() seeded with 1', 'print rand(), rand(); print srand(7), srand(); srand(1); print rand()', '0.840188 0.394383|1 7|0.840188'],
    ['bitwise', 'print and(12, 10), or(12, 10), xor(12, 10), lshift(1, 4), rshift(16, 2)', '8 14 6 16 4'],
    ['strnum from split and -v compare as numbers', 'split("10 9", a); print (a[1] > a[2]), ("10" > "9")', '1 0'],
    ['system() is not simulated', 'system("ls")', 'unknown awk system()'],
  ])('%s', (_name, body, want) => {
    const got = awk([`BEGIN { ${body} }`]);
    expect(got.startsWith('unknown') ? got.replace(/: $/, '') : got).toBe(want.startsWith('unknown') ? want : `0: ${want}`);
  });
});

describe('awk errors, in busybox words', () => {
  it.each<[string, string, string]>([
    ['an unclosed brace', '{print $1', '1: awk: cmd. line:1: Unexpected end of string'],
    ['a stray token', 'BEGIN { print ) }', '1: awk: cmd. line:1: Unexpected token'],
    ['an unterminated string', 'BEGIN { print "abc }', '1: awk: cmd. line:1: Unexpected end of string'],
    ['the line of the error', 'BEGIN {\n  x = 1\n  print x +* 2\n}', '1: awk: cmd. line:3: Unexpected token'],
    ['too few arguments', 'BEGIN { print substr("a") }', '1: awk: cmd. line:1: Too few arguments for builtin'],
    ['division by zero, after what printed', 'BEGIN { print "before"; print 1/0 }', '1: before|awk: cmd. line:1: Division by zero'],
    ['a negative field', '{ print $(-1) }', '1: awk: cmd. line:1: Access to negative field'],
    ['an undefined function', 'BEGIN { f(1) }', '1: awk: cmd. line:1: Call to undefined function'],
    ['a bad regex', '/a[/', "1: awk: bad regex 'a[': Unmatched [, [^, [:, [., or [="],
    ['%*d', 'BEGIN { printf "%*d", 3, 4 }', '1: awk: cmd. line:1: %*x formats are not supported'],
    ['break outside a loop', 'BEGIN { break }', "1: awk: cmd. line:1: 'break' not in a loop"],
    ['printing into a command', '{ print | "sort" }', 'unknown awk print | COMMAND (printing into a command): '],
    // A loop that never ends is stopped after MAX_STEPS statements: the process is still running.
    ['a runaway loop', 'BEGIN { print "start"; while (1) x++ }', 'running: start'],
    ['a runaway for', 'BEGIN { for (;;); }', 'running: '],
  ])('%s', (_name, program, want) => expect(awk([program], 'a\n')).toBe(want));
});

describe('awkformat', () => {
  it.each<[number, string]>([
    [0.1 + 0.2, '0.3'],
    [1e6, '1000000'],
    [2 ** 53, '9007199254740992'],
    [1e-5, '1e-05'],
    [123456.7, '123457'],
    [1234567.8, '1.23457e+06'],
    [-2.5, '-2.5'],
    [Infinity, 'inf'],
  ])('numberToString(%s)', (n, want) => expect(numberToString(n, '%.6g')).toBe(want));

  it('awkSprintf takes a missing argument as empty and zero', () => {
    expect(awkSprintf('%s|%d|%5.2f', [])).toBe('|0| 0.00');
  });
});
