import { describe, expect, it } from 'vitest';
import { Sim } from '../sim.ts';
import { installApiServer } from '../api/server.ts';
import { installDeploymentController } from '../controllers/deployment/index.ts';
import { installReplicaSetController } from '../controllers/replicaset.ts';
import { installScheduler } from '../scheduler/index.ts';
import { addNode, installKubelets } from '../kubelet/index.ts';
import { installEndpointsControllers } from '../controllers/endpoints.ts';
import { runCommand } from './index.ts';

/** cluster wires the modules kubectl talks to (api, deployment, replicaset, scheduler, kubelet, endpoints). */
function cluster(): Sim {
  const sim = new Sim({ seed: 7 });
  installApiServer(sim);
  installDeploymentController(sim);
  installReplicaSetController(sim);
  installScheduler(sim);
  installKubelets(sim);
  installEndpointsControllers(sim);
  addNode(sim, { name: 'worker-1', capacity: { cpu: '4', memory: '8Gi' } });
  addNode(sim, { name: 'worker-2', capacity: { cpu: '4', memory: '8Gi' } });
  sim.settle();
  return sim;
}

describe('kubectl against the real modules', () => {
  it('creates, exposes, rolls out, inspects and drains', () => {
    const sim = cluster();
    const ok = (line: string) => {
      const r = runCommand(sim, line);
      expect(r.exit, `${line}\n${r.out}`).toBe(0);
      return r.out;
    };
    expect(ok('kubectl create deployment web --image=nginx:1.25 --replicas=3 --port=80')).toBe('deployment.apps/web created\n');
    expect(ok('kubectl expose deployment web --port=80')).toBe('service/web exposed\n');
    expect(runCommand(sim, 'kubectl rollout status deploy/web').exit).toBe(1);
    sim.runFor(30_000);
    expect(ok('kubectl rollout status deploy/web')).toBe('deployment "web" successfully rolled out\n');
    const pods = ok('kubectl get pods').trim().split('\n');
    expect(pods).toHaveLength(4);
    for (const row of pods.slice(1)) expect(row).toMatch(/^web-[a-z0-9]+-[a-z0-9]{5}\s+1\/1\s+Running\s+0\s+30s$/);
    expect(ok('kubectl set image deploy/web nginx=nginx:1.26')).toBe('deployment.apps/web image updated\n');
    sim.runFor(60_000);
    expect(ok('kubectl rollout history deploy/web')).toBe('deployment.apps/web \nREVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n\n');
    const name = sim.store.list('Pod')[0].metadata.name;
    expect(ok(`kubectl exec ${name} -- env`)).toMatch(/^WEB_SERVICE_HOST=10\.\d+\.\d+\.\d+$/m);
    expect(ok(`kubectl logs ${name}`).length).toBeGreaterThan(0);
    expect(ok(`kubeplay trace ${name}`)).toContain('Result:   Scheduled on worker-');
    expect(ok('kubectl describe deploy web')).toContain('NewReplicaSet:   web-');
    expect(ok('kubectl rollout undo deploy/web --dry-run=server')).toBe('deployment.apps/web rolled back (server dry run)\n');
    expect(ok('kubectl rollout history deploy/web')).toContain('\n2         <none>\n\n');
    expect(ok('kubectl rollout undo deploy/web')).toBe('deployment.apps/web rolled back\n');
    expect(ok('kubectl drain worker-1 --ignore-daemonsets')).toMatch(/^node\/worker-1 cordoned\n(evicting pod default\/web-\S+\n)*(pod\/web-\S+ evicted\n)*node\/worker-1 drained\n$/);
    expect(ok('kubectl get nodes')).toContain('Ready,SchedulingDisabled');
    expect(ok('kubectl top nodes')).toMatch(/^NAME\s+CPU\(cores\)\s+CPU\(%\)\s+MEMORY\(bytes\)\s+MEMORY\(%\)\s+\n/);
    expect(ok('kubeplay node add worker-3 --cpu 8 --label zone=b --taint dedicated=gpu:NoSchedule')).toBe('node/worker-3 added\n');
    expect(sim.store.get<any>('Node', undefined, 'worker-3')!.spec.taints).toEqual([{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }]);
    expect(ok('kubeplay node fail worker-2')).toBe('node/worker-2 failed: its kubelet stopped posting status\n');
    sim.runFor(60_000);
    expect(ok('kubectl get node worker-2')).toContain('worker-2   NotReady');
    expect(ok('kubeplay node remove worker-3')).toBe('node/worker-3 removed\n');
    expect(ok('kubectl delete deploy web')).toBe('deployment.apps "web" deleted\n');
  });

  it('prints the API server validation error', () => {
    const sim = cluster();
    const bad = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: bad\nspec:\n  replicas: -1\n  selector:\n    matchLabels: {app: bad}\n  template:\n    metadata:\n      labels: {app: bad}\n    spec:\n      containers:\n      - name: c\n        image: x\n';
    expect(runCommand(sim, 'kubectl apply -f -', { stdin: bad })).toEqual({ exit: 1, out: 'The Deployment "bad" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0\n' });
  });

  it.each([
    ['Bad_Name', '', `The Node "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character`],
    ['ok', ' --label "bad key=x"', 'The Node "ok" is invalid: metadata.labels: Invalid value: "bad key": name part must consist of'],
    ['ok', ' --cpu lots', 'The Node "ok" is invalid: status.capacity.cpu: Invalid value: "lots": quantities must match'],
    ['ok', ' --memory=-1Gi', 'The Node "ok" is invalid: status.capacity.memory: Invalid value: "-1Gi": must be greater than or equal to 0'],
    ['ok', ' --label noequals', 'error: invalid label spec: noequals, expected key=value'],
    ['ok', ' other', 'error: kubeplay node add takes one NODE name, got 2: ok other'],
  ])('kubeplay node add %s%s is validated as the API server validates a Node', (name, flags, want) => {
    const sim = cluster();
    const r = runCommand(sim, `kubeplay node add ${name}${flags}`);
    expect(r.exit).toBe(1);
    expect(r.out.startsWith(want)).toBe(true);
    expect(sim.store.get('Node', undefined, name)).toBeUndefined();
  });
});
