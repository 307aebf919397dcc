/**
 * controllerpods.ts: pod creation for controllers that write the store directly, with the
 * admission the API server would run and upstream's failure handling (controller_utils.go
 * CreatePods + replica_set.go slowStartBatch/calculateStatus):
 *  - a refused pod records `Warning FailedCreate: Error creating: <API error>` on the owner;
 *  - the owner gets condition ReplicaFailure=True, reason FailedCreate, message the error
 *    (removed again by the next successful create, or by a sync with nothing refused: clearReplicaFailure);
 *  - the owner's controller is retried with the workqueue's exponential back-off (5 ms doubling,
 *    capped at 1000 s: workqueue.DefaultControllerRateLimiter), since quota freed by another
 *    namespace object does not otherwise wake it.
 */
import type { Sim } from '../sim.ts';
import { ApiError } from '../api/errors.ts';
import { keyOf } from '../api/store.ts';
import type { Condition, KubeObject, Pod } from '../api/types.ts';
import { admitControllerPod } from './index.ts';
import { installPriorityClasses } from './priority.ts';

export const RETRY_TIMER = 'admission/retry';
const BASE_DELAY_MS = 5;
const MAX_DELAY_MS = 1000 * 1000;

interface RetryState {
  /** failures by `controller|ownerKey`: how many creates failed in a row (the back-off exponent). */
  failures: Record<string, number>;
  /** retryAt by `controller|ownerKey`: when the pending retry fires (one at a time, as AddRateLimited dedups). */
  retryAt: Record<string, number>;
}

const RETRY_DICTS = ['failures', 'retryAt'] as const;

const state = (sim: Sim): RetryState => {
  const st = sim.moduleState<RetryState>('admission', () => ({ failures: {}, retryAt: {} }), RETRY_DICTS);
  st.retryAt ??= {};
  return st;
};

/**
 * installAdmission registers the retry timer and creates the system PriorityClasses (cluster.ts
 * calls it once, after the API server).
 */
export function installAdmission(sim: Sim): void {
  installPriorityClasses(sim);
  sim.onTimer(RETRY_TIMER, (key) => {
    const st = state(sim);
    if (st.retryAt[key] === sim.now()) delete st.retryAt[key];
    const bar = key.indexOf('|');
    sim.enqueue(key.slice(0, bar), key.slice(bar + 1));
  });
}

export const REPLICA_FAILURE = 'ReplicaFailure';

function setFailure(sim: Sim, owner: KubeObject, message: string | undefined): void {
  const conds: Condition[] = owner.status?.conditions ?? [];
  const i = conds.findIndex((c) => c.type === REPLICA_FAILURE);
  if (message === undefined) {
    if (i < 0) return;
    owner.status.conditions = conds.filter((_, j) => j !== i);
    if (owner.status.conditions.length === 0) delete owner.status.conditions;
  } else {
    // calculateStatus adds the condition only when absent: its message is the first failure's.
    if (i >= 0) return;
    owner.status = owner.status ?? {};
    owner.status.conditions = [...conds, { type: REPLICA_FAILURE, status: 'True', lastTransitionTime: sim.nowIso(), reason: 'FailedCreate', message }];
  }
  sim.store.update(owner, { specChanged: false });
}

/** clearReplicaFailure drops the owner's ReplicaFailure condition (no write when it has none). */
export function clearReplicaFailure(sim: Sim, owner: KubeObject): void {
  setFailure(sim, owner, undefined);
}

/**
 * createControllerPod admits and stores a pod (already through preparePodForCreate) for `owner`.
 * Returns the stored pod, or undefined when admission refused it (event, condition and retry done):
 * the caller stops creating for this sync, as slowStartBatch does.
 */
export function createControllerPod(sim: Sim, pod: Pod, owner: KubeObject, component: string, controller: string): Pod | undefined {
  const retryKey = `${controller}|${keyOf(owner)}`;
  try {
    admitControllerPod(sim, pod);
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    sim.recordEvent(owner, 'Warning', 'FailedCreate', `Error creating: ${e.message}`, component);
    setFailure(sim, owner, e.message);
    const st = state(sim);
    const n = (st.failures[retryKey] ?? 0) + 1;
    st.failures[retryKey] = n;
    installAdmission(sim); // idempotent: a cluster built without it still gets its retries
    if (st.retryAt[retryKey] === undefined || st.retryAt[retryKey] < sim.now()) {
      const at = sim.now() + Math.min(BASE_DELAY_MS * 2 ** (n - 1), MAX_DELAY_MS);
      st.retryAt[retryKey] = at;
      sim.at(at, RETRY_TIMER, retryKey);
    }
    return undefined;
  }
  const created = sim.store.create(pod);
  const st = state(sim);
  if (st.failures[retryKey] !== undefined) delete st.failures[retryKey];
  setFailure(sim, owner, undefined);
  return created;
}
