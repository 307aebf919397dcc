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
      'kubectl get pods | xargs kubectl delete pod',
      { exit: 127, out: 'kubeplay: the terminal pipes a command\'s output only into grep, egrep, fgrep, wc, head, tail, sort, uniq, cut, base64 and cat, not "xargs" (kubectl filters its own output with -l, --field-selector and -o jsonpath=… or custom-columns=…)\n' },
    ],
    ['kubectl get configmaps -o name | cut -d/ -f2 | sort -r | head -2', { exit: 0, out: 'kube-root-ca.crt\nb\n' }],
    ['kubectl get configmaps -o name | cut -c1-9 | uniq -c', { exit: 0, out: '      3 configmap\n' }],
    ['kubectl get configmaps | sort -V', { exit: 1, out: 'kubeplay: "sort -V" is not simulated\n' }],
    ['kubectl get pods |', { exit: 2, out: "kubeplay: syntax error near unexpected token `|'\n" }],
  ])('%s', (line, want) => expect(run(line)).toEqual(want));
});
