import type { Sim } from '../sim.ts';
import type { Container, Pod, Service } from '../api/types.ts';
import { EnvError, fromServices, makeEnvironmentVariables, serviceEnvServices, type EnvPair } from '../network/envvars.ts';
import type { PodRun } from './runtime.ts';

/**
 * A container's environment as the kubelet builds it (kubelet_pods.go makeEnvironmentVariables, with
 * getServiceEnvVarMap's service variables), and the caches that keep 10,000 container starts from
 * computing the same service variables again.
 */

/**
 * serviceEnvCache holds the service variables per namespace until any Service changes (a derived
 * cache: 10,000 container starts in one namespace compute them once).
 */
interface ServiceEnvCache {
  state: object;
  map: Map<string, EnvPair[]>;
}

/**
 * SERVICE_ENV_CACHE names the cache in sim.services. Not a WeakMap keyed by the Sim: its value holds
 * sim.state, and V8 traces a WeakMap value (here the whole cluster state) only once the key is
 * marked, in the final main-thread pause of each full GC (hundreds of ms at 10,000 pods).
 */
const SERVICE_ENV_CACHE = 'kubelet/serviceEnvCache';

/** invalidateServiceEnv drops the cached service variables (any Service changed). */
export function invalidateServiceEnv(sim: Sim): void {
  sim.services.delete(SERVICE_ENV_CACHE);
}

function serviceEnv(sim: Sim, pod: Pod): EnvPair[] {
  const ns = pod.metadata.namespace ?? 'default';
  const links = pod.spec.enableServiceLinks ?? true;
  let cache = sim.services.get(SERVICE_ENV_CACHE) as ServiceEnvCache | undefined;
  // A restore replaces sim.state: the cached variables may describe other services.
  if (!cache || cache.state !== sim.state) sim.services.set(SERVICE_ENV_CACHE, (cache = { state: sim.state, map: new Map() }));
  const key = `${links ? 1 : 0}${ns}`;
  let env = cache.map.get(key);
  if (!env) {
    env = fromServices(serviceEnvServices(sim.store.list<Service>('Service'), ns, links));
    cache.map.set(key, env);
  }
  return env;
}

/**
 * serviceOnlyEnv is makeEnvironmentVariables for a container without env or envFrom: only the
 * service variables, the same for every such container of the namespace, so 10,000 replicas
 * share one list (it is read-only: execEnv copies it) until a Service changes.
 */
const serviceOnlyEnvCache = new WeakMap<EnvPair[], EnvPair[]>();

function serviceOnlyEnv(svcEnv: EnvPair[]): EnvPair[] {
  let env = serviceOnlyEnvCache.get(svcEnv);
  if (!env) serviceOnlyEnvCache.set(svcEnv, (env = makeEnvironmentVariables({}, svcEnv)));
  return env;
}

/** containerEnv is generateContainerConfig's environment, or the EnvError that stops the container starting. */
export function containerEnv(sim: Sim, pod: Pod, run: PodRun, spec: Container | undefined): EnvPair[] | EnvError {
  const svcEnv = serviceEnv(sim, pod);
  if (!spec?.env?.length && !spec?.envFrom?.length) return serviceOnlyEnv(svcEnv);
  const ctxPod = { ...pod, status: { ...(pod.status ?? {}), podIP: run.ip } } as Pod;
  try {
    return makeEnvironmentVariables(spec, svcEnv, { store: sim.store, pod: ctxPod });
  } catch (e) {
    if (e instanceof EnvError) return e;
    throw e;
  }
}
