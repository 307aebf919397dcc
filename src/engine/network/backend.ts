/**
 * backend decides what happens when a connection reaches an endpoint: the node is down (the packets
 * are lost: timeout), the pod is gone, terminating or its container not running (nothing listens:
 * connection refused — a server closes its listener on SIGTERM), a NetworkPolicy drops it (timeout),
 * or the application answers with its image's behaviour (sim.images: errorRate, latencyMs,
 * latencyJitterMs).
 */
import type { Pod } from '../api/types.ts';
import type { ImageBehavior, Sim } from '../sim.ts';
import { getCondition } from '../api/podutil.ts';
import { imageRepository } from '../kubelet/images.ts';

/** DEFAULT_LATENCY_MS is how long an image without latencyMs takes to answer. */
export const DEFAULT_LATENCY_MS = 10;

export const REFUSED = -1;
export const TIMEOUT = -2;

export interface AppBehavior {
  errorRate: number;
  latencyMs: number;
  jitterMs: number;
}

/**
 * servingContainer is the container that listens on port: one whose known program listens there or, for
 * another program, that declares it; else the first that declares no ports (the simulation does not know
 * what its program opens, and containerPort is only informational), and whose program is not one the
 * simulated shell runs. When no container is left, nothing listens (undefined): the connection is refused,
 * as with a Service whose targetPort misses the app's port.
 */
export function servingContainer(pod: Pod | undefined, port: number, sim?: Sim): { name: string; image: string } | undefined {
  if (!pod) return undefined;
  // Sidecars (restartable init containers) run beside the app and listen like it, after it in the search.
  const sidecars = (pod.spec.initContainers ?? []).filter((x) => x.restartPolicy === 'Always');
  const cs = sidecars.length ? [...(pod.spec.containers ?? []), ...sidecars] : (pod.spec.containers ?? []);
  // A container the simulated shell runs (sleep, a loop of echo …) opens no port, declared or not; an
  // nginx whose configuration is mounted listens where it says (the kubelet read it at the start).
  const k = sim?.services.get('kubelet') as { runsNoServer?(pod: Pod, container: string): boolean; listens?(pod: Pod, container: string): readonly number[] | undefined } | undefined;
  const c = cs.find((x) => listensOn(x, port, k?.listens?.(pod, x.name))) ?? cs.find((x) => !x.ports?.length && !knownPorts(x) && !k?.runsNoServer?.(pod, x.name));
  return c ? { name: c.name, image: c.image } : undefined;
}

/**
 * listensOn: an image whose program is known (run unchanged) listens on its own ports (configured: as
 * its mounted configuration says), whatever the container declares (containerPort is only informational: nginx declared on 8080 still listens on 80);
 * for any other, the declared ports are all the simulation has to go by.
 */
function listensOn(c: { image: string; command?: string[]; args?: string[]; ports?: { containerPort?: number }[] }, port: number, configured?: readonly number[]): boolean {
  const known = configured ?? knownPorts(c);
  if (known) return known.includes(port);
  return (c.ports ?? []).some((p) => p.containerPort === port);
}

/** knownPorts: what the container's program listens on, when it is an image's own program run unchanged (IMAGE_PORTS). */
export function knownPorts(c: { image: string; command?: string[]; args?: string[] }): readonly number[] | undefined {
  if (c.command?.length) return undefined;
  const repo = imageRepository(c.image);
  // Arguments replace the image's CMD: for most images another program; for a few, flags to the same one.
  if (c.args?.length && !FLAGS_ONLY.has(repo)) return undefined;
  return IMAGE_PORTS[repo];
}

/** FLAGS_ONLY: images whose ENTRYPOINT is their program, so arguments are its flags (coredns -conf FILE). */
const FLAGS_ONLY = new Set(['registry.k8s.io/coredns/coredns']);

/**
 * IMAGE_PORTS: what official images' own program listens on (their Dockerfiles' EXPOSE and default
 * config). A container that runs it unchanged (no command or args) listens there and nowhere else, so a
 * Service whose targetPort misses it is refused, as with nginx and --target-port=8080.
 */
const IMAGE_PORTS: Readonly<Record<string, readonly number[]>> = {
  'docker.io/library/nginx': [80],
  'docker.io/library/httpd': [80],
  'docker.io/library/redis': [6379],
  'docker.io/library/postgres': [5432],
  'docker.io/library/mysql': [3306, 33060],
  'docker.io/library/mariadb': [3306],
  'docker.io/library/mongo': [27017],
  'docker.io/library/memcached': [11211],
  // DNS, its health and ready plugins (kubeadm's Corefile), and prometheus metrics.
  'registry.k8s.io/coredns/coredns': [53, 8080, 8181, 9153],
};

export function appBehavior(sim: Sim, image: string | undefined): AppBehavior {
  const b: ImageBehavior = (image && sim.images[image]) || {};
  return {
    errorRate: Math.min(1, Math.max(0, b.errorRate ?? 0)),
    latencyMs: Math.max(0, b.latencyMs ?? DEFAULT_LATENCY_MS),
    jitterMs: Math.max(0, b.latencyJitterMs ?? 0),
  };
}

interface KubeletQuery {
  isNodeDown?(name: string): boolean;
  isNodeFailed?(name: string): boolean;
}

/**
 * nodeDown: the kubelet service says the node failed (`kubeplay node fail`), or the Node is missing
 * or not Ready. A failed node keeps its pods "Ready" in the API until the node controller notices
 * (40 s), and requests sent to them meanwhile time out — the window the course demos show.
 */
export function nodeDown(sim: Sim, name: string | undefined): boolean {
  if (!name) return false;
  const k = sim.services.get('kubelet') as KubeletQuery | undefined;
  if (k?.isNodeDown) return k.isNodeDown(name);
  if (k?.isNodeFailed) return k.isNodeFailed(name);
  const node = sim.store.get('Node', undefined, name);
  if (!node) return sim.store.count('Node') > 0;
  const ready = getCondition(node.status?.conditions, 'Ready');
  return ready !== undefined && ready.status !== 'True';
}

/** podListening: the pod exists, is not terminating and its serving container runs. */
export function podListening(pod: Pod | undefined, container: string | undefined): boolean {
  if (!pod || pod.metadata.deletionTimestamp) return false;
  if (pod.status?.phase !== 'Running') return false;
  const statuses = pod.status.containerStatuses;
  if (!statuses || statuses.length === 0) return true;
  const st = statuses.find((c) => c.name === container) ?? statuses[0];
  return !!st.state?.running;
}

/**
 * connectOutcome is the transport result of connecting to an endpoint: 0 (accepted), REFUSED or TIMEOUT.
 */
export function connectOutcome(sim: Sim, pod: Pod | undefined, node: string | undefined, container: string | undefined): number {
  if (nodeDown(sim, node ?? pod?.spec.nodeName)) return TIMEOUT;
  if (container === undefined || !podListening(pod, container)) return REFUSED;
  return 0;
}

/** serve draws the application's answer: [status, latencyMs]. random() is in [0, 1). */
export function serve(b: AppBehavior, random: () => number): [number, number] {
  const status = b.errorRate > 0 && random() < b.errorRate ? 500 : 200;
  let latency = b.latencyMs;
  if (b.jitterMs > 0) latency = Math.max(0, latency + (random() * 2 - 1) * b.jitterMs);
  return [status, latency];
}
