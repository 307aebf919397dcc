/**
 * The pod garbage collector's orphan sweep (pkg/controller/podgc gcOrphaned): a pod bound to a node that
 * does not exist (a typo in spec.nodeName, a node deleted with `kubectl delete node`) is never started by
 * any kubelet. PodGC runs every 20 s (gcCheckPeriod, from the controller's start); a missing node it finds
 * waits in quarantine for 40 s (quarantineTime, in case it is being re-created), and if it is still missing
 * then, each of its pods is marked Failed with the DisruptionTarget condition (DeletionByPodGC) and deleted
 * at once (markFailedAndDeletePodWithCondition).
 */
import type { Sim } from '../sim.ts';
import type { Condition, Node, Pod } from '../api/types.ts';
import type { ApiServer } from '../api/server.ts';
import { setCondition } from '../api/podutil.ts';

const CONTROLLER = 'podgc';
const TIMER = 'podgc/orphans';
/** GC_CHECK_PERIOD_MS is gcCheckPeriod; QUARANTINE_MS is quarantineTime. */
export const GC_CHECK_PERIOD_MS = 20_000;
export const QUARANTINE_MS = 40_000;

interface State {
  /** quarantined: missing nodes waiting out their quarantine (their check is set) */
  quarantined: Record<string, true>;
}

const state = (sim: Sim) => sim.moduleState<State>(CONTROLLER, () => ({ quarantined: {} }));

export function installPodGarbageCollector(sim: Sim): void {
  sim.onTimer(TIMER, (node) => sweep(sim, node));
  const nodeMissing = (name: string) => !sim.store.get<Node>('Node', undefined, name);
  sim.store.watch('Pod', (type, obj) => {
    const node = (obj as Pod).spec?.nodeName;
    if (type !== 'DELETED' && node && nodeMissing(node)) quarantine(sim, node);
  });
  sim.store.watch('Node', (type, obj) => {
    if (type === 'DELETED' && sim.store.byIndex<Pod>('Pod', 'node', obj.metadata.name).length > 0) quarantine(sim, obj.metadata.name);
  });
}

/** quarantine: the next sweep finds the node missing; it is checked again once the quarantine is over. */
function quarantine(sim: Sim, node: string): void {
  const st = state(sim);
  if (st.quarantined[node]) return;
  st.quarantined[node] = true;
  const found = Math.ceil(sim.now() / GC_CHECK_PERIOD_MS) * GC_CHECK_PERIOD_MS;
  sim.at(found + QUARANTINE_MS, TIMER, node);
}

function sweep(sim: Sim, node: string): void {
  delete state(sim).quarantined[node];
  if (sim.store.get<Node>('Node', undefined, node)) return;
  const api = sim.service<ApiServer>('api');
  for (const pod of sim.store.byIndex<Pod>('Pod', 'node', node)) {
    const { namespace, name } = pod.metadata;
    if (pod.status?.phase !== 'Succeeded' && pod.status?.phase !== 'Failed') {
      pod.status = { ...(pod.status ?? {}), phase: 'Failed' };
      const conds = (pod.status.conditions ??= []) as Condition[];
      setCondition(conds, { type: 'DisruptionTarget', status: 'True', reason: 'DeletionByPodGC', message: 'PodGC: node no longer exists', lastProbeTime: null } as Condition, sim.nowIso());
      sim.store.update(pod);
    }
    if (sim.store.get<Pod>('Pod', namespace, name)) api.delete('Pod', namespace, name, { gracePeriodSeconds: 0 });
  }
}
