import { it } from 'vitest';
import { runCommand } from '/work/main/src/engine/kubectl/index.ts';
import { fakeSim, pod, deployment, node } from '/work/main/src/engine/kubectl/testutil/fixtures.ts';
it('smoke', () => {
  const sim = fakeSim();
  sim.store.create(node('worker-1'));
  const d = sim.store.create(deployment('web'));
  const rs1: any = sim.store.create({ apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web-aaa', namespace: 'default', labels: { app: 'web', 'pod-template-hash': 'aaa' }, annotations: { 'deployment.kubernetes.io/revision': '1' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: d.metadata.uid!, controller: true }] }, spec: { replicas: 0, selector: { matchLabels: { app: 'web', 'pod-template-hash': 'aaa' } }, template: { metadata: { labels: { app: 'web', 'pod-template-hash': 'aaa' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.24' }] } } }, status: { replicas: 0 } });
  const rs2: any = sim.store.create({ apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web-bbb', namespace: 'default', labels: { app: 'web', 'pod-template-hash': 'bbb' }, annotations: { 'deployment.kubernetes.io/revision': '2' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: d.metadata.uid!, controller: true }] }, spec: { replicas: 3, selector: { matchLabels: { app: 'web', 'pod-template-hash': 'bbb' } }, template: { metadata: { labels: { app: 'web', 'pod-template-hash': 'bbb' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.25' }] } } }, status: { replicas: 3, readyReplicas: 3 } });
  void rs1;
  sim.store.create(pod('web-bbb-abc12', { node: 'worker-1', ip: '10.244.1.2', owner: rs2 }));
  sim.store.create(pod('bare', { node: 'worker-1', ip: '10.244.1.3' }));
  sim.services.set('kubelet', { logs: () => 'hello\nworld\n', execEnv: () => ({ HOSTNAME: 'web-bbb-abc12', WEB_SERVICE_HOST: '10.96.0.10' }), failNode() {}, recoverNode() {} });
  sim.clock.set(75_000);
  const files = { 'svc.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n  ports:\n  - port: 80\n---\napiVersion: v1\nkind: Foo\nmetadata:\n  name: x\n' };
  for (const c of ['kubectl apply -f svc.yaml', 'kubectl apply -f svc.yaml', 'kubectl create -f svc.yaml', 'kubectl rollout history deploy/web', 'kubectl rollout history deploy/web --revision=1', 'kubectl rollout status deploy/web', 'kubectl rollout undo deploy/web', 'kubectl rollout undo deploy/web --to-revision=7', 'kubectl rollout pause deploy/web', 'kubectl rollout pause deploy/web', 'kubectl label pod bare tier=fe', 'kubectl label pod bare tier=be', 'kubectl label pod bare tier-', 'kubectl annotate deploy web a=b', 'kubectl logs web-bbb-abc12 --tail=1', 'kubectl logs deploy/web', 'kubectl exec web-bbb-abc12 -- env', 'kubectl drain worker-1', 'kubectl drain worker-1 --force --ignore-daemonsets', 'kubectl get rs', 'kubectl get deploy,rs', 'kubectl get pod/bare deploy/web', 'kubectl get pods bare -o jsonpath={.status.conditions[?(@.type=="Ready")].status}', 'kubectl get pod pods/bare', 'kubectl delete deploy web', 'kubectl delete pod nope', 'kubectl delete pods', 'kubectl expose deploy web --port=80', 'kubectl create deployment api --image=registry.io/team/api:v2 --replicas=2 --dry-run=client -o yaml', 'kubectl create ns dev', 'kubectl create configmap cfg --from-literal=a=1 --from-literal=b=two', 'kubectl get cm', 'kubectl create secret generic s --from-literal=pw=hunter2', 'kubectl get secrets', 'kubeplay help', 'kubeplay image set nginx:1.25 crashAfterSeconds=30', 'kubeplay node fail worker-1', 'kubectl api-resources', 'kubectl get pods -oyaml -l app=nothing']) {
    const r = runCommand(sim, c, { files });
    console.log(`$ ${c}  [exit ${r.exit}]\n${r.out}`);
  }
});
