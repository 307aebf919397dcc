/**
 * The engine's discovery table: which kinds exist, their group/version, plural resource name,
 * short names and scope, as `kubectl api-resources` lists them. `simulated` says whether the engine
 * runs a controller for the kind (or stores it as plain data, like ConfigMap); a known but not
 * simulated kind is refused with a message that says so instead of being silently ignored.
 */
export interface KindInfo {
  kind: string;
  group: string; // '' for the core group
  versions: string[]; // accepted versions, preferred first
  plural: string;
  singular: string;
  shortNames: string[];
  namespaced: boolean;
  simulated: boolean;
  /** printerColumns: a CustomResourceDefinition's additionalPrinterColumns (custom kinds only). */
  printerColumns?: PrinterColumn[];
  /**
   * verbs: what discovery says the resource serves, when not STORED_VERBS. A resource with no
   * 'list' stores nothing (bindings and the reviews only answer a create); componentstatuses is
   * computed by the API server on each get or list (componentstatus/rest.go) and cannot be written.
   */
  verbs?: readonly string[];
  /** categories: discovery's categories ("all" is what `kubectl get all` expands to). */
  categories?: readonly string[];
}

/** STORED_VERBS: what a resource backed by the registry's generic store serves, sorted as discovery lists them. */
export const STORED_VERBS: readonly string[] = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
/** CRD_VERBS: what the apiextensions-apiserver serves for a custom resource, in its order (kubectl api-resources -o wide prints them unsorted). */
export const CRD_VERBS: readonly string[] = ['delete', 'deletecollection', 'get', 'list', 'patch', 'create', 'update', 'watch'];
/** CREATE_ONLY: a resource whose create is answered and not stored (bindings, tokenreviews, the access reviews). */
const CREATE_ONLY = ['create'];

/** PrinterColumn is a CRD version's additionalPrinterColumns entry. */
export interface PrinterColumn {
  name: string;
  type: string;
  jsonPath: string;
  format?: string;
  priority?: number;
}

const k = (
  kind: string,
  group: string,
  versions: string[],
  plural: string,
  shortNames: string[],
  namespaced: boolean,
  simulated: boolean,
  more: Pick<KindInfo, 'verbs' | 'categories'> = {},
): KindInfo => ({ kind, group, versions, plural, singular: kind.toLowerCase(), shortNames, namespaced, simulated, ...more });

const ALL = { categories: ['all'] };
const API_EXTENSIONS = { categories: ['api-extensions'] };

/**
 * KINDS is the discovery of a kubeadm cluster of Kubeplay's version (v1.32) with Argo Rollouts installed,
 * as `kubectl api-resources -o wide` lists it: names, short names, scope, verbs and categories. Kinds
 * Kubeplay does not simulate are here too (simulated: false), so kubectl knows them as a real cluster
 * does: stored as data by kubectl apply (no controller acts on them), refused by a scenario.
 */
export const KINDS: KindInfo[] = [
  k('Namespace', '', ['v1'], 'namespaces', ['ns'], false, true, { verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'] }),
  k('Node', '', ['v1'], 'nodes', ['no'], false, true),
  k('Pod', '', ['v1'], 'pods', ['po'], true, true, ALL),
  k('Service', '', ['v1'], 'services', ['svc'], true, true, ALL),
  k('Endpoints', '', ['v1'], 'endpoints', ['ep'], true, true),
  k('ConfigMap', '', ['v1'], 'configmaps', ['cm'], true, true),
  k('Secret', '', ['v1'], 'secrets', [], true, true),
  k('Event', '', ['v1'], 'events', ['ev'], true, true),
  k('ServiceAccount', '', ['v1'], 'serviceaccounts', ['sa'], true, true),
  k('PersistentVolume', '', ['v1'], 'persistentvolumes', ['pv'], false, true),
  k('PersistentVolumeClaim', '', ['v1'], 'persistentvolumeclaims', ['pvc'], true, true),
  k('ResourceQuota', '', ['v1'], 'resourcequotas', ['quota'], true, true),
  k('LimitRange', '', ['v1'], 'limitranges', ['limits'], true, true),
  k('ReplicationController', '', ['v1'], 'replicationcontrollers', ['rc'], true, true, ALL),
  k('PodTemplate', '', ['v1'], 'podtemplates', [], true, false),
  // The pods/binding the scheduler posts, as a resource of its own: create only (core/pod/storage BindingREST).
  k('Binding', '', ['v1'], 'bindings', [], true, false, { verbs: CREATE_ONLY }),
  // Computed on each request from the control plane's health checks (componentstatus.ts), never stored.
  k('ComponentStatus', '', ['v1'], 'componentstatuses', ['cs'], false, false, { verbs: ['get', 'list'] }),
  k('EndpointSlice', 'discovery.k8s.io', ['v1'], 'endpointslices', [], true, true),
  k('Deployment', 'apps', ['v1'], 'deployments', ['deploy'], true, true, ALL),
  k('ReplicaSet', 'apps', ['v1'], 'replicasets', ['rs'], true, true, ALL),
  k('StatefulSet', 'apps', ['v1'], 'statefulsets', ['sts'], true, true, ALL),
  k('DaemonSet', 'apps', ['v1'], 'daemonsets', ['ds'], true, true, ALL),
  k('ControllerRevision', 'apps', ['v1'], 'controllerrevisions', [], true, true),
  k('Job', 'batch', ['v1'], 'jobs', [], true, true, ALL),
  k('CronJob', 'batch', ['v1'], 'cronjobs', ['cj'], true, true, ALL),
  k('HorizontalPodAutoscaler', 'autoscaling', ['v2', 'v1'], 'horizontalpodautoscalers', ['hpa'], true, true, ALL),
  k('Ingress', 'networking.k8s.io', ['v1'], 'ingresses', ['ing'], true, true),
  k('IngressClass', 'networking.k8s.io', ['v1'], 'ingressclasses', [], false, true),
  k('NetworkPolicy', 'networking.k8s.io', ['v1'], 'networkpolicies', ['netpol'], true, true),
  k('PodDisruptionBudget', 'policy', ['v1'], 'poddisruptionbudgets', ['pdb'], true, true),
  k('Lease', 'coordination.k8s.io', ['v1'], 'leases', [], true, true),
  k('PriorityClass', 'scheduling.k8s.io', ['v1'], 'priorityclasses', ['pc'], false, true),
  k('StorageClass', 'storage.k8s.io', ['v1'], 'storageclasses', ['sc'], false, true),
  k('Role', 'rbac.authorization.k8s.io', ['v1'], 'roles', [], true, true),
  k('RoleBinding', 'rbac.authorization.k8s.io', ['v1'], 'rolebindings', [], true, true),
  k('ClusterRole', 'rbac.authorization.k8s.io', ['v1'], 'clusterroles', [], false, true),
  k('ClusterRoleBinding', 'rbac.authorization.k8s.io', ['v1'], 'clusterrolebindings', [], false, true),
  k('CustomResourceDefinition', 'apiextensions.k8s.io', ['v1'], 'customresourcedefinitions', ['crd', 'crds'], false, true, API_EXTENSIONS),
  // Built in since 1.30 (admission policies) and 1.16 (webhooks): known to discovery, refused as not simulated.
  k('ValidatingAdmissionPolicy', 'admissionregistration.k8s.io', ['v1'], 'validatingadmissionpolicies', [], false, false, API_EXTENSIONS),
  k('ValidatingAdmissionPolicyBinding', 'admissionregistration.k8s.io', ['v1'], 'validatingadmissionpolicybindings', [], false, false, API_EXTENSIONS),
  k('ValidatingWebhookConfiguration', 'admissionregistration.k8s.io', ['v1'], 'validatingwebhookconfigurations', [], false, false, API_EXTENSIONS),
  k('MutatingWebhookConfiguration', 'admissionregistration.k8s.io', ['v1'], 'mutatingwebhookconfigurations', [], false, false, API_EXTENSIONS),
  // The kube-aggregator registers an APIService for every group/version (Local ones included); Kubeplay
  // has no aggregator and lists none, as the groupPriorityMinimum/versionPriority of each are not modelled.
  k('APIService', 'apiregistration.k8s.io', ['v1'], 'apiservices', [], false, false, API_EXTENSIONS),
  // The reviews: a create is answered (kubectl auth whoami and can-i ask them) and nothing is stored.
  k('SelfSubjectReview', 'authentication.k8s.io', ['v1'], 'selfsubjectreviews', [], false, false, { verbs: CREATE_ONLY }),
  k('TokenReview', 'authentication.k8s.io', ['v1'], 'tokenreviews', [], false, false, { verbs: CREATE_ONLY }),
  k('LocalSubjectAccessReview', 'authorization.k8s.io', ['v1'], 'localsubjectaccessreviews', [], true, false, { verbs: CREATE_ONLY }),
  k('SelfSubjectAccessReview', 'authorization.k8s.io', ['v1'], 'selfsubjectaccessreviews', [], false, false, { verbs: CREATE_ONLY }),
  k('SelfSubjectRulesReview', 'authorization.k8s.io', ['v1'], 'selfsubjectrulesreviews', [], false, false, { verbs: CREATE_ONLY }),
  k('SubjectAccessReview', 'authorization.k8s.io', ['v1'], 'subjectaccessreviews', [], false, false, { verbs: CREATE_ONLY }),
  // A kubeadm node's kubelet leaves its approved CSR (the csrcleaner removes it after an hour); Kubeplay's nodes make none.
  k('CertificateSigningRequest', 'certificates.k8s.io', ['v1'], 'certificatesigningrequests', ['csr'], false, false),
  // The same Events as core/v1 (one storage, read through eventsconversion.ts); kindInfo('Event') is the core one.
  // Writes through events.k8s.io/v1 are not simulated (the recorders write core/v1 Events).
  k('Event', 'events.k8s.io', ['v1'], 'events', ['ev'], true, false),
  // API Priority and Fairness: the API server keeps a bootstrap set of FlowSchemas and PriorityLevelConfigurations
  // (exempt, system-leader-election, workload-low, catch-all …). Kubeplay has no flow control and lists none.
  k('FlowSchema', 'flowcontrol.apiserver.k8s.io', ['v1'], 'flowschemas', [], false, false),
  k('PriorityLevelConfiguration', 'flowcontrol.apiserver.k8s.io', ['v1'], 'prioritylevelconfigurations', [], false, false),
  k('RuntimeClass', 'node.k8s.io', ['v1'], 'runtimeclasses', [], false, false),
  // Storage: Kubeplay's volumes need no CSI driver. A real kubelet registers a CSINode for its node (with no
  // drivers); Kubeplay's kubelets do not, so csinodes lists none.
  k('CSIDriver', 'storage.k8s.io', ['v1'], 'csidrivers', [], false, false),
  k('CSINode', 'storage.k8s.io', ['v1'], 'csinodes', [], false, false),
  k('CSIStorageCapacity', 'storage.k8s.io', ['v1'], 'csistoragecapacities', [], true, false),
  k('VolumeAttachment', 'storage.k8s.io', ['v1'], 'volumeattachments', [], false, false),
  // Argo Rollouts' CRDs (manifests/crds/*.yaml): short names ro, ar, at, cat, exp; served as custom resources.
  k('Rollout', 'argoproj.io', ['v1alpha1'], 'rollouts', ['ro'], true, true, { verbs: CRD_VERBS }),
  k('AnalysisTemplate', 'argoproj.io', ['v1alpha1'], 'analysistemplates', ['at'], true, true, { verbs: CRD_VERBS }),
  k('ClusterAnalysisTemplate', 'argoproj.io', ['v1alpha1'], 'clusteranalysistemplates', ['cat'], false, true, { verbs: CRD_VERBS }),
  k('AnalysisRun', 'argoproj.io', ['v1alpha1'], 'analysisruns', ['ar'], true, true, { verbs: CRD_VERBS }),
  k('Experiment', 'argoproj.io', ['v1alpha1'], 'experiments', ['exp'], true, false, { verbs: CRD_VERBS }),
];

/** byKind: a kind name's entry; the first of a name wins (Event is core/v1's, not events.k8s.io/v1's). */
const byKind = new Map<string, KindInfo>();
for (const i of KINDS) if (!byKind.has(i.kind)) byKind.set(i.kind, i);

/** verbsOf is the verbs discovery lists for a kind. */
export function verbsOf(info: KindInfo): readonly string[] {
  return info.verbs ?? STORED_VERBS;
}

/** serves tells whether the API server serves a verb on a kind's resource (without it the request is a 405). */
export function serves(info: KindInfo, verb: string): boolean {
  return verbsOf(info).includes(verb);
}

/** isStored: the kind's objects live in the store (not computed per request, not create-only). */
export function isStored(info: KindInfo): boolean {
  return serves(info, 'create') && serves(info, 'list');
}

// ---- dynamic kinds (CustomResourceDefinitions) ----
// A sim's CRD kinds live in its store (the CRD objects; apiextensions/ derives KindInfo from the
// Established ones). The lookups below take no sim, so the code that acts for one sim (kubectl's
// runCommand, the apiextensions controller) binds that sim's kinds for the duration of a call with
// withKinds. This is a dynamic scope, not state: it is restored on return and the engine is
// synchronous, so two sims (compare, tests) never see each other's kinds. Outside a scope only the
// built-in kinds exist (scenario parsing stays independent of any cluster).
let dynamic: readonly KindInfo[] = [];

/** withKinds runs fn with extra (a sim's custom kinds) visible to every lookup in this file. */
export function withKinds<T>(extra: readonly KindInfo[], fn: () => T): T {
  const prev = dynamic;
  dynamic = extra;
  try {
    return fn();
  } finally {
    dynamic = prev;
  }
}

/** allKinds is KINDS plus the custom kinds in scope (kubectl api-resources, namespace deletion). */
export function allKinds(): readonly KindInfo[] {
  return dynamic.length ? [...KINDS, ...dynamic] : KINDS;
}

/** kindInfo returns the discovery entry for a kind name (case-sensitive, as in manifests). */
export function kindInfo(kind: string): KindInfo | undefined {
  return byKind.get(kind) ?? (dynamic.length ? dynamic.find((i) => i.kind === kind) : undefined);
}

/** groupVersion renders "apps/v1" or "v1" for a kind's preferred version. */
export function apiVersionOf(info: KindInfo): string {
  return info.group ? `${info.group}/${info.versions[0]}` : info.versions[0];
}

/** resourceName is how kubectl names a resource in messages: "deployments.apps", "pods". */
export function resourceName(info: KindInfo): string {
  return info.group ? `${info.plural}.${info.group}` : info.plural;
}

/**
 * resolveResource maps what a user types after `kubectl get` ("po", "deploy", "deployments.apps",
 * "Deployment") to a kind, as kubectl's RESTMapper does.
 */
export function resolveResource(arg: string): KindInfo | undefined {
  const lower = arg.toLowerCase();
  const [name, ...groupParts] = lower.split('.');
  const group = groupParts.join('.');
  // ParseResourceArg: "deployments.v1.apps" (and "pods.v1." for the core group) is resource.version.group,
  // tried before reading everything after the first dot as the group.
  const dot = group.indexOf('.');
  const version = dot > 0 ? group.slice(0, dot) : undefined;
  const versionGroup = dot > 0 ? group.slice(dot + 1) : undefined;
  const named = (info: KindInfo) => info.plural === name || info.singular === name || info.shortNames.includes(name);
  if (version !== undefined) {
    for (const info of allKinds()) if (info.group === versionGroup && info.versions.includes(version) && named(info)) return info;
  }
  for (const info of allKinds()) {
    if (group && info.group !== group) continue;
    if (named(info)) return info;
  }
  return undefined;
}

/** resolveApiVersion checks that apiVersion/kind names a known kind; returns the info or a kubectl-style error. */
export function resolveApiVersion(apiVersion: string, kind: string): { info: KindInfo } | { error: string } {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/', 2) : ['', apiVersion];
  const fits = (i: KindInfo | undefined) => !!i && i.group === group && i.versions.includes(version);
  const info = KINDS.find((i) => i.kind === kind && fits(i)) ?? dynamic.find((i) => i.kind === kind && fits(i));
  if (!info) {
    return {
      error: `resource mapping not found for kind "${kind}" in version "${apiVersion}": no matches for kind "${kind}" in version "${apiVersion}"\nensure CRDs are installed first`,
    };
  }
  return { info };
}
