/**
 * The library scenarios for the pod lifecycle, the scheduler and Service types do what their
 * descriptions say, asserted from the runner's own output.
 */
import { describe, expect, it } from 'vitest';
import { play, type Step } from './helpers/play.ts';

/** at finds the one step run at `t` whose command starts with `cmd`. */
function at(steps: Step[], t: number, cmd: string): Step {
  const found = steps.filter((s) => s.t === t && s.cmd.startsWith(cmd));
  expect(found, `${t}s ${cmd}`).toHaveLength(1);
  return found[0];
}

/** row is the whitespace-split row of a `kubectl get` table whose first column is name. */
function row(out: string, name: string): string[] | undefined {
  return out
    .split('\n')
    .map((l) => l.trim().split(/\s{2,}/))
    .find((cols) => cols[0] === name);
}

describe('scenarios/pod-lifecycle.yaml', async () => {
  const steps = await play('pod-lifecycle.yaml');

  it('shows Completed, ImagePullBackOff, CrashLoopBackOff with restarts, and a Running pod that is not ready', () => {
    const s30 = at(steps, 30, 'kubectl get pods').out;
    expect(row(s30, 'web')?.slice(1, 3)).toEqual(['1/1', 'Running']);
    expect(row(s30, 'job')?.slice(1, 3)).toEqual(['0/1', 'Completed']);
    expect(row(s30, 'typo')?.slice(1, 3)).toEqual(['0/1', 'ImagePullBackOff']);
    expect(row(s30, 'flaky')?.slice(1, 3)).toEqual(['0/1', 'Running']);
    expect(row(s30, 'crasher')?.[2]).toBe('CrashLoopBackOff');
    const restarts = (t: number) => Number(row(at(steps, t, 'kubectl get pods').out, 'crasher')?.[3].split(' ')[0]);
    expect(restarts(90)).toBeGreaterThan(restarts(12));
  });

  it('prints the crashed container logs and the kubelet back-off', () => {
    expect(at(steps, 30, 'kubectl logs crasher --previous').out).toContain('panic: config file /etc/app.yaml not found');
    expect(at(steps, 90, 'kubectl get events').out).toMatch(/BackOff\s+pod\/crasher\s+Back-off restarting failed container app/);
  });

  it('a deleted bare pod is not recreated', () => {
    expect(at(steps, 95, 'kubectl delete pod web').out).toBe('pod "web" deleted\n');
    expect(row(at(steps, 100, 'kubectl get pods').out, 'web')).toBeUndefined();
  });
});

describe('scenarios/scheduling.yaml', async () => {
  const steps = await play('scheduling.yaml');
  const nodeOf = (out: string) =>
    out
      .split('\n')
      .slice(1)
      .filter((l) => l.trim())
      .map((l) => l.trim().split(/\s+/)[6]);

  it('trainer lands on the tainted gpu node; cache has one pod per node; web spreads over the zones', () => {
    const pods = at(steps, 15, 'kubectl get pods -o wide').out;
    expect(pods).toMatch(/^trainer-\S+\s+1\/1\s+Running.*\sgpu-1\s/m);
    const cacheNodes = pods.split('\n').filter((l) => l.startsWith('cache-')).map((l) => l.trim().split(/\s+/)[6]);
    expect(new Set(cacheNodes).size).toBe(3);
    expect(cacheNodes).not.toContain('gpu-1');
    const web8 = nodeOf(at(steps, 35, 'kubectl get pods -l app=web -o wide').out);
    expect(web8).toHaveLength(8);
    const zoneA = web8.filter((n) => n.startsWith('a-')).length;
    expect(zoneA).toBe(4);
    expect(web8).not.toContain('gpu-1');
  });

  it('a fourth cache pod stays Pending with the taint and anti-affinity reasons', () => {
    expect(at(steps, 50, 'kubectl get pods -l app=cache').out).toMatch(/^cache-\S+\s+0\/1\s+Pending/m);
    expect(at(steps, 50, 'kubectl get events').out).toContain(
      "0/4 nodes are available: 1 node(s) had untolerated taint(s), 3 node(s) didn't match pod anti-affinity rules.",
    );
  });

  it('scaled past what fits, web stops at 29 ready pods: CPU and the spread constraint hold the rest', () => {
    expect(at(steps, 90, 'kubectl get deployment web').out).toMatch(/^web\s+29\/32\s/m);
    expect(at(steps, 90, 'kubectl get events').out).toContain("1 Insufficient cpu, 1 node(s) had untolerated taint(s), 2 node(s) didn't match pod topology spread constraints.");
  });
});

describe('scenarios/service-types.yaml', async () => {
  const steps = await play('service-types.yaml');

  it('lists the four Service types with the LoadBalancer IP and the NodePort', () => {
    const svc = at(steps, 10, 'kubectl get services').out;
    expect(row(svc, 'echo-lb')?.slice(1)).toEqual(['LoadBalancer', expect.any(String), '203.0.113.10', expect.stringMatching(/^80:\d+\/TCP$/), '10s']);
    expect(row(svc, 'echo-nodeport')?.[4]).toBe('80:30080/TCP');
  });

  it('IPVS round robin gives three curls three different pods, and the pods equal shares', () => {
    const served = steps.filter((s) => s.t === 12 && s.cmd.startsWith('kubeplay curl')).map((s) => /served by (\S+)/.exec(s.out)?.[1]);
    expect(new Set(served).size).toBe(3);
    const rates = at(steps, 45, 'kubeplay promql').out.trim().split('\n').map((l) => Number(/=> ([\d.]+)/.exec(l)?.[1]));
    expect(rates).toHaveLength(3);
    expect(Math.max(...rates) - Math.min(...rates)).toBeLessThan(0.5);
  });

  it('NodePort and LoadBalancer addresses reach the same pods', () => {
    expect(at(steps, 13, 'kubeplay curl http://192.168.49.3:30080').out).toMatch(/^GET \/ served by echo-/);
    expect(at(steps, 14, 'kubeplay curl http://203.0.113.10').out).toMatch(/^GET \/ served by echo-/);
  });
});
