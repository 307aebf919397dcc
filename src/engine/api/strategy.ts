import type { Sim } from '../sim.ts';
import { canonicalJson } from './apply.ts';
import { admitPod, defaultRequestsFromLimits, positiveGracePeriod, setDefaults } from './defaults.ts';
import { podQOSClass } from './qos.ts';
import { ApiError, GoValue, type FieldError } from './errors.ts';
import { go } from './gofmt.ts';
import type { Condition, KubeObject, Pod } from './types.ts';
import { immutable } from './validation.ts';
import { validateWorkloadUpdate } from './validate.ts';
import { parseQuantity } from './quantity.ts';
import { DS_TEMPLATE_GENERATION } from '../controllers/daemonset.ts';

/**
 * The registries' strategies (pkg/registry/<group>/<kind>/strategy.go), the parts the API server
 * calls on every write: PrepareForCreate (a new object's status and defaults; for a Pod, admission
 * and its QoS class) and ValidateUpdate (the fields a kind does not let an update change).
 */

const isObj = (v: unknown): v is Record<string, any> => typeof v === 'object' && v !== null && !Array.isArray(v);

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

/**
 * prepareForCreate is the strategies' PrepareForCreate after the server's own metadata is cleared:
 * defaults, a new object's status, a Pod's admission (preparePodForCreate), a DaemonSet's first
 * templateGeneration.
 */
export function prepareForCreate(obj: KubeObject): void {
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

/** validateUpdate holds the ValidateXUpdate rules: immutable fields per kind. */
export function validateUpdate(sim: Sim, obj: KubeObject, old: KubeObject): FieldError[] {
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
        const cls = old.spec?.storageClassName ? sim.store.get('StorageClass', undefined, old.spec.storageClassName) : undefined;
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
