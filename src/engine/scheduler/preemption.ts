/**
 * preemption.ts (scheduler side) wires DefaultPreemption into the scheduling cycle: the nominator
 * (pods nominated to a node count there for lower-priority pods), the PostFilter call after a failed
 * attempt, and prepareCandidate, which deletes the victims. The victim selection and candidate
 * ordering themselves are in framework/preemption.ts.
 */
import type { Pod } from '../api/types.ts';
import { setCondition } from '../api/podutil.ts';
import type { Sim } from '../sim.ts';
import { SCHEDULER_COMPONENT, schedulerHost } from './recorder.ts';
import type { SchedulerCache } from './cache.ts';
import { fitErrorMessage } from './framework/fiterror.ts';
import { newPodInfo, type NodeInfo, type PodInfo } from './framework/nodeinfo.ts';
import { pdbInfo, podPriority, preempt, type Candidate, type PdbInfo } from './framework/preemption.ts';
import type { Profile } from './framework/registry.ts';
import type { QueueState } from './queue.ts';
import { runFilters, type ScheduleResult } from './schedule_one.ts';
import type { AttemptTrace } from './trace.ts';

const DEFAULT_SCHEDULER_NAME = 'default-scheduler';

/** PreemptionContext is what the glue needs from the scheduler: the sim, its cache and profile. */
export interface PreemptionContext {
  sim: Sim;
  cache: SchedulerCache;
  profile: Profile;
}

/** PostFilterResult: the FailedScheduling message, the nomination (node, null = clear, undefined = keep) and the chosen candidate. */
export interface PostFilterResult {
  message: string;
  nominate: string | null | undefined;
  candidate?: Candidate;
}

function podKeyOf(p: Pod): string {
  return `${p.metadata.namespace ?? 'default'}/${p.metadata.name}`;
}

/**
 * addNominatedPods is addNominatedPods for the whole attempt: pods nominated to a node (waiting
 * for their victims to go) with a priority at least the pod's are counted on that node, so a
 * lower-priority pod cannot take the room a preemptor made. Returns what to take back out.
 * Nothing to do (and nothing allocated) when no pod is nominated: the common case.
 */
export function addNominatedPods(c: PreemptionContext, s: QueueState, uid: string, prio: number): [NodeInfo, PodInfo][] | undefined {
  let added: [NodeInfo, PodInfo][] | undefined;
  for (const nuid in s.nominated) {
    const n = s.nominated[nuid];
    if (nuid === uid || n.prio < prio) continue;
    const ni = c.cache.get(n.node);
    const np = c.sim.store.getByKey<Pod>('Pod', n.key);
    if (!ni || !np || np.metadata.uid !== nuid || np.spec.nodeName || ni.pods.has(nuid)) continue;
    const pi = newPodInfo(np);
    ni.addPod(pi);
    (added ??= []).push([ni, pi]);
  }
  return added;
}

/** removeNominatedPods takes the nominated pods addNominatedPods counted back out of their nodes. */
export function removeNominatedPods(added: [NodeInfo, PodInfo][] | undefined): void {
  if (!added) return;
  for (let i = added.length - 1; i >= 0; i--) added[i][0].removePod(added[i][1].uid);
}

/**
 * postFilter runs DefaultPreemption after a failed attempt and returns the FailedScheduling
 * message and the nomination: the FitError alone when victims were chosen (they are deleted
 * here), or with the "preemption: …" sentence when preemption could not help.
 */
export function postFilter(c: PreemptionContext, pod: Pod, r: ScheduleResult, trace: AttemptTrace): PostFilterResult {
  const { sim, cache, profile } = c;
  const d = r.diagnosis!;
  const prio = podPriority(pod);
  const lowerPriorityExists = cache.hasPodsBelow(prio);
  let pdbs: PdbInfo[] = [];
  if (lowerPriorityExists && pod.spec.preemptionPolicy !== 'Never') {
    pdbs = [];
    for (const b of sim.store.list<any>('PodDisruptionBudget')) {
      const info = pdbInfo(b);
      if (info) pdbs.push(info);
    }
  }
  const nomName = pod.status?.nominatedNodeName;
  const res = preempt({
    pod,
    numAllNodes: trace.numAllNodes,
    failedNodes: d.failedNodes,
    failedStatuses: d.failedStatuses,
    pdbs,
    fits: (p, ni) => runFilters(profile, p, ni),
    nominatedNode: nomName ? cache.get(nomName) : undefined,
    rng: sim.rng,
    now: sim.now(),
    lowerPriorityExists,
  });
  const fit = fitErrorMessage(trace.numAllNodes, d.failedStatuses, d.preFilterMsg, res.message ?? '');
  trace.message = fit;
  if (!res.candidate) {
    if (res.message?.startsWith('preemption: not eligible')) {
      trace.preemption = { candidates: 0, message: res.message };
      return { message: fit, nominate: undefined };
    }
    trace.preemption = { candidates: 0, message: res.message };
    return { message: fit, nominate: nomName ? null : undefined };
  }
  trace.preemption = {
    candidates: res.candidates,
    nominatedNode: res.candidate.node,
    victims: res.candidate.victims.map(podKeyOf),
    pdbViolations: res.candidate.numPDBViolations,
  };
  return { message: fit, nominate: res.candidate.node, candidate: res.candidate };
}

/**
 * prepareCandidate deletes the victims gracefully (DisruptionTarget condition, event
 * `Preempted by pod <uid> on node <node>`) and takes the nomination away from lower-priority
 * pods nominated to the same node, which may no longer fit there.
 */
export function prepareCandidate(ctx: PreemptionContext, s: QueueState, pod: Pod, c: Candidate): void {
  const { sim } = ctx;
  const api = sim.services.get('api') as { delete?: (k: string, ns: string, n: string) => unknown } | undefined;
  for (const v of c.victims) {
    const conds = (v.status.conditions ??= []);
    const changed = setCondition(
      conds,
      { type: 'DisruptionTarget', status: 'True', reason: 'PreemptionByScheduler', message: `${v.spec.schedulerName ?? DEFAULT_SCHEDULER_NAME}: preempting to accommodate a higher priority pod`, lastProbeTime: null },
      sim.nowIso(),
    );
    // The event is about the victim as the scheduler's snapshot has it (before its status patch), related to the preemptor.
    sim.recordEventV1(v, pod, 'Normal', 'Preempted', 'Preempting', `Preempted by pod ${pod.metadata.uid} on node ${c.node}`, SCHEDULER_COMPONENT, schedulerHost(sim));
    if (changed) sim.store.update(v);
    const ns = v.metadata.namespace ?? 'default';
    if (api?.delete) api.delete('Pod', ns, v.metadata.name);
    else sim.store.remove('Pod', ns, v.metadata.name);
  }
  const prio = podPriority(pod);
  for (const nuid of Object.keys(s.nominated)) {
    const n = s.nominated[nuid];
    if (n.node !== c.node || n.prio >= prio || nuid === pod.metadata.uid) continue;
    delete s.nominated[nuid];
    const np = sim.store.getByKey<Pod>('Pod', n.key);
    if (np?.status?.nominatedNodeName) {
      delete np.status.nominatedNodeName;
      sim.store.update(np);
    }
  }
}
