import { describe, expect, it } from 'vitest';
import { createCluster } from '../../../cluster.ts';
import { api, rollout, run, service } from '../testutil.ts';
import { canaryIngressName } from './nginx.ts';
import type { NetworkApi } from '../../../network/index.ts';

const ingress = {
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: { name: 'shop', namespace: 'default' },
  spec: { ingressClassName: 'nginx', rules: [{ host: 'shop.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'shop-stable', port: { number: 80 } } } }] } }] },
};

function cluster(strategyExtra: Record<string, unknown> = {}) {
  const sim = createCluster({ seed: 9, traffic: [{ host: 'shop.example.com', rps: 100 }], nodes: [{ name: 'worker-1', capacity: { cpu: '8', memory: '16Gi', pods: '110' } } as any] });
  api(sim).create(service('shop-stable', 'shop'));
  api(sim).create(service('shop-canary', 'shop'));
  api(sim).create(ingress);
  const strategy = { canary: { canaryService: 'shop-canary', stableService: 'shop-stable', trafficRouting: { nginx: { stableIngress: 'shop' } }, steps: [{ setWeight: 20 }, { pause: {} }], ...strategyExtra } };
  api(sim).create(rollout('shop', 4, strategy));
  sim.runFor(20_000);
  return sim;
}

describe('nginx traffic routing', () => {
  it('names the canary ingress as Argo does', () => {
    expect(canaryIngressName('shop', 'shop')).toBe('shop-shop-canary');
    expect(canaryIngressName('r', 'x'.repeat(300))).toHaveLength(253);
  });

  it('creates the canary Ingress, keeps the stable at 100% and sends ~20% of requests to the canary', () => {
    const sim = cluster();
    run(sim, 'kubectl argo rollouts set image shop app=shop:v2');
    sim.runFor(30_000);
    const ro = sim.store.get('Rollout', 'default', 'shop')!;
    expect(ro.status.currentStepIndex).toBe(1);
    const ing = sim.store.get('Ingress', 'default', 'shop-shop-canary')!;
    expect(ing.metadata.annotations).toMatchObject({ 'nginx.ingress.kubernetes.io/canary': 'true', 'nginx.ingress.kubernetes.io/canary-weight': '20' });
    expect(ing.spec.rules[0].http.paths[0].backend.service.name).toBe('shop-canary');
    const replicas = Object.fromEntries(sim.store.list('ReplicaSet').map((rs) => [rs.metadata.labels!['rollouts-pod-template-hash'], rs.spec.replicas]));
    expect(replicas).toEqual({ [ro.status.stableRS]: 4, [ro.status.currentPodHash]: 1 });
    expect(ro.status.canary.weights.canary).toEqual({ weight: 20, podTemplateHash: ro.status.currentPodHash, serviceName: 'shop-canary' });
    sim.runFor(120_000);
    const net = sim.service<NetworkApi>('network');
    const v = (q: string) => (net.query(q) as any).samples[0]?.v ?? 0;
    const canary = v('sum(increase(http_requests_total{service="shop-canary"}[2m]))');
    const all = v('sum(increase(http_requests_total[2m]))');
    expect(canary / all).toBeGreaterThan(0.17);
    expect(canary / all).toBeLessThan(0.23);
    expect(run(sim, 'kubectl argo rollouts get rollout shop').out).toContain('  ActualWeight:  20\n');
  });

  it('promote sends 100% then makes the canary stable and the weight returns to 0', () => {
    const sim = cluster();
    run(sim, 'kubectl argo rollouts set image shop app=shop:v2');
    sim.runFor(30_000);
    run(sim, 'kubectl argo rollouts promote shop');
    sim.runFor(30_000);
    const ro = sim.store.get('Rollout', 'default', 'shop')!;
    expect(ro.status.phase).toBe('Healthy');
    expect(ro.status.stableRS).toBe(ro.status.currentPodHash);
    expect(sim.store.get('Ingress', 'default', 'shop-shop-canary')!.metadata.annotations!['nginx.ingress.kubernetes.io/canary-weight']).toBe('0');
    expect(sim.store.get('Service', 'default', 'shop-stable')!.spec.selector!['rollouts-pod-template-hash']).toBe(ro.status.stableRS);
  });

  it("the weight moves to the next setWeight only once the canary's pods are available for it (reconcileTrafficRouting)", () => {
    const sim = createCluster({ seed: 9, nodes: [{ name: 'worker-1', capacity: { cpu: '8', memory: '16Gi', pods: '110' } } as any] });
    api(sim).create(service('shop-stable', 'shop'));
    api(sim).create(service('shop-canary', 'shop'));
    api(sim).create(ingress);
    const strategy = { canary: { canaryService: 'shop-canary', stableService: 'shop-stable', trafficRouting: { nginx: { stableIngress: 'shop' } }, steps: [{ setWeight: 10 }, { pause: {} }, { setWeight: 50 }, { pause: {} }] } };
    // Each pod is Ready 15 s after it starts.
    const ro10 = rollout('shop', 10, strategy);
    ro10.spec.template.spec.containers[0].readinessProbe = { httpGet: { path: '/', port: 8080 }, initialDelaySeconds: 15, periodSeconds: 1 };
    api(sim).create(ro10);
    sim.runFor(30_000);
    run(sim, 'kubectl argo rollouts set image shop app=shop:v2');
    sim.runFor(40_000);
    const weight = () => sim.store.get('Ingress', 'default', 'shop-shop-canary')!.metadata.annotations!['nginx.ingress.kubernetes.io/canary-weight'];
    expect(weight()).toBe('10');
    run(sim, 'kubectl argo rollouts promote shop');
    sim.runFor(5_000);
    // Five canary pods are starting (15 s), one is ready: the router keeps 10%, and ActualWeight says so.
    expect(weight()).toBe('10');
    expect(run(sim, 'kubectl argo rollouts get rollout shop').out).toContain('  SetWeight:     50\n  ActualWeight:  10\n');
    sim.runFor(20_000);
    expect(weight()).toBe('50');
    // Promoted fully, the old stable keeps its pods for scaleDownDelaySeconds (30 s), then goes.
    run(sim, 'kubectl argo rollouts promote shop --full');
    sim.runFor(25_000);
    const ro = sim.store.get('Rollout', 'default', 'shop')!;
    expect(ro.status.stableRS).toBe(ro.status.currentPodHash);
    const old = () => sim.store.list('ReplicaSet').find((rs) => rs.metadata.labels!['rollouts-pod-template-hash'] !== ro.status.stableRS)!;
    expect(old().spec.replicas).toBe(10);
    expect(old().metadata.annotations!['scale-down-deadline']).toBeDefined();
    sim.runFor(40_000);
    expect(old().spec.replicas).toBe(0);
    // Scaled to 0, it drops the deadline (scaleReplicaSet's fullScaleDown): no lasting delay:passed in the tree.
    expect(old().metadata.annotations!['scale-down-deadline']).toBeUndefined();
    expect(run(sim, 'kubectl argo rollouts get rollout shop').out).not.toContain('delay:');
  });

  it('an unsupported traffic router is an InvalidSpec naming the field', () => {
    const sim = createCluster({ seed: 1, nodes: [{ name: 'w', capacity: { cpu: '8', memory: '16Gi', pods: '110' } } as any] });
    api(sim).create(rollout('shop', 2, { canary: { trafficRouting: { istio: { virtualService: { name: 'vs' } } }, steps: [{ setWeight: 10 }] } }));
    sim.runFor(1000);
    const ro = sim.store.get('Rollout', 'default', 'shop')!;
    expect(ro.status.phase).toBe('Degraded');
    expect(ro.status.message).toBe('InvalidSpec: spec.strategy.canary.trafficRouting.istio is not supported by Kubeplay (supported: nginx)');
    expect(run(sim, 'kubectl argo rollouts get rollout shop').out).toContain('Status:          ✖ Degraded\nMessage:         InvalidSpec: ');
  });
});

describe('nginx abort', () => {
  it('abort sets the weight to 0 at once and scales the canary down after abortScaleDownDelaySeconds (30s)', () => {
    const sim = cluster();
    run(sim, 'kubectl argo rollouts set image shop app=shop:v2');
    sim.runFor(30_000);
    const h2 = sim.store.get('Rollout', 'default', 'shop')!.status.currentPodHash;
    run(sim, 'kubectl argo rollouts abort shop');
    sim.runFor(1_000);
    expect(sim.store.get('Ingress', 'default', 'shop-shop-canary')!.metadata.annotations!['nginx.ingress.kubernetes.io/canary-weight']).toBe('0');
    expect(sim.store.get('ReplicaSet', 'default', `shop-${h2}`)!.spec.replicas).toBe(1);
    expect(run(sim, 'kubectl argo rollouts get rollout shop').out).toMatch(/ReplicaSet +✔ Healthy +\d+s +canary,delay:29s\n/);
    sim.runFor(30_000);
    expect(sim.store.get('ReplicaSet', 'default', `shop-${h2}`)!.spec.replicas).toBe(0);
    expect(sim.store.get('Rollout', 'default', 'shop')!.status.phase).toBe('Degraded');
  });

  it('abortScaleDownDelaySeconds: 0 leaves the canary running', () => {
    const sim = cluster({ abortScaleDownDelaySeconds: 0 });
    run(sim, 'kubectl argo rollouts set image shop app=shop:v2');
    sim.runFor(30_000);
    const h2 = sim.store.get('Rollout', 'default', 'shop')!.status.currentPodHash;
    run(sim, 'kubectl argo rollouts abort shop');
    sim.runFor(120_000);
    expect(sim.store.get('ReplicaSet', 'default', `shop-${h2}`)!.spec.replicas).toBe(1);
  });
});
