/** testutil.ts: manifests and a cluster for the Rollout tests (used only by *.test.ts). */
import { createCluster } from '../../cluster.ts';
import type { Sim } from '../../sim.ts';
import type { ApiServer } from '../../api/server.ts';
import type { KubeObject } from '../../api/types.ts';
import { runCommand } from '../../kubectl/index.ts';
import { tokenize } from '../../kubectl/tokenize.ts';
import { runArgoRolloutsCommand } from './commands.ts';

export function rolloutCluster(images: Record<string, any> = {}): Sim {
  return createCluster({ seed: 3, images, nodes: [{ name: 'worker-1', capacity: { cpu: '8', memory: '16Gi', pods: '110' } } as any] });
}

export const api = (sim: Sim) => sim.service<ApiServer>('api');

export function service(name: string, app: string): KubeObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec: { selector: { app }, ports: [{ port: 80, targetPort: 8080 }] } };
}

export function rollout(name: string, replicas: number, strategy: any, image = 'shop:v1'): KubeObject {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name, namespace: 'default' },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image, ports: [{ containerPort: 8080 }] }] } },
      strategy,
    },
  };
}

/** setImage changes the Rollout's image through the API server (as `kubectl argo rollouts set image`). */
export function setImage(sim: Sim, name: string, image: string): void {
  const ro = api(sim).get('Rollout', 'default', name);
  ro.spec.template.spec.containers[0].image = image;
  api(sim).update(ro);
}

export const live = (sim: Sim, name: string) => sim.store.get('Rollout', 'default', name)!;

/** run runs one terminal line; `kubectl argo rollouts …` goes straight to the plugin (until kubectl routes it). */
export function run(sim: Sim, line: string): { exit: number; out: string } {
  const prefix = 'kubectl argo rollouts';
  if (line.startsWith(prefix)) {
    const words = tokenize(line.slice(prefix.length));
    if (!Array.isArray(words)) return { exit: 1, out: words.error };
    return runArgoRolloutsCommand(sim, words);
  }
  return runCommand(sim, line);
}
