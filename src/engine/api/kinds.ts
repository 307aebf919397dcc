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
}

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
): KindInfo => ({ kind, group, versions, plural, singular: kind.toLowerCase(), shortNames, namespaced, simulated });

export const KINDS: KindInfo[] = [
  k('Namespace', '', ['v1'], 'namespaces', ['ns'], false, true),
  k('Node', '', ['v1'], 'nodes', ['no'], false, true),
  k('Pod', '', ['v1'], 'pods', ['po'], true, true),
  k('Service', '', ['v1'], 'services', ['svc'], true, true),
  k('Endpoints', '', ['v1'], 'endpoints', ['ep'], true, true),
  k('ConfigMap', '', ['v1'], 'configmaps', ['cm'], true, true),
  k('Secret', '', ['v1'], 'secrets', [], true, true),
  k('Event', '', ['v1'], 'events', ['ev'], true, true),
  k('ServiceAccount', '', ['v1'], 'serviceaccounts', ['sa'], true, true),
  k('PersistentVolume', '', ['v1'], 'persistentvolumes', ['pv'], false, true),
  k('PersistentVolumeClaim', '', ['v1'], 'persistentvolumeclaims', ['pvc'], true, true),
  k('ResourceQuota', '', ['v1'], 'resourcequotas', ['quota'], true, true),
  k('LimitRange', '', ['v1'], 'limitranges', ['limits'], true, true),
  k('ReplicationController', '', ['v1'], 'replicationcontrollers', ['rc'], true, true),
  k('PodTemplate', '', ['v1'], 'podtemplates', [], true, false),
  k('EndpointSlice', 'discovery.k8s.io', ['v1'], 'endpointslices', [], true, true),
  k('Deployment', 'apps', ['v1'], 'deployments', ['deploy'], true, true),
  k('ReplicaSet', 'apps', ['v1'], 'replicasets', ['rs'], true, true),
  k('StatefulSet', 'apps', ['v1'], 'statefulsets', ['sts'], true, true),
  k('DaemonSet', 'apps', ['v1'], 'daemonsets', ['ds'], true, true),
  k('ControllerRevision', 'apps', ['v1'], 'controllerrevisions', [], true, true),
  k('Job', 'batch', ['v1'], 'jobs', [], true, true),
  k('CronJob', 'batch', ['v1'], 'cronjobs', ['cj'], true, true),
  k('HorizontalPodAutoscaler', 'autoscaling', ['v2', 'v1'], 'horizontalpodautoscalers', ['hpa'], true, true),
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
  k('CustomResourceDefinition', 'apiextensions.k8s.io', ['v1'], 'customresourcedefinitions', ['crd', 'crds'], false, true),
  // Built in since 1.30 (admission policies) and 1.16 (webhooks): known to discovery, refused as not simulated.
  k('ValidatingAdmissionPolicy', 'admissionregistration.k8s.io', ['v1'], 'validatingadmissionpolicies', [], false, false),
  k('ValidatingAdmissionPolicyBinding', 'admissionregistration.k8s.io', ['v1'], 'validatingadmissionpolicybindings', [], false, false),
  k('ValidatingWebhookConfiguration', 'admissionregistration.k8s.io', ['v1'], 'validatingwebhookconfigurations', [], false, false),
  k('MutatingWebhookConfiguration', 'admissionregistration.k8s.io', ['v1'], 'mutatingwebhookconfigurations', [], false, false),
  k('Rollout', 'argoproj.io', ['v1alpha1'], 'rollouts', ['ro'], true, true),
  k('AnalysisTemplate', 'argoproj.io', ['v1alpha1'], 'analysistemplates', [], true, true),
  k('ClusterAnalysisTemplate', 'argoproj.io', ['v1alpha1'], 'clusteranalysistemplates', [], false, true),
  k('AnalysisRun', 'argoproj.io', ['v1alpha1'], 'analysisruns', [], true, true),
  k('Experiment', 'argoproj.io', ['v1alpha1'], 'experiments', ['exp'], true, false),
];

const byKind = new Map(KINDS.map((i) => [i.kind, i]));

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
  const builtin = byKind.get(kind);
  const info = fits(builtin) ? builtin : dynamic.find((i) => i.kind === kind && fits(i));
  if (!info) {
    return {
      error: `resource mapping not found for kind "${kind}" in version "${apiVersion}": no matches for kind "${kind}" in version "${apiVersion}"\nensure CRDs are installed first`,
    };
  }
  return { info };
}
