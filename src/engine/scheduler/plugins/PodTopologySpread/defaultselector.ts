import type { KubeObject, LabelSelector, LabelSelectorRequirement, Pod } from '../../../api/types.ts';
import { controllerRef } from '../../../api/podutil.ts';
import type { Handle } from '../../framework/types.ts';

/**
 * defaultSelector is the scheduler's helper.DefaultSelector: the selector that the system default
 * spreading constraints count pods with, made from what selects the pod. The selectors of the
 * Services whose selector matches it are merged into one label set; then its controller's selector
 * is added: a ReplicationController's label map merged in, a ReplicaSet's or StatefulSet's
 * requirements ANDed on. Undefined when that leaves nothing to select by (a bare pod without a
 * Service gets no default spreading).
 */
export function defaultSelector(pod: Pod, handle: Handle): LabelSelector | undefined {
  if (!handle.listObjects || !handle.getObject) return undefined;
  const ns = pod.metadata.namespace ?? 'default';
  const labels = pod.metadata.labels ?? {};
  let labelSet: Record<string, string> = {};
  for (const svc of handle.listObjects('Service', ns)) {
    const sel = svc.spec?.selector as Record<string, string> | undefined;
    // GetPodServices: a Service without a selector selects nothing.
    if (!sel || Object.keys(sel).length === 0) continue;
    if (Object.entries(sel).every(([k, v]) => labels[k] === v)) labelSet = { ...labelSet, ...sel };
  }
  const extra: LabelSelectorRequirement[] = [];
  const owner = controllerRef(pod);
  if (owner) {
    const kind = `${owner.apiVersion}/${owner.kind}`;
    const obj: KubeObject | undefined =
      kind === 'v1/ReplicationController' || kind === 'apps/v1/ReplicaSet' || kind === 'apps/v1/StatefulSet' ? handle.getObject(owner.kind, ns, owner.name) : undefined;
    if (obj && owner.kind === 'ReplicationController') labelSet = { ...labelSet, ...((obj.spec?.selector as Record<string, string> | undefined) ?? {}) };
    else if (obj) {
      const sel = obj.spec?.selector as LabelSelector | undefined;
      for (const [key, value] of Object.entries(sel?.matchLabels ?? {})) extra.push({ key, operator: 'In', values: [value] });
      for (const r of sel?.matchExpressions ?? []) extra.push(r);
    }
  }
  if (Object.keys(labelSet).length === 0 && extra.length === 0) return undefined;
  return { matchLabels: labelSet, matchExpressions: extra };
}

/** selectorKey is a canonical text of a selector, for counts memoized per node. */
export function selectorKey(sel: LabelSelector | undefined, ns: string): string {
  return JSON.stringify([ns, sel ?? null]);
}

