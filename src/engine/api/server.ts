/**
 * The API server: the one door for user-facing writes (kubectl, scenarios, the UI). It checks
 * kind and apiVersion against discovery (kinds.ts), applies defaults and admission
 * (defaults.ts), validates (validation.ts), allocates Service ClusterIPs and NodePorts
 * (ipallocator.ts), and implements graceful and cascading deletion; the garbage collector
 * (controllers/gc.ts) finishes cascades in the background. Controllers may still write the store
 * directly (README rule 2).
 *
 * The ApiServer instance keeps no state of its own: allocations live in sim.moduleState('api'),
 * everything else in the store, so snapshots capture it all.
 */
import type { Sim } from '../sim.ts';
import { isoTime } from '../clock.ts';
import { dependentsOf, FOREGROUND_FINALIZER, indexedKinds, installGarbageCollector, OWNER_INDEX } from '../controllers/gc.ts';
import { canonicalJson, LAST_APPLIED, lastAppliedFor, parseLastApplied, threeWayMerge } from './apply.ts';
import { admitPod, defaultRequestsFromLimits, positiveGracePeriod, setDefaults } from './defaults.ts';
import { podQOSClass } from './qos.ts';
import { runMutatingAdmission, runValidatingAdmission } from '../admission/index.ts';
import { checkPriorityClassDelete } from '../admission/priority.ts';
import { ApiError, GoValue, invalid, notFound, type FieldError } from './errors.ts';
import { go } from './gofmt.ts';
import { allocateClusterIP, allocateNodePort, allocatorState, KUBERNETES_SERVICE_IP, releaseService } from './ipallocator.ts';
import { apiVersionOf, KINDS, kindInfo, resolveApiVersion, resolveResource, resourceName, type KindInfo } from './kinds.ts';
import { controllerRef } from './podutil.ts';
import { keyOf, NO_VALUES, tracksGeneration } from './store.ts';
import { bootstrapUid } from '../rng.ts';
import { appArmorSkewWarnings, warningsOnCreate, warningsOnUpdate } from './podwarnings.ts';
import type { Condition, KubeObject, Pod, Service } from './types.ts';
import { immutable } from './validation.ts';
import { validateObject, validateWorkloadUpdate } from './validate.ts';
import { parseQuantity } from './quantity.ts';
import { DS_TEMPLATE_GENERATION } from '../controllers/daemonset.ts';
import { isQualifiedName } from './names.ts';
import { ROOT_CA_CONFIGMAP, ROOT_CA_CRT } from '../admission/serviceaccount.ts';

/** FIELD_VALIDATION names the service that decodes strictly (strict.ts: strictDecode, unknownFields). */
export const FIELD_VALIDATION = 'fieldValidation';

/** FieldValidation is strict.ts's interface, as the API server calls it. */
export interface FieldValidation {
  /** typeDecode refuses a value of the wrong JSON type for its field, whatever the validation level (decoding fails). */
  typeDecode(obj: KubeObject, version: string): void;
  strictDecode(obj: KubeObject, version: string): void;
  dropUnknownFields(obj: KubeObject): string[];
}

export interface CreateOptions {
  /** dryRun validates and defaults without storing (kubectl --dry-run=server). */
  dryRun?: boolean;
  /**
   * fieldValidation 'Strict' refuses fields the kind does not have (strict.ts), as kubectl asks by
   * default; 'Warn' (the server's default for a request that does not say, e.g. kubectl patch) and
   * 'Ignore' drop them, 'Warn' with a warning each. Controllers' own writes leave it unset (their
   * objects are well-formed).
   */
  fieldValidation?: 'Strict' | 'Warn' | 'Ignore';
  /**
   * warn receives the server's warnings, in the order kubectl prints them: each unknown field dropped
   * (fieldValidation 'Warn'), then a Pod's or a workload's pod template's (podwarnings.ts). Only a
   * client's request passes one: without it the server computes no pod warnings at all, so
   * controllers' writes cost nothing for them.
   */
  warn?: (message: string) => void;
}

export interface UpdateOptions extends CreateOptions {
  /**
   * specChanged overrides spec-change detection. Only needed when the caller mutated the live
   * object itself (then the old spec is gone and update() assumes it changed).
   */
  specChanged?: boolean;
}

export interface DeleteOptions {
  /** propagationPolicy; kubectl's default is background. */
  cascade?: 'background' | 'foreground' | 'orphan';
  /** overrides the pod's terminationGracePeriodSeconds; 0 removes at once (kubectl --force --grace-period=0). */
  gracePeriodSeconds?: number;
  dryRun?: boolean;
}

export interface ApplyOptions extends CreateOptions {
  /**
   * annotate false leaves the last-applied annotation as it is (kubectl diff's merged object:
   * GetModifiedConfiguration with annotate false), and kubectl apply's note on a live object without
   * it is not printed (applyOneObject prints it, the patcher does not).
   */
  annotate?: boolean;
}

export type ApplyResultKind = 'created' | 'configured' | 'unchanged';

export interface ApplyResult {
  obj: KubeObject;
  result: ApplyResultKind;
  /**
   * warning, without kubectl's leading "Warning: " (a second one is joined as "\nWarning: …"): kinds Kubeplay stores but does not
   * simulate yet (notSimulatedWarning), and kubectl's note when the live object lacks the
   * last-applied annotation (it was made with kubectl create). When the request has a warn, these go
   * through it instead (the missing annotation first, as kubectl prints it before it sends the patch;
   * Kubeplay's own note last) and this is unset.
   */
  warning?: string;
}

/** The address the simulated apiserver listens on (a minikube-style node IP; kubeadm's secure port). */
export const APISERVER_ADDRESS = '192.168.49.2';
export const APISERVER_PORT = 6443;

/** BUILTIN_NAMESPACES are created at install; IMMORTAL_NAMESPACES may not be deleted (NamespaceLifecycle admission). */
export const BUILTIN_NAMESPACES = ['default', 'kube-node-lease', 'kube-public', 'kube-system'];
const IMMORTAL_NAMESPACES = new Set(['default', 'kube-system', 'kube-public']);

/** Kinds whose status is a subresource: a main-resource update or apply keeps the live status. */
const STATUS_SUBRESOURCE = new Set(['Pod', 'Deployment', 'ReplicaSet', 'ReplicationController', 'Service', 'Namespace', 'Node', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'HorizontalPodAutoscaler', 'Ingress', 'PersistentVolumeClaim', 'PersistentVolume', 'PodDisruptionBudget', 'Rollout', 'AnalysisRun', 'Experiment']);

/** Metadata only the server sets; ignored when a manifest carries them (e.g. one saved with -o yaml). */
const SERVER_METADATA = ['uid', 'resourceVersion', 'creationTimestamp', 'generation', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'managedFields', 'selfLink'];

const isObj = (v: unknown): v is Record<string, any> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * notSimulatedWarning is the warning for kinds that are stored as data but have no controller yet
 * (kinds.ts `simulated: false`), e.g. a StatefulSet; undefined for simulated kinds.
 */
export function notSimulatedWarning(kind: string, obj?: KubeObject): string | undefined {
  const info = kindInfo(kind);
  if (info?.kind === 'Rollout' && obj) return unsupportedRolloutStep(obj);
  if (!info || info.simulated) return undefined;
  return `${info.kind} (${apiVersionOf(info)}) is stored but not simulated by Kubeplay yet: no controller acts on it`;
}

/** unsupportedRolloutStep warns of a canary step Kubeplay's Argo Rollouts controller does not run (it marks the Rollout InvalidSpec). */
function unsupportedRolloutStep(obj: KubeObject): string | undefined {
  const steps = obj.spec?.strategy?.canary?.steps;
  if (!Array.isArray(steps)) return undefined;
  const i = steps.findIndex((st) => isObj(st) && (st.experiment || st.plugin));
  if (i < 0) return undefined;
  const what = steps[i].experiment ? 'experiment' : 'plugin';
  return `Rollout "${obj.metadata.name}": spec.strategy.canary.steps[${i}].${what} is not supported by Kubeplay${what === 'experiment' ? ' yet' : ''}: the rollout will stop with InvalidSpec`;
}

/** missingLastApplied is kubectl apply's warning for an object made imperatively (kubectl create without --save-config). */
function missingLastApplied(info: KindInfo, live: KubeObject): string {
  return `resource ${info.plural}/${live.metadata.name} is missing the ${LAST_APPLIED} annotation which is required by kubectl apply. kubectl apply should only be used on resources created declaratively by either kubectl create --save-config or kubectl apply. The missing annotation will be patched automatically.`;
}

/** preparePodForCreate is what the API server does to every new Pod: admission, then status Pending with its QoS class. */
export function preparePodForCreate(pod: Pod): void {
  defaultRequestsFromLimits(pod.spec);
  // A controller's pod comes from its template as it is, so the read of a negative grace period happens here too.
  if (isObj(pod.spec)) positiveGracePeriod(pod.spec);
  admitPod(pod);
  pod.status = { phase: 'Pending', qosClass: podQOSClass(pod.spec) };
  // applySchedulingGatedCondition: a pod created with scheduling gates says so in its PodScheduled condition.
  if (Array.isArray(pod.spec?.schedulingGates) && pod.spec.schedulingGates.length > 0) {
    // Upstream sets no transition time here (both times print as null).
    const gated = { type: 'PodScheduled', status: 'False', lastProbeTime: null, lastTransitionTime: null, reason: 'SchedulingGated', message: 'Scheduling is blocked due to non-empty scheduling gates' };
    pod.status.conditions = [gated as unknown as Condition];
  }
}

export class ApiServer {
  constructor(readonly sim: Sim) {}

  // ---- reads ----

  /** get returns a deep copy of an object (safe to modify and pass to update()); throws NotFound as kubectl words it. */
  get<T extends KubeObject = KubeObject>(kind: string, namespace: string | undefined, name: string): T {
    return structuredClone(this.live<T>(kind, namespace, name));
  }

  /** list returns the live objects of a kind in creation order (read-only), optionally in one namespace. */
  list<T extends KubeObject = KubeObject>(kind: string, namespace?: string): T[] {
    return this.sim.store.list<T>(this.kindOf(kind).kind, namespace);
  }

  private live<T extends KubeObject>(kind: string, namespace: string | undefined, name: string): T {
    const info = this.kindOf(kind);
    const ns = info.namespaced ? namespace || 'default' : undefined;
    const obj = this.sim.store.get<T>(info.kind, ns, name);
    if (!obj) throw notFound(resourceName(info), name);
    return obj;
  }

  /** kindOf resolves a kind name ("Deployment") or a kubectl resource ("deploy", "deployments.apps"). */
  private kindOf(kind: string): KindInfo {
    const info = kindInfo(kind) ?? resolveResource(kind);
    if (!info) throw new ApiError('NotFound', `the server doesn't have a resource type "${kind}"`);
    return info;
  }

  // ---- create ----

  /**
   * create defaults, validates and stores a new object (see README "API machinery"). The input is
   * copied first, so a caller's manifest object never becomes the live object; use the result.
   */
  create<T extends KubeObject>(input: T, opts: CreateOptions = {}): T {
    const obj = isObj(input) ? structuredClone(input) : input;
    const info = this.admit(obj);
    this.decode(obj, opts);
    this.checkNamespace(info, obj);
    this.prepareForCreate(obj);
    // Admission hook (admission/index.ts), in kube-apiserver's order: mutating LimitRanger before
    // validation; validating LimitRanger and ResourceQuota after it (quota last: it charges status.used).
    runMutatingAdmission(this.sim, obj);
    // A client's warnings (podwarnings.ts): a Pod's AppArmor annotations from the strategy's
    // PrepareForCreate, before validation; WarningsOnCreate after it, before validating admission.
    if (opts.warn && obj.kind === 'Pod') for (const w of appArmorSkewWarnings(obj)) opts.warn(w);
    this.validate(info, obj);
    if (opts.warn) for (const w of warningsOnCreate(obj)) opts.warn(w);
    runValidatingAdmission(this.sim, obj, !!opts.dryRun);
    if (obj.kind === 'Service') this.allocate(obj as unknown as Service, undefined, !!opts.dryRun);
    if (opts.dryRun) {
      // BeforeCreate's system fields are set before the dry-run storage skips the write (no
      // resourceVersion). The uid is one nothing keeps: made from the object and the time, not drawn
      // from the cluster's seeded stream (a dry run must not move the uids of objects made later).
      obj.metadata.uid = bootstrapUid(obj.kind, `${obj.metadata.namespace ?? ''}/${obj.metadata.name}@${this.sim.now()}`);
      obj.metadata.creationTimestamp = this.sim.nowIso();
      if (tracksGeneration(obj)) obj.metadata.generation = 1;
      return obj;
    }
    const created = this.sim.store.create(obj);
    if (created.kind === 'Namespace') populateNamespace(this.sim, created.metadata.name);
    return created;
  }

  /**
   * decode applies the request's field validation (strict.ts, installed by createCluster as the
   * FIELD_VALIDATION service, so the page, which uses API helpers but no cluster, does not carry the
   * schemas): Strict refuses unknown fields, Warn drops them with a warning each, Ignore drops them.
   */
  private decode(obj: KubeObject, opts: CreateOptions): void {
    if (!opts.fieldValidation) return;
    const v = this.sim.services.get(FIELD_VALIDATION) as FieldValidation | undefined;
    if (!v) return;
    v.typeDecode(obj, obj.apiVersion.slice(obj.apiVersion.lastIndexOf('/') + 1));
    if (opts.fieldValidation === 'Strict') v.strictDecode(obj, obj.apiVersion.slice(obj.apiVersion.lastIndexOf('/') + 1));
    else {
      const dropped = v.dropUnknownFields(obj);
      if (opts.fieldValidation === 'Warn') for (const f of dropped) opts.warn?.(`unknown field "${f}"`);
    }
  }

  /**
   * admit checks the envelope (apiVersion, kind, metadata), resolves the kind and normalizes the
   * namespace: namespaced objects default to "default", cluster-scoped ones lose theirs.
   */
  private admit(obj: KubeObject): KindInfo {
    if (!isObj(obj)) throw new ApiError('BadRequest', 'the object is not a Kubernetes object (expected a map)');
    if (typeof obj.kind !== 'string' || !obj.kind) throw new ApiError('BadRequest', "Object 'Kind' is missing in the manifest");
    if (typeof obj.apiVersion !== 'string' || !obj.apiVersion) throw new ApiError('BadRequest', "Object 'apiVersion' is missing in the manifest");
    const r = resolveApiVersion(obj.apiVersion, obj.kind);
    if ('error' in r) throw new ApiError('BadRequest', r.error);
    if (obj.metadata === undefined || obj.metadata === null) obj.metadata = { name: '' };
    if (!isObj(obj.metadata)) throw invalid(obj.kind, '', [{ field: 'metadata', type: 'Invalid value', value: obj.metadata, detail: 'must be an object' }]);
    if (r.info.namespaced) obj.metadata.namespace ||= 'default';
    else delete obj.metadata.namespace;
    return r.info;
  }

  /** checkNamespace is the NamespaceLifecycle admission: the namespace must exist and not be terminating. */
  private checkNamespace(info: KindInfo, obj: KubeObject): void {
    if (!info.namespaced) return;
    const nsName = obj.metadata.namespace!;
    if (typeof nsName !== 'string') return; // validation reports it
    const ns = this.sim.store.get('Namespace', undefined, nsName);
    if (!ns) throw notFound('namespaces', nsName);
    if (ns.metadata.deletionTimestamp) {
      throw new ApiError('Forbidden', `${resourceName(info)} "${obj.metadata.name || obj.metadata.generateName || ''}" is forbidden: unable to create new content in namespace ${nsName} because it is being terminated`);
    }
  }

  private prepareForCreate(obj: KubeObject): void {
    for (const f of SERVER_METADATA) delete obj.metadata[f];
    setDefaults(obj);
    switch (obj.kind) {
      case 'Pod':
        if (isObj(obj.spec)) preparePodForCreate(obj as Pod);
        break;
      case 'Deployment':
        obj.status = {};
        break;
      case 'ReplicaSet':
        obj.status = { replicas: 0 };
        break;
      case 'Service':
        obj.status = { loadBalancer: {} };
        break;
      case 'Namespace':
        obj.status = { phase: 'Active' };
        break;
      case 'DaemonSet':
        // PrepareForCreate: spec.templateGeneration 1, which apps/v1 carries as this annotation.
        obj.metadata.annotations = { ...(obj.metadata.annotations ?? {}), [DS_TEMPLATE_GENERATION]: '1' };
        break;
    }
  }

  private validate(info: KindInfo, obj: KubeObject, extra: FieldError[] = []): void {
    const errs = [...validateObject(obj, info.namespaced), ...extra];
    if (errs.length) throw invalid(info.kind, String(obj.metadata.name ?? ''), errs);
  }

  // ---- Service allocation ----

  /**
   * allocate assigns the Service's ClusterIP and NodePorts (keeping what `old` had, as
   * patchAllocatedValues does on update), releases what it no longer holds, and throws the
   * allocator's field errors (all-or-nothing).
   */
  private allocate(svc: Service, old: Service | undefined, dryRun: boolean): void {
    const owner = keyOf(svc);
    const st = allocatorState(this.sim);
    const saved = { ips: { ...st.ips }, nodePorts: { ...st.nodePorts }, ipSeq: st.ipSeq, portSeq: st.portSeq };
    const errs: FieldError[] = [];
    const spec = svc.spec;
    const keepIps: string[] = [];
    const keepPorts: number[] = [];
    if (spec.type === 'ExternalName') {
      delete spec.clusterIP;
      delete spec.clusterIPs;
    } else if (spec.clusterIP === 'None') {
      spec.clusterIPs = ['None'];
    } else {
      const r = allocateClusterIP(this.sim, owner, spec.clusterIP || undefined, dryRun);
      errs.push(...r.errors);
      if (r.ip) {
        spec.clusterIP = r.ip;
        spec.clusterIPs = [r.ip];
        keepIps.push(r.ip);
      }
    }
    const needsNodePorts = spec.type === 'NodePort' || (spec.type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts !== false);
    (spec.ports ?? []).forEach((p, i) => {
      if (!needsNodePorts) {
        // dropTypeDependentFields: a service that no longer needs node ports loses them.
        if (old && spec.type !== 'LoadBalancer') delete p.nodePort;
        return;
      }
      const prev = old?.spec.ports?.find((o) => o.port === p.port && (o.protocol ?? 'TCP') === (p.protocol ?? 'TCP'))?.nodePort;
      const r = allocateNodePort(this.sim, owner, p.nodePort || prev || undefined, `spec.ports[${i}].nodePort`, dryRun);
      errs.push(...r.errors);
      if (r.port) {
        p.nodePort = r.port;
        keepPorts.push(r.port);
      }
    });
    // A LoadBalancer keeping traffic on its nodes (externalTrafficPolicy Local) gets a health-check node port,
    // which the cloud's balancer probes to find the nodes with endpoints (allocHealthCheckNodePort).
    if (spec.type === 'LoadBalancer' && spec.externalTrafficPolicy === 'Local') {
      const r = allocateNodePort(this.sim, owner, spec.healthCheckNodePort || old?.spec.healthCheckNodePort || undefined, 'spec.healthCheckNodePort', dryRun);
      errs.push(...r.errors);
      if (r.port) {
        spec.healthCheckNodePort = r.port;
        keepPorts.push(r.port);
      }
    } else if (spec.healthCheckNodePort !== undefined) delete spec.healthCheckNodePort;
    if (errs.length || dryRun) {
      Object.assign(st, saved);
      if (errs.length) throw invalid('Service', svc.metadata.name, errs);
      return;
    }
    if (old) releaseService(this.sim, owner, { ips: keepIps, ports: keepPorts });
  }

  // ---- update ----

  /** hasStatusSubresource: the kind serves /status (its status is written there, not by an update). */
  hasStatusSubresource(kind: string): boolean {
    return STATUS_SUBRESOURCE.has(kind);
  }

  /**
   * updateStatus is a write to the status subresource (the status strategy's PrepareForUpdate): only
   * obj.status is taken, spec and metadata stay as stored. A Pod's condition types must be qualified
   * names (validatePodConditions).
   */
  updateStatus<T extends KubeObject>(obj: T, opts: UpdateOptions = {}): T {
    const info = this.admit(obj);
    const live = this.live<T>(info.kind, obj.metadata.namespace, obj.metadata.name);
    const errs: FieldError[] = [];
    if (info.kind === 'Pod') {
      const conds = (obj.status as { conditions?: unknown })?.conditions;
      (Array.isArray(conds) ? conds : []).forEach((c: { type?: unknown }, i: number) => {
        const type = typeof c?.type === 'string' ? c.type : '';
        for (const msg of isQualifiedName(type)) errs.push({ field: `status.conditions[${i}].type`, type: 'Invalid value', value: type, detail: msg });
      });
    }
    if (errs.length) throw invalid(info.kind, live.metadata.name, errs);
    const status = structuredClone(obj.status);
    if (canonicalJson(status) === canonicalJson(live.status)) return live;
    if (opts.dryRun) return { ...structuredClone(live), status };
    live.status = status;
    return this.sim.store.update(live);
  }

  /**
   * update replaces an object with a full new version (kubectl scale, set image, label, rollout
   * pause …): server metadata and status carry over, defaults and validation run again, immutable
   * fields are enforced, and a spec change bumps metadata.generation. Pass a copy (get() returns
   * one); the live object is left untouched when the update is refused.
   */
  update<T extends KubeObject>(obj: T, opts: UpdateOptions = {}): T {
    const info = this.admit(obj);
    this.decode(obj, opts);
    const live = this.live<T>(info.kind, obj.metadata.namespace, obj.metadata.name);
    return this.replace(info, obj, live, opts).obj;
  }

  private replace<T extends KubeObject>(info: KindInfo, obj: T, live: T, opts: UpdateOptions): { obj: T; changed: boolean } {
    const sameObject = obj === live;
    const rv = obj.metadata.resourceVersion;
    if (!sameObject && rv !== undefined && rv !== '' && rv !== live.metadata.resourceVersion) {
      throw new ApiError('Conflict', `Operation cannot be fulfilled on ${resourceName(info)} "${live.metadata.name}": the object has been modified; please apply your changes to the latest version and try again`);
    }
    if (!sameObject) {
      for (const f of SERVER_METADATA) {
        if (live.metadata[f] === undefined) delete obj.metadata[f];
        else obj.metadata[f] = live.metadata[f];
      }
      if (STATUS_SUBRESOURCE.has(info.kind)) {
        if (live.status === undefined) delete obj.status;
        else obj.status = live.status;
      }
    }
    setDefaults(obj);
    if (info.kind === 'DaemonSet' && !sameObject) {
      // PrepareForUpdate: a new pod template is the next templateGeneration; otherwise it stays.
      const prev = parseInt(live.metadata.annotations?.[DS_TEMPLATE_GENERATION] ?? '1', 10) || 1;
      const gen = canonicalJson(obj.spec?.template) !== canonicalJson(live.spec?.template) ? prev + 1 : prev;
      obj.metadata.annotations = { ...(obj.metadata.annotations ?? {}), [DS_TEMPLATE_GENERATION]: String(gen) };
    }
    const extra = sameObject ? [] : this.validateUpdate(obj, live);
    this.validate(info, obj, extra);
    const specChanged = opts.specChanged ?? (sameObject ? true : canonicalJson(obj.spec) !== canonicalJson(live.spec));
    if (opts.warn && !sameObject) {
      // WarningsOnUpdate: a workload's template when the update bumps its generation (a PodTemplate's: its template).
      const generationChanged = info.kind === 'PodTemplate' ? canonicalJson((obj as { template?: unknown }).template) !== canonicalJson((live as { template?: unknown }).template) : specChanged && tracksGeneration(obj);
      for (const w of warningsOnUpdate(obj, live, generationChanged)) opts.warn(w);
    }
    if (info.kind === 'Service') this.allocate(obj as unknown as Service, (sameObject ? undefined : live) as unknown as Service, !!opts.dryRun);
    if (!sameObject && canonicalJson(comparable(obj)) === canonicalJson(comparable(live))) return { obj: live, changed: false };
    if (opts.dryRun) {
      // A dry run goes through the strategy's PrepareForUpdate too, which counts a spec change in the
      // generation; only the write to storage is skipped (resourceVersion stays).
      if (!sameObject && specChanged && tracksGeneration(obj)) obj.metadata.generation = (live.metadata.generation ?? 0) + 1;
      return { obj, changed: true };
    }
    // The update that removes a deleted object's last finalizer deletes it (pods and namespaces have their own endings).
    if (obj.metadata.deletionTimestamp && !obj.metadata.finalizers?.length && info.kind !== 'Pod' && info.kind !== 'Namespace') {
      this.sim.store.remove(info.kind, obj.metadata.namespace, obj.metadata.name);
      return { obj, changed: true };
    }
    return { obj: this.sim.store.update(obj, { specChanged }), changed: true };
  }

  /** validateUpdate holds the ValidateXUpdate rules: immutable fields per kind. */
  private validateUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
    const errs: FieldError[] = [];
    const differs = (a: unknown, b: unknown) => canonicalJson(a) !== canonicalJson(b);
    switch (obj.kind) {
      case 'Deployment':
      case 'ReplicaSet':
        // apps/v1 made the selector immutable.
        if (isObj(obj.spec) && differs(obj.spec.selector, old.spec?.selector)) errs.push(immutable('spec.selector', go.selector(obj.spec.selector)));
        break;
      case 'Service': {
        const s = obj.spec ?? {};
        const o = old.spec ?? {};
        const hadIP = o.clusterIP && o.clusterIP !== 'None';
        // patchAllocatedValues: an update without clusterIP keeps the allocated one.
        if (isObj(s) && !s.clusterIP && hadIP && s.type !== 'ExternalName') {
          s.clusterIP = o.clusterIP;
          s.clusterIPs = o.clusterIPs;
        }
        // dropTypeDependentFields: leaving NodePort/LoadBalancer drops the node ports and
        // externalTrafficPolicy the user did not change (they came from the old type).
        const nodePortType = (t: unknown) => t === 'NodePort' || t === 'LoadBalancer';
        if (isObj(s) && nodePortType(o.type) && !nodePortType(s.type)) {
          for (const p of Array.isArray(s.ports) ? s.ports : []) {
            const prev = (o.ports ?? []).find((x: { port: number }) => x.port === p?.port);
            if (isObj(p) && prev && p.nodePort === prev.nodePort) delete p.nodePort;
          }
          if (s.externalTrafficPolicy === o.externalTrafficPolicy) delete s.externalTrafficPolicy;
        }
        if (isObj(s) && hadIP && s.type !== 'ExternalName' && o.type !== 'ExternalName' && s.clusterIP !== o.clusterIP) {
          // validateServiceClusterIPsRelatedFields prints the whole clusterIPs list on index 0.
          errs.push({ field: 'spec.clusterIPs[0]', type: 'Invalid value', value: new GoValue(`[]string{${JSON.stringify(s.clusterIP)}}`), detail: 'may not change once set' });
        }
        break;
      }
      case 'Pod':
        if (isObj(obj.spec) && isObj(old.spec)) errs.push(...onlyDeletedSchedulingGates(obj.spec.schedulingGates, old.spec.schedulingGates));
        if (isObj(obj.spec) && isObj(old.spec) && !podSpecUpdateAllowed(obj.spec, old.spec)) {
          errs.push({
            field: 'spec',
            type: 'Forbidden',
            detail:
              'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
          });
        }
        break;
      case 'StorageClass':
        // ValidateStorageClassUpdate: what a class provisions is fixed once it exists.
        if (differs(obj.parameters ?? {}, old.parameters ?? {})) errs.push({ field: 'parameters', type: 'Forbidden', detail: 'updates to parameters are forbidden.' });
        if (obj.provisioner !== old.provisioner) errs.push({ field: 'provisioner', type: 'Forbidden', detail: 'updates to provisioner are forbidden.' });
        if (obj.reclaimPolicy !== old.reclaimPolicy) errs.push({ field: 'reclaimPolicy', type: 'Forbidden', detail: 'updates to reclaimPolicy are forbidden.' });
        if (obj.volumeBindingMode !== old.volumeBindingMode) errs.push(immutable('volumeBindingMode', obj.volumeBindingMode));
        break;
      case 'PersistentVolumeClaim': {
        errs.push(...validateWorkloadUpdate(obj, old));
        // The PersistentVolumeClaimResize admission plugin (after validation): only a bound claim of a
        // class that allows expansion grows.
        const grows = (parseQuantity(obj.spec?.resources?.requests?.storage) ?? 0) > (parseQuantity(old.spec?.resources?.requests?.storage) ?? 0);
        if (grows && errs.length === 0) {
          const forbid = (why: string) => new ApiError('Forbidden', `persistentvolumeclaims "${obj.metadata.name}" is forbidden: ${why}`);
          if (old.status?.phase !== 'Bound') throw forbid('Only bound persistent volume claims can be expanded');
          const cls = old.spec?.storageClassName ? this.sim.store.get('StorageClass', undefined, old.spec.storageClassName) : undefined;
          if (!cls?.allowVolumeExpansion) throw forbid('only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize');
        }
        break;
      }
      case 'StatefulSet':
      case 'Job':
        errs.push(...validateWorkloadUpdate(obj, old));
        break;
      case 'ConfigMap':
      case 'Secret':
        if (old.immutable === true) {
          if (differs(obj.data, old.data)) errs.push({ field: 'data', type: 'Forbidden', detail: 'field is immutable when `immutable` is set' });
          if (obj.immutable !== true) errs.push({ field: 'immutable', type: 'Forbidden', detail: 'field is immutable when `immutable` is set' });
        }
        break;
    }
    return errs;
  }

  // ---- apply ----

  /**
   * apply is `kubectl apply` (client-side): create with the last-applied annotation, or a
   * three-way merge with the live object (apply.ts), then an update when anything changed.
   */
  apply(obj: KubeObject, opts: ApplyOptions = {}): ApplyResult {
    const annotate = opts.annotate ?? true;
    const info = this.admit(obj);
    // The last-applied annotation is the manifest as kubectl sent it, unknown fields included.
    const sent = structuredClone(obj);
    for (const f of SERVER_METADATA) delete sent.metadata[f];
    const annotation = lastAppliedFor(sent);
    // With a client's warn, kubectl's own note on a live object without the annotation comes first: it
    // prints it before it sends the patch, whose response brings the server's warnings.
    const warn = opts.warn;
    const found = warn && typeof obj.metadata.name === 'string' && obj.metadata.name ? this.sim.store.get(info.kind, obj.metadata.namespace, obj.metadata.name) : undefined;
    if (warn && annotate && found && !parseLastApplied(found)) warn(missingLastApplied(info, found));
    this.decode(obj, opts);
    opts = { ...opts, fieldValidation: undefined, annotate: undefined };
    const warning = notSimulatedWarning(info.kind, obj);
    const local = structuredClone(obj);
    for (const f of SERVER_METADATA) delete local.metadata[f];
    delete local.status;
    const given = local.metadata.annotations;
    // The annotation goes into the manifest's own map: one that is not a map is refused, not replaced.
    if (given !== undefined && given !== null && !isObj(given)) {
      throw invalid(info.kind, String(obj.metadata.name ?? ''), [{ field: 'metadata.annotations', type: 'Invalid value', value: given, detail: 'must be a map of string keys to string values' }]);
    }
    local.metadata.annotations = annotate ? { ...(given ?? {}), [LAST_APPLIED]: annotation } : { ...(given ?? {}) };
    if (!obj.metadata.name) throw new ApiError('BadRequest', obj.metadata.generateName ? 'cannot use generate name with apply' : 'resource name may not be empty');
    const live = this.sim.store.get(info.kind, obj.metadata.namespace, obj.metadata.name);
    if (!live) {
      const created = this.create(local, opts);
      if (warn && warning) warn(warning);
      return { obj: created, result: 'created', ...(warning && !warn ? { warning } : {}) };
    }
    const last = parseLastApplied(live);
    let warnings = warning ? [warning] : [];
    // kubectl's warning for objects made imperatively (kubectl create without --save-config).
    if (!last && annotate) warnings = [missingLastApplied(info, live), ...warnings];
    if (last) {
      delete last.status;
      if (isObj(last.metadata)) for (const f of SERVER_METADATA) delete last.metadata[f];
    }
    const merged = threeWayMerge(last, local, structuredClone(live)) as KubeObject;
    const { obj: out, changed } = this.replace(info, merged, live, { dryRun: opts.dryRun, warn });
    if (warn) {
      if (warning) warn(warning);
      return { obj: out, result: changed ? 'configured' : 'unchanged' };
    }
    return { obj: out, result: changed ? 'configured' : 'unchanged', ...(warnings.length ? { warning: warnings.join('\nWarning: ') } : {}) };
  }

  // ---- delete ----

  /**
   * delete follows the API server's graceful deletion and propagation policies:
   * - Pod: deletionTimestamp = now + grace and deletionGracePeriodSeconds = grace (as upstream's
   *   BeforeDelete: the timestamp is the deadline), generation bumped; the kubelet removes it
   *   (store.remove) when its containers stopped. Unbound, Succeeded or Failed pods, or grace 0,
   *   are removed at once. Deleting a terminating pod again is a no-op (grace 0 still forces it).
   * - Namespace: phase Terminating; its contents are deleted (pods gracefully) and the garbage
   *   collector removes the namespace once it is empty.
   * - Others, background (default): removed now; the GC deletes dependents. orphan: dependents
   *   lose their ownerReference to it first. foreground: deletionTimestamp + the
   *   foregroundDeletion finalizer; the GC deletes dependents (in foreground too) and removes the
   *   owner when none remain.
   * Returns the object as deleted (or as marked).
   */
  delete(kind: string, namespace: string | undefined, name: string, opts: DeleteOptions = {}): KubeObject {
    const info = this.kindOf(kind);
    // The priorityclasses storage refuses the system classes before it looks the object up.
    if (info.kind === 'PriorityClass') checkPriorityClassDelete(name);
    const obj = this.live(info.kind, namespace, name);
    if (opts.dryRun) return obj;
    const store = this.sim.store;
    if (info.kind === 'Pod') return this.deletePod(obj as Pod, opts);
    if (info.kind === 'Namespace') return this.deleteNamespace(obj);
    if (obj.metadata.deletionTimestamp) return obj;
    const cascade = opts.cascade ?? 'background';
    if (cascade === 'foreground') {
      obj.metadata.deletionTimestamp = this.sim.nowIso();
      obj.metadata.deletionGracePeriodSeconds = 0;
      obj.metadata.finalizers = [...(obj.metadata.finalizers ?? []), FOREGROUND_FINALIZER];
      store.update(obj, { specChanged: (obj.metadata.generation ?? 0) > 0 });
      this.sim.enqueue('garbagecollector', `fg|${info.kind}|${obj.metadata.namespace ?? ''}|${obj.metadata.name}`);
      return obj;
    }
    if (cascade === 'orphan') {
      const uid = obj.metadata.uid!;
      for (const dep of dependentsOf(this.sim, uid)) {
        dep.metadata.ownerReferences = dep.metadata.ownerReferences!.filter((r) => r.uid !== uid);
        if (dep.metadata.ownerReferences.length === 0) delete dep.metadata.ownerReferences;
        store.update(dep);
      }
    }
    if (obj.metadata.finalizers?.length) {
      // An object with finalizers is only marked (deletionTimestamp, grace 0): it stays, Terminating, until
      // whatever owns each finalizer removes it (see replace), as the registry's graceful deletion does.
      obj.metadata.deletionTimestamp = this.sim.nowIso();
      obj.metadata.deletionGracePeriodSeconds = 0;
      store.update(obj, { specChanged: (obj.metadata.generation ?? 0) > 0 });
      return obj;
    }
    return store.remove(info.kind, obj.metadata.namespace, obj.metadata.name)!;
  }

  private deletePod(pod: Pod, opts: DeleteOptions): Pod {
    const store = this.sim.store;
    const meta = pod.metadata;
    if (meta.deletionTimestamp) {
      if (opts.gracePeriodSeconds === 0) store.remove('Pod', meta.namespace, meta.name);
      return pod;
    }
    let grace = opts.gracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30;
    // pod strategy CheckGracefulDelete: never-scheduled and finished pods have nothing to stop.
    const phase = pod.status?.phase;
    if (!pod.spec?.nodeName || phase === 'Succeeded' || phase === 'Failed') grace = 0;
    if (grace <= 0) {
      store.remove('Pod', meta.namespace, meta.name);
      return pod;
    }
    meta.deletionTimestamp = isoTime(this.sim.now() + grace * 1000);
    meta.deletionGracePeriodSeconds = grace;
    store.update(pod, { specChanged: true });
    return pod;
  }

  private deleteNamespace(ns: KubeObject): KubeObject {
    const name = ns.metadata.name;
    if (IMMORTAL_NAMESPACES.has(name)) throw new ApiError('Forbidden', `namespaces "${name}" is forbidden: this namespace may not be deleted`);
    if (ns.metadata.deletionTimestamp) {
      // The namespace registry refuses a second delete while its finalizer still runs.
      throw new ApiError('Conflict', `Operation cannot be fulfilled on namespaces "${name}": The system is ensuring all content is removed from this namespace.  Upon completion, this namespace will automatically be purged by the system.`);
    }
    const store = this.sim.store;
    ns.metadata.deletionTimestamp = this.sim.nowIso();
    ns.metadata.deletionGracePeriodSeconds = 0;
    ns.status = { ...(ns.status ?? {}), phase: 'Terminating' };
    store.update(ns);
    for (const info of KINDS) {
      if (!info.namespaced) continue;
      for (const obj of store.list(info.kind, name)) {
        if (info.kind === 'Pod') this.deletePod(obj as Pod, {});
        else store.remove(info.kind, name, obj.metadata.name);
      }
    }
    this.sim.enqueue('garbagecollector', `ns|${name}`);
    return ns;
  }
}

/** comparable strips what changes on every write, to tell whether an apply changed anything. */
function comparable(o: KubeObject): KubeObject {
  const { resourceVersion: _rv, generation: _g, ...meta } = o.metadata;
  return { ...o, metadata: meta as KubeObject['metadata'] };
}

/** onlyDeletedSchedulingGates is validateOnlyDeletedSchedulingGates: a pod update may remove gates, never add one. */
function onlyDeletedSchedulingGates(gates: unknown, oldGates: unknown): FieldError[] {
  if (!Array.isArray(gates) || gates.length === 0) return [];
  const had = new Set((Array.isArray(oldGates) ? oldGates : []).map((g: { name?: string }) => g?.name));
  const errs: FieldError[] = [];
  gates.forEach((g: { name?: string }, i: number) => {
    if (!had.has(g?.name)) errs.push({ field: `spec.schedulingGates[${i}].name`, type: 'Forbidden', detail: `only deletion is allowed, but found new scheduling gate '${g?.name ?? ''}'` });
  });
  return errs;
}

/** podSpecUpdateAllowed is ValidatePodUpdate's rule: only images, activeDeadlineSeconds, added tolerations, grace. */
function podSpecUpdateAllowed(spec: any, old: any): boolean {
  const mutated = structuredClone(spec);
  const copyImages = (list: any[] | undefined, oldList: any[] | undefined) => {
    if (!Array.isArray(list) || !Array.isArray(oldList) || list.length !== oldList.length) return;
    list.forEach((c, i) => {
      if (isObj(c) && isObj(oldList[i])) {
        c.image = oldList[i].image;
        // the image's default pull policy follows the image.
        c.imagePullPolicy = oldList[i].imagePullPolicy;
      }
    });
  };
  copyImages(mutated.containers, old.containers);
  copyImages(mutated.initContainers, old.initContainers);
  mutated.activeDeadlineSeconds = old.activeDeadlineSeconds;
  mutated.terminationGracePeriodSeconds = old.terminationGracePeriodSeconds;
  // Scheduling gates may be removed (checked apart: onlyDeletedSchedulingGates).
  mutated.schedulingGates = old.schedulingGates;
  if (mutated.schedulingGates === undefined) delete mutated.schedulingGates;
  const oldTols = Array.isArray(old.tolerations) ? old.tolerations : [];
  const newTols = Array.isArray(mutated.tolerations) ? mutated.tolerations : [];
  const tolsOk = oldTols.every((t: unknown) => newTols.some((n: unknown) => canonicalJson(n) === canonicalJson(t)));
  mutated.tolerations = old.tolerations;
  if (mutated.activeDeadlineSeconds === undefined) delete mutated.activeDeadlineSeconds;
  if (mutated.tolerations === undefined) delete mutated.tolerations;
  return tolsOk && canonicalJson(mutated) === canonicalJson(old);
}

const KUBERNETES_SERVICE_TIMER = 'apiserver/kubernetes-service';
/** KUBERNETES_SERVICE_INTERVAL_MS is the apiserver's EndpointInterval (10 s). */
const KUBERNETES_SERVICE_INTERVAL_MS = 10_000;

/** ensureKubernetesService makes the `kubernetes` Service at 10.96.0.1 and the endpoints the apiserver writes for it, where missing. */
function ensureKubernetesService(sim: Sim): void {
  const store = sim.store;
  const api = sim.service<ApiServer>('api');
  if (!store.get('Service', 'default', 'kubernetes')) {
    api.create({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'kubernetes', namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } },
      spec: { clusterIP: KUBERNETES_SERVICE_IP, ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: APISERVER_PORT }] },
    });
  }
  // The apiserver's endpoint reconciler writes these itself (the service has no selector).
  if (!store.get('Endpoints', 'default', 'kubernetes')) {
    store.create({
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name: 'kubernetes', namespace: 'default', labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } },
      subsets: [{ addresses: [{ ip: APISERVER_ADDRESS }], ports: [{ name: 'https', port: APISERVER_PORT, protocol: 'TCP' }] }],
    });
  }
  if (!store.get('EndpointSlice', 'default', 'kubernetes')) {
    store.create({
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: 'kubernetes', namespace: 'default', labels: { 'kubernetes.io/service-name': 'kubernetes' } },
      addressType: 'IPv4',
      endpoints: [{ addresses: [APISERVER_ADDRESS], conditions: { ready: true } }],
      ports: [{ name: 'https', port: APISERVER_PORT, protocol: 'TCP' }],
    });
  }
}

/**
 * populateNamespace does what the serviceaccounts controller and the root-ca-cert-publisher do for an
 * active namespace: it has a `default` ServiceAccount and the `kube-root-ca.crt` ConfigMap holding the
 * cluster's CA. Both put them back at once when they are deleted (the publisher also undoes an edit of
 * the CA): a pod's token volume and its admission need them (admission/serviceaccount.ts).
 */
export function populateNamespace(sim: Sim, ns: string): void {
  const store = sim.store;
  const namespace = store.get('Namespace', undefined, ns);
  if (!namespace || namespace.metadata.deletionTimestamp) return;
  if (!store.get('ServiceAccount', ns, 'default')) store.create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: ns } });
  const ca = store.get('ConfigMap', ns, ROOT_CA_CONFIGMAP);
  if (!ca) {
    store.create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: ROOT_CA_CONFIGMAP, namespace: ns, annotations: { 'kubernetes.io/description': 'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.' } },
      data: { 'ca.crt': ROOT_CA_CRT },
    });
  } else if (ca.data?.['ca.crt'] !== ROOT_CA_CRT || Object.keys(ca.data ?? {}).length !== 1) {
    ca.data = { 'ca.crt': ROOT_CA_CRT };
    store.update(ca);
  }
}

/** NAMESPACE_DEFAULTS is the controller that keeps each namespace's default ServiceAccount and CA ConfigMap (populateNamespace). */
const NAMESPACE_DEFAULTS = 'serviceaccount-defaults';

/**
 * installApiServer registers the `api` service, the Pod indexes `node` and `owner`, the
 * built-in namespaces, the `kubernetes` Service (10.96.0.1:443 → 192.168.49.2:6443, with its
 * Endpoints and EndpointSlice) and the garbage collector.
 */
export function installApiServer(sim: Sim): ApiServer {
  const api = new ApiServer(sim);
  sim.services.set('api', api);
  const store = sim.store;
  store.addIndex('Pod', 'node', (o) => o.spec?.nodeName || NO_VALUES);
  store.addIndex('Pod', 'owner', (o) => controllerRef(o)?.uid ?? NO_VALUES);
  // Pods' controller references are already in 'owner'; their ownerUid index holds only the
  // others (usually none), which keeps a 10,000-pod rollout from paying for the same index twice.
  for (const kind of indexedKinds()) {
    const all = kind !== 'Pod';
    store.addIndex(kind, OWNER_INDEX, (o) => {
      const refs = o.metadata.ownerReferences;
      if (!refs || refs.length === 0) return NO_VALUES;
      // Validation refuses a reference without a uid; an index never files under undefined.
      if (refs.length === 1) return (all || !refs[0].controller) && refs[0].uid ? refs[0].uid : NO_VALUES;
      return refs.filter((r) => (all || !r.controller) && r.uid).map((r) => r.uid);
    });
  }
  store.watch('Service', (type, obj) => {
    if (type === 'DELETED') releaseService(sim, keyOf(obj));
  });
  installGarbageCollector(sim);
  sim.addController({ name: NAMESPACE_DEFAULTS, sync: (ns) => populateNamespace(sim, ns) });
  store.watch('ServiceAccount', (type, obj) => {
    if (type === 'DELETED' && obj.metadata.name === 'default') sim.enqueue(NAMESPACE_DEFAULTS, obj.metadata.namespace ?? 'default');
  });
  store.watch('ConfigMap', (type, obj) => {
    if (type !== 'ADDED' && obj.metadata.name === ROOT_CA_CONFIGMAP) sim.enqueue(NAMESPACE_DEFAULTS, obj.metadata.namespace ?? 'default');
  });

  for (const ns of BUILTIN_NAMESPACES) {
    if (!store.get('Namespace', undefined, ns)) api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  }
  ensureKubernetesService(sim);
  // The apiserver's kubernetes service controller checks every EndpointInterval (10 s) and makes the
  // `kubernetes` Service and its endpoints again when they were deleted.
  sim.onTimer(KUBERNETES_SERVICE_TIMER, () => ensureKubernetesService(sim));
  for (const kind of ['Service', 'Endpoints', 'EndpointSlice']) {
    store.watch(kind, (type, obj) => {
      if (type !== 'DELETED' || obj.metadata.name !== 'kubernetes' || obj.metadata.namespace !== 'default') return;
      sim.after(KUBERNETES_SERVICE_INTERVAL_MS - (sim.now() % KUBERNETES_SERVICE_INTERVAL_MS), KUBERNETES_SERVICE_TIMER, 'kubernetes');
    });
  }
  return api;
}
