/**
 * testutil.ts: a Sim with only the kubelets, node lifecycle and endpoint controllers (the pod
 * indexes set up here as the API server would), and a pod builder. Used only by *.test.ts.
 */
import { Sim, type ImageBehavior } from '../sim.ts';
import type { Container, Pod, Service } from '../api/types.ts';
import { installKubelets, addNode, type NodeSpec } from './index.ts';
import { installEndpointsControllers } from '../controllers/endpoints.ts';

export function kubeletSim(images: Record<string, ImageBehavior> = {}, nodes: NodeSpec[] = [{ name: 'node-1' }]): Sim {
  const sim = new Sim({ seed: 42, images });
  sim.store.addIndex('Pod', 'node', (o) => (o.spec?.nodeName ? [o.spec.nodeName] : []));
  installKubelets(sim);
  installEndpointsControllers(sim);
  for (const n of nodes) addNode(sim, n);
  sim.settle();
  return sim;
}

export const DEFAULT_TOLERATIONS = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists' as const, effect: 'NoExecute' as const, tolerationSeconds: 300 },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists' as const, effect: 'NoExecute' as const, tolerationSeconds: 300 },
];

/** runPod creates a pod already bound to a node (as if scheduled), with the API server's defaults. */
export function runPod(sim: Sim, name: string, containers: Partial<Container>[], extra: Partial<Pod['spec']> & { labels?: Record<string, string>; node?: string } = {}): Pod {
  const { labels, node, ...spec } = extra;
  const pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', labels: labels ?? { app: name } },
    spec: {
      containers: containers.map((c, i) => ({ name: c.name ?? (i === 0 ? 'web' : `c${i}`), image: c.image ?? 'nginx:1.25', ...c }) as Container),
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 30,
      tolerations: DEFAULT_TOLERATIONS,
      nodeName: node ?? 'node-1',
      ...spec,
    },
    status: { phase: 'Pending' },
  };
  sim.store.create(pod);
  sim.settle();
  return pod;
}

export function makeService(sim: Sim, name: string, selector: Record<string, string> | undefined, ports: Service['spec']['ports'], clusterIP = '10.96.0.10'): Service {
  const svc: Service = { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec: { selector, ports, clusterIP, type: 'ClusterIP' } };
  sim.store.create(svc);
  sim.settle();
  return svc;
}

/** timeline records (t seconds, summary) each time a pod's status changes. */
export function watchPod(sim: Sim, name: string): string[] {
  const out: string[] = [];
  sim.store.watch('Pod', (type, obj) => {
    if (obj.metadata.name !== name) return;
    const p = obj as Pod;
    const cs = (p.status.containerStatuses ?? []).map((c) => `${c.name}:${Object.keys(c.state)[0]}${c.state.waiting?.reason ? '/' + c.state.waiting.reason : c.state.terminated ? '/' + c.state.terminated.reason : ''}${c.ready ? '+ready' : ''}#${c.restartCount}`);
    out.push(`${sim.clock.seconds()} ${type} ${p.status.phase} ${cs.join(',')}`);
  });
  return out;
}

export function eventsOf(sim: Sim, name: string): string[] {
  return sim.store.list('Event').filter((e: any) => e.involvedObject.name === name).map((e: any) => `${e.reason}: ${e.message}${e.count > 1 ? ` (x${e.count})` : ''}`);
}
