import { describe, expect, it } from 'vitest';
import { createCluster } from '../cluster.ts';
import { complete, helpCommands, kubeplayWords } from './complete.ts';
import { runCommand } from './index.ts';
import { kubeplayHelp } from './commands/kubeplay.ts';
import { COMMANDS } from './commands/registry.ts';

const ROLLOUT = `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {name: shop}
spec:
  replicas: 1
  selector: {matchLabels: {app: shop}}
  template:
    metadata: {labels: {app: shop}}
    spec: {containers: [{name: shop, image: "shop:v1"}]}
  strategy: {canary: {steps: [{setWeight: 20}, {pause: {}}]}}
`;

function cluster() {
  const sim = createCluster({ seed: 1, nodes: [{ name: 'worker-1' }, { name: 'worker-2' }] });
  const run = (line: string, stdin?: string) => {
    const r = runCommand(sim, line, stdin ? { stdin } : {});
    expect(r.exit, r.out).toBe(0);
    sim.settle();
  };
  run('kubectl create deployment web --image=nginx:1.25 --replicas=2');
  run('kubectl create deployment api --image=nginx:1.25');
  run('kubectl create namespace shop');
  run('kubectl create deployment cart -n shop --image=nginx:1.25');
  run('kubectl apply -f -', ROLLOUT);
  sim.runUntil(10_000);
  return sim;
}

const sim = cluster();
const podNames = sim.store.list('Pod', 'default').map((p) => p.metadata.name).filter((n) => n.startsWith('web-'));
/** c completes at the end of the line (or at the | marker) and returns the candidates. */
const c = (line: string) => {
  const cursor = line.includes('|') ? line.indexOf('|') : line.length;
  return complete(sim, line.replace('|', ''), cursor);
};

describe('complete', () => {
  it.each([
    ['', 0, ['clear', 'kubectl', 'kubeplay']],
    ['kube', 0, ['kubectl', 'kubeplay']],
    ['kubectl get dep', 12, ['deployments']],
    ['kubectl get po', 12, ['pods', 'poddisruptionbudgets', 'podtemplates']],
    ['kubectl get deploy', 12, ['deployments']],
    ['kubectl get svc', 12, ['services']],
    ['kubectl get rs', 12, ['replicasets']],
    ['kubectl ro', 8, ['rollout']],
    ['kubectl rollout ', 16, ['history', 'pause', 'restart', 'resume', 'status', 'undo']],
    ['kubectl rollout status ', 23, ['daemonsets', 'deployments', 'statefulsets']],
    ['kubectl rollout restart deployment ', 35, ['api', 'web']],
    ['kubectl top ', 12, ['no', 'node', 'nodes', 'po', 'pod', 'pods']],
    ['kubectl create d', 15, ['deploy', 'deployment']],
    ['kubectl get deployments ', 24, ['api', 'web']],
    ['kubectl get deployments web ', 28, ['api']],
    ['kubectl get deployments -n shop ', 32, ['cart']],
    ['kubectl -n shop get deployments ', 32, ['cart']],
    ['kubectl get deployments --namespace=shop c', 41, ['cart']],
    ['kubectl get deploy -A ', 22, ['api', 'cart', 'web']],
    ['kubectl get deployment/', 23, ['api', 'web']],
    ['kubectl describe deploy/w', 24, ['web']],
    ['kubectl get nodes ', 18, ['worker-1', 'worker-2']],
    ['kubectl get nodes -n shop ', 26, ['worker-1', 'worker-2']],
    ['kubectl get pods -n ', 20, ['default', 'kube-node-lease', 'kube-public', 'kube-system', 'shop']],
    ['kubectl get pods -n s', 20, ['shop']],
    ['kubectl get pods --namespace=k', 29, ['kube-node-lease', 'kube-public', 'kube-system']],
    ['kubectl get pods -o ', 20, ['custom-columns=', 'json', 'jsonpath=', 'jsonpath-as-json=', 'name', 'wide', 'yaml']],
    ['kubectl get pods -o y', 20, ['yaml']],
    ['kubectl get pods --output=j', 26, ['json', 'jsonpath=', 'jsonpath-as-json=']],
    ['kubectl get pods -oy', 19, ['yaml']],
    ['kubectl scale deployment web --re', 29, ['--replicas=', '--request-timeout=', '--resource-version=']],
    ['kubectl scale deployment web --rep', 29, ['--replicas=']],
    ['kubectl scale ', 14, ['deployments', 'replicasets', 'replicationcontrollers', 'statefulsets']],
    ['kubectl get pods -A', 17, ['-A']],
    ['kubectl logs ', 13, podNamesAll()],
    ['kubectl cordon w', 15, ['worker-1', 'worker-2']],
    ['kubectl taint ', 14, ['nodes']],
    ['kubectl taint nodes w', 20, ['worker-1', 'worker-2']],
    ['kubectl delete deploy web api ', 30, []],
    ['kubectl apply -f ', 17, []],
    ['kubectl exec web-x -- ', 22, []],
    // kubectl create deployment names the container after the image.
    [`kubectl logs ${podNames[0]} -c `, 17 + podNames[0].length, ['nginx']],
    [`kubectl exec ${podNames[0]} --container=n`, 26 + podNames[0].length, ['nginx']],
    [`kubeplay pod kill ${podNames[0]} -c `, 22 + podNames[0].length, ['nginx']],
    ['kubectl rollout undo deployment/w', 32, ['web']],
    ['k get no', 6, ['nodes']],
    ['kubectl argo ', 13, ['rollouts']],
    ['kubectl argo rollouts ', 22, ['abort', 'get', 'list', 'pause', 'promote', 'restart', 'retry', 'set', 'status', 'undo', 'version']],
    ['kubectl argo rollouts pro', 22, ['promote']],
    ['kubectl argo rollouts promote ', 30, ['shop']],
    ['kubectl argo rollouts get ', 26, ['rollout']],
    ['kubectl argo rollouts get rollout s', 34, ['shop']],
    ['kubectl argo rollouts promote --f', 30, ['--full']],
    ['kubeplay ', 9, ['addons', 'curl', 'help', 'image', 'node', 'nslookup', 'pod', 'promql', 'trace', 'traffic']],
    ['kubeplay node ', 14, ['add', 'fail', 'recover', 'remove']],
    ['kubeplay node fail ', 19, ['worker-1', 'worker-2']],
    ['kubeplay traffic ', 17, ['list', 'set', 'stats', 'stop']],
    ['kubeplay pod kill web', 18, podNames],
    ['kubectl get deployments "web', 28, []],
    ['nonsense ', 9, []],
  ])('%j', (line, replaceFrom, candidates) => {
    const r = c(line);
    expect(r.candidates).toEqual([...candidates].sort());
    expect(r.replaceFrom).toBe(replaceFrom);
  });

  it('completes at the cursor, not the end of the line', () => {
    expect(c('kubectl get dep| web')).toEqual({ replaceFrom: 12, candidates: ['deployments'] });
  });

  it('offers every top-level verb of the router', () => {
    const verbs = c('kubectl ').candidates;
    for (const cmd of COMMANDS) expect(verbs).toContain(cmd.name.split(' ')[0]);
    expect(verbs).toContain('argo');
    expect(verbs).toContain('rollout');
  });

  it('offers the verb’s own flags (value flags with =)', () => {
    const flags = c('kubectl get pods --').candidates;
    expect(flags).toContain('--output=');
    expect(flags).toContain('--all-namespaces');
    expect(flags).toContain('--namespace=');
    expect(flags).not.toContain('--replicas=');
  });

  it('reads the command words from the help texts', () => {
    expect(helpCommands('Usage:\n\nAvailable Commands:\n  get   x\n  list  y\n\nFlags:\n  -h  help\n')).toEqual(['get', 'list']);
    const words = kubeplayWords(kubeplayHelp(sim));
    expect(words.get('node')).toEqual(['fail', 'recover', 'add', 'remove']);
    expect(words.get('help')).toEqual([]);
    expect(words.get('trace')).toEqual([]);
  });

  it('knows the router’s own commands, the impersonation flags and the context’s namespace', () => {
    expect(c('kubectl au').candidates).toEqual(['auth', 'autoscale']);
    expect(c('kubectl auth ').candidates).toEqual(['can-i', 'whoami']);
    expect(c('kubectl get pods --as').candidates).toEqual(['--as-group=', '--as-uid=', '--as=']);
    const other = cluster();
    expect(runCommand(other, 'kubectl config set-context --current --namespace=shop').exit).toBe(0);
    expect(complete(other, 'kubectl get deploy ').candidates).toEqual(['cart']);
    expect(complete(other, 'kubectl get deploy -n default ').candidates).toEqual(['api', 'web']);
  });

  it('never changes the cluster', () => {
    const rv = sim.store.resourceVersion;
    c('kubectl argo rollouts promote ');
    c('kubeplay traffic ');
    expect(sim.store.resourceVersion).toBe(rv);
  });
});

function podNamesAll(): string[] {
  return sim.store.list('Pod', 'default').map((p) => p.metadata.name);
}
