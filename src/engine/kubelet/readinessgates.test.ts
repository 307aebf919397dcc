import { describe, expect, it } from 'vitest';
import { createCluster } from '../cluster.ts';
import type { Pod } from '../api/types.ts';
import { runCommand } from '../kubectl/index.ts';

const POD = `apiVersion: v1
kind: Pod
metadata:
  name: gated
  labels: {app: web}
spec:
  readinessGates:
  - conditionType: "www.example.com/feature-1"
  containers:
  - name: web
    image: nginx
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80}]
`;

function cluster() {
  const sim = createCluster({ seed: 1, nodes: [{ name: 'worker-1', capacity: { cpu: '4', memory: '8Gi', pods: '110' } }] });
  expect(runCommand(sim, 'kubectl apply -f pod.yaml', { files: { 'pod.yaml': POD } }).exit).toBe(0);
  sim.runFor(30_000);
  return sim;
}

const ready = (sim: ReturnType<typeof cluster>) => sim.store.get<Pod>('Pod', 'default', 'gated')!.status!.conditions!.find((c) => c.type === 'Ready')!;

describe('pod readiness gates (GeneratePodReadyCondition)', () => {
  it('running containers are not enough: Ready stays False until the gate condition is True', () => {
    const sim = cluster();
    expect(runCommand(sim, 'kubectl get pod gated -o wide').out).toMatch(/gated\s+1\/1\s+Running\s+0\s+30s\s+\S+\s+worker-1\s+<none>\s+0\/1\n/);
    expect(ready(sim)).toMatchObject({ status: 'False', reason: 'ReadinessGatesNotReady', message: 'corresponding condition of pod readiness gate "www.example.com/feature-1" does not exist.' });
    expect(runCommand(sim, 'kubectl describe pod gated').out).toMatch(/\nReadiness Gates:\n {2}Type\s+Status\n {2}www\.example\.com\/feature-1\s+<none> \nConditions:\n/);
    // A pod that is not Ready is a not-ready endpoint.
    expect(runCommand(sim, 'kubectl get endpoints web -o jsonpath={.subsets[0].notReadyAddresses[0].targetRef.name}').out).toBe('gated');

    const setGate = (status: string) =>
      runCommand(sim, `kubectl patch pod gated --subresource=status --type=merge -p '{"status":{"conditions":[{"type":"www.example.com/feature-1","status":"${status}"}]}}'`);
    expect(setGate('False')).toEqual({ exit: 0, out: 'pod/gated patched\n' });
    sim.runFor(1_000);
    expect(ready(sim)).toMatchObject({ status: 'False', message: 'the status of pod readiness gate "www.example.com/feature-1" is not "True", but False' });

    expect(setGate('True')).toEqual({ exit: 0, out: 'pod/gated patched\n' });
    sim.runFor(1_000);
    expect(ready(sim).status).toBe('True');
    expect(runCommand(sim, 'kubectl describe pod gated').out).toMatch(/\n {2}www\.example\.com\/feature-1\s+True \n/);
    expect(ready(sim).reason).toBeUndefined();
    expect(runCommand(sim, 'kubectl get pod gated -o wide').out).toMatch(/worker-1\s+<none>\s+1\/1\n/);
    expect(runCommand(sim, 'kubectl get endpoints web -o jsonpath={.subsets[0].addresses[0].targetRef.name}').out).toBe('gated');
  });
});

describe('kubectl patch --subresource', () => {
  it('status: a patch of the main resource cannot touch status; one of the status subresource can, and only that', () => {
    const sim = cluster();
    expect(runCommand(sim, `kubectl patch pod gated --type=merge -p '{"status":{"conditions":[{"type":"x.example.com/y","status":"True"}]}}'`).out).toBe('pod/gated patched (no change)\n');
    expect(runCommand(sim, `kubectl patch pod gated --subresource=status --type=merge -p '{"metadata":{"labels":{"extra":"1"}},"status":{"conditions":[{"type":"x.example.com/y","status":"True"}]}}'`).out).toBe('pod/gated patched\n');
    const pod = sim.store.get<Pod>('Pod', 'default', 'gated')!;
    expect(pod.metadata.labels).toEqual({ app: 'web' });
    expect(pod.status!.conditions!.map((c) => c.type)).toContain('x.example.com/y');
    expect(runCommand(sim, `kubectl patch pod gated --subresource=status --type=merge -p '{"status":{"conditions":[{"type":"not valid!","status":"True"}]}}'`).out).toMatch(
      /^The Pod "gated" is invalid: status\.conditions\[0\]\.type: Invalid value: "not valid!": name part must consist of/,
    );
    expect(runCommand(sim, `kubectl patch configmap kube-root-ca.crt --subresource=status --type=merge -p '{}'`).out).toMatch(/Error from server \(NotFound\)|not found/);
    expect(runCommand(sim, `kubectl patch pod gated --subresource=foo -p '{}'`)).toEqual({ exit: 1, out: 'error: invalid subresource value: "foo". Must be one of [status scale]\n' });
  });

  it('scale: the docs example patches a Deployment through its Scale', () => {
    const sim = createCluster({ seed: 1, nodes: [{ name: 'worker-1', capacity: { cpu: '4', memory: '8Gi', pods: '110' } }] });
    runCommand(sim, 'kubectl create deployment nginx-deployment --image=nginx --replicas=3');
    sim.runFor(20_000);
    expect(runCommand(sim, `kubectl patch deployment nginx-deployment --subresource='scale' --type='merge' -p '{"spec":{"replicas":2}}'`)).toEqual({ exit: 0, out: 'scale.autoscaling/nginx-deployment patched\n' });
    sim.runFor(40_000);
    expect(runCommand(sim, 'kubectl get deployment nginx-deployment -o jsonpath={.spec.replicas}/{.status.readyReplicas}').out).toBe('2/2');
    expect(runCommand(sim, `kubectl patch deployment nginx-deployment --subresource=scale -p '{"spec":{"replicas":-1}}'`).out).toMatch(/spec\.replicas: Invalid value: -1: must be greater than or equal to 0/);
    expect(runCommand(sim, `kubectl patch service kubernetes --subresource=scale -p '{"spec":{"replicas":1}}'`).out).toMatch(/^Error from server \(NotFound\)/);
  });
});
