import { describe, expect, it } from 'vitest';
import { createCluster } from '../cluster.ts';
import { runCommand } from './index.ts';
import { splitPipeline } from './pipeline.ts';

function cluster() {
  const sim = createCluster({ seed: 3 });
  const run = (line: string) => {
    const r = runCommand(sim, line);
    sim.settle();
    return r;
  };
  run('kubectl create namespace shop');
  run('kubectl create configmap a --from-literal=k=v');
  run('kubectl create configmap b --from-literal=k=v');
  run('kubectl create secret generic db --from-literal=password=s3cr3t');
  return run;
}

describe('splitPipeline', () => {
  it.each([
    ['kubectl get pods', ['kubectl get pods']],
    ['kubectl get pods | grep web', ['kubectl get pods ', ' grep web']],
    ['kubectl get pods|wc -l|cat', ['kubectl get pods', 'wc -l', 'cat']],
    [`kubectl exec c -- sh -c 'ls | wc -l' | grep 3`, [`kubectl exec c -- sh -c 'ls | wc -l' `, ' grep 3']],
    ['kubectl get pods | grep "a|b"', ['kubectl get pods ', ' grep "a|b"']],
    ['kubectl get pods -l app\\|x', ['kubectl get pods -l app\\|x']],
    ['kubectl get pods || true', ['kubectl get pods || true']],
  ])('%s', (line, parts) => expect(splitPipeline(line)).toEqual(parts));
});

describe('a pipeline in the terminal', () => {
  const run = cluster();
  it.each([
    ['kubectl get configmaps | grep -c kube-root', { exit: 0, out: '1\n' }],
    ['kubectl get configmaps | wc -l', { exit: 0, out: '4\n' }],
    ['kubectl get configmaps -o name | head -n 1', { exit: 0, out: 'configmap/a\n' }],
    ['kubectl get configmaps -o name | tail -1', { exit: 0, out: 'configmap/kube-root-ca.crt\n' }],
    ['kubectl get configmaps -o name | tail -n +2 | head -1', { exit: 0, out: 'configmap/b\n' }],
    ["kubectl get secret db -o jsonpath='{.data.password}' | base64 -d", { exit: 0, out: 's3cr3t' + '\n' }],
    ['kubectl get configmaps -o name | grep -E "/(a|b)$" | cat', { exit: 0, out: 'configmap/a\nconfigmap/b\n' }],
    // A failing command's error is on stderr, which no pipe carries: it shows, and grep reads nothing.
    ['kubectl get nope | grep x', { exit: 1, out: 'error: the server doesn\'t have a resource type "nope"\n' }],
    // kubectl prints "No resources found" on stderr too.
    ['kubectl get pods -n shop | wc -l', { exit: 0, out: 'No resources found in shop namespace.\n0\n' }],
    // Only the text filters: the terminal is not a shell.
    [
      'kubectl get pods -o json | jq .',
      { exit: 127, out: 'kubeplay: the terminal pipes a command\'s output only into grep, egrep, fgrep, wc, head, tail, sort, uniq, cut, awk, sed, tr, base64, cat and xargs, not "jq" (kubectl filters its own output with -l, --field-selector and -o jsonpath=… or custom-columns=…)\n' },
    ],
    ['kubectl get configmaps -o name | cut -d/ -f2 | sort -r | head -2', { exit: 0, out: 'kube-root-ca.crt\nb\n' }],
    ['kubectl get configmaps -o name | cut -c1-9 | uniq -c', { exit: 0, out: '      3 configmap\n' }],
    ['kubectl get configmaps | sort -V', { exit: 1, out: 'kubeplay: "sort -V" is not simulated\n' }],
    ["kubectl get configmaps | awk '{print $1}'", { exit: 0, out: 'NAME\na\nb\nkube-root-ca.crt\n' }],
    ["kubectl get configmaps | awk 'NR>1 {n++; s = s $1 \",\"} END {print n, s}'", { exit: 0, out: '3 a,b,kube-root-ca.crt,\n' }],
    ["kubectl get configmaps -o name | awk -F/ '$2 ~ /^[ab]$/ {printf \"%-3s|\\n\", $2}'", { exit: 0, out: 'a  |\nb  |\n' }],
    ["kubectl get configmaps | awk '{print $1'", { exit: 1, out: 'awk: cmd. line:1: Unexpected end of string\n' }],
    ["kubectl get configmaps | awk '{getline}'", { exit: 1, out: 'kubeplay: "awk getline" is not simulated\n' }],
    ['kubectl get pods |', { exit: 2, out: "kubeplay: syntax error near unexpected token `|'\n" }],
    // sed, tr and xargs.
    ['kubectl get configmaps | sed 1d | wc -l', { exit: 0, out: '3\n' }],
    ["kubectl get configmaps | sed -n '2p' | cut -c1-12", { exit: 0, out: 'a           \n' }],
    ['kubectl get configmaps -o name | sed -n \'$p\'', { exit: 0, out: 'configmap/kube-root-ca.crt\n' }],
    ["kubectl get configmaps -o name | sed 's|configmap/||;/kube/d'", { exit: 0, out: 'a\nb\n' }],
    ["kubectl get configmaps -o name | sed ':a;N;$!ba;s/\\n/,/g'", { exit: 0, out: 'configmap/a,configmap/b,configmap/kube-root-ca.crt\n' }],
    ["kubectl get configmaps --no-headers | tr -s ' ' | cut -d' ' -f1,2", { exit: 0, out: 'a 1\nb 1\nkube-root-ca.crt 1\n' }],
    ['kubectl get configmaps -o name | head -1 | tr a-z A-Z', { exit: 0, out: 'CONFIGMAP/A\n' }],
    ['kubectl get configmaps -o name | xargs', { exit: 0, out: 'configmap/a configmap/b configmap/kube-root-ca.crt\n' }],
    ['kubectl get configmaps -o name | head -2 | xargs -n1 kubectl get -o name', { exit: 0, out: 'configmap/a\nconfigmap/b\n' }],
    ['kubectl get configmaps -o name | head -1 | xargs -I{} kubectl get {} -o jsonpath={.data.k}', { exit: 0, out: 'v\n' }],
    ["kubectl get configmaps -o name | head -1 | xargs -I{} kubectl get {} -o 'jsonpath={.metadata.name} {.data.k}'", { exit: 0, out: 'a v\n' }],
    [
      'kubectl get configmaps -o name | xargs rm',
      { exit: 127, out: `kubeplay: xargs in the terminal runs kubectl (or k) and echo, not "rm" (kubectl exec POD -- sh -c '… | xargs rm …' runs it in a container)\n` },
    ],
    ["kubectl get configmaps -o name | sed 's|configmap/|nope/|' | xargs -n1 kubectl get", { exit: 123, out: 'error: the server doesn\'t have a resource type "nope"\nerror: the server doesn\'t have a resource type "nope"\nerror: the server doesn\'t have a resource type "nope"\n' }],
    ["kubectl get configmaps | sed 's/a/b'", { exit: 1, out: "sed: unmatched '/'\n" }],
  ])('%s', (line, want) => expect(run(line)).toEqual(want));
});

describe('xargs in the terminal runs kubectl as if it were typed', () => {
  function pods() {
    const sim = createCluster({ seed: 5 });
    const run = (line: string) => {
      const r = runCommand(sim, line);
      sim.settle();
      return r;
    };
    run('kubectl create deployment web --image=nginx --replicas=2');
    return run;
  }

  it('deletes the pods it is given, printing what kubectl delete prints', () => {
    const piped = pods();
    const typed = pods();
    const names = piped('kubectl get pods -o name').out.trim().split('\n');
    expect(names).toHaveLength(2);
    const viaXargs = piped('kubectl get pods -o name | xargs kubectl delete');
    expect(viaXargs).toEqual(typed(`kubectl delete ${names.join(' ')}`));
    expect(viaXargs.out).toBe(names.map((n) => `pod "${n.slice('pod/'.length)}" deleted\n`).join(''));
    expect(piped('kubectl get pods -o name').out).not.toContain(names[0]);
  });

  it('runs one kubectl per word with -n1', () => {
    const run = pods();
    const names = run('kubectl get pods -o name').out.trim().split('\n');
    expect(run('kubectl get pods -o name | xargs -n1 kubectl get --no-headers -o custom-columns=N:.metadata.name')).toEqual({
      exit: 0,
      out: names.map((n) => `${n.slice('pod/'.length)}\n`).join(''),
    });
  });
});
