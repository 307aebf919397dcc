import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runArgv, runScript } from './run.ts';
import { fileStateAt, type ShellHost } from './proc.ts';
import { printf, date } from './programs.ts';
import { arith } from './arith.ts';

const START = 0; // the cluster clock's 0: Wed Jan  1 00:00:00 UTC 2025
const files: Record<string, string | null> = { '/etc/config/mode': 'blue', '/etc/config': null };
const host: ShellHost = {
  env: [['ITEM', 'apple'], ['HOSTNAME', 'web-1'], ['EMPTY', '']],
  startMs: START,
  hostname: 'web-1',
  readFile: (p) => files[p],
  listDir: (p) => (p === '/etc/config' ? ['mode', '..data'] : undefined),
};

/** summary prints an outcome as `kind@seconds code: line|line` for the tables. */
function summary(o: ReturnType<typeof runScript>): string {
  const lines = o.lines.map((l) => (l.at ? `${l.text}@${l.at / 1000}` : l.text)).join('|');
  if (o.kind === 'exited') return `exited@${o.at / 1000} ${o.code}: ${lines}`;
  if (o.kind === 'running') return `running: ${lines}`;
  return `unknown ${o.program}: ${lines}`;
}

describe('the simulated shell runs scripts on the container clock', () => {
  const cases: [script: string, want: string, horizonS?: number][] = [
    ['echo hi', 'exited@0 0: hi'],
    // The Job examples in the Kubernetes docs (podFailurePolicy, parallel work items).
    ['echo "Hello world! I\'m going to exit with 0 (success)." && sleep 90 && exit 0', "exited@90 0: Hello world! I'm going to exit with 0 (success)."],
    ['echo "Hello world!" && sleep 5 && exit 42', 'exited@5 42: Hello world!'],
    ['echo Processing item $ITEM && sleep 5', 'exited@5 0: Processing item apple'],
    ['date; echo Hello from the Kubernetes cluster', 'exited@0 0: Wed Jan  1 00:00:00 UTC 2025|Hello from the Kubernetes cluster'],
    // Loops: forever, printing on the clock, up to the horizon.
    ['while true; do echo hello from cnt01; sleep 10;done', 'running: hello from cnt01|hello from cnt01@10|hello from cnt01@20', 25],
    ['for i in 1 2 3; do echo $i; sleep 1; done', 'exited@3 0: 1|2@1|3@2'],
    ['i=0; while [ $i -lt 3 ]; do i=$((i+1)); echo "n=$i"; done', 'exited@0 0: n=1|n=2|n=3'],
    ['until [ "$n" = xxx ]; do n="${n}x"; done; echo $n', 'exited@0 0: xxx'],
    ['for i in $(seq 1 5); do [ $i -eq 2 ] && continue; [ $i -eq 4 ] && break; echo $i; done', 'exited@0 0: 1|3'],
    ['sleep infinity', 'running: '],
    ['echo start; tail -f /dev/null', 'running: start'],
    // Following a real file prints what others append over time: not simulated, and said so.
    ['echo start; tail -n+1 -F /var/log/1.log', 'unknown tail -n+1 -F /var/log/1.log (following a file as it grows): start'],
    ['sleep 1d; echo late', 'running: ', 3600],
    // Exit statuses, && and ||, set -e.
    ['false || echo recovered', 'exited@0 0: recovered'],
    ['true && false', 'exited@0 1: '],
    ['set -e; echo one; false; echo never', 'exited@0 1: one'],
    ['exit 300', 'exited@0 44: '],
    ['! false', 'exited@0 0: '],
    ['(exit 3); echo "sub said $?"', 'exited@0 0: sub said 3'],
    // Quoting and expansion.
    [`echo 'single $ITEM' "double $ITEM" \\$ITEM`, 'exited@0 0: single $ITEM double apple $ITEM'],
    ['x="a  b"; for w in $x; do echo "[$w]"; done; for w in "$x"; do echo "[$w]"; done', 'exited@0 0: [a]|[b]|[a  b]'],
    ['echo ${MISSING:-fallback} ${ITEM:+set} ${#ITEM} ${EMPTY:-was-empty} ${EMPTY-kept}', 'exited@0 0: fallback set 5 was-empty'],
    ['echo "$(hostname) at `date +%T`"', 'exited@0 0: web-1 at 00:00:00'],
    ['echo $((2 + 3 * 4)) $(( (7 % 4) == 3 )) $((-5 / 2))', 'exited@0 0: 14 1 -2'],
    ['echo -n a; echo b; echo -e "c\\td"', 'exited@0 0: ab|c\td'],
    ["printf '%s-%03d\\n' a 7 b 12", 'exited@0 0: a-007|b-012'],
    // Files: what the script wrote, and the container's volumes.
    ['echo logging > /opt/logs.txt; echo more >> /opt/logs.txt; cat /opt/logs.txt', 'exited@0 0: logging|more'],
    ['if [ -f /etc/config/mode ]; then echo "mode is $(cat /etc/config/mode)"; else echo none; fi', 'exited@0 0: mode is blue'],
    // The docs' configmap volume example: ls /etc/config/ prints the keys (dot entries hidden).
    ['ls /etc/config/', 'exited@0 0: mode'],
    ['mkdir /out; touch /out/b /out/a; ls /out /etc/config/mode /nope', 'exited@0 1: ls: /nope: No such file or directory|/etc/config/mode||/out:|a|b'],
    ['ls -l /etc/config', 'unknown ls -l (only plain listings are simulated): '],
    ['[ -d /etc/config ] && echo dir; cat /nope', "exited@0 1: dir|cat: can't open '/nope': No such file or directory"],
    ['echo quiet > /dev/null; echo "to log" 2>&1', 'exited@0 0: to log'],
    // Redirections open left to right: stderr follows stdout into a file only when duplicated after it.
    ['echo a > /dev/stdout; echo b > /dev/stderr', 'exited@0 0: a|b'],
    ['cat /nope 2>/dev/null; echo b', 'exited@0 0: b'],
    ["cat /nope > /tmp/x 2>&1; echo got; cat /tmp/x", "exited@0 0: got|cat: can't open '/nope': No such file or directory"],
    ["cat /nope 2>&1 > /tmp/y; echo got; cat /tmp/y", "exited@0 0: cat: can't open '/nope': No such file or directory|got"],
    ["cat /nope &> /tmp/z; cat /tmp/z", "exited@0 0: cat: can't open '/nope': No such file or directory"],
    ['echo a 2>/dev/null 1>&2', 'exited@0 0: '],
    ['echo a 1>&2 2>/dev/null', 'exited@0 0: a'],
    ['x=$(cat /nope 2>&1); echo "[${x%%:*}]"', 'exited@0 0: [cat]'],
    ["x=$(cat /nope); echo \"[$x]\"", "exited@0 0: cat: can't open '/nope': No such file or directory|[]"],
    ['echo e >&-; echo f', 'exited@0 0: f'],
    ['cat /dev/urandom', 'unknown reading /dev/urandom (a device): '],
    // Pattern removal: shortest and longest prefix (#, ##) and suffix (%, %%).
    ['f=/data/logs/app.tar.gz; echo ${f#*/} ${f##*/} ${f%.*} ${f%%.*}', 'exited@0 0: data/logs/app.tar.gz app.tar.gz /data/logs/app.tar /data/logs/app'],
    ['v=abcabc; echo ${v#[ab]} ${v%c} ${v#x} ${v%?c} ${v##*b} "${v%%\\*}"', 'exited@0 0: bcabc abcab abcabc abca c abcabc'],
    ['echo ${#x#y}', 'unknown sh (bad substitution: ${#x#y}): '],
    // Many stars against a long value: linear with RE2 (the backtracking engine took minutes).
    ['x=$(printf "%04096d" 0); y=${x##*1*1*1*1*2}; z=${x%%*0*0*0*0}; echo ${#y} ${#z}', 'exited@0 0: 4096 0'],
    ['v=abcabc; echo ${v#*b} ${v##*b} ${v%b*} ${v%%b*} ${v#*} ${v##*} ${v%%[!c]*} ${v#a*c*} ${v#*z*}', 'exited@0 0: cabc c abca a abcabc abc abcabc'],
    ['x=$(seq 1 20000); y=${x##*1*2*3*4*5*6*7*8*9*0*x}; z=${x%%*1*2*3*4*5*6*7*8*9*0*x}; echo ${#y} ${#z} ${x##*9}', 'exited@0 0: 108893 108893 20000'],
    ['echo a b c | cat', 'exited@0 0: a b c'],
    // busybox ash's [[ … ]] is its test closed by ]]: the docs' downward API volume example loops on it.
    ["while true; do if [[ -e /etc/config/mode ]]; then echo -en '\\n'; cat /etc/config/mode; fi; sleep 5; done", 'running: |blue@5|blue@7', 7],
    ['[[ -d /etc/config ]] && [[ "$ITEM" == apple ]] && echo both; [[ -f /nope ]] || echo none', 'exited@0 0: both|none'],
    ['[[ -e /etc/config/mode ]; echo "status $?"', 'exited@0 0: sh: missing ]]|status 2'],
    ['[ -e /etc/config/mode ]]; echo "status $?"', 'exited@0 0: sh: missing ]|status 2'],
    ['touch /tmp/healthy; [ -e /tmp/healthy ] && echo yes; rm /tmp/healthy; rm /tmp/healthy; rm -f /tmp/healthy', "exited@0 0: yes|rm: can't remove '/tmp/healthy': No such file or directory"],
    ['mkdir -p /data/out; echo x > /data/in; cp /data/in /data/out; cat /data/out/in; mv /data/in /data/moved; cat /data/in', "exited@0 1: x|cat: can't open '/data/in': No such file or directory"],
    // Shells within shells, and env.
    ['sh -c \'echo "$0 $1"; exit 7\' job one; echo "inner exited $?"', 'exited@0 0: job one|inner exited 7'],
    ['env GREETING=hi printenv GREETING', 'exited@0 0: hi'],
    // What the simulation cannot run stops it as unknown; the image's behaviour applies.
    ['nslookup myservice', 'unknown nslookup: '],
    ['constructor; toString', 'unknown constructor: '],
    ['echo before; python3 -c "import sys; sys.exit(1)"', 'unknown python3: before'],
    ['for f in /etc/config/*; do cat $f; done', 'unknown sh (the pattern /etc/config/*): '],
    ['echo "*" \'*\' "$(echo "inner")"', 'exited@0 0: * * inner'],
    ['case $x in a) echo a;; esac', 'unknown sh ("case" is not supported by the simulated shell): '],
    ['echo "unterminated', 'unknown sh (unterminated quoted string): '],
    // One-line interpreter programs compute for a few seconds (drawn from their text) and exit 0.
    // The docs' pi Job: it computes for a while and exits 0; its log says its output is not simulated.
    ['perl -Mbignum=bpi -wle "print bpi(2000)"', 'exited@7.671 0: kubeplay: what perl printed is not simulated (it ran for 7.671s and exited 0)@7.671'],
    ["python3 -c 'import math' && echo done", 'exited@4.269 0: done@4.269'],
    ['x=$(python3 -c "print(1)"); echo "[$x]"', 'exited@3.755 0: kubeplay: what python3 printed is not simulated (it ran for 3.755s and exited 0)@3.755|[]@3.755'],
    // A busy loop never sleeps: the step budget ends the run as "runs on".
    ['while :; do :; done', 'running: '],
    ['echo $((1 / 0))', 'exited@0 2: sh: arithmetic error: division by zero'],
    // Strangers' scripts: a value that doubles without end, output without a newline, a width too wide.
    ['x=ab; while true; do x=$x$x; done', 'unknown sh (a value over 1 MiB): '],
    ["printf '%999999999s|' x | cat > /dev/null; echo ok", 'exited@0 0: ok'],
  ];
  for (const [script, want, horizon] of cases) {
    it(script, () => expect(summary(runScript(script, host, { horizonMs: horizon === undefined ? Infinity : horizon * 1000 }))).toBe(want));
  }
});

describe('argv without a shell', () => {
  const cases: [argv: string[], want: string][] = [
    [['sleep', '3600'], 'exited@3600 0: '],
    [['/bin/sh'], 'exited@0 0: '],
    [['sh', '-c'], 'exited@0 2: sh: -c: option requires an argument'],
    [['bash', '-ec', 'false; echo no'], 'exited@0 1: '],
    [['python3'], 'exited@0 0: '],
    [['python3', 'app.py'], 'unknown python3: '],
    [['nginx', '-g', 'daemon off;'], 'unknown nginx: '],
    [['docker-entrypoint.sh', 'echo', 'via entrypoint'], 'exited@0 0: via entrypoint'],
    [['sleep', 'soon'], "exited@0 1: sleep: invalid number 'soon'"],
  ];
  for (const [argv, want] of cases) it(argv.join(' '), () => expect(summary(runArgv(argv, host))).toBe(want));

  it('with stdin kept open (stdin: true, kubectl run -i) a shell or a REPL waits for input instead of exiting', () => {
    const open = { ...host, stdinOpen: true };
    expect(summary(runArgv(['sh'], open))).toBe('running: ');
    expect(summary(runArgv(['python3'], open))).toBe('running: ');
    expect(summary(runScript("echo 'print(1)' | python3", host))).toBe('unknown python3: ');
    expect(summary(runScript('echo ready; cat', open))).toBe('running: ready');
    expect(summary(runScript('echo piped | cat', open))).toBe('exited@0 0: piped');
  });
});

it('nesting past the stack is not simulated, and does not throw', () => {
  const deep = '$('.repeat(20_000) + 'echo hi' + ')'.repeat(20_000);
  expect(runScript(`echo ${deep}`, host).kind).toBe('unknown');
  // A line that never ends grows by appending (not rescanned per write) until the 1 MiB cap.
  expect(runScript(`while true; do echo -n ${'x'.repeat(64)}; done`, host).kind).toBe('unknown');
});

describe('planning stops at a loop in a steady state', () => {
  const plan = (script: string) => {
    const o = runScript(script, host, { steady: true });
    return o.kind === 'running' ? `running@${o.until / 1000}${o.steady ? ' steady' : ''}` : summary(o);
  };
  it.each([
    // Two iterations that leave the shell alike: the loop never ends.
    ['while true; do echo "tick $(date +%T)"; sleep 10; done', 'running@20 steady'],
    ['touch /tmp/ok; while [ -f /tmp/ok ]; do sleep 5; done', 'running@10 steady'],
    // A counter changes the state every time: no steady state, the step budget decides.
    ['i=0; while true; do i=$((i+1)); sleep 1; done', 'running@12499'],
    // A choice made on the clock is not a steady state, even if nothing else changes.
    ['while true; do if [ $(date +%s) -gt 1735689700 ]; then exit 3; fi; sleep 10; done', 'exited@110 3: '],
    ['until [ "$(date +%s)" -ge 1735689630 ]; do sleep 10; done; echo done', 'exited@30 0: done@30'],
  ])('%s', (script, want) => expect(plan(script)).toBe(want));
});

describe('the filesystem journal', () => {
  it('records each change with its time, and replays to any moment', () => {
    const o = runScript('touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600', host);
    expect(o.fs).toEqual([
      { at: 0, path: '/tmp/healthy', data: '' },
      { at: 30_000, path: '/tmp/healthy', data: undefined },
    ]);
    expect(fileStateAt(o.fs, 29_999).get('/tmp/healthy')).toBe('');
    expect(fileStateAt(o.fs, 30_000).has('/tmp/healthy')).toBe(true);
    expect(fileStateAt(o.fs, 30_000).get('/tmp/healthy')).toBeUndefined();
    // A probe runs beside the process with its files.
    expect(summary(runArgv(['cat', '/tmp/healthy'], host, { files: fileStateAt(o.fs, 31_000) }))).toBe("exited@0 1: cat: can't open '/tmp/healthy': No such file or directory");
  });
});

describe('utilities', () => {
  it.each([
    ['%s', ['a', 'b'], 'ab'],
    ['%-4s|%4s|\\n', ['a', 'b'], 'a   |   b|\n'],
    ['%x %o %c %%', ['255', '8', 'xyz'], 'ff 10 x %'],
  ])('printf %j %j', (fmt, args, want) => expect(printf(fmt, args)).toBe(want));

  it.each([
    [0, undefined, 'Wed Jan  1 00:00:00 UTC 2025'],
    [86_400_000 * 40 + 3_723_000, undefined, 'Mon Feb 10 01:02:03 UTC 2025'],
    [5_000, '%F %T %s', '2025-01-01 00:00:05 1735689605'],
  ])('date %j %j', (ms, fmt, want) => expect(date(START + ms, fmt)).toBe(want));

  it.each([
    ['1 + 2 * 3', 7],
    ['(1 + 2) * 3', 9],
    ['i < 5 && j', 0],
    ['n ? 10 : 20', 10],
    ['~0', -1],
    ['7 >> 1', 3],
  ])('arith %s', (expr, want) => expect(arith(expr, (n) => ({ i: '3', j: '', n: '1' })[n])).toBe(want));
});

describe('strangers\' scripts never throw', () => {
  const TOKENS = ['echo', 'x', '$x', '"', "'", '$(', ')', '`', ';', '&&', '||', '|', '&', '>', '<', '2>&1', 'while', 'until', 'for', 'in', 'do', 'done', 'if', 'then', 'else', 'fi', '{', '}', '(', ')', 'true', 'false', 'sleep 1', 'exit 3', '$((', '1+', '))', '${x:-', '}', 'x=ab', 'x=$x$x', 'cat', '/tmp/f', 'touch', 'rm', 'break', 'continue', 'set -e', '\n', '#', 'constructor', '__proto__', '*'];
  it('random token soups and random text end as an outcome', () => {
    fc.assert(
      fc.property(fc.oneof(fc.array(fc.constantFrom(...TOKENS), { maxLength: 40 }).map((t) => t.join(' ')), fc.string({ maxLength: 200 })), (script) => {
        const o = runScript(script, host, { maxSteps: 5_000 });
        expect(['exited', 'running', 'unknown']).toContain(o.kind);
      }),
      { numRuns: 500 },
    );
  });
});

describe("busybox's grep and wc, at the end of a pipeline or on files (grep.c, wc.c)", () => {
  const setup = "printf 'GET / 200\\nPOST /api 500\\nget /health 200\\n' > /log; printf 'one two\\n\\tthree\\n' > /w; ";
  const cases: [script: string, want: string][] = [
    ['grep 500 /log', 'exited@0 0: POST /api 500'],
    ['grep -i get /log', 'exited@0 0: GET / 200|get /health 200'],
    ['grep -v 200 /log; echo "status $?"', 'exited@0 0: POST /api 500|status 0'],
    ['grep -c 200 /log', 'exited@0 0: 2'],
    ['grep -n -e api -e health /log', 'exited@0 0: 2:POST /api 500|3:get /health 200'],
    ['grep -q PUT /log; echo "status $?"', 'exited@0 0: status 1'],
    ['grep -o "[0-9][0-9]*" /log | wc -l', 'exited@0 0: 3'],
    ['cat /log | grep -w api', 'exited@0 0: POST /api 500'],
    ['grep -x "GET / 200" /log /w', 'exited@0 0: /log:GET / 200'],
    ['grep -l 200 /log /w; grep -L 200 /log /w', 'exited@0 0: /log|/w'],
    // Basic regular expressions: \( \) group, \{n\} counts, ( | + ? are literal; -E makes them special.
    ['grep "\\(G\\|P\\)[A-Z]\\{2\\}T* /" /log', 'exited@0 0: GET / 200|POST /api 500'],
    ['echo "a+b (c)" | grep "a+b (c)"; echo "aab" | grep -E "a+b|x"', 'exited@0 0: a+b (c)|aab'],
    ['echo "x1 y" | grep "[[:digit:]] [[:alpha:]]"; echo "*star" | grep "*s"', 'exited@0 0: x1 y|*star'],
    ['echo hi | grep -F "h.*"; echo "status $?"', 'exited@0 0: status 1'],
    ['grep "a\\(" /log; echo "status $?"', "exited@0 0: grep: bad regex 'a\\(': Unmatched ( or \\(|status 2"],
    ['grep x /nope; echo "status $?"; grep -s x /nope', 'exited@0 2: grep: /nope: No such file or directory|status 2'],
    ['grep', 'exited@0 2: Usage: grep [-HhnlLoqvsrRiwFExz] [-m N] [-A|B|C N] { PATTERN | -e PATTERN... | -f FILE... } [FILE]...'],
    ['grep -A 1 GET /log', 'unknown grep -A: '],
    ['grep -m1 200 /log', 'exited@0 0: GET / 200'],
    // Patterns a backtracking engine takes exponential or high-polynomial time on match in linear time, as grep's automaton does.
    ['echo aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab | grep -cE "(a+)+$|a*a*a*a*a*c"', 'exited@0 1: 0'],
    ['echo "a a ba" | grep -ow a; echo aa | grep "\\(a\\)\\1"', 'unknown grep \\(a\\)\\1 (a back-reference): a|a'],
    // wc: nine-column counts, the file's name after them; one count of one input is the bare number.
    ['wc /w', 'exited@0 0:         2         3        15 /w'],
    ['wc -l /w; cat /w | wc -w; wc -lc < /w', 'exited@0 0: 2 /w|3|        2        15'],
    ['wc -l /w /log', 'exited@0 0:         2 /w|        3 /log|        5 total'],
    ['wc -L /w; wc -x', "exited@0 1: 13 /w|wc: invalid option -- 'x'|Usage: wc [-cmlwL] [FILE]..."],
  ];
  for (const [script, want] of cases) it(script, () => expect(summary(runScript(setup + script, host, { horizonMs: Infinity }))).toBe(want));
});

describe("busybox's head, tail and base64 (head.c, tail.c, base64.c)", () => {
  const setup = "seq 1 12 > /n; ";
  const cases: [script: string, want: string][] = [
    ['head /n | wc -l; tail /n | head -1', 'exited@0 0: 10|3'],
    ['head -n 2 /n; head -3 /n | tail -n 1; head -n -10 /n', 'exited@0 0: 1|2|3|1|2'],
    ['tail -n 2 /n; tail -n +11 /n; tail -2 /n | head -c 2', 'exited@0 0: 11|12|11|12|11'],
    // A last line without its newline is printed without one, as the input had it.
    ['printf "a\nb" | tail -n 1; printf "a\nb" | head -n 1', 'exited@0 0: ba'],
    ['head -n 1 /n /n', 'exited@0 0: ==> /n <==|1||==> /n <==|1'],
    ['head -n x /n; echo "status $?"; tail /nope', "exited@0 1: head: invalid number 'x'|status 1|tail: /nope: No such file or directory"],
    ['echo -n s3cr3t | base64; echo czNjcjN0 | base64 -d', 'exited@0 0: czNjcjN0|s3cr3t'],
    ['echo "czNj*cjN0" | base64 -d; echo " status $?"', 'exited@0 0: s3cbase64: invalid input| status 1'],
  ];
  for (const [script, want] of cases) it(script, () => expect(summary(runScript(setup + script, host, { horizonMs: Infinity }))).toBe(want));
});

describe("busybox's sort, uniq and cut (sort.c, uniq.c, cut.c)", () => {
  const setup = "printf 'web 10 Running\\napi 9 Pending\\nweb 2 Running\\ndb 10 Running\\n' > /t; ";
  const cases: [script: string, want: string][] = [
    ['sort /t | head -1; sort -r /t | head -1', 'exited@0 0: api 9 Pending|web 2 Running'],
    ['sort -n -k2 /t | cut -d" " -f2 | tr -d 1', 'exited@0 0: 2|9|0|0'],
    ['sort -k2n /t | cut -d" " -f2; sort -k2 /t | head -1', 'exited@0 0: 2|9|10|10|db 10 Running'],
    ['cut -d" " -f1 /t | sort | uniq -c', 'exited@0 0:       1 api|      1 db|      2 web'],
    ['cut -d" " -f1 /t | sort -u; cut -d" " -f3 /t | uniq -d', 'exited@0 0: api|db|web|Running'],
    ['cut -c1-3 /t | uniq; cut -f2 /t | head -1', 'exited@0 0: web|api|web|db |web 10 Running'],
    ['cut /t; echo "status $?"', 'exited@0 0: cut: expected a list of bytes, characters, or fields|status 1'],
  ];
  for (const [script, want] of cases) it(script, () => expect(summary(runScript(setup + script, host, { horizonMs: Infinity }))).toBe(want));
});
