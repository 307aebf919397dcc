/**
 * priority.ts: PriorityClass (scheduling.k8s.io/v1) and the Priority admission plugin
 * (plugin/pkg/admission/priority/admission.go):
 *  - the API server creates the two system classes at startup (system-cluster-critical
 *    2000000000, system-node-critical 2000001000);
 *  - a new PriorityClass is validated (ValidatePriorityClass): names starting with `system-` are
 *    reserved, a user class's value is at most 1000000000 (HighestUserDefinablePriority), and only
 *    one class may be globalDefault;
 *  - a new Pod gets spec.priority and spec.preemptionPolicy from its priorityClassName, from the
 *    globalDefault class when it names none, or priority 0 when there is no default class.
 */
import type { Sim } from '../sim.ts';
import { hashString } from '../rng.ts';
import { invalid, type FieldError } from '../api/errors.ts';
import type { KubeObject, Pod } from '../api/types.ts';
import { forbidden } from './limitranger.ts';

/** PriorityClass is scheduling.k8s.io/v1 PriorityClass (value, globalDefault, preemptionPolicy, description at the top level). */
export interface PriorityClass extends KubeObject {
  value: number;
  globalDefault?: boolean;
  preemptionPolicy?: 'PreemptLowerPriority' | 'Never';
  description?: string;
}

/** HIGHEST_USER_DEFINABLE_PRIORITY is scheduling.HighestUserDefinablePriority (1e9); the system classes sit above it. */
export const HIGHEST_USER_DEFINABLE_PRIORITY = 1_000_000_000;
/** SYSTEM_CRITICAL_PRIORITY is scheduling.SystemCriticalPriority (2 × 1e9). */
export const SYSTEM_CRITICAL_PRIORITY = 2 * HIGHEST_USER_DEFINABLE_PRIORITY;
export const SYSTEM_PRIORITY_CLASS_PREFIX = 'system-';
const PREEMPTION_POLICIES = ['Never', 'PreemptLowerPriority'];

/** SYSTEM_PRIORITY_CLASSES are scheduling.SystemPriorityClasses(), created by the API server's bootstrap hook. */
export const SYSTEM_PRIORITY_CLASSES: { name: string; value: number; description: string }[] = [
  { name: 'system-node-critical', value: SYSTEM_CRITICAL_PRIORITY + 1000, description: 'Used for system critical pods that must not be moved from their current node.' },
  { name: 'system-cluster-critical', value: SYSTEM_CRITICAL_PRIORITY, description: 'Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.' },
];

const RESOURCE = 'priorityclasses.scheduling.k8s.io';
const BOOTSTRAPPED = 'priority';

/**
 * installPriorityClasses creates the system PriorityClasses once per cluster (as the API server's
 * post-start hook). They are made without drawing from the PRNG (the store's uid draw is undone and
 * a fixed uid derived from the name is set), so adding them shifts no random name in a scenario.
 */
export function installPriorityClasses(sim: Sim): void {
  const st = sim.moduleState<{ bootstrapped?: boolean }>(BOOTSTRAPPED, () => ({}));
  if (st.bootstrapped) return;
  st.bootstrapped = true;
  for (const c of SYSTEM_PRIORITY_CLASSES) {
    if (sim.store.get('PriorityClass', undefined, c.name)) continue;
    const saved = sim.rng.getState();
    const pc = sim.store.create<PriorityClass>({
      apiVersion: 'scheduling.k8s.io/v1',
      kind: 'PriorityClass',
      metadata: { name: c.name },
      value: c.value,
      globalDefault: false,
      preemptionPolicy: 'PreemptLowerPriority',
      description: c.description,
    });
    sim.rng.setState(saved);
    pc.metadata.uid = fixedUid(c.name);
  }
}

function fixedUid(name: string): string {
  const h = (n: number) => (hashString(`${name}#${n}`) >>> 0).toString(16).padStart(8, '0');
  const hex = h(1) + h(2) + h(3) + h(4);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** defaultPriorityClass is getDefaultPriorityClass: the globalDefault class with the lowest value (there should be one). */
export function defaultPriorityClass(sim: Sim): PriorityClass | undefined {
  let best: PriorityClass | undefined;
  for (const pc of sim.store.list<PriorityClass>('PriorityClass')) {
    if (pc.globalDefault && (!best || pc.value < best.value)) best = pc;
  }
  return best;
}

/** setPriorityClassDefaults is SetDefaults_PriorityClass: preemptionPolicy PreemptLowerPriority. */
export function setPriorityClassDefaults(pc: KubeObject): void {
  const o = pc as PriorityClass;
  o.preemptionPolicy ??= 'PreemptLowerPriority';
}

/**
 * validatePriorityClass is ValidatePriorityClass plus the admission plugin's validatePriorityClass:
 * a `system-` name must be one of the known system classes with their exact value; any other
 * class's value is at most 1000000000; only one class may be globalDefault.
 */
export function validatePriorityClass(sim: Sim, pc: KubeObject): void {
  const o = pc as PriorityClass;
  const name = o.metadata?.name ?? '';
  const errs: FieldError[] = [];
  if (typeof o.value !== 'number' || !Number.isInteger(o.value)) {
    errs.push(o.value === undefined || o.value === null ? { field: 'value', type: 'Required value' } : { field: 'value', type: 'Invalid value', value: o.value, detail: 'must be an integer' });
  } else if (name.startsWith(SYSTEM_PRIORITY_CLASS_PREFIX)) {
    const err = knownSystemPriorityClassError(name, o.value, !!o.globalDefault);
    if (err) errs.push({ field: 'metadata.name', type: 'Forbidden', detail: `priority class names with '${SYSTEM_PRIORITY_CLASS_PREFIX}' prefix are reserved for system use only. error: ${err}` });
  } else if (o.value > HIGHEST_USER_DEFINABLE_PRIORITY) {
    errs.push({ field: 'value', type: 'Forbidden', detail: `maximum allowed value of a user defined priority is ${HIGHEST_USER_DEFINABLE_PRIORITY}` });
  }
  if (o.preemptionPolicy !== undefined && !PREEMPTION_POLICIES.includes(o.preemptionPolicy)) {
    errs.push({ field: 'preemptionPolicy', type: 'Unsupported value', value: o.preemptionPolicy, detail: `supported values: ${PREEMPTION_POLICIES.map((p) => JSON.stringify(p)).join(', ')}` });
  }
  if (errs.length) throw invalid('PriorityClass', name, errs);
  if (o.globalDefault) {
    const def = defaultPriorityClass(sim);
    if (def && def.metadata.name !== name) throw forbidden(RESOURCE, o, `PriorityClass ${def.metadata.name} is already marked as default. Only one default can exist`);
  }
}

/** knownSystemPriorityClassError is IsKnownSystemPriorityClass's error, or undefined for a known class. */
function knownSystemPriorityClassError(name: string, value: number, globalDefault: boolean): string | undefined {
  const spc = SYSTEM_PRIORITY_CLASSES.find((c) => c.name === name);
  if (!spc) return `${name} is not a known system priority class`;
  if (spc.value !== value) return `value of ${name} PriorityClass must be ${spc.value}`;
  if (globalDefault) return `globalDefault of ${name} PriorityClass must be false`;
  return undefined;
}

/**
 * admitPodPriority is the plugin's admitPod: resolve spec.priorityClassName (or the default class)
 * to spec.priority and spec.preemptionPolicy. A missing class is Forbidden:
 * `pods "x" is forbidden: no PriorityClass with name foo was found`.
 *
 * The API server's defaults (api/defaults.ts admitPod) have already set priority 0 and
 * PreemptLowerPriority, so the "must not be provided" check applies only to a non-zero priority
 * written in the manifest that disagrees with the class.
 */
export function admitPodPriority(sim: Sim, pod: Pod): void {
  const spec = pod.spec as Pod['spec'] | undefined;
  if (!spec || typeof spec !== 'object') return;
  let priority = 0;
  let policy: PriorityClass['preemptionPolicy'];
  if (!spec.priorityClassName) {
    const def = defaultPriorityClass(sim);
    if (def) {
      spec.priorityClassName = def.metadata.name;
      priority = def.value;
      policy = def.preemptionPolicy;
    }
  } else {
    const pc = sim.store.get<PriorityClass>('PriorityClass', undefined, spec.priorityClassName);
    if (!pc) throw forbidden('pods', pod, `no PriorityClass with name ${spec.priorityClassName} was found`);
    priority = pc.value;
    policy = pc.preemptionPolicy;
  }
  if (spec.priority !== undefined && spec.priority !== null && spec.priority !== 0 && spec.priority !== priority) {
    throw forbidden(
      'pods',
      pod,
      `the integer value of priority (${spec.priority}) must not be provided in pod spec; priority admission controller computed ${priority} from the given PriorityClass name`,
    );
  }
  spec.priority = priority;
  if (policy) spec.preemptionPolicy = policy;
}

/**
 * checkPriorityClassDelete is the priorityclass REST storage's Delete guard
 * (pkg/registry/scheduling/priorityclass/storage/storage.go): the system classes cannot be deleted,
 * `priorityclasses.scheduling.k8s.io "system-node-critical" is forbidden: this is a system priority
 * class and cannot be deleted`. Only the single-object delete checks it (upstream's DeleteCollection
 * does not), which is every delete kubectl makes: `-l`/`--all` list, then delete each by name.
 */
export function checkPriorityClassDelete(name: string): void {
  if (SYSTEM_PRIORITY_CLASSES.some((c) => c.name === name)) {
    throw forbidden(RESOURCE, { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name } }, 'this is a system priority class and cannot be deleted');
  }
}
