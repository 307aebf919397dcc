/**
 * resourcequota.ts: the ResourceQuota controller (pkg/controller/resourcequota), controller
 * `resourcequota`. It keeps each quota's status.hard (= spec.hard) and status.used (recounted from
 * the namespace's pods, services, claims and counted objects) current, so usage freed by deleted
 * or finished pods becomes available again. Admission (admission/resourcequota.ts) charges new
 * objects at once; this recount is the source of truth after.
 */
import type { Sim } from '../sim.ts';
import { keyOf } from '../api/store.ts';
import type { KubeObject } from '../api/types.ts';
import { canonicalJson } from '../api/apply.ts';
import { calculateUsage, type ResourceQuota } from '../admission/resourcequota.ts';
import { formatUsage } from '../admission/resources.ts';

export const RQ_CONTROLLER = 'resourcequota';

const isObj = (v: unknown): v is Record<string, any> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** syncResourceQuota recounts one quota and writes status.hard/used when they changed. */
export function syncResourceQuota(sim: Sim, key: string): void {
  const q = sim.store.getByKey<ResourceQuota>('ResourceQuota', key);
  if (!q) return;
  const hard = isObj(q.spec?.hard) ? q.spec.hard : {};
  const names = Object.keys(hard).sort();
  const used = calculateUsage(sim, q.metadata.namespace!, names);
  const next = { hard: { ...hard }, used: Object.fromEntries(names.map((n) => [n, formatUsage(n, used[n] ?? 0)])) };
  if (canonicalJson(next) === canonicalJson(q.status ?? {})) return;
  q.status = next;
  sim.store.update(q, { specChanged: false });
}

/**
 * installResourceQuotaController adds the controller. Quotas resync on their own changes and on
 * any create/delete in their namespace (plus pods turning Succeeded/Failed, which frees their
 * share); namespaces without quotas cost one empty lookup.
 */
export function installResourceQuotaController(sim: Sim): void {
  sim.addController({ name: RQ_CONTROLLER, sync: (key) => syncResourceQuota(sim, key) });
  const enqueueNs = (ns: string | undefined): void => {
    if (!ns) return;
    for (const q of sim.store.list('ResourceQuota', ns)) sim.enqueue(RQ_CONTROLLER, keyOf(q));
  };
  sim.store.watchAll((type, obj: KubeObject) => {
    if (obj.kind === 'ResourceQuota') {
      if (type !== 'DELETED') sim.enqueue(RQ_CONTROLLER, keyOf(obj));
      return;
    }
    if (obj.kind === 'Event' || !obj.metadata?.namespace) return;
    if (type === 'MODIFIED') {
      const phase = obj.kind === 'Pod' ? obj.status?.phase : undefined;
      if (phase !== 'Succeeded' && phase !== 'Failed' && obj.kind !== 'Service' && obj.kind !== 'PersistentVolumeClaim') return;
    }
    enqueueNs(obj.metadata.namespace);
  });
}
