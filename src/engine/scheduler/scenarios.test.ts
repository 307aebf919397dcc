import { describe, expect, it } from 'vitest';
import { play, type Step } from '../../../test/helpers/play.ts';

/** at finds the one step run at `t` whose command starts with `cmd`. */
function at(steps: Step[], t: number, cmd: string): Step {
  const found = steps.filter((s) => s.t === t && s.cmd.startsWith(cmd));
  expect(found, `${t}s ${cmd}`).toHaveLength(1);
  return found[0];
}

describe('scenarios/preemption.yaml under kubeplay run', async () => {
  const steps = await play('preemption.yaml');

  it('every step succeeds; the PriorityClasses, system ones included, are listed', () => {
    expect(steps.every((s) => s.exit === 0)).toBe(true);
    const names = at(steps, 20, 'kubectl get priorityclasses').out.split('\n').slice(1).map((l) => l.split(/\s+/)[0]).filter(Boolean);
    expect(names).toEqual(['high-priority', 'low-priority', 'polite', 'system-cluster-critical', 'system-node-critical']);
    expect(at(steps, 20, 'kubectl get pods -l app=batch').out.trim().split('\n')).toHaveLength(4);
  });

  it('payments gets priority 1000000, is nominated, and two batch pods on that node are preempted', () => {
    const [prio, node] = at(steps, 31, 'kubectl get pods -l app=payments -o jsonpath=\'{.items[0].spec.priority}').out.split(' ');
    expect(prio).toBe('1000000');
    expect(node).toMatch(/^worker-[12]$/);
    const preempted = at(steps, 31, 'kubectl get events --field-selector reason=Preempted').out.trim().split('\n');
    expect(preempted).toHaveLength(2);
    for (const m of preempted) expect(m).toMatch(new RegExp(`^Preempted by pod [0-9a-f-]{36} on node ${node}$`));
    expect(at(steps, 31, "kubectl get pods -l app=batch -o jsonpath='{range").out.trim().split('\n')).toEqual([node, node]);
    // A preemptor's FailedScheduling carries no preemption sentence: preemption succeeded.
    expect(at(steps, 31, "kubectl get pods -l app=payments -o jsonpath='{.items[0].status.conditions[0].message}'").out).toBe('0/2 nodes are available: 2 Insufficient cpu.');
  });

  it('a preemptionPolicy: Never pod waits without evicting anybody', () => {
    expect(at(steps, 41, 'kubectl get pod reports').out).toBe('0/2 nodes are available: 2 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never.');
  });

  it('once the victims are gone payments runs on the nominated node; the recreated batch pods stay Pending', () => {
    const node = at(steps, 31, 'kubectl get pods -l app=payments -o jsonpath=\'{.items[0].spec.priority}').out.split(' ')[1];
    expect(at(steps, 70, 'kubectl get pods -l app=payments').out).toBe(`Running ${node}`);
    expect(at(steps, 70, 'kubectl get pods -l app=batch').out.trim().split('\n')).toHaveLength(2);
  });
});
