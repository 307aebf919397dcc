/**
 * The ingress-nginx controller's control-plane side: for each Ingress it serves it emits
 * `Normal Sync "Scheduled for sync"` (component nginx-ingress-controller) when the Ingress is created
 * or changed, publishes its own address in status.loadBalancer.ingress, and reports what it cannot
 * serve (resource backends, canaries without a main Ingress) as Warning events.
 */
import type { KubeObject } from '../api/types.ts';
import type { Sim } from '../sim.ts';
import { keyOf } from '../api/store.ts';
import { servedByNginx } from './ingress.ts';
import type { NetworkService } from './service.ts';

export const INGRESS_CONTROLLER = 'ingress-nginx';
/** INGRESS_NGINX_IP is the ingress-nginx controller Service's external address (outside the LB pool's .10–.254). */
export const INGRESS_NGINX_IP = '203.0.113.2';

export function installIngressController(sim: Sim, net: NetworkService): void {
  const seen = () => sim.moduleState<{ ingressGen: Record<string, string> }>('network-ingress', () => ({ ingressGen: {} })).ingressGen;
  sim.addController({
    name: INGRESS_CONTROLLER,
    sync(key) {
      const [ns, name] = key.split('/');
      const ing = sim.store.get<KubeObject>('Ingress', ns, name);
      const gens = seen();
      if (!ing) {
        delete gens[key];
        return;
      }
      if (!servedByNginx(ing, sim.store.list('IngressClass'))) return;
      const stamp = `${ing.metadata.uid}/${ing.metadata.generation ?? 0}/${JSON.stringify(ing.metadata.annotations ?? {})}`;
      if (gens[key] !== stamp) {
        gens[key] = stamp;
        sim.recordEvent(ing, 'Normal', 'Sync', 'Scheduled for sync', 'nginx-ingress-controller');
        for (const p of net.ingressTable().problems) {
          if (p.ingress === ing) sim.recordEvent(ing, 'Warning', p.reason, p.message, 'nginx-ingress-controller');
        }
      }
      const cur = ing.status?.loadBalancer?.ingress?.[0]?.ip;
      if (cur !== INGRESS_NGINX_IP) {
        ing.status = { ...(ing.status ?? {}), loadBalancer: { ingress: [{ ip: INGRESS_NGINX_IP }] } };
        sim.store.update(ing);
      }
    },
  });
  sim.store.watch('Ingress', (type, obj) => {
    sim.enqueue(INGRESS_CONTROLLER, keyOf(obj));
    void type;
  });
}
