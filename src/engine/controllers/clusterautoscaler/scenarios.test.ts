import { describe, expect, it } from 'vitest';
import { play, type Step } from '../../../../test/helpers/play.ts';

function at(steps: Step[], t: number, cmd: string): Step {
  const found = steps.filter((s) => s.t === t && s.cmd.startsWith(cmd));
  expect(found, `${t}s ${cmd}`).toHaveLength(1);
  return found[0];
}

const nodes = (s: Step) =>
  s.out
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(/\s+/)[0]);

describe('scenarios/cluster-autoscaler.yaml under kubeplay run', async () => {
  const steps = await play('cluster-autoscaler.yaml');

  it('every step succeeds; the group starts at its min size with the pause pod on it', () => {
    expect(steps.every((s) => s.exit === 0)).toBe(true);
    expect(at(steps, 15, 'kubectl get pods -o wide').out).toMatch(/\noverprovisioning-\S+ +1\/1 +Running .* small-1 /);
  });

  it('web preempts the pause pod and starts at once; the pause pod triggers a scale-up of "small" (least-waste)', () => {
    expect(at(steps, 25, 'kubectl get pods -l app=web').out).toBe('Running small-1');
    expect(at(steps, 31, 'kubectl get events --field-selector reason=TriggeredScaleUp').out).toBe('pod triggered scale-up: [{small 1->2 (max: 4)}]\n');
  });

  it('the new node joins after its 60 s provision delay and the pause pod moves there', () => {
    expect(nodes(at(steps, 120, 'kubectl get nodes'))).toEqual(['small-1', 'small-2']);
    expect(at(steps, 120, 'kubectl get pods -l app=overprovisioning').out).toBe('Running small-2');
  });

  it('three web replicas need two more nodes, up to the group max of 4', () => {
    expect(nodes(at(steps, 300, 'kubectl get nodes'))).toEqual(['small-1', 'small-2', 'small-3', 'small-4']);
    expect(at(steps, 300, 'kubectl get pods -l app=web').out.trim().split('\n')).toHaveLength(3);
  });

  it('after scaling back, the empty nodes are removed (10 min unneeded) and the status ConfigMap says so', () => {
    const left = nodes(at(steps, 1500, 'kubectl get nodes'));
    expect(left).toHaveLength(2);
    expect(left).toContain('small-1');
    const down = at(steps, 1500, 'kubectl get events --field-selector reason=ScaleDown').out.trim().split('\n');
    expect(down).toHaveLength(2);
    for (const l of down) expect(l).toMatch(/^Node\/small-\d marked the node as toBeDeleted\/unschedulable$/);
    const status = at(steps, 1500, 'kubectl get configmap cluster-autoscaler-status').out;
    expect(status).toContain('autoscalerStatus: Running');
    expect(status).toMatch(/- name: small\n(.*\n)*? {4}cloudProviderTarget: 2\n {4}minSize: 1\n {4}maxSize: 4\n/);
  });
});
