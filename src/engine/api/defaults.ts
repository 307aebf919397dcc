/**
 * Defaulting as the API server's SetDefaults_* functions (pkg/apis/core/v1/defaults.go,
 * pkg/apis/apps/v1/defaults.go) and the admission plugins that fill pods on create
 * (ServiceAccount, Priority, DefaultTolerationSeconds). Defaults mutate the object in place and
 * leave values the user set alone; they tolerate malformed input (validation reports it after).
 */
import { appended } from '../arrays.ts';
import { parseQuantity } from './quantity.ts';
import type { Container, KubeObject, Pod, PodSpec, Probe, Toleration } from './types.ts';
import { defaultHorizontalPodAutoscaler } from '../controllers/podautoscaler/defaults.ts';
import { jobDefaults } from '../controllers/job/index.ts';
import { cronJobDefaults } from '../controllers/cronjob/index.ts';
import { daemonSetDefaults } from '../controllers/daemonset.ts';
import { statefulSetDefaults } from '../controllers/statefulset.ts';

const isObj = (v: unknown): v is Record<string, any> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** DEFAULT_TOLERATION_SECONDS is the DefaultTolerationSeconds admission plugin's 300 s. */
export const DEFAULT_TOLERATION_SECONDS = 300;
export const TAINT_NODE_NOT_READY = 'node.kubernetes.io/not-ready';
export const TAINT_NODE_UNREACHABLE = 'node.kubernetes.io/unreachable';

/**
 * imagePullPolicyFor is SetDefaults_Container: Always for `:latest` or an untagged image
 * (a digest counts as a tag), IfNotPresent otherwise.
 */
export function imagePullPolicyFor(image: string): 'Always' | 'IfNotPresent' {
  if (image.includes('@')) return 'IfNotPresent';
  const lastSlash = image.lastIndexOf('/');
  const tagSep = image.indexOf(':', lastSlash + 1);
  if (tagSep < 0) return 'Always';
  return image.slice(tagSep + 1) === 'latest' ? 'Always' : 'IfNotPresent';
}

/** SetDefaults_Probe: timeout 1 s, period 10 s, success 1, failure 3; httpGet path "/" and scheme HTTP. */
function defaultProbe(p: Probe | undefined): void {
  if (!isObj(p)) return;
  p.timeoutSeconds ??= 1;
  p.periodSeconds ??= 10;
  p.successThreshold ??= 1;
  p.failureThreshold ??= 3;
  if (isObj(p.httpGet)) {
    p.httpGet.path ??= '/';
    p.httpGet.scheme ??= 'HTTP';
  }
}

function defaultContainer(c: Container): void {
  if (!isObj(c)) return;
  if (typeof c.image === 'string' && c.image && !c.imagePullPolicy) c.imagePullPolicy = imagePullPolicyFor(c.image);
  c.terminationMessagePath ??= '/dev/termination-log';
  c.terminationMessagePolicy ??= 'File';
  if (Array.isArray(c.ports)) for (const p of c.ports) if (isObj(p) && !p.protocol) p.protocol = 'TCP';
  if (Array.isArray(c.env)) {
    for (const e of c.env) {
      // SetDefaults_ObjectFieldSelector: fieldRef.apiVersion v1.
      if (isObj(e) && isObj(e.valueFrom?.fieldRef)) e.valueFrom.fieldRef.apiVersion ??= 'v1';
    }
  }
  if (c.resources === undefined) c.resources = {};
  defaultProbe(c.readinessProbe);
  defaultProbe(c.livenessProbe);
  defaultProbe(c.startupProbe);
}

/**
 * defaultRequestsFromLimits is SetDefaults_Pod's part for a Pod only, not a template ("we only want this
 * defaulting semantic to take place on a v1.Pod and not a v1.PodTemplate"): a container's limit with no
 * request is also its request (what makes a Guaranteed pod). The API server applies it to every new pod,
 * a controller's included (preparePodForCreate).
 */
export function defaultRequestsFromLimits(spec: PodSpec): void {
  if (!isObj(spec)) return;
  for (const list of [spec.containers, spec.initContainers]) {
    if (!Array.isArray(list)) continue;
    for (const c of list) {
      const res = isObj(c) ? c.resources : undefined;
      if (!isObj(res) || !isObj(res.limits)) continue;
      res.requests = isObj(res.requests) ? res.requests : {};
      for (const [k, v] of Object.entries(res.limits)) {
        // A malformed limit is reported once, on limits (upstream fails to decode it at all).
        if (res.requests[k] === undefined && parseQuantity(v as string) !== undefined) res.requests[k] = v;
      }
    }
  }
}

/** defaultPodSpec is SetDefaults_PodSpec plus the container defaults (also used for pod templates). */
export function defaultPodSpec(spec: PodSpec): void {
  if (!isObj(spec)) return;
  spec.restartPolicy ??= 'Always';
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.terminationGracePeriodSeconds ??= 30;
  spec.schedulerName ??= 'default-scheduler';
  spec.securityContext ??= {};
  spec.enableServiceLinks ??= true;
  if (Array.isArray(spec.containers)) for (const c of spec.containers) defaultContainer(c);
  if (Array.isArray(spec.initContainers)) for (const c of spec.initContainers) defaultContainer(c);
}

/**
 * admitPod applies what admission adds to a new Pod (not to templates): the ServiceAccount
 * plugin's serviceAccountName "default", the Priority plugin's priority 0 and preemptionPolicy,
 * and DefaultTolerationSeconds' NoExecute tolerations for not-ready and unreachable nodes (300 s),
 * each only when the pod does not already tolerate that taint. Controllers that create pods
 * straight in the store (the ReplicaSet controller) call this too, as their pods pass admission.
 */
export function admitPod(pod: Pod): void {
  const spec = pod.spec;
  if (!isObj(spec)) return;
  // The ServiceAccount plugin leaves a static pod's mirror pod alone (a static pod has no account).
  if (!pod.metadata?.annotations?.['kubernetes.io/config.mirror']) {
    spec.serviceAccountName ??= 'default';
    spec.serviceAccount ??= spec.serviceAccountName;
  }
  spec.priority ??= 0;
  spec.preemptionPolicy ??= 'PreemptLowerPriority';
  if (spec.tolerations !== undefined && !Array.isArray(spec.tolerations)) return;
  let tols: Toleration[] = spec.tolerations ?? [];
  for (const key of [TAINT_NODE_NOT_READY, TAINT_NODE_UNREACHABLE]) {
    const tolerated = tols.some(
      (t: Toleration) => isObj(t) && (t.effect === 'NoExecute' || !t.effect) && (t.operator === 'Exists' ? !t.key || t.key === key : t.key === key),
    );
    // A new array at its length (appended), not a push: the pod keeps it for its whole life.
    if (!tolerated) tols = appended(tols, { key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: DEFAULT_TOLERATION_SECONDS });
  }
  spec.tolerations = tols;
}

function defaultPod(pod: KubeObject): void {
  if (!isObj(pod.spec)) return;
  defaultPodSpec(pod.spec as PodSpec);
  defaultRequestsFromLimits(pod.spec as PodSpec);
  positiveGracePeriod(pod.spec as PodSpec);
}

/**
 * positiveGracePeriod is Convert_v1_Pod_To_core_Pod's (1.27+, #115606): a Pod's negative
 * terminationGracePeriodSeconds is read as 1. Only a Pod's: a template keeps its value, and the API
 * server warns of it (podwarnings.ts); the pods made from it become 1 as they are created.
 */
export function positiveGracePeriod(spec: PodSpec): void {
  if (typeof spec.terminationGracePeriodSeconds === 'number' && spec.terminationGracePeriodSeconds < 0) spec.terminationGracePeriodSeconds = 1;
}

function defaultTemplate(spec: Record<string, any>): void {
  if (isObj(spec.template) && isObj(spec.template.spec)) defaultPodSpec(spec.template.spec as PodSpec);
}

/** SetDefaults_Deployment (apps/v1): replicas 1, RollingUpdate 25%/25%, history 10, deadline 600 s. */
function defaultDeployment(d: KubeObject): void {
  const spec = d.spec;
  if (!isObj(spec)) return;
  spec.replicas ??= 1;
  if (!isObj(spec.strategy)) spec.strategy = {};
  spec.strategy.type ??= 'RollingUpdate';
  if (spec.strategy.type === 'RollingUpdate') {
    if (!isObj(spec.strategy.rollingUpdate)) spec.strategy.rollingUpdate = {};
    spec.strategy.rollingUpdate.maxUnavailable ??= '25%';
    spec.strategy.rollingUpdate.maxSurge ??= '25%';
  }
  spec.revisionHistoryLimit ??= 10;
  spec.progressDeadlineSeconds ??= 600;
  defaultTemplate(spec);
}

/** SetDefaults_ReplicaSet (apps/v1): replicas 1. */
function defaultReplicaSet(rs: KubeObject): void {
  if (!isObj(rs.spec)) return;
  rs.spec.replicas ??= 1;
  defaultTemplate(rs.spec);
}

/**
 * SetDefaults_ReplicationController (core/v1): an empty selector, and empty labels, become the
 * template's labels; replicas 1.
 */
function defaultReplicationController(rc: KubeObject): void {
  if (!isObj(rc.spec)) return;
  const labels = isObj(rc.spec.template) && isObj(rc.spec.template.metadata) && isObj(rc.spec.template.metadata.labels) ? rc.spec.template.metadata.labels : undefined;
  if (labels) {
    if (!isObj(rc.spec.selector) || Object.keys(rc.spec.selector).length === 0) rc.spec.selector = { ...labels };
    if (!isObj(rc.metadata.labels) || Object.keys(rc.metadata.labels).length === 0) rc.metadata.labels = { ...labels };
  }
  rc.spec.replicas ??= 1;
  defaultTemplate(rc.spec);
}

/**
 * SetDefaults_Service: type ClusterIP, sessionAffinity None, protocol TCP, targetPort = port,
 * internalTrafficPolicy Cluster, externalTrafficPolicy Cluster for node-port types; the IP
 * family fields are filled by the API server's REST layer (single-stack IPv4 here).
 */
function defaultService(svc: KubeObject): void {
  const spec = svc.spec;
  if (!isObj(spec)) return;
  spec.type ??= 'ClusterIP';
  spec.sessionAffinity ??= 'None';
  // ClientIP affinity lasts DefaultClientIPServiceAffinitySeconds (3 hours) unless told otherwise.
  if (spec.sessionAffinity === 'ClientIP' && !(isObj(spec.sessionAffinityConfig) && isObj(spec.sessionAffinityConfig.clientIP) && spec.sessionAffinityConfig.clientIP.timeoutSeconds !== undefined)) {
    spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: 10800 } };
  }
  if (Array.isArray(spec.ports)) {
    for (const p of spec.ports) {
      if (!isObj(p)) continue;
      p.protocol ??= 'TCP';
      if (p.targetPort === undefined || p.targetPort === 0 || p.targetPort === '') p.targetPort = p.port;
    }
  }
  if (spec.type !== 'ExternalName') {
    spec.internalTrafficPolicy ??= 'Cluster';
    if (headlessSelectorless(spec)) {
      // initIPFamilyFields' special case: headless and selectorless defaults to dual-stack, and is
      // given both families even on a single-stack cluster (its endpoints are the user's to write).
      spec.ipFamilyPolicy ??= 'RequireDualStack';
      spec.ipFamilies ??= ['IPv4'];
      if (spec.ipFamilyPolicy !== 'SingleStack' && Array.isArray(spec.ipFamilies) && spec.ipFamilies.length === 1) spec.ipFamilies = [spec.ipFamilies[0], spec.ipFamilies[0] === 'IPv6' ? 'IPv4' : 'IPv6'];
    }
    spec.ipFamilies ??= ['IPv4'];
    spec.ipFamilyPolicy ??= 'SingleStack';
  }
  if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') spec.externalTrafficPolicy ??= 'Cluster';
  if (spec.type === 'LoadBalancer') spec.allocateLoadBalancerNodePorts ??= true;
  svc.status ??= { loadBalancer: {} };
}

/** Namespace: spec.finalizers [kubernetes], phase Active, the kubernetes.io/metadata.name label. */
function defaultNamespace(ns: KubeObject): void {
  ns.spec = isObj(ns.spec) ? ns.spec : {};
  ns.spec.finalizers ??= ['kubernetes'];
  ns.status = isObj(ns.status) ? ns.status : {};
  ns.status.phase ??= 'Active';
  if (typeof ns.metadata.name === 'string' && ns.metadata.name) {
    ns.metadata.labels = { ...(isObj(ns.metadata.labels) ? ns.metadata.labels : {}), 'kubernetes.io/metadata.name': ns.metadata.name };
  }
}

/** base64Utf8 encodes a string's UTF-8 bytes as standard base64 (Secret stringData → data). */
export function base64Utf8(s: string): string {
  const bytes = new TextEncoder().encode(s);
  const abc = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out += abc[(n >> 18) & 63] + abc[(n >> 12) & 63];
    out += i + 1 < bytes.length ? abc[(n >> 6) & 63] : '=';
    out += i + 2 < bytes.length ? abc[n & 63] : '=';
  }
  return out;
}

/** Secret: type Opaque; stringData is written into data (base64), winning over data, then dropped. */
function defaultSecret(s: KubeObject): void {
  s.type ??= 'Opaque';
  if (isObj(s.stringData)) {
    s.data = isObj(s.data) ? s.data : {};
    for (const [k, v] of Object.entries(s.stringData)) s.data[k] = base64Utf8(String(v));
    delete s.stringData;
  }
}

/** SetDefaults_NodeStatus: allocatable defaults to capacity. */
function defaultNode(n: KubeObject): void {
  n.spec = isObj(n.spec) ? n.spec : {};
  if (isObj(n.status) && isObj(n.status.capacity) && !n.status.allocatable) n.status.allocatable = { ...n.status.capacity };
}

/**
 * SetDefaults_NetworkPolicy (networking/v1): a port without a protocol is TCP; a policy without
 * policyTypes is an Ingress policy, and an Egress one too when it has egress rules.
 */
function defaultNetworkPolicy(np: KubeObject): void {
  // spec and its podSelector are structs, not pointers: left out, they are empty ones ({}: every pod).
  if (np.spec === undefined || np.spec === null) np.spec = {};
  const spec = np.spec;
  if (!isObj(spec)) return;
  spec.podSelector ??= {};
  for (const rules of [spec.ingress, spec.egress]) {
    if (!Array.isArray(rules)) continue;
    for (const r of rules) if (isObj(r) && Array.isArray(r.ports)) for (const p of r.ports) if (isObj(p)) p.protocol ??= 'TCP';
  }
  if (!Array.isArray(spec.policyTypes) || spec.policyTypes.length === 0) {
    spec.policyTypes = ['Ingress'];
    if (Array.isArray(spec.egress) && spec.egress.length > 0) spec.policyTypes.push('Egress');
  }
}

/**
 * Ingress: a null in a list of rules, paths or TLS entries decodes, as in Go, to an empty entry (which
 * validation then judges: an empty path has no pathType) rather than staying null for every reader.
 */
function defaultIngress(ing: KubeObject): void {
  const spec = ing.spec;
  if (!isObj(spec)) return;
  const filled = (list: unknown[]) => list.map((e) => (e === null || e === undefined ? {} : e));
  if (Array.isArray(spec.rules)) spec.rules = filled(spec.rules);
  if (Array.isArray(spec.tls)) spec.tls = filled(spec.tls);
  for (const r of Array.isArray(spec.rules) ? spec.rules : []) if (isObj(r) && isObj(r.http) && Array.isArray(r.http.paths)) r.http.paths = filled(r.http.paths);
}

/** SetDefaults_Endpoints (core/v1): a port without a protocol (or with "") is TCP. */
function defaultEndpoints(ep: KubeObject): void {
  for (const ss of Array.isArray(ep.subsets) ? ep.subsets : []) {
    if (!isObj(ss) || !Array.isArray(ss.ports)) continue;
    for (const p of ss.ports) if (isObj(p) && (p.protocol === undefined || p.protocol === null || p.protocol === '')) p.protocol = 'TCP';
  }
}

const DEFAULTERS: Record<string, (o: KubeObject) => void> = {
  Ingress: defaultIngress,
  Endpoints: defaultEndpoints,
  Pod: defaultPod,
  Deployment: defaultDeployment,
  ReplicaSet: defaultReplicaSet,
  ReplicationController: defaultReplicationController,
  Service: defaultService,
  Namespace: defaultNamespace,
  Secret: defaultSecret,
  Node: defaultNode,
  // The workload controllers own their kinds' SetDefaults_* (they also apply them on first sync).
  Job: (o) => jobDefaults(o as never),
  // The generated SetObjectDefaults_CronJob defaults the job template's pod spec too (protocol TCP on its ports …).
  CronJob: (o) => {
    cronJobDefaults(o as never);
    const jt = (o.spec as Record<string, any> | undefined)?.jobTemplate;
    if (isObj(jt) && isObj(jt.spec)) defaultTemplate(jt.spec);
  },
  DaemonSet: (o) => daemonSetDefaults(o as never),
  StatefulSet: (o) => statefulSetDefaults(o as never),
  HorizontalPodAutoscaler: defaultHorizontalPodAutoscaler,
  NetworkPolicy: defaultNetworkPolicy,
};

/** setDefaults applies the kind's SetDefaults_* in place (no-op for kinds without defaults). */
export function setDefaults(obj: KubeObject): void {
  DEFAULTERS[obj.kind]?.(obj);
}

/** headlessSelectorless: clusterIP None and no selector (a Service whose endpoints are written by hand). */
export function headlessSelectorless(spec: Record<string, any>): boolean {
  return spec.clusterIP === 'None' && !(isObj(spec.selector) && Object.keys(spec.selector).length > 0);
}
