import { describe, expect, it } from 'vitest';
import { createCluster } from '../../cluster.ts';
import { runCommand } from '../index.ts';
import { checkPriorityClassDelete } from '../../admission/priority.ts';
import { priorityClassPrinter } from './scheduling.ts';

const run = (sim: ReturnType<typeof createCluster>, line: string) => runCommand(sim, line);

const USER_CLASSES = `apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata:
  name: high-priority
value: 1000000
globalDefault: true
description: for the important pods
---
apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata:
  name: overprovisioning
value: -10
preemptionPolicy: Never
`;

describe('kubectl get priorityclasses (printPriorityClass)', () => {
  it.each([
    [{ value: 2000001000, globalDefault: false, preemptionPolicy: 'PreemptLowerPriority' }, ['pc', '2000001000', 'false', '5s', 'PreemptLowerPriority']],
    [{ value: -10, preemptionPolicy: 'Never' }, ['pc', '-10', 'false', '5s', 'Never']],
    [{ value: 5, globalDefault: true }, ['pc', '5', 'true', '5s', '']],
  ])('%j → %j', (fields, want) => {
    const sim = createCluster({ seed: 1 });
    const obj = { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'pc', creationTimestamp: '2025-01-01T00:00:00Z' }, ...fields } as any;
    expect(priorityClassPrinter.row(obj, { now: 5_000, sim })).toEqual(want);
  });

  it('lists the system classes at startup, then user classes, with kubectl 1.31 columns (all shown without -o wide)', () => {
    const sim = createCluster({ seed: 1 });
    sim.runUntil(60_000);
    expect(run(sim, 'kubectl get priorityclasses').out).toBe(
      'NAME                      VALUE        GLOBAL-DEFAULT   AGE   PREEMPTIONPOLICY\n' +
        'system-cluster-critical   2000000000   false            60s   PreemptLowerPriority\n' +
        'system-node-critical      2000001000   false            60s   PreemptLowerPriority\n',
    );
    expect(runCommand(sim, 'kubectl apply -f -', { stdin: USER_CLASSES }).exit).toBe(0);
    sim.runUntil(90_000);
    const out = run(sim, 'kubectl get pc -o wide').out;
    expect(out.split('\n')[0]).toBe('NAME                      VALUE        GLOBAL-DEFAULT   AGE   PREEMPTIONPOLICY');
    expect(out).toContain('high-priority             1000000      true             30s   PreemptLowerPriority\n');
    expect(out).toContain('overprovisioning          -10          false            30s   Never\n');
    expect(run(sim, 'kubectl get pc system-node-critical --no-headers').out).toBe('system-node-critical   2000001000   false   90s   PreemptLowerPriority\n');
  });
});

describe('deleting a system PriorityClass (priorityclass storage Delete)', () => {
  const refusal = (name: string) => `Error from server (Forbidden): priorityclasses.scheduling.k8s.io "${name}" is forbidden: this is a system priority class and cannot be deleted\n`;

  it.each(['system-node-critical', 'system-cluster-critical'])('kubectl delete pc %s is Forbidden and the class stays', (name) => {
    const sim = createCluster({ seed: 1 });
    expect(run(sim, `kubectl delete priorityclass ${name}`)).toEqual({ exit: 1, out: refusal(name) });
    expect(sim.store.get('PriorityClass', undefined, name)).toBeDefined();
  });

  it('--all deletes the user classes and refuses each system class', () => {
    const sim = createCluster({ seed: 1 });
    runCommand(sim, 'kubectl apply -f -', { stdin: USER_CLASSES });
    expect(run(sim, 'kubectl delete pc --all')).toEqual({
      exit: 1,
      out:
        'priorityclass.scheduling.k8s.io "high-priority" deleted\n' +
        'priorityclass.scheduling.k8s.io "overprovisioning" deleted\n' +
        refusal('system-cluster-critical') +
        refusal('system-node-critical'),
    });
    expect(sim.store.list('PriorityClass').map((p) => p.metadata.name).sort()).toEqual(['system-cluster-critical', 'system-node-critical']);
  });

  it('a user class named like no system class is deleted; the guard knows exactly the two system names', () => {
    expect(() => checkPriorityClassDelete('system-node-critical')).toThrow('this is a system priority class and cannot be deleted');
    expect(() => checkPriorityClassDelete('system-critical')).not.toThrow();
    expect(() => checkPriorityClassDelete('high-priority')).not.toThrow();
  });
});
