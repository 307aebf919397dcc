import type { Sim } from '../sim.ts';
import type { Node, Pod, Taint } from '../api/types.ts';
import { parseIsoTime } from '../clock.ts';
import { minTolerationSeconds, taintEvict, TAINT_NOT_READY, TAINT_UNREACHABLE } from './nodelifecycle.ts';

/**
 * The taint eviction controller (pkg/controller/tainteviction) for the NoExecute taints that people and
 * other tools put on nodes, e.g. `kubectl taint nodes worker-1 dedicated=db:NoExecute`. For each pod on
 * such a node (processPodOnNode):
 * - a pod that does not tolerate every NoExecute taint is deleted at once;
 * - a pod whose tolerations all have tolerationSeconds is deleted when the shortest runs out, counted
 *   from the taint's timeAdded when it has one, else from when the controller first saw the node's
 *   NoExecute taints as they are now (a change of them starts over, as upstream cancels and re-queues);
 * - a pod that tolerates them without tolerationSeconds stays.
 * The node lifecycle controller's own node.kubernetes.io/unreachable and not-ready taints, with their
 * 300 s default tolerations, are handled in nodelifecycle.ts by the same rule: a pod is evicted by
 * whichever comes first.
 */
const CONTROLLER = 'tainteviction';
const TIMER = 'tainteviction/evict';

interface State {
  /** since: when the controller first saw a node's NoExecute taints as they are ("node|signature") */
  since: Record<string, number>;
  /** timers: the eviction timers set (their keys), so a node synced again does not set them twice */
  timers: Record<string, true>;
}

function state(sim: Sim): State {
  return sim.moduleState<State>(CONTROLLER, () => ({ since: {}, timers: {} }), ['since', 'timers']);
}

/** userNoExecute is a node's NoExecute taints other than the node lifecycle controller's own. */
function userNoExecute(node: Node | undefined): Taint[] {
  return (node?.spec?.taints ?? []).filter((t) => t.effect === 'NoExecute' && t.key !== TAINT_UNREACHABLE && t.key !== TAINT_NOT_READY);
}

function signature(taints: Taint[]): string {
  return taints.map((t) => `${t.key}=${t.value ?? ''}`).join(',');
}

export function installTaintEvictionController(sim: Sim): void {
  // tainted: the nodes with such taints, derived from the store (again after a snapshot is restored, which
  // replaces the module state); a pod bound to one of them is checked.
  let tainted: Set<string> | undefined;
  let builtFor: unknown;
  const taintedNodes = () => {
    if (!tainted || builtFor !== sim.state) {
      builtFor = sim.state;
      tainted = new Set(sim.store.list<Node>('Node').filter((n) => userNoExecute(n).length > 0).map((n) => n.metadata.name));
    }
    return tainted;
  };
  sim.addController({ name: CONTROLLER, sync: (name) => syncNode(sim, name) });
  sim.onTimer(TIMER, (key) => onTimer(sim, key));
  sim.store.watch('Node', (type, obj) => {
    const name = obj.metadata.name;
    const has = type !== 'DELETED' && userNoExecute(obj as Node).length > 0;
    const set = taintedNodes();
    if (has || set.has(name)) sim.enqueue(CONTROLLER, name);
    if (has) set.add(name);
    else set.delete(name);
  });
  sim.store.watch('Pod', (type, obj) => {
    const node = (obj as Pod).spec?.nodeName;
    if (type !== 'DELETED' && node && taintedNodes().has(node)) sim.enqueue(CONTROLLER, node);
  });
}

function syncNode(sim: Sim, name: string): void {
  const st = state(sim);
  const taints = userNoExecute(sim.store.get<Node>('Node', undefined, name));
  const sig = signature(taints);
  // Forget what was seen of the node's earlier taints.
  for (const k of Object.keys(st.since)) if (k.startsWith(`${name}|`) && k !== `${name}|${sig}`) delete st.since[k];
  if (taints.length === 0) return;
  const now = sim.now();
  const seen = (st.since[`${name}|${sig}`] ??= now);
  for (const pod of sim.store.byIndex<Pod>('Pod', 'node', name)) {
    if (pod.metadata.deletionTimestamp || pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') continue;
    let at = Infinity;
    for (const t of taints) {
      const secs = minTolerationSeconds(pod.spec.tolerations, t);
      if (secs === Infinity) continue;
      const from = t.timeAdded ? parseIsoTime(t.timeAdded) : seen;
      at = Math.min(at, secs === undefined ? now : from + secs * 1000);
    }
    if (at === Infinity) continue;
    if (at <= now) {
      taintEvict(sim, pod);
      continue;
    }
    const key = `${name}|${pod.metadata.namespace}/${pod.metadata.name}|${pod.metadata.uid}|${sig}`;
    if (st.timers[key]) continue;
    st.timers[key] = true;
    sim.at(at, TIMER, key);
  }
}

/** onTimer: a toleration ran out; the node is synced again, which evicts the pod if its taints are still there. */
function onTimer(sim: Sim, key: string): void {
  delete state(sim).timers[key];
  sim.enqueue(CONTROLLER, key.slice(0, key.indexOf('|')));
}
