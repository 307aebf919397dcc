import type { Node, Pod } from '../api/types.ts';
import { setCondition } from '../api/podutil.ts';
import { hasKeys } from '../api/equality.ts';
import type { Sim } from '../sim.ts';
import { SCHEDULER_COMPONENT, schedulerHost } from './recorder.ts';
import { SchedulerCache } from './cache.ts';
import { buildProfile, type Profile, type ProfileConfig } from './framework/registry.ts';
import { backoffDuration, heapPop, heapPush, newQueueState, QUEUE_DICTS, UNSCHEDULABLE_FLUSH_MS, type QueueEntry, type QueueState } from './queue.ts';
import { newScratch, runFilters, schedulePod } from './schedule_one.ts';
import { readableTrace, type AttemptTrace, type ReadableTrace } from './trace.ts';
import { bindPodVolumes, checkBindings, BIND_TIMEOUT_MS, PREBIND_POLL_MS } from './plugins/VolumeBinding/prebind.ts';
import { addNominatedPods, postFilter, prepareCandidate, removeNominatedPods, type PostFilterResult, type PreemptionContext } from './preemption.ts';

export type { ReadableTrace } from './trace.ts';
export { numFeasibleNodesToFind } from './schedule_one.ts';

/** DEFAULT_SCHEDULER_NAME is the schedulerName this scheduler serves (unset means it, too). */
export const DEFAULT_SCHEDULER_NAME = 'default-scheduler';
const CONTROLLER = 'scheduler';
const STATE = 'scheduler';
const TIMER_BACKOFF = 'scheduler/backoff';
const TIMER_FLUSH = 'scheduler/flush';
const TIMER_PREBIND = 'scheduler/prebind';

/** SchedulerOptions: a profile (plugin args, e.g. MostAllocated) and percentageOfNodesToScore (0 = adaptive). */
export interface SchedulerOptions {
  profile?: ProfileConfig;
  percentageOfNodesToScore?: number;
}

/** Scheduler is the `scheduler` service: per-pod traces of the last attempt, for the UI and describe. */
export interface SchedulerService {
  /** trace returns the pod's last scheduling attempt: failed filters per node and the top nodes' scores. */
  trace(podUid: string): ReadableTrace | undefined;
  /** pendingCount is the number of pods waiting in the scheduling queue (active, backoff, unschedulable). */
  pendingCount(): number;
}

function podKeyOf(p: Pod): string {
  return `${p.metadata.namespace ?? 'default'}/${p.metadata.name}`;
}

function isOurs(p: Pod): boolean {
  const n = p.spec?.schedulerName;
  return !n || n === DEFAULT_SCHEDULER_NAME;
}

function needsPodEvents(p: Pod): boolean {
  const a = p.spec?.affinity;
  return !!(a?.podAffinity || a?.podAntiAffinity || p.spec?.topologySpreadConstraints?.length);
}

/**
 * installScheduler adds the `scheduler` controller and service. Pods without spec.nodeName whose
 * schedulerName is default-scheduler (or unset) are queued; each sync schedules the highest
 * priority pod: bind (spec.nodeName, PodScheduled=True, event Scheduled) or record the
 * FailedScheduling message and wait for a cluster change or the backoff.
 */
export function installScheduler(sim: Sim, options: SchedulerOptions = {}): void {
  const cache = new SchedulerCache(sim.store);
  const profile: Profile = buildProfile(cache, options.profile);
  const traces = new Map<string, AttemptTrace>();
  const scratch = newScratch();
  const pctx: PreemptionContext = { sim, cache, profile };
  const host = schedulerHost(sim);
  // Derived, rebuilt after restore: which sim work-queue keys are pending (one per active pod).
  const pendingKeys = new Set<string>();
  let tick = 0;
  let builtFor: QueueState | undefined;
  // moves counts cluster events that retry unschedulable pods; a pod whose own attempt saw one (its
  // victims deleted at once, grace 0) is retried as upstream's in-flight event tracking does.
  let moves = 0;

  const q = (): QueueState => sim.moduleState(STATE, newQueueState, QUEUE_DICTS);

  /** fresh rebuilds the cache when sim.restore() replaced the module state (the store did not notify). */
  const fresh = (): QueueState => {
    const s = q();
    if (s !== builtFor) {
      s.nominated ??= {};
      builtFor = s;
      cache.rebuild();
      traces.clear();
      pendingKeys.clear();
      for (const uid of s.active) kick(uid);
      // Pods in their binding cycle (waiting for their volumes) are assumed on their node again.
      for (const e of Object.values(s.entries)) {
        const pod = e.where === 'binding' && e.node ? sim.store.getByKey<Pod>('Pod', e.key) : undefined;
        if (pod) assume(pod, e.node!);
      }
    }
    return s;
  };

  const kick = (uid: string): void => {
    let key = uid;
    while (pendingKeys.has(key)) key = `${uid}#${++tick}`;
    pendingKeys.add(key);
    sim.enqueue(CONTROLLER, key);
  };

  const activate = (s: QueueState, uid: string): void => {
    const e = s.entries[uid];
    e.where = 'active';
    delete s.unschedulable[uid];
    heapPush(s, uid);
    kick(uid);
  };

  /** moveToActiveOrBackoff is movePodsToActiveOrBackoffQueue for one pod. */
  const moveToActiveOrBackoff = (s: QueueState, uid: string): void => {
    const e = s.entries[uid];
    delete s.unschedulable[uid];
    if (sim.now() < e.backoffUntil) {
      e.where = 'backoff';
      sim.at(e.backoffUntil, TIMER_BACKOFF, uid);
    } else activate(s, uid);
  };

  const moveAll = (s: QueueState, onlyPodEvents: boolean): void => {
    moves++;
    // Every bind asks (AssignedPodAdd); the table is nearly always empty, and Object.keys of a
    // dictionary is a runtime call and an array even then.
    if (!hasKeys(s.unschedulable)) return;
    for (const uid of Object.keys(s.unschedulable)) {
      if (onlyPodEvents && !s.entries[uid].podEvents) continue;
      moveToActiveOrBackoff(s, uid);
    }
  };

  const forget = (s: QueueState, uid: string): void => {
    if (s.nominated[uid]) delete s.nominated[uid];
    const e = s.entries[uid];
    if (!e) return;
    delete s.unschedulable[uid];
    // A pod that leaves its binding cycle unbound (gated, given to another scheduler) leaves its assumed
    // room; a deleted one is dropped from the cache by the DELETED event (which also retries waiting pods).
    if (e.where === 'binding') {
      const pod = sim.store.getByKey<Pod>('Pod', e.key);
      if (pod && !pod.spec.nodeName) cache.removePod(uid);
    }
    if (e.where === 'active') e.where = 'gone';
    else delete s.entries[uid];
  };

  sim.store.watch('Node', (type, obj) => {
    const s = fresh();
    const node = obj as Node;
    if (type === 'DELETED') {
      cache.removeNode(node.metadata.name);
      return;
    }
    // A new node, or a change in allocatable, labels, taints, cordon or conditions, may help (NodeAdd / NodeUpdate).
    if (cache.addNode(node)) moveAll(s, false);
  });

  // VolumeBinding's EventsToRegister: a claim, volume or class that appears or changes may let a pod
  // that waits for its claim fit (upstream moves those pods out of the unschedulable queue).
  for (const kind of ['PersistentVolumeClaim', 'PersistentVolume', 'StorageClass']) {
    sim.store.watch(kind, (type) => {
      if (type !== 'DELETED') moveAll(fresh(), false);
    });
  }

  sim.store.watch('Pod', (type, obj) => {
    const s = fresh();
    const pod = obj as Pod;
    const uid = pod.metadata.uid ?? '';
    if (type === 'DELETED') {
      forget(s, uid);
      traces.delete(uid);
      // AssignedPodDelete frees resources, ports and spread/anti-affinity domains.
      if (cache.removePod(uid)) moveAll(s, false);
      return;
    }
    if (pod.spec?.nodeName) {
      forget(s, uid);
      const filed = cache.updatePod(pod);
      if (filed === 'dropped') moveAll(s, false); // a pod that finished frees its requests
      else if (filed === 'added') moveAll(s, true); // AssignedPodAdd: may satisfy pod affinity
      return;
    }
    const e = s.entries[uid];
    // SchedulingGates (PreEnqueue): a pod with gates left waits outside the queue; removing the last
    // one (an update) brings it in.
    const gated = (pod.spec.schedulingGates?.length ?? 0) > 0;
    if (gated || !isOurs(pod) || pod.metadata.deletionTimestamp || pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') {
      forget(s, uid);
      return;
    }
    const gen = pod.metadata.generation ?? 0;
    if (!e) {
      s.entries[uid] = {
        key: pod.metadata.namespace ? sim.store.keyFor(pod) : podKeyOf(pod),
        prio: pod.spec.priority ?? 0,
        seq: s.seq++,
        attempts: 0,
        where: 'active',
        backoffUntil: 0,
        since: sim.now(),
        gen,
        podEvents: needsPodEvents(pod),
      };
      activate(s, uid);
    } else if (e.gen !== gen) {
      // The pod's spec changed (new tolerations, node selector …): retry it.
      e.gen = gen;
      e.prio = pod.spec.priority ?? 0;
      e.podEvents = needsPodEvents(pod);
      if (e.where === 'unschedulable') moveToActiveOrBackoff(s, uid);
    }
  });

  sim.onTimer(TIMER_BACKOFF, (uid) => {
    const s = fresh();
    const e = s.entries[uid];
    if (e && e.where === 'backoff' && sim.now() >= e.backoffUntil) activate(s, uid);
  });

  sim.onTimer(TIMER_FLUSH, (uid) => {
    const s = fresh();
    const e = s.entries[uid];
    // flushUnschedulablePodsLeftover: a pod unschedulable for 5 minutes is retried even without events.
    if (e && e.where === 'unschedulable' && sim.now() - e.since >= UNSCHEDULABLE_FLUSH_MS) moveToActiveOrBackoff(s, uid);
  });

  /** assume files the pod under the node in the cache alone (AssumePod), while its binding cycle runs. */
  const assume = (pod: Pod, node: string): void => {
    // Object.assign, not a spread: see setCondition (a spread spec given nodeName gets a map of its own in Node 20).
    cache.updatePod(Object.assign({}, pod, { spec: Object.assign({}, pod.spec, { nodeName: node }) }));
  };

  /**
   * assign runs the binding cycle for a pod the scheduling cycle placed: bound at once, or, with
   * WaitForFirstConsumer claims to bind or provision, assumed on the node until VolumeBinding's PreBind
   * sees them bound (polled each second, see plugins/VolumeBinding/prebind.ts).
   */
  const assign = (s: QueueState, uid: string, e: QueueEntry, pod: Pod, node: string): void => {
    if (!bindPodVolumes(sim, pod, node)) {
      delete s.entries[uid];
      bind(pod, node);
      return;
    }
    e.where = 'binding';
    e.node = node;
    e.since = sim.now();
    assume(pod, node);
    sim.after(PREBIND_POLL_MS, TIMER_PREBIND, uid);
  };

  sim.onTimer(TIMER_PREBIND, (uid) => {
    const s = fresh();
    const e = s.entries[uid];
    if (!e || e.where !== 'binding' || !e.node) return;
    const pod = sim.store.getByKey<Pod>('Pod', e.key);
    if (!pod || pod.metadata.uid !== uid || pod.spec.nodeName) {
      delete s.entries[uid];
      return;
    }
    const node = e.node;
    let done = checkBindings(sim, pod, node);
    if (done === false && sim.now() - e.since >= BIND_TIMEOUT_MS) done = 'context deadline exceeded';
    if (done === false) {
      sim.after(PREBIND_POLL_MS, TIMER_PREBIND, uid);
      return;
    }
    // The assumed pod leaves the cache: bound, it comes back through the store (an AssignedPodAdd).
    cache.removePod(uid);
    delete e.node;
    if (done === true) {
      delete s.entries[uid];
      const t = traces.get(uid);
      if (t) t.boundAt = sim.now();
      bind(pod, node);
      return;
    }
    // handleBindingCycleError: Unreserve, then the pod is retried after its back-off.
    fail(s, uid, e, pod, `running PreBind plugin "VolumeBinding": binding volumes: ${done}`, undefined, 'SchedulerError');
    moveToActiveOrBackoff(s, uid);
  });

  const bind = (pod: Pod, node: string): void => {
    pod.spec.nodeName = node;
    pod.status ??= {};
    setCondition((pod.status.conditions ??= []), { type: 'PodScheduled', status: 'True', lastProbeTime: null }, sim.nowIso());
    // The binding cycle records about the assumed pod: the queued pod's resourceVersion, before the bind.
    sim.recordEventV1(pod, undefined, 'Normal', 'Scheduled', 'Binding', `Successfully assigned ${podKeyOf(pod)} to ${node}`, SCHEDULER_COMPONENT, host);
    sim.store.update(pod);
  };

  const fail = (s: QueueState, uid: string, e: QueueEntry, pod: Pod, message: string, nominatedNode: string | null | undefined, reason = 'Unschedulable'): void => {
    e.attempts++;
    e.where = 'unschedulable';
    e.since = sim.now();
    e.backoffUntil = sim.now() + backoffDuration(e.attempts);
    s.unschedulable[uid] = true;
    sim.after(UNSCHEDULABLE_FLUSH_MS, TIMER_FLUSH, uid);
    pod.status ??= {};
    let changed = setCondition(
      (pod.status.conditions ??= []),
      { type: 'PodScheduled', status: 'False', reason, message, lastProbeTime: null },
      sim.nowIso(),
    );
    // NominatingInfo: a node to nominate (preemption made room there), null to clear, undefined to keep.
    if (nominatedNode) {
      s.nominated[uid] = { node: nominatedNode, key: e.key, prio: e.prio };
      if (pod.status.nominatedNodeName !== nominatedNode) {
        pod.status.nominatedNodeName = nominatedNode;
        changed = true;
      }
    } else if (nominatedNode === null) {
      if (s.nominated[uid]) delete s.nominated[uid];
      if (pod.status.nominatedNodeName) {
        delete pod.status.nominatedNodeName;
        changed = true;
      }
    }
    // handleSchedulingFailure records the event before it writes the pod's status, so the event's
    // reference carries the resourceVersion the attempt saw (a series key: see eventseries.ts).
    sim.recordEventV1(pod, undefined, 'Warning', 'FailedScheduling', 'Scheduling', message, SCHEDULER_COMPONENT, host);
    if (changed) sim.store.update(pod);
  };

  sim.addController({
    name: CONTROLLER,
    sync(key: string) {
      const s = fresh();
      pendingKeys.delete(key);
      const uid = heapPop(s);
      if (uid === undefined) return;
      const e = s.entries[uid];
      if (!e || e.where !== 'active') {
        if (e?.where === 'gone') delete s.entries[uid];
        return;
      }
      const pod = sim.store.getByKey<Pod>('Pod', e.key);
      if (!pod || pod.metadata.uid !== uid || pod.spec.nodeName) {
        delete s.entries[uid];
        return;
      }
      const added = addNominatedPods(pctx, s, uid, e.prio);
      // evaluateNominatedNode: a pod that preempted tries its nominated node first, alone.
      const nom = pod.status?.nominatedNodeName;
      const nomInfo = nom ? cache.get(nom) : undefined;
      if (nomInfo && !runFilters(profile, pod, nomInfo)) {
        removeNominatedPods(added);
        traces.set(uid, nominatedTrace(e.key, nomInfo.name));
        assign(s, uid, e, pod, nomInfo.name);
        return;
      }
      const r = schedulePod(profile, cache, pod, e.key, s.nextStartNodeIndex, sim.rng, sim.now(), options.percentageOfNodesToScore ?? 0, scratch);
      s.nextStartNodeIndex = r.nextStartNodeIndex;
      traces.set(uid, r.trace);
      if (r.host) {
        removeNominatedPods(added);
        assign(s, uid, e, pod, r.host);
        return;
      }
      if (!r.diagnosis) {
        removeNominatedPods(added);
        fail(s, uid, e, pod, r.message!, undefined);
        return;
      }
      let post: PostFilterResult;
      try {
        post = postFilter(pctx, pod, r, r.trace);
      } finally {
        removeNominatedPods(added);
      }
      // Upstream's order: the victims are deleted (PostFilter), then the failure is recorded with the nomination.
      const movesBefore = moves;
      if (post.candidate) prepareCandidate(pctx, s, pod, post.candidate);
      fail(s, uid, e, pod, post.message, post.nominate);
      if (moves !== movesBefore && s.unschedulable[uid]) moveToActiveOrBackoff(s, uid);
    },
  });

  /** nominatedTrace is the trace of an attempt decided on the nominated node alone. */
  const nominatedTrace = (podKey: string, node: string): AttemptTrace => ({
    podKey,
    at: sim.now(),
    numAllNodes: cache.nodeInfos().length,
    evaluatedNodes: 1,
    feasibleNodes: 1,
    startIndex: 0,
    failedNodeIds: [],
    failedStatusIdx: [],
    statuses: [],
    filterSkipMask: 0,
    scoreSkipMask: 0,
    top: null,
    chosen: node,
  });

  const service: SchedulerService = {
    trace(podUid) {
      const s = fresh();
      const t = traces.get(podUid);
      if (!t) return undefined;
      const r = readableTrace(t, profile, (id) => cache.nodeNames[id] ?? `#${id}`);
      const e = s.entries[podUid];
      return e?.where === 'binding' && e.node ? { ...r, binding: { node: e.node, since: e.since } } : r;
    },
    pendingCount() {
      const s = fresh();
      let n = 0;
      for (const e of Object.values(s.entries)) if (e.where !== 'gone') n++;
      return n;
    },
  };
  sim.services.set('scheduler', service);
  fresh();
}
