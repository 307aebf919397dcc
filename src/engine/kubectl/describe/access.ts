/**
 * Describers for RBAC objects, ServiceAccounts, Endpoints, PodDisruptionBudgets, StorageClasses and
 * PriorityClasses, in the layout of their kubectl describers.
 */
import { formatSelector } from '../../api/selector.ts';
import type { KubeObject } from '../../api/types.ts';
import type { PolicyRule } from '../../rbac/bootstrappolicy.ts';
import type { Sim } from '../../sim.ts';
import { policyRuleRows } from '../auth.ts';
import { describeEvents, labelsAndAnnotations, LAST_APPLIED, PrefixWriter } from './writer.ts';
import { labelsString } from '../printers/types.ts';


/** annotationsLine is labels.FormatLabels of the annotations (without last-applied-configuration), the one-line form some describers use. */
function annotationsLine(o: KubeObject): string {
  const { [LAST_APPLIED]: _applied, ...rest } = o.metadata.annotations ?? {};
  return labelsString(rest);
}

/** describeRole is RoleDescriber and ClusterRoleDescriber: the rules broken down, compacted and sorted. */
export function describeRole(role: KubeObject): string {
  const w = new PrefixWriter();
  w.line(0, 'Name:', role.metadata.name);
  labelsAndAnnotations(w, role);
  w.write(0, 'PolicyRule:\n');
  w.line(1, 'Resources', 'Non-Resource URLs', 'Resource Names', 'Verbs');
  w.line(1, '---------', '-----------------', '--------------', '-----');
  for (const row of policyRuleRows((role.rules ?? []) as PolicyRule[])) w.write(1, `${row}\n`);
  return w.toString();
}

/** describeRoleBinding is RoleBindingDescriber and ClusterRoleBindingDescriber. */
export function describeRoleBinding(b: KubeObject): string {
  const w = new PrefixWriter();
  w.line(0, 'Name:', b.metadata.name);
  labelsAndAnnotations(w, b);
  w.write(0, 'Role:\n');
  w.line(1, 'Kind:', b.roleRef?.kind ?? '');
  w.line(1, 'Name:', b.roleRef?.name ?? '');
  w.write(0, 'Subjects:\n');
  w.line(1, 'Kind', 'Name', 'Namespace');
  w.line(1, '----', '----', '---------');
  for (const s of (b.subjects ?? []) as { kind: string; name: string; namespace?: string }[]) w.line(1, s.kind, s.name, s.namespace ?? '');
  return w.toString();
}

/** describeServiceAccount is ServiceAccountDescriber: its pull secrets, mountable secrets and tokens. */
export function describeServiceAccount(sim: Sim, sa: KubeObject): string {
  const w = new PrefixWriter();
  w.line(0, 'Name:', sa.metadata.name);
  w.line(0, 'Namespace:', sa.metadata.namespace ?? '');
  labelsAndAnnotations(w, sa);
  const list = (title: string, names: string[]) => (names.length ? names.forEach((n, i) => w.line(0, i === 0 ? title : '', n)) : w.line(0, title, '<none>'));
  list('Image pull secrets:', ((sa.imagePullSecrets ?? []) as { name: string }[]).map((s) => s.name));
  list('Mountable secrets:', ((sa.secrets ?? []) as { name: string }[]).map((s) => s.name));
  // Tokens: the namespace's service-account-token Secrets annotated with this account's name.
  const tokens = sim.store
    .list('Secret', sa.metadata.namespace)
    .filter((s) => s.type === 'kubernetes.io/service-account-token' && s.metadata.annotations?.['kubernetes.io/service-account.name'] === sa.metadata.name)
    .map((s) => s.metadata.name)
    .sort();
  list('Tokens:', tokens);
  describeEvents(w, sim, sim.eventsFor(sa));
  return w.toString();
}

/** describeEndpoints is EndpointsDescriber: each subset's ready and not-ready addresses and its ports. */
export function describeEndpoints(sim: Sim, ep: KubeObject): string {
  const w = new PrefixWriter();
  w.line(0, 'Name:', ep.metadata.name);
  w.line(0, 'Namespace:', ep.metadata.namespace ?? '');
  labelsAndAnnotations(w, ep);
  w.write(0, 'Subsets:\n');
  for (const ss of (ep.subsets ?? []) as any[]) {
    const ips = (l: { ip: string }[] | undefined) => (l?.length ? l.map((a) => a.ip).join(',') : '<none>');
    w.line(1, 'Addresses:', ips(ss.addresses));
    w.line(1, 'NotReadyAddresses:', ips(ss.notReadyAddresses));
    if (ss.ports?.length) {
      w.write(1, 'Ports:\n');
      w.line(2, 'Name', 'Port', 'Protocol');
      w.line(2, '----', '----', '--------');
      for (const p of ss.ports) w.line(2, p.name || '<unset>', String(p.port), p.protocol ?? 'TCP');
    }
    w.write(0, '\n');
  }
  describeEvents(w, sim, sim.eventsFor(ep));
  return w.toString();
}

/** describePodDisruptionBudget is PodDisruptionBudgetDescriber: the bound, the selector and the budget's status. */
export function describePodDisruptionBudget(sim: Sim, pdb: KubeObject): string {
  const w = new PrefixWriter();
  const st = pdb.status ?? {};
  w.line(0, 'Name:', pdb.metadata.name);
  w.line(0, 'Namespace:', pdb.metadata.namespace ?? '');
  if (pdb.spec?.minAvailable !== undefined) w.line(0, 'Min available:', String(pdb.spec.minAvailable));
  else if (pdb.spec?.maxUnavailable !== undefined) w.line(0, 'Max unavailable:', String(pdb.spec.maxUnavailable));
  w.line(0, 'Selector:', pdb.spec?.selector ? formatSelector(pdb.spec.selector) : '<unset>');
  w.write(0, 'Status:\n');
  w.line(2, 'Allowed disruptions:', String(st.disruptionsAllowed ?? 0));
  w.line(2, 'Current:', String(st.currentHealthy ?? 0));
  w.line(2, 'Desired:', String(st.desiredHealthy ?? 0));
  w.line(2, 'Total:', String(st.expectedPods ?? 0));
  describeEvents(w, sim, sim.eventsFor(pdb));
  return w.toString();
}

/** describeStorageClass is StorageClassDescriber. */
export function describeStorageClass(sim: Sim, sc: KubeObject): string {
  const w = new PrefixWriter();
  const ann = sc.metadata.annotations ?? {};
  const isDefault = ann['storageclass.kubernetes.io/is-default-class'] === 'true' || ann['storageclass.beta.kubernetes.io/is-default-class'] === 'true';
  w.line(0, 'Name:', sc.metadata.name);
  w.line(0, 'IsDefaultClass:', isDefault ? 'Yes' : 'No');
  w.line(0, 'Annotations:', annotationsLine(sc));
  w.line(0, 'Provisioner:', sc.provisioner ?? '');
  w.line(0, 'Parameters:', labelsString(sc.parameters));
  w.line(0, 'AllowVolumeExpansion:', sc.allowVolumeExpansion === undefined ? '<unset>' : sc.allowVolumeExpansion ? 'True' : 'False');
  const opts = (sc.mountOptions ?? []) as string[];
  if (opts.length === 0) w.line(0, 'MountOptions:', '<none>');
  else {
    w.write(0, 'MountOptions:\n');
    for (const o of opts) w.write(1, `${o}\n`);
  }
  if (sc.reclaimPolicy) w.line(0, 'ReclaimPolicy:', sc.reclaimPolicy);
  if (sc.volumeBindingMode) w.line(0, 'VolumeBindingMode:', sc.volumeBindingMode);
  describeEvents(w, sim, sim.eventsFor(sc));
  return w.toString();
}

/** describePriorityClass is PriorityClassDescriber. */
export function describePriorityClass(sim: Sim, pc: KubeObject): string {
  const w = new PrefixWriter();
  w.line(0, 'Name:', pc.metadata.name);
  w.line(0, 'Value:', String(pc.value ?? 0));
  w.line(0, 'GlobalDefault:', String(!!pc.globalDefault));
  w.line(0, 'PreemptionPolicy:', pc.preemptionPolicy ?? 'PreemptLowerPriority');
  w.line(0, 'Description:', pc.description ?? '');
  w.line(0, 'Annotations:', annotationsLine(pc));
  describeEvents(w, sim, sim.eventsFor(pc));
  return w.toString();
}
