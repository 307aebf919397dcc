import type { Container, Node, Pod, Service, ServicePort } from '../api/types.ts';
import { containerResourceValue, withNodeLimits } from '../api/resourcefield.ts';
import type { Store } from '../api/store.ts';

/**
 * Service environment variables, as the kubelet injects them (pkg/kubelet/envvars, and
 * kubelet_pods.go getServiceEnvVarMap / makeEnvironmentVariables).
 */
export type EnvPair = [name: string, value: string];

/** MASTER_SERVICES are the default namespace's services every pod sees, even with enableServiceLinks false. */
const MASTER_SERVICES = new Set(['kubernetes']);

/** isServiceIPSet: a service with a real cluster IP (not "" or "None") gets variables. */
export function isServiceIPSet(svc: Service): boolean {
  const ip = svc.spec?.clusterIP;
  return !!ip && ip !== 'None';
}

function makeEnvName(s: string): string {
  return s.toUpperCase().replace(/-/g, '_');
}

/** makeLinkVariables are the Docker-link style <NAME>_PORT_* variables (envvars.makeLinkVariables). */
function makeLinkVariables(svc: Service, prefix: string): EnvPair[] {
  const ip = svc.spec.clusterIP!;
  const host = ip.includes(':') ? `[${ip}]` : ip; // IPv6 is bracketed in URLs only
  const out: EnvPair[] = [];
  const ports = svc.spec.ports ?? [];
  ports.forEach((sp: ServicePort, i: number) => {
    const protocol = sp.protocol || 'TCP';
    const proto = protocol.toLowerCase();
    const url = `${proto}://${host}:${sp.port}`;
    // The first port also gives <NAME>_PORT.
    if (i === 0) out.push([`${prefix}_PORT`, url]);
    const portPrefix = `${prefix}_PORT_${sp.port}_${protocol.toUpperCase()}`;
    out.push([portPrefix, url], [`${portPrefix}_PROTO`, proto], [`${portPrefix}_PORT`, String(sp.port)], [`${portPrefix}_ADDR`, ip]);
  });
  return out;
}

/**
 * fromServices builds the variables for a list of services in kubelet order: per service
 * <NAME>_SERVICE_HOST, <NAME>_SERVICE_PORT (first port), <NAME>_SERVICE_PORT_<PORTNAME> per named
 * port, then the link variables. Services without a cluster IP are skipped.
 */
export function fromServices(services: Service[]): EnvPair[] {
  const out: EnvPair[] = [];
  for (const svc of services) {
    if (!isServiceIPSet(svc)) continue;
    const name = makeEnvName(svc.metadata.name);
    const ports = svc.spec.ports ?? [];
    out.push([`${name}_SERVICE_HOST`, svc.spec.clusterIP!]);
    if (ports.length > 0) out.push([`${name}_SERVICE_PORT`, String(ports[0].port)]);
    for (const sp of ports) if (sp.name) out.push([`${name}_SERVICE_PORT_${makeEnvName(sp.name)}`, String(sp.port)]);
    if (ports.length > 0) out.push(...makeLinkVariables(svc, name));
  }
  return out;
}

/**
 * serviceEnvServices picks the services whose variables a pod in `ns` gets (getServiceEnvVarMap):
 * the master services of the default namespace always, and every service of the pod's namespace
 * when enableServiceLinks (default true); a same-named service in the pod's namespace wins.
 * Order: the namespace's services in creation order, then the master services.
 */
export function serviceEnvServices(all: Service[], ns: string, enableServiceLinks: boolean): Service[] {
  const byName = new Map<string, Service>();
  const master = new Map<string, Service>();
  for (const svc of all) {
    if (!isServiceIPSet(svc)) continue;
    const n = svc.metadata.name;
    if (svc.metadata.namespace === 'default' && MASTER_SERVICES.has(n)) {
      if (!master.has(n)) master.set(n, svc);
    } else if (svc.metadata.namespace === ns && enableServiceLinks) {
      byName.set(n, svc);
    }
  }
  // A pod in the default namespace lists the master service once.
  for (const n of byName.keys()) master.delete(n);
  return [...byName.values(), ...master.values()];
}

/** EnvSources resolve valueFrom references (configMapKeyRef, secretKeyRef, fieldRef). */
export interface EnvContext {
  store?: Store;
  pod?: Pod;
}

/**
 * EnvError is why a container's environment cannot be made (a ConfigMap, Secret or key it needs is
 * missing): the kubelet does not start the container (CreateContainerConfigError) and tries again.
 */
export class EnvError extends Error {}

/** notFound is the kubelet's error for a ConfigMap or Secret that is not there (the singular resource). */
const notFound = (kind: 'ConfigMap' | 'Secret', name: string | undefined): EnvError => new EnvError(`${kind.toLowerCase()} "${name ?? ''}" not found`);

/** SKIP: an optional reference to something missing sets no variable at all. */
const SKIP = Symbol('skip');

/** keyRef reads a configMapKeyRef or secretKeyRef as the kubelet does: missing and required is an EnvError. */
function keyRef(ctx: EnvContext, kind: 'ConfigMap' | 'Secret', ref: { name?: string; key?: string; optional?: boolean }): string | typeof SKIP {
  const ns = ctx.pod?.metadata.namespace ?? 'default';
  const obj = ref.name ? ctx.store!.get(kind, ns, ref.name) : undefined;
  const key = String(ref.key ?? '');
  if (!obj) {
    if (ref.optional) return SKIP;
    throw notFound(kind, ref.name);
  }
  if (kind === 'ConfigMap') {
    const v = obj.data?.[key] ?? (obj.binaryData?.[key] !== undefined ? safeAtob(obj.binaryData[key]) : undefined);
    if (v !== undefined) return v;
  } else {
    if (obj.stringData?.[key] !== undefined) return obj.stringData[key];
    if (obj.data?.[key] !== undefined) return safeAtob(obj.data[key]);
  }
  if (ref.optional) return SKIP;
  throw new EnvError(`couldn't find key ${key} in ${kind} ${ns}/${ref.name}`);
}

/** expand replaces $(VAR) with earlier variables, keeps $$(VAR) as $(VAR), as kubelet's expansion package. */
export function expand(input: string, lookup: (name: string) => string | undefined): string {
  let out = '';
  for (let i = 0; i < input.length; i++) {
    const ch = input[i];
    if (ch !== '$' || i + 1 >= input.length) {
      out += ch;
      continue;
    }
    const nx = input[i + 1];
    if (nx === '$') {
      out += '$';
      i++;
    } else if (nx === '(') {
      const close = input.indexOf(')', i + 2);
      if (close < 0) {
        out += input.slice(i);
        break;
      }
      const name = input.slice(i + 2, close);
      const v = lookup(name);
      out += v === undefined ? `$(${name})` : v;
      i = close;
    } else {
      out += ch;
    }
  }
  return out;
}

function resolveValueFrom(vf: any, ctx: EnvContext, resources: Container['resources']): string | undefined | typeof SKIP {
  const { store, pod } = ctx;
  const ns = pod?.metadata.namespace ?? 'default';
  if (vf?.resourceFieldRef?.resource) {
    // A limit the container leaves unset is the node's allocatable (defaultPodLimitsForDownwardAPI).
    const node = pod?.spec.nodeName && store ? store.get<Node>('Node', undefined, pod.spec.nodeName) : undefined;
    return containerResourceValue(withNodeLimits(resources, node?.status?.allocatable), vf.resourceFieldRef.resource, vf.resourceFieldRef.divisor);
  }
  if (vf?.fieldRef?.fieldPath && pod) {
    const p: string = vf.fieldRef.fieldPath;
    const ann = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(p);
    if (ann) return (pod.metadata[ann[1]] as Record<string, string> | undefined)?.[ann[2]] ?? '';
    switch (p) {
      case 'metadata.name': return pod.metadata.name;
      case 'metadata.namespace': return ns;
      case 'metadata.uid': return pod.metadata.uid ?? '';
      case 'spec.nodeName': return pod.spec.nodeName ?? '';
      case 'spec.serviceAccountName': return pod.spec.serviceAccountName ?? 'default';
      case 'status.podIP': return pod.status?.podIP ?? '';
      case 'status.hostIP': return pod.status?.hostIP ?? '';
      default: return undefined;
    }
  }
  if (vf?.configMapKeyRef && store) return keyRef(ctx, 'ConfigMap', vf.configMapKeyRef);
  if (vf?.secretKeyRef && store) return keyRef(ctx, 'Secret', vf.secretKeyRef);
  return undefined;
}

/**
 * makeEnvironmentVariables is the container's environment (kubelet order): the container's own
 * env in declaration order (values expanded against earlier entries and the service variables),
 * then the service variables it did not override. Throws EnvError, with the kubelet's message, for a
 * ConfigMap, Secret or key the container needs and that is not there (unless marked optional).
 */
export function makeEnvironmentVariables(container: Pick<Container, 'env' | 'envFrom' | 'resources'>, serviceEnv: EnvPair[], ctx: EnvContext = {}): EnvPair[] {
  const svcMap = new Map(serviceEnv);
  const result = new Map<string, string>();
  const order: string[] = [];
  const put = (n: string, v: string) => {
    if (!result.has(n)) order.push(n);
    result.set(n, v);
  };
  const ns = ctx.pod?.metadata.namespace ?? 'default';
  for (const ef of container.envFrom ?? []) {
    const ref = ef?.configMapRef ?? ef?.secretRef;
    if (!ref || !ctx.store) continue;
    const kind = ef.configMapRef ? 'ConfigMap' : 'Secret';
    const obj = ctx.store.get(kind, ns, ref.name);
    if (!obj && !ref.optional) throw notFound(kind, ref.name);
    for (const [k, v] of Object.entries((obj?.data ?? {}) as Record<string, string>)) {
      put(`${ef.prefix ?? ''}${k}`, ef.secretRef ? safeAtob(v) : v);
    }
  }
  const lookup = (n: string) => result.get(n) ?? svcMap.get(n);
  for (const e of container.env ?? []) {
    if (e.value !== undefined) put(e.name, expand(e.value, lookup));
    else if (e.valueFrom) {
      const v = resolveValueFrom(e.valueFrom, ctx, container.resources);
      if (v !== SKIP) put(e.name, v ?? '');
    }
    else put(e.name, '');
  }
  const out: EnvPair[] = order.map((n) => [n, result.get(n)!]);
  for (const [n, v] of serviceEnv) if (!result.has(n)) out.push([n, v]);
  return out;
}

function safeAtob(v: string): string {
  try {
    return atob(v);
  } catch {
    return v;
  }
}
