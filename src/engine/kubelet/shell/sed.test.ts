import { describe, expect, it } from 'vitest';
import { runScript } from './run.ts';
import type { ShellHost } from './proc.ts';

const files: Record<string, string | null> = { '/etc/config/app.conf': 'mode=blue\nport=80\n', '/etc/config': null, '/etc/script.sed': 's/blue/green/\n' };
const host: ShellHost = { env: [], startMs: 0, hostname: 'web-1', readFile: (p) => files[p], readOnly: (p) => p.startsWith('/etc/config') };

/** sh runs a script with stdin and returns `status: line|line` (stdout and stderr as the log has them). */
function sh(script: string, stdin = ''): string {
  const o = runScript(script, host, { stdin, maxSteps: 5000 });
  const text = o.lines.map((l) => l.text).join('|');
  if (o.kind === 'exited') return `${o.code}: ${text}`;
  return o.kind === 'running' ? `running: ${text}` : `unknown ${o.program}: ${text}`;
}

const PODS = 'NAME    READY   STATUS    RESTARTS   AGE\nweb-1   1/1     Running   0          5m\nweb-2   1/1     Running   0          5m\ndb-0    0/1     Pending   0          1m\n';
const ABC = 'a\nb\nc\nd\ne\n';

describe('sed runs scripts as busybox sed does', () => {
  it.each<[string, string, string]>([
    // Lines and ranges.
    ['sed 1d', PODS, '0: web-1   1/1     Running   0          5m|web-2   1/1     Running   0          5m|db-0    0/1     Pending   0          1m'],
    ["sed -n '2p'", PODS, '0: web-1   1/1     Running   0          5m'],
    ['sed -n 2p', ABC, '0: b'],
    ["sed '$d'", ABC, '0: a|b|c|d'],
    ["sed -n '$p'", ABC, '0: e'],
    ['sed 2,4d', ABC, '0: a|e'],
    ["sed -n '2,$p'", ABC, '0: b|c|d|e'],
    ["sed -n '3,1p'", ABC, '0: c'],
    ["sed -n '/b/,/d/p'", ABC, '0: b|c|d'],
    ["sed -n '/b/,+1p'", ABC, '0: b|c'],
    ["sed -n '1~2p'", ABC, '0: a|c|e'],
    ["sed -n '0~2p'", ABC, '0: b|d'],
    ["sed '2!d'", ABC, '0: b'],
    ["sed '2,4!d'", ABC, '0: b|c|d'],
    ["sed -n '/Running/!p'", PODS, '0: NAME    READY   STATUS    RESTARTS   AGE|db-0    0/1     Pending   0          1m'],
    ["sed -n '\\,web-2,p'", PODS, '0: web-2   1/1     Running   0          5m'],
    ["sed '0,/b/d'", ABC, '0: c|d|e'],
    ["sed -n '/B/Ip'", ABC, '0: b'],
    ['sed 2q', ABC, '0: a|b'],
    ['sed 2Q', ABC, '0: a'],
    ["sed '3q5'", ABC, '5: a|b|c'],
    ['sed -n =', 'x\ny\n', '0: 1|2'],
    ["sed -n '$='", PODS, '0: 4'],
    // s: flags, groups, &, delimiters.
    ["sed 's/replicas: 3/replicas: 5/'", 'spec:\n  replicas: 3\n', '0: spec:|  replicas: 5'],
    ["sed 's/o/0/'", 'foo boo\n', '0: f0o boo'],
    ["sed 's/o/0/g'", 'foo boo\n', '0: f00 b00'],
    ["sed 's/o/0/2'", 'foo boo\n', '0: fo0 boo'],
    ["sed 's/o/0/2g'", 'foo boo\n', '0: fo0 b00'],
    ["sed 's/WEB/db/I'", 'web-1\n', '0: db-1'],
    ["sed 's/[0-9]*/<&>/'", 'web-12\n', '0: <>web-12'],
    ["sed 's/[0-9][0-9]*/<&>/'", 'web-12\n', '0: web-<12>'],
    ["sed 's/\\([a-z]*\\)-\\([0-9]\\)/\\2-\\1/'", 'web-1\n', '0: 1-web'],
    ["sed -E 's/([a-z]+)-([0-9])/\\2:\\1/'", 'web-1\n', '0: 1:web'],
    ["sed -r 's/(a|b)+/X/'", 'abba c\n', '0: X c'],
    ["sed 's/a\\|b/X/g'", 'abc\n', '0: XXc'],
    ["sed 's|/usr/bin|/bin|'", '/usr/bin/env\n', '0: /bin/env'],
    ["sed 's#a#\\##g'", 'banana\n', '0: b#n#n#'],
    ["sed 's/\\//_/g'", 'a/b/c\n', '0: a_b_c'],
    ["sed 's/x*/-/g'", 'abc\n', '0: -a-b-c-'],
    ["sed 's/c*/R/g'", 'cccd\n', '0: RdR'],
    ["sed 's/a/&&/g'", 'a.a\n', '0: aa.aa'],
    ["sed 's/a/\\&/'", 'a\n', '0: &'],
    ["sed 's/ /\\n/'", 'a b\n', '0: a|b'],
    ["sed 's/^/> /'", 'a\nb\n', '0: > a|> b'],
    ["sed 's/$/;/'", 'a\n', '0: a;'],
    ["sed -n 's/Running/UP/p'", PODS, '0: web-1   1/1     UP   0          5m|web-2   1/1     UP   0          5m'],
    ["sed 's/ *$//;s/  */ /g'", 'a   b    c   \n', '0: a b c'],
    ["sed -e 's/a/b/' -e 's/b/c/'", 'a\n', '0: c'],
    ["sed -e 1d -e '$d'", ABC, '0: b|c|d'],
    ['sed -ne 3p', ABC, '0: c'],
    ["sed '/b/s//B/'", 'abc\n', '0: aBc'],
    ["sed 's/[/]/|/'", 'a/b\n', '0: a|b'],
    ["sed 's/[[:digit:]]\\+/N/g'", 'web-12 x3\n', '0: web-N xN'],
    // y, a, i, c.
    ["sed 'y/abc/ABC/'", 'aabbcc\n', '0: AABBCC'],
    ["sed '1i header'", 'a\n', '0: header|a'],
    ["sed '$a footer'", 'a\nb\n', '0: a|b|footer'],
    ["sed '2c\\\nchanged'", ABC, '0: a|changed|c|d|e'],
    ["sed '2,4c gone'", ABC, '0: a|gone|e'],
    ["sed '/b/a\\  indented'", 'b\n', '0: b|  indented'],
    // Blocks, hold space, branches.
    ["sed -n '/web/{s/web/app/;p}'", 'web-1\ndb-0\n', '0: app-1'],
    ["sed -n '2{p;p}'", ABC, '0: b|b'],
    ["sed '1!G;h;$!d'", ABC, '0: e|d|c|b|a'],
    ["sed -n '1!G;h;$p'", 'x\ny\n', '0: y|x'],
    ["sed ':a;N;$!ba;s/\\n/,/g'", ABC, '0: a,b,c,d,e'],
    ["sed -e :a -e '$!N;s/\\n//;ta'", ABC, '0: abcde'],
    ["sed '$!N;P;D'", ABC, '0: a|b|c|d|e'],
    ["sed 'N;P;D'", 'a\na\nb\n', '0: a|a|b'],
    ["sed '$!N;/^\\(.*\\)\\n\\1$/!P;D'", 'a\na\nb\n', 'unknown sed $!N;/^\\(.*\\)\\n\\1$/!P;D (a back-reference in a regex): '],
    ["sed 'n;d'", ABC, '0: a|c|e'],
    ["sed -n 'h;n;G;p'", 'a\nb\n', '0: b|a'],
    ["sed 'x;$!d;x'", 'a\nb\n', '0: b'],
    ["sed '/a/bskip;s/./X/;:skip'", 'a\nb\n', '0: a|X'],
    ["sed 's/a/A/;tdone;s/./?/;:done'", 'a\nb\n', '0: A|?'],
    ["sed 's/a/A/;Tno;s/$/!/;:no'", 'a\nb\n', '0: A!|b'],
    ["sed -n '/start/,/end/{/start/n;/end/!p}'", 'x\nstart\n1\n2\nend\ny\n', '0: 1|2'],
    ['sed = | sed "N;s/\\n/ /"', 'a\nb\n', '0: 1 a|2 b'],
    ["sed '#n\n2p'", ABC, '0: b'],
    ["sed '1d # drop the header'", PODS.split('\n').slice(0, 2).join('\n') + '\n', '0: web-1   1/1     Running   0          5m'],
    ["sed -f /etc/script.sed", 'blue\n', '0: green'],
    ['sed p /etc/config/app.conf', '', '0: mode=blue|mode=blue|port=80|port=80'],
    // Newlines: a last line without one stays without one.
    ["printf 'a\\nb' | sed s/b/c/ | wc -c", '', '0: 3'],
    ["printf 'a\\nb\\n' | sed s/b/c/ | wc -c", '', '0: 4'],
    ["printf 'a' | sed '$a b' | wc -c", '', '0: 4'],
    ['sed --version', '', '0: This is not GNU sed version 4.0'],
  ])('%s', (script, stdin, want) => expect(sh(script, stdin)).toBe(want));
});

describe('sed refuses what busybox refuses, in its words', () => {
  it.each<[string, string]>([
    ["sed 's/a/b'", "1: sed: unmatched '/'"],
    ["sed 's/a'", "1: sed: unmatched '/'"],
    ["sed '/a'", "1: sed: unmatched '/'"],
    ["sed 's|a|b'", "1: sed: unmatched '|'"],
    ["sed 's/a/b/x'", '1: sed: bad option in substitution expression'],
    ['sed k', '1: sed: unsupported command k'],
    ["sed '1,'", '1: sed: no address after comma'],
    ['sed 1', '1: sed: missing command'],
    ["sed '/a/{p'", '1: sed: unterminated {'],
    ["sed 'p}'", "1: sed: unexpected '}'"],
    ['sed bnowhere', "1: sed: can't find label for jump to 'nowhere'"],
    ["sed '1,2a x'", "1: sed: command 'a' uses only one address"],
    ["sed 's/\\(a/b/'", "1: sed: bad regex '\\(a': Unmatched ( or \\("],
    ["sed 's/a/\\1/'", "1: sed: invalid reference \\1 on 's' command's RHS"],
    ["sed 'y/ab/c/'", "1: sed: strings for 'y' command are different lengths"],
    ["sed 's//x/'", '1: sed: no previous regexp'],
    ['sed', '1: Usage: sed [-i[SFX]] [-nrE] [-f FILE]... [-e CMD]... [FILE]...'],
    ['sed -k p', "1: sed: invalid option -- 'k'|Usage: sed [-i[SFX]] [-nrE] [-f FILE]... [-e CMD]... [FILE]..."],
    ['sed p /nope', "1: sed: can't open '/nope': No such file or directory"],
    ['sed -i s/a/b/', '1: sed: -i requires an argument'],
    ["sed -i s/blue/red/ /etc/config/app.conf", "1: sed: can't create temp file '/etc/config/app.confXXXXXX': Read-only file system"],
    ["sed 'w /tmp/x'", 'unknown sed w (writing a file): '],
  ])('%s', (script, want) => expect(sh(script, 'a\n')).toBe(want));
});

describe('sed -i edits the container’s files', () => {
  it.each<[string, string]>([
    ["echo 'replicas: 3' > /tmp/d.yaml; sed -i 's/3/5/' /tmp/d.yaml; cat /tmp/d.yaml", '0: replicas: 5'],
    ["printf 'a\\nb\\n' > /tmp/f; sed -i.bak 1d /tmp/f; cat /tmp/f /tmp/f.bak", '0: b|a|b'],
    ["printf 'a\\nb\\n' > /tmp/f; printf 'c\\nd\\n' > /tmp/g; sed -i '$d' /tmp/f /tmp/g; cat /tmp/f /tmp/g", '0: a|c'],
  ])('%s', (script, want) => expect(sh(script)).toBe(want));
});

describe('sed loops end', () => {
  it.each<[string, string]>([
    // A branch back forever is a program that runs on (as `yes`), bounded by the step budget.
    ["sed ':a;ba'", 'running: '],
    ["sed ':a;s/^/x/;ta'", 'running: '],
    // Gathering a big input with N ends once the input does.
    ["seq 1 1000 | sed ':a;N;$!ba;s/\\n/+/g' | wc -c", '0: 3893'],
  ])('%s', (script, want) => expect(sh(script, 'a\n')).toBe(want));
});
