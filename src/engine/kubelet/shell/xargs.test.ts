import { describe, expect, it } from 'vitest';
import { runScript } from './run.ts';
import type { ShellHost } from './proc.ts';
import { busyboxHas } from './busybox.ts';
import { inputWords } from './xargs.ts';

const busybox: ShellHost = { env: [], startMs: 0, hostname: 'web-1', has: busyboxHas };
const kubectlRuns: string[][] = [];
const terminal: ShellHost = {
  env: [],
  startMs: 0,
  hostname: 'kubeplay',
  has: (program) => program === 'xargs',
  kubectl: (argv) => {
    kubectlRuns.push(argv);
    return argv[1] === 'fail' ? { exit: 1, out: 'error: no\n' } : { exit: 0, out: `ran ${argv.join(' ')}\n` };
  },
};

/** sh runs a script on a host and returns `status: line|line`. */
function sh(script: string, stdin = '', host = busybox): string {
  const o = runScript(script, host, { stdin });
  const text = o.lines.map((l) => l.text).join('|');
  return o.kind === 'exited' ? `${o.code}: ${text}` : o.kind === 'unknown' ? `unknown ${o.program}: ${text}` : `${o.kind}: ${text}`;
}

describe('xargs runs a command on its input words, as busybox xargs does', () => {
  it.each<[string, string, string]>([
    ['xargs', 'a b\nc\n', '0: a b c'],
    ['xargs echo n:', 'a\nb\n', '0: n: a b'],
    ['xargs -n1', 'a b c\n', '0: a|b|c'],
    ['xargs -n 2 echo', 'a b c\n', '0: a b|c'],
    ['xargs -n2 -t echo', 'a b c\n', '0: echo a b|a b|echo c|c'],
    ['xargs -I{} echo [{}]', 'a b\nc\n', '0: [a b]|[c]'],
    ['xargs -I {} echo {}-{}', 'x\n', '0: x-x'],
    ["xargs -i echo '<{}>'", 'x\n', '0: <x>'],
    ['xargs -IX echo X.yaml', 'a\nb\n', '0: a.yaml|b.yaml'],
    // Quotes and backslashes group words (xargs.c's process_stdin).
    ['xargs -n1', `'a b' "c d" e\\ f\n`, '0: a b|c d|e f'],
    ["xargs -n1", "it's\n", '1: xargs: unmatched single quote'],
    ['xargs -n1', 'a "b\n', '1: a|xargs: unmatched double quote'],
    ["printf 'a b\\nc\\n' | tr '\\n' '\\0' | xargs -0 -n1", '', '0: a b|c'],
    // Without input busybox runs the command once; -r (and -I) do not.
    ['xargs echo none', '', '0: none'],
    ['xargs -r echo none', '', '0: '],
    ['xargs --no-run-if-empty echo none', '', '0: '],
    ['xargs -I{} echo {}', '', '0: '],
    // Status: a failing command is 123; one the image has not is 127.
    ["xargs -n1 sh -c 'exit $0'", '0 1 0\n', '123: '],
    ['xargs sh -c "exit 255"', 'a\n', '124: xargs: sh: exited with status 255; aborting'],
    ['xargs nope', 'a\n', '127: xargs: nope: No such file or directory'],
    ['xargs -n0', 'a\n', "1: xargs: invalid number '0'|Usage: xargs [OPTIONS] [PROG ARGS]"],
    ['xargs -k', 'a\n', "1: xargs: invalid option -- 'k'|Usage: xargs [OPTIONS] [PROG ARGS]"],
    ['xargs -p echo', 'a\n', 'unknown xargs -p: '],
    ['echo /tmp/a /tmp/b | xargs touch; ls /tmp/a /tmp/b', '', '0: /tmp/a|/tmp/b'],
    ["seq 3 | xargs -n1 sh -c 'echo $0$0'", '', '0: 11|22|33'],
  ])('%s', (script, stdin, want) => expect(sh(script, stdin)).toBe(want));
});

describe('xargs in the terminal', () => {
  it.each<[string, string, string, string[][]]>([
    ['xargs kubectl delete', 'pod/a\npod/b\n', '0: ran kubectl delete pod/a pod/b', [['kubectl', 'delete', 'pod/a', 'pod/b']]],
    ['xargs -n1 k describe', 'pod/a pod/b', '0: ran k describe pod/a|ran k describe pod/b', [['k', 'describe', 'pod/a'], ['k', 'describe', 'pod/b']]],
    ['xargs -I{} kubectl get {} -o name', 'pod/a\n', '0: ran kubectl get pod/a -o name', [['kubectl', 'get', 'pod/a', '-o', 'name']]],
    ['xargs kubectl fail', 'x\n', '123: error: no', [['kubectl', 'fail', 'x']]],
    ['xargs', 'a\nb\n', '0: a b', []],
    ['xargs rm', 'a\n', `127: kubeplay: xargs in the terminal runs kubectl (or k) and echo, not "rm" (kubectl exec POD -- sh -c '… | xargs rm …' runs it in a container)`, []],
  ])('%s', (script, stdin, want, runs) => {
    kubectlRuns.length = 0;
    expect(sh(script, stdin, terminal)).toBe(want);
    expect(kubectlRuns).toEqual(runs);
  });
});

describe('inputWords', () => {
  it.each<[string, string[]]>([
    ['  a\tb\n\nc  ', ['a', 'b', 'c']],
    [`a'b c'd`, ['ab cd']],
    [`"it's"`, ["it's"]],
    ['a\\\nb', ['a\nb']],
    ["''", ['']],
  ])('%j', (text, words) => expect(inputWords(text).words).toEqual(words));
});
