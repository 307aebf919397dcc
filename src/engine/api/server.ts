/**
 * The API server: the one door for user-facing writes (kubectl, scenarios, the UI). It checks
 * kind and apiVersion against discovery (kinds.ts), applies defaults and admission
 * (defaults.ts, strategy.ts), validates (validation.ts, strategy.ts for updates), allocates Service
 * ClusterIPs and NodePorts (ipallocator.ts), and implements graceful and cascading deletion
 * (deletion.ts, namespaces.ts); the garbage collector (controllers/gc.ts) finishes cascades in the
 * background. Controllers may still write the store directly (README rule 2).
 *
 * The ApiServer instance keeps no state of its own: allocations live in sim.moduleState('api'),
 * everything else in the store, so snapshots capture it all.
 */
import type { Sim } from '../sim.ts';
import { indexedKinds, installGarbageCollector, OWNER_INDEX } from '../controllers/gc.ts';
import { canonicalJson, LAST_APPLIED, lastAppliedFor, parseLastApplied, threeWayMerge } from './apply.ts';
import { setDefaults } from './defaults.ts';
import { runMutatingAdmission, runValidatingAdmission } from '../admission/index.ts';
import { checkPriorityClassDelete } from '../admission/priority.ts';
import { ApiError, invalid, methodNotAllowed, notFound, type FieldError } from './errors.ts';
import { allocateService, releaseService } from './ipallocator.ts';
import { apiVersionOf, kindInfo, resolveApiVersion, resolveResource, resourceName, serves, type KindInfo } from './kinds.ts';
import { controllerRef } from './podutil.ts';
import { keyOf, NO_VALUES, tracksGeneration } from './store.ts';
import { bootstrapUid } from '../rng.ts';
import { appArmorSkewWarnings, warningsOnCreate, warningsOnUpdate } from './podwarnings.ts';
import type { KubeObject, Pod, Service } from './types.ts';
import { validateObject } from './validate.ts';
import { DS_TEMPLATE_GENERATION } from '../controllers/daemonset.ts';
import { isQualifiedName } from './names.ts';
import { prepareForCreate, validateUpdate } from './strategy.ts';
import { deletePod, deleteWithPropagation } from './deletion.ts';
import { checkNamespace, deleteNamespace, installNamespaces, populateNamespace } from './namespaces.ts';
import { installKubernetesService } from './kubernetesservice.ts';
import { FIELD_VALIDATION, type ApplyOptions, type ApplyResult, type CreateOptions, type DeleteOptions, type FieldValidation, type UpdateOptions } from './options.ts';

/** DRY_RUN_STREAMS: module states holding a seeded name stream that admission draws from (serviceaccount.ts nameSuffix). */
const DRY_RUN_STREAMS = ['serviceaccount'];

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

/**
 * notSimulatedWrite says why Kubeplay refuses a write the API server would take: a create-only resource's
 * create is answered by a computed review (or a pod's binding) that Kubeplay does not compute, and
 * events.k8s.io/v1 Events are a view of the core/v1 ones that nothing writes through. Undefined otherwise.
 */
export function notSimulatedWrite(info: KindInfo): string | undefined {
  if (serves(info, 'create') && !serves(info, 'list')) {
    const instead = info.kind.endsWith('AccessReview') || info.kind === 'SelfSubjectRulesReview' ? ': kubectl auth can-i asks the same question' : info.kind === 'SelfSubjectReview' ? ': kubectl auth whoami asks the same question' : '';
    return `${info.kind} (${apiVersionOf(info)}) is not simulated by Kubeplay yet: its create is answered, not stored${instead}`;
  }
  if (info.group === 'events.k8s.io') return `${info.kind} (${apiVersionOf(info)}) is not simulated by Kubeplay yet: its Events are the core/v1 ones, written as apiVersion: v1`;
  return undefined;
}

/**
 * checkServed refuses a write of a verb the resource does not serve, as the API server does (a 405: no
 * route), and a write Kubeplay does not simulate (notSimulatedWrite).
 */
function checkServed(info: KindInfo, verb: string): void {
  if (!serves(info, verb)) throw methodNotAllowed();
  const why = notSimulatedWrite(info);
  if (why) throw new ApiError('BadRequest', why);
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
    // A dry run's admission may draw names (a pod's kube-api-access-xxxxx volume): nothing is kept, so
    // the seeded streams are put back, and objects made later get the names they would have got.
    if (opts.dryRun) return this.keepingStreams(() => this.createOrDryRun(input, opts));
    return this.createOrDryRun(input, opts);
  }

  /** keepingStreams runs f and then restores the cluster's seeded stream and the admission plugins' own. */
  private keepingStreams<T>(f: () => T): T {
    const rng = this.sim.rng.getState();
    const saved = DRY_RUN_STREAMS.map((name) => [name, this.sim.state[name] === undefined ? undefined : structuredClone(this.sim.state[name])] as const);
    try {
      return f();
    } finally {
      this.sim.rng.setState(rng);
      for (const [name, st] of saved) {
        if (st === undefined) delete this.sim.state[name];
        else this.sim.state[name] = st;
      }
    }
  }

  private createOrDryRun<T extends KubeObject>(input: T, opts: CreateOptions): T {
    const obj = isObj(input) ? structuredClone(input) : input;
    const info = this.admit(obj);
    checkServed(info, 'create');
    this.decode(obj, opts);
    checkNamespace(this.sim, info, obj);
    for (const f of SERVER_METADATA) delete obj.metadata[f];
    prepareForCreate(obj);
    // Admission hook (admission/index.ts), in kube-apiserver's order: mutating LimitRanger before
    // validation; validating LimitRanger and ResourceQuota after it (quota last: it charges status.used).
    runMutatingAdmission(this.sim, obj);
    // A client's warnings (podwarnings.ts): a Pod's AppArmor annotations from the strategy's
    // PrepareForCreate, before validation; WarningsOnCreate after it, before validating admission.
    if (opts.warn && obj.kind === 'Pod') for (const w of appArmorSkewWarnings(obj)) opts.warn(w);
    this.validate(info, obj);
    if (opts.warn) for (const w of warningsOnCreate(obj)) opts.warn(w);
    runValidatingAdmission(this.sim, obj, !!opts.dryRun);
    if (obj.kind === 'Service') allocateService(this.sim, obj as unknown as Service, undefined, !!opts.dryRun);
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

  private validate(info: KindInfo, obj: KubeObject, extra: FieldError[] = []): void {
    const errs = [...validateObject(obj, info.namespaced), ...extra];
    if (errs.length) throw invalid(info.kind, String(obj.metadata.name ?? ''), errs);
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
    checkServed(info, 'update');
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
    checkServed(info, 'update');
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
    const extra = sameObject ? [] : validateUpdate(this.sim, obj, live);
    this.validate(info, obj, extra);
    const specChanged = opts.specChanged ?? (sameObject ? true : canonicalJson(obj.spec) !== canonicalJson(live.spec));
    if (opts.warn && !sameObject) {
      // WarningsOnUpdate: a workload's template when the update bumps its generation (a PodTemplate's: its template).
      const generationChanged = info.kind === 'PodTemplate' ? canonicalJson((obj as { template?: unknown }).template) !== canonicalJson((live as { template?: unknown }).template) : specChanged && tracksGeneration(obj);
      for (const w of warningsOnUpdate(obj, live, generationChanged)) opts.warn(w);
    }
    if (info.kind === 'Service') allocateService(this.sim, obj as unknown as Service, (sameObject ? undefined : live) as unknown as Service, !!opts.dryRun);
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

  // ---- apply ----

  /**
   * apply is `kubectl apply` (client-side): create with the last-applied annotation, or a
   * three-way merge with the live object (apply.ts), then an update when anything changed.
   */
  apply(obj: KubeObject, opts: ApplyOptions = {}): ApplyResult {
    const annotate = opts.annotate ?? true;
    const info = this.admit(obj);
    // kubectl apply reads the live object first: a resource without get or patch is a 405 there.
    checkServed(info, 'patch');
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
    if (!serves(info, 'delete')) throw methodNotAllowed();
    // The priorityclasses storage refuses the system classes before it looks the object up.
    if (info.kind === 'PriorityClass') checkPriorityClassDelete(name);
    const obj = this.live(info.kind, namespace, name);
    if (opts.dryRun) return obj;
    if (info.kind === 'Pod') return deletePod(this.sim, obj as Pod, opts);
    if (info.kind === 'Namespace') return deleteNamespace(this.sim, obj);
    return deleteWithPropagation(this.sim, info, obj, opts);
  }
}

/** comparable strips what changes on every write, to tell whether an apply changed anything. */
function comparable(o: KubeObject): KubeObject {
  const { resourceVersion: _rv, generation: _g, ...meta } = o.metadata;
  return { ...o, metadata: meta as KubeObject['metadata'] };
}

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
  installNamespaces(sim, api);
  installKubernetesService(sim);
  return api;
}
