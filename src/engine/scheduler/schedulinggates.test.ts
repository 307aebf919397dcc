import { describe, expect, it } from 'vitest';
import { createCluster } from '../cluster.ts';
import type { Pod } from '../api/types.ts';
import { runCommand } from '../kubectl/index.ts';

const GATED = `apiVersion: v1
kind: Pod
metadata:
  name: test-pod
spec:
  schedulingGates:
  - name: example.com/foo
  - name: example.com/bar
  containers:
  - name: pause
    image: registry.k8s.io/pause:3.6
`;

function cluster() {
  const sim = createCluster({ seed: 1, nodes: [{ name: 'worker-1', capacity: { cpu: '4', memory: '8Gi', pods: '110' } }] });
  const files = { 'pod.yaml': GATED };
  expect(runCommand(sim, 'kubectl apply -f pod.yaml', { files }).out).toBe('pod/test-pod created\n');
  sim.runFor(5_000);
  return sim;
}

const pod = (sim: ReturnType<typeof cluster>) => sim.store.get<Pod>('Pod', 'default', 'test-pod')!;

describe('Pod scheduling readiness (spec.schedulingGates, the docs example)', () => {
  it('a gated pod waits with STATUS SchedulingGated and the condition the API server sets', () => {
    const sim = cluster();
    expect(runCommand(sim, 'kubectl get pod test-pod').out).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\ntest-pod\s+0\/1\s+SchedulingGated\s+0\s+5s\n$/);
    expect(pod(sim).spec.nodeName).toBeUndefined();
    expect(pod(sim).status!.conditions).toEqual([
      { type: 'PodScheduled', status: 'False', lastProbeTime: null, lastTransitionTime: null, reason: 'SchedulingGated', message: 'Scheduling is blocked due to non-empty scheduling gates' },
    ]);
    // Nothing was attempted: no FailedScheduling event.
    expect(runCommand(sim, 'kubectl get events -o name').out).not.toMatch(/test-pod/);
  });

  it('gates may only be removed; the pod is scheduled once the last one goes', () => {
    const sim = cluster();
    expect(runCommand(sim, `kubectl patch pod test-pod --type=json -p '[{"op":"add","path":"/spec/schedulingGates/-","value":{"name":"example.com/baz"}}]'`)).toEqual({
      exit: 1,
      out: `The Pod "test-pod" is invalid: spec.schedulingGates[2].name: Forbidden: only deletion is allowed, but found new scheduling gate 'example.com/baz'\n`,
    });
    expect(runCommand(sim, `kubectl patch pod test-pod --type=json -p '[{"op":"remove","path":"/spec/schedulingGates/0"}]'`).out).toBe('pod/test-pod patched\n');
    sim.runFor(2_000);
    expect(pod(sim).spec.nodeName).toBeUndefined();
    expect(runCommand(sim, `kubectl patch pod test-pod --type=json -p '[{"op":"remove","path":"/spec/schedulingGates"}]'`).out).toBe('pod/test-pod patched\n');
    sim.runFor(10_000);
    expect(pod(sim).spec.nodeName).toBe('worker-1');
    const scheduled = pod(sim).status!.conditions!.find((c) => c.type === 'PodScheduled')!;
    expect(scheduled).toMatchObject({ status: 'True' });
    expect(scheduled.reason).toBeUndefined();
    expect(runCommand(sim, 'kubectl get pod test-pod -o jsonpath={.status.phase}').out).toBe('Running');
  });

  it.each([
    ['a duplicate gate', '  schedulingGates:\n  - name: a\n  - name: a\n', 'spec.schedulingGates[1]: Duplicate value: "a"'],
    ['an invalid name', '  schedulingGates:\n  - name: -bad\n', 'spec.schedulingGates[0]: Invalid value: "-bad"'],
    ['a gated pod with a node', '  nodeName: worker-1\n  schedulingGates:\n  - name: a\n', 'spec.nodeName: Forbidden: cannot be set until all schedulingGates have been cleared'],
  ])('refuses %s', (_n, extra, want) => {
    const sim = createCluster({ seed: 1, nodes: [{ name: 'worker-1', capacity: { cpu: '4', memory: '8Gi', pods: '110' } }] });
    const files = { 'p.yaml': `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n${extra}  containers:\n  - name: c\n    image: nginx\n` };
    const r = runCommand(sim, 'kubectl apply -f p.yaml', { files });
    expect(r.exit).toBe(1);
    expect(r.out).toContain(want);
  });
});
