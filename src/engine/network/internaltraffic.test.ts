import { describe, expect, it } from 'vitest';
import { createCluster } from '../cluster.ts';
import { runCommand } from '../kubectl/index.ts';

/**
 * internalTrafficPolicy Local: kube-proxy sends a pod's connections to the Service's ClusterIP only to
 * endpoints on the pod's own node, and drops them when that node has none.
 */
describe('internalTrafficPolicy Local', () => {
  function cluster() {
    const sim = createCluster({ seed: 5, nodes: [{ name: 'worker-1' }, { name: 'worker-2' }] });
    const run = (line: string) => runCommand(sim, line);
    const after = (seconds: number) => sim.runUntil(sim.now() + seconds * 1000);
    // One web pod on worker-1 only; clients on each node.
    run(`kubectl run web --image=nginx --labels=app=web --overrides='{"spec":{"nodeName":"worker-1"}}'`);
    run(`kubectl run near --image=busybox:1.36 --overrides='{"spec":{"nodeName":"worker-1"}}' -- sleep 3600`);
    run(`kubectl run far --image=busybox:1.36 --overrides='{"spec":{"nodeName":"worker-2"}}' -- sleep 3600`);
    run('kubectl create service clusterip web --tcp=80:80');
    after(30);
    return { run, after };
  }

  it.each([
    { policy: 'Cluster', near: 'served', far: 'served' },
    { policy: 'Local', near: 'served', far: 'wget: download timed out' },
  ])('with $policy, a pod on the endpoint’s node: $near; on another node: $far', ({ policy, near, far }) => {
    const { run } = cluster();
    expect(run(`kubectl patch service web -p '{"spec":{"internalTrafficPolicy":"${policy}"}}'`).exit).toBe(0);
    const outcome = (pod: string) => {
      const r = run(`kubectl exec ${pod} -- wget -qO- -T 2 http://web`);
      return r.exit === 0 ? 'served' : r.out.split('\n')[0];
    };
    expect(outcome('near')).toBe(near);
    expect(outcome('far')).toBe(far);
    expect(run('kubectl describe service web').out).toContain(`Internal Traffic Policy:  ${policy}\n`);
  });

  it('says why a pod’s steady requests get nowhere', () => {
    const { run, after } = cluster();
    run(`kubectl patch service web -p '{"spec":{"internalTrafficPolicy":"Local"}}'`);
    run(`kubectl run load --image=busybox:1.36 --overrides='{"spec":{"nodeName":"worker-2"}}' -- /bin/sh -c "while sleep 0.1; do wget -q -O- http://web; done"`);
    after(20);
    expect(run('kubeplay traffic stats').out).toContain('Service web has internalTrafficPolicy Local and no ready endpoint on worker-2, the node of pod load: kube-proxy drops its connections');
  });
});
