import { describe, expect, it } from 'vitest';
import { createCluster } from '../../../cluster.ts';
import { api, rollout, run, service } from '../testutil.ts';
import type { NetworkApi } from '../../../network/index.ts';

const ingress = {
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: { name: 'shop', namespace: 'default' },
  spec: { ingressClassName: 'nginx', rules: [{ host: 'shop.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'shop-stable', port: { number: 80 } } } }] } }] },
};

function cluster(canary: Record<string, unknown>) {
  const sim = createCluster({ seed: 9, nodes: [{ name: 'worker-1', capacity: { cpu: '8', memory: '16Gi', pods: '110' } } as any] });
  api(sim).create(service('shop-stable', 'shop'));
  api(sim).create(service('shop-canary', 'shop'));
  api(sim).create(ingress);
  api(sim).create(rollout('shop', 2, { canary: { canaryService: 'shop-canary', stableService: 'shop-stable', ...canary } }));
  sim.runFor(20_000);
  return sim;
}

const nginx = { nginx: { stableIngress: 'shop' }, managedRoutes: [{ name: 'mirror-route' }, { name: 'header-route' }] };

describe('setMirrorRoute / setHeaderRoute (validation.go ValidateRolloutStrategyCanary)', () => {
  const cases: { name: string; canary: Record<string, unknown>; message: string }[] = [
    {
      name: 'setMirrorRoute with nginx: Istio only',
      canary: { trafficRouting: nginx, steps: [{ setWeight: 20 }, { setMirrorRoute: { name: 'mirror-route', percentage: 100 } }, { pause: {} }] },
      message: 'InvalidSpec: The Rollout "shop" is invalid: spec.strategy.steps[1].setMirrorRoute: Invalid value: &v1alpha1.SetMirrorRoute{Name:"mirror-route", ...}: SetMirrorRoute requires TrafficRouting, supports Istio only',
    },
    {
      name: 'setHeaderRoute with nginx: Istio, ALB and Apisix only',
      canary: { trafficRouting: nginx, steps: [{ setHeaderRoute: { name: 'header-route', match: [{ headerName: 'X-Canary', headerValue: { exact: 'yes' } }] } }] },
      message: 'InvalidSpec: The Rollout "shop" is invalid: spec.strategy.steps[0].setHeaderRoute: Invalid value: &v1alpha1.SetHeaderRoute{Name:"header-route", ...}: SetHeaderRoute requires TrafficRouting, supports Istio and ALB and Apisix',
    },
    {
      name: 'setHeaderRoute without trafficRouting',
      canary: { steps: [{ setWeight: 50 }, { setHeaderRoute: { name: 'h' } }] },
      message: 'InvalidSpec: The Rollout "shop" is invalid: spec.strategy.steps[1].setHeaderRoute: Invalid value: &v1alpha1.SetHeaderRoute{Name:"h", ...}: SetHeaderRoute requires TrafficRouting, supports Istio and ALB and Apisix',
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const sim = cluster(c.canary);
      const ro = sim.store.get('Rollout', 'default', 'shop')!;
      expect(ro.status.phase).toBe('Degraded');
      expect(ro.status.message).toBe(c.message);
      // As upstream, an invalid spec stops the reconcile before any ReplicaSet is made.
      expect(sim.store.list('ReplicaSet')).toHaveLength(0);
      expect(run(sim, 'kubectl argo rollouts get rollout shop').out).toContain('Status:          ✖ Degraded\nMessage:         InvalidSpec: ');
    });
  }

  it('managedRoutes alone is accepted with nginx', () => {
    const sim = cluster({ trafficRouting: nginx, steps: [{ setWeight: 20 }, { pause: {} }] });
    expect(sim.store.get('Rollout', 'default', 'shop')!.status.phase).toBe('Healthy');
  });

  it("nginx header routing is Argo's additionalIngressAnnotations: canary-by-header on the canary Ingress", () => {
    const sim = cluster({
      trafficRouting: { nginx: { stableIngress: 'shop', additionalIngressAnnotations: { 'canary-by-header': 'X-Canary', 'canary-by-header-value': 'yes' } } },
      steps: [{ setCanaryScale: { replicas: 1 } }, { pause: {} }],
    });
    run(sim, 'kubectl argo rollouts set image shop app=shop:v2');
    sim.runFor(40_000);
    const ing = sim.store.get('Ingress', 'default', 'shop-shop-canary')!;
    expect(ing.metadata.annotations).toMatchObject({
      'nginx.ingress.kubernetes.io/canary': 'true',
      'nginx.ingress.kubernetes.io/canary-weight': '0',
      'nginx.ingress.kubernetes.io/canary-by-header': 'X-Canary',
      'nginx.ingress.kubernetes.io/canary-by-header-value': 'yes',
    });
    const net = sim.service<NetworkApi>('network');
    for (let i = 0; i < 5; i++) {
      expect(net.request({ url: 'http://shop.example.com/', headers: { 'X-Canary': 'yes' } }).image).toBe('shop:v2');
      expect(net.request({ url: 'http://shop.example.com/' }).image).toBe('shop:v1');
    }
  });
});
