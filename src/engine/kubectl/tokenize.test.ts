import { describe, expect, it } from 'vitest';
import { FlagError, parseFlags, tokenize, type FlagDef } from './tokenize.ts';

const SHELL = (op: string) =>
  `kubeplay: the terminal runs one command at a time, without a shell: "${op}" (;, &&, ||, & and redirections) is not supported; a pipe | leads into grep, wc, head, tail, sort, uniq, cut, awk, sed, tr, base64, cat or xargs, and kubectl filters its own output with -l, --field-selector and -o jsonpath=… or custom-columns=…`;

const NO_EXPANSION = (what: string) =>
  `kubeplay: the terminal runs one command at a time, without a shell: "${what}" is not expanded (shell variables and $(…) command substitution are not supported); type the value itself: Tab completes pod and other object names, and kubectl get lists them`;

describe('tokenize', () => {
  const cases: [string, string[] | { error: string }][] = [
    ['kubectl get pods', ['kubectl', 'get', 'pods']],
    ['  k   get   po  ', ['k', 'get', 'po']],
    [`kubectl get pods -o jsonpath='{.items[*].metadata.name}'`, ['kubectl', 'get', 'pods', '-o', 'jsonpath={.items[*].metadata.name}']],
    [`kubectl annotate pod x note="hello world"`, ['kubectl', 'annotate', 'pod', 'x', 'note=hello world']],
    [`echo "a \\"q\\" b"`, ['echo', 'a "q" b']],
    [`a\\ b c`, ['a b', 'c']],
    [`x '' y`, ['x', '', 'y']],
    [`kubectl get 'unterminated`, { error: 'error: unterminated quoted string' }],
    // Shell operators outside quotes: there is no shell to pipe or redirect; inside quotes they are text.
    // A lone | is split off before tokenize (pipeline.ts): it meets one only inside ||.
    ['kubectl get pods || true', { error: SHELL('||') }],
    ['kubectl get pods && kubectl get svc', { error: SHELL('&&') }],
    ['kubectl get pods > pods.txt', { error: SHELL('>') }],
    [`kubectl exec box -- sh -c 'ls | wc -l; echo done'`, ['kubectl', 'exec', 'box', '--', 'sh', '-c', 'ls | wc -l; echo done']],
    ['kubectl get pods -l app\\|x', ['kubectl', 'get', 'pods', '-l', 'app|x']],
    // Variables and command substitution: a shell would expand them before kubectl; here there is none.
    ['kubectl logs $POD_NAME', { error: NO_EXPANSION('$POD_NAME') }],
    ['kubectl describe pod "$AFFECTED_POD"', { error: NO_EXPANSION('$AFFECTED_POD') }],
    ['kubectl logs ${POD}', { error: NO_EXPANSION('${POD}') }],
    ['kubectl create configmap c --from-literal=price=$5', { error: NO_EXPANSION('$5') }],
    ['kubectl create secret generic s --from-literal=pw=pa$$word', { error: NO_EXPANSION('$$') }],
    ['export POD_NAME=$(kubectl get pods -o name)', { error: NO_EXPANSION('$(kubectl get pods -o name)') }],
    ['kubectl logs `kubectl get pods -o name`', { error: NO_EXPANSION('`kubectl get pods -o name`') }],
    // Single quotes keep them literal; after `--` they are the container's, whose shell expands them.
    [`kubectl logs '$POD_NAME'`, ['kubectl', 'logs', '$POD_NAME']],
    ['kubectl exec box -- sh -c "echo $HOSTNAME"', ['kubectl', 'exec', 'box', '--', 'sh', '-c', 'echo $HOSTNAME']],
    ['kubectl get pods -o jsonpath={$.items}', ['kubectl', 'get', 'pods', '-o', 'jsonpath={$.items}']],
    ['kubectl set env deploy/web A=\\$B', ['kubectl', 'set', 'env', 'deploy/web', 'A=$B']],
  ];
  for (const [line, want] of cases) it(line, () => expect(tokenize(line)).toEqual(want));
});

describe('parseFlags', () => {
  const defs: FlagDef[] = [
    { name: 'namespace', short: 'n' },
    { name: 'output', short: 'o' },
    { name: 'all-namespaces', short: 'A', bool: true },
    { name: 'filename', short: 'f', repeat: true },
    { name: 'replicas', int: true },
  ];
  const cases: [string[], { args: string[]; flags: Record<string, string[]>; afterDash?: string[] }][] = [
    [['pods', '-n', 'kube-system'], { args: ['pods'], flags: { namespace: ['kube-system'] } }],
    [['pods', '-nkube-system'], { args: ['pods'], flags: { namespace: ['kube-system'] } }],
    [['pods', '-oyaml'], { args: ['pods'], flags: { output: ['yaml'] } }],
    [['pods', '-o=wide'], { args: ['pods'], flags: { output: ['wide'] } }],
    [['pods', '--output=json'], { args: ['pods'], flags: { output: ['json'] } }],
    [['pods', '--output', 'json'], { args: ['pods'], flags: { output: ['json'] } }],
    [['-A', 'pods'], { args: ['pods'], flags: { 'all-namespaces': ['true'] } }],
    [['pods', '-Ao', 'wide'], { args: ['pods'], flags: { 'all-namespaces': ['true'], output: ['wide'] } }],
    [['pods', '--all-namespaces=false'], { args: ['pods'], flags: { 'all-namespaces': ['false'] } }],
    // strconv.ParseBool's other spellings, kept as true or false.
    [['pods', '--all-namespaces=0'], { args: ['pods'], flags: { 'all-namespaces': ['false'] } }],
    [['pods', '--all-namespaces=T'], { args: ['pods'], flags: { 'all-namespaces': ['true'] } }],
    [['-f', 'a.yaml', '-f', 'b.yaml'], { args: [], flags: { filename: ['a.yaml', 'b.yaml'] } }],
    [['--replicas', '-1'], { args: [], flags: { replicas: ['-1'] } }],
    [['pod', '--', 'env', '-i'], { args: ['pod'], flags: {}, afterDash: ['env', '-i'] }],
  ];
  for (const [words, want] of cases) {
    it(words.join(' '), () => {
      const got = parseFlags(words, defs);
      expect(got.args).toEqual(want.args);
      expect(Object.fromEntries(got.flags)).toEqual(want.flags);
      expect(got.afterDash).toEqual(want.afterDash);
    });
  }
  const errors: [string[], string][] = [
    [['--bogus'], 'unknown flag: --bogus'],
    [['-x'], "unknown shorthand flag: 'x' in -x"],
    [['--output'], 'flag needs an argument: --output'],
    [['-n'], "flag needs an argument: 'n' in -n"],
    // An int flag's value is read by strconv.ParseInt(s, 0, 64), as pflag's IntVar reads it.
    [['--replicas=x'], 'invalid argument "x" for "--replicas" flag: strconv.ParseInt: parsing "x": invalid syntax'],
    [['--replicas', '1e3'], 'invalid argument "1e3" for "--replicas" flag: strconv.ParseInt: parsing "1e3": invalid syntax'],
    [['--all-namespaces=maybe'], 'invalid argument "maybe" for "-A, --all-namespaces" flag: strconv.ParseBool: parsing "maybe": invalid syntax'],
    [['--replicas=9223372036854775808'], 'invalid argument "9223372036854775808" for "--replicas" flag: strconv.ParseInt: parsing "9223372036854775808": value out of range'],
  ];
  for (const [words, msg] of errors) {
    it(`error ${words.join(' ')}`, () => {
      expect(() => parseFlags(words, defs)).toThrow(FlagError);
      expect(() => parseFlags(words, defs)).toThrow(msg);
    });
  }
});
