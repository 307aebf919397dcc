import type { Sim } from '../sim.ts';
import type { ReplicaSet } from '../api/types.ts';
import { keyOf } from '../api/store.ts';
import { getCondition, isPodActive, isPodAvailable, isPodReady } from '../api/podutil.ts';
import { parseIsoTime } from '../clock.ts';
import { podsOwnedBy } from './workloadutil.ts';
import type { Counts, Flavor, RsState } from './replicaset.ts';

/**
 * A ReplicaSet's (or ReplicationController's) status as its controller writes it at the end of a
 * sync (pkg/controller/replicaset/replica_set_utils.go calculateStatus, updateReplicaSetStatus):
 * the counts the pod watch keeps, and available pods counted (with a timer for the next one) only
 * when minReadySeconds asks for it.
 */

/** writeStatus is calculateReplicaSetStatus + updateReplicaSetStatus, plus the minReadySeconds timer. */
export function writeStatus(sim: Sim, flavor: Flavor, st: RsState, rs: ReplicaSet, c: Counts): void {
  const minReady = rs.spec.minReadySeconds ?? 0;
  let available = c.ready;
  if (minReady > 0) {
    // Count available pods and find when the next ready one becomes available (ready + minReadySeconds).
    available = 0;
    let next = Infinity;
    const now = sim.now();
    for (const pod of podsOwnedBy(sim, rs.metadata.uid!)) {
      if (!isPodActive(pod) || !isPodReady(pod)) continue;
      if (isPodAvailable(pod, minReady, now)) available++;
      else {
        const lt = getCondition(pod.status?.conditions, 'Ready')?.lastTransitionTime;
        if (lt) next = Math.min(next, parseIsoTime(lt) + minReady * 1000);
      }
    }
    const key = keyOf(rs);
    if (next !== Infinity) {
      const pending = st.availableAt[key];
      if (pending === undefined || pending < now || pending > next) {
        st.availableAt[key] = next;
        sim.at(next, flavor.timer, key);
      }
    }
  }
  const status: ReplicaSet['status'] = { replicas: c.active };
  if (c.labeled) status.fullyLabeledReplicas = c.labeled;
  if (c.ready) status.readyReplicas = c.ready;
  if (available) status.availableReplicas = available;
  status.observedGeneration = rs.metadata.generation;
  if (rs.status?.conditions?.length) status.conditions = rs.status.conditions;
  const old = rs.status ?? { replicas: 0 };
  if (
    old.replicas === status.replicas &&
    old.fullyLabeledReplicas === status.fullyLabeledReplicas &&
    old.readyReplicas === status.readyReplicas &&
    old.availableReplicas === status.availableReplicas &&
    old.observedGeneration === status.observedGeneration
  ) {
    return;
  }
  rs.status = status;
  sim.store.update(rs);
}
