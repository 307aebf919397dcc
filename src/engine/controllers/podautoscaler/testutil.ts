import type { ApiServer } from '../../api/server.ts';
import type { KubeObject } from '../../api/types.ts';
import { createCluster } from '../../cluster.ts';
import type { ImageBehavior, Sim, TrafficSpec } from '../../sim.ts';

/** hpaCluster is createCluster() (which installs the metrics server and the HPA controller) on one big node. */
export function hpaCluster(images: Record<string, ImageBehavior> = {}, traffic?: TrafficSpec[]): Sim {
  const sim = createCluster({ seed: 7, images, traffic, nodes: [{ name: 'node-1', capacity: { cpu: '16', memory: '32Gi', pods: '110' } }] });
  return sim;
}

export function deployment(name: string, replicas: number, image: string, requests?: Record<string, string>): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default' },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name, image, ports: [{ containerPort: 8080 }], ...(requests ? { resources: { requests } } : {}) }] } },
    },
  };
}

export function service(name: string): KubeObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec: { selector: { app: name }, ports: [{ port: 80, targetPort: 8080 }] } };
}

export function hpa(name: string, spec: Record<string, unknown>): KubeObject {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name, namespace: 'default' },
    spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name }, minReplicas: 1, maxReplicas: 10, ...spec },
  };
}

export const cpuTarget = (u: number) => [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: u } } }];

export function apply(sim: Sim, ...objs: KubeObject[]): void {
  const api = sim.service<ApiServer>('api');
  for (const o of objs) api.apply(o);
  sim.settle();
}
