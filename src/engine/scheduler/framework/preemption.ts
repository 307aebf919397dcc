/**
 * preemption.ts is the DefaultPreemption PostFilter plugin and its Evaluator
 * (pkg/scheduler/framework/plugins/defaultpreemption, framework/preemption): when no node fits a
 * pod, find the nodes where evicting lower-priority pods would make it fit, pick one and name the
 * victims. The scheduler (index.ts) then nominates the node and deletes the victims gracefully.
 *
 * It runs only after a failed attempt, so the scheduling hot path pays nothing for it.
 */
import type { Pod } from '../../api/types.ts';
import { compileSelector, type LabelPredicate } from '../../api/selector.ts';
import { parseIsoTime } from '../../clock.ts';
import type { Rng } from '../../rng.ts';
import { newPodInfo, type NodeInfo, type PodInfo } from './nodeinfo.ts';
import type { Status } from './types.ts';
import { preemptionFitError, PREEMPTION_NOT_HELPFUL, NO_PREEMPTION_VICTIMS } from './fiterror.ts';

/**
 * NOT_ELIGIBLE_NEVER / NOT_ELIGIBLE_TERMINATING are PodEligibleToPreemptOthers' messages, without
 * their final period: the FitError's " %v." adds it back ("… preemption: not eligible due to
 * preemptionPolicy=Never." as clusters print it).
 */
export const NOT_ELIGIBLE_NEVER = 'not eligible due to preemptionPolicy=Never';
export const NOT_ELIGIBLE_TERMINATING = 'not eligible due to a terminating pod on the nominated node';

/** MIN_CANDIDATE_NODES_PERCENTAGE / MIN_CANDIDATE_NODES_ABSOLUTE are DefaultPreemptionArgs' defaults (10%, 100). */
export const MIN_CANDIDATE_NODES_PERCENTAGE = 10;
export const MIN_CANDIDATE_NODES_ABSOLUTE = 100;

/** PdbInfo is what preemption needs of a PodDisruptionBudget: its namespace, selector and status. */
export interface PdbInfo {
  name: string;
  namespace: string;
  matches: LabelPredicate;
  disruptionsAllowed: number;
  disruptedPods: Set<string>;
}

/** pdbInfo compiles a PodDisruptionBudget; a PDB with an empty selector matches nothing (upstream's rule). */
export function pdbInfo(pdb: { metadata: { name: string; namespace?: string }; spec?: any; status?: any }): PdbInfo | undefined {
  const sel = pdb.spec?.selector;
  if (!sel || (!Object.keys(sel.matchLabels ?? {}).length && !(sel.matchExpressions ?? []).length)) return undefined;
  return {
    name: pdb.metadata.name,
    namespace: pdb.metadata.namespace ?? 'default',
    matches: compileSelector(sel),
    disruptionsAllowed: pdb.status?.disruptionsAllowed ?? 0,
    disruptedPods: new Set(Object.keys(pdb.status?.disruptedPods ?? {})),
  };
}

/** Fits runs PreFilter and Filter for the pod on one node as it is now (victims removed). */
export type Fits = (pod: Pod, node: NodeInfo) => Status | null;

/** Victims are one candidate node's victims, most important first, and how many of them violate a PDB. */
export interface Candidate {
  node: string;
  victims: Pod[];
  numPDBViolations: number;
}

export function podPriority(pod: Pod): number {
  return pod.spec?.priority ?? 0;
}

/** podStartTime is GetPodStartTime: status.startTime, or now for a pod that has not started. */
function podStartTime(pod: Pod, now: number): number {
  const s = pod.status?.startTime;
  return s ? parseIsoTime(s) : now;
}

/** moreImportantPod is MoreImportantPod: higher priority, then the earlier start time. */
export function moreImportantPod(a: Pod, b: Pod, now: number): number {
  const pa = podPriority(a);
  const pb = podPriority(b);
  if (pa !== pb) return pb - pa;
  return podStartTime(a, now) - podStartTime(b, now);
}

/**
 * filterPodsWithPDBViolation splits pods (already sorted, most important first) into those whose
 * eviction would violate a PDB and those whose would not. Each matching PDB's disruptionsAllowed is
 * spent as pods are counted (a pod already in disruptedPods costs nothing), so with 1 allowed and
 * 3 matching pods the first is non-violating and the other 2 violating.
 */
export function filterPodsWithPDBViolation(pods: Pod[], pdbs: PdbInfo[]): { violating: Pod[]; nonViolating: Pod[] } {
  const allowed = pdbs.map((p) => p.disruptionsAllowed);
  const violating: Pod[] = [];
  const nonViolating: Pod[] = [];
  for (const pod of pods) {
    let violated = false;
    const labels = pod.metadata.labels ?? {};
    const ns = pod.metadata.namespace ?? 'default';
    if (Object.keys(labels).length) {
      for (let i = 0; i < pdbs.length; i++) {
        const pdb = pdbs[i];
        if (pdb.namespace !== ns || !pdb.matches(labels)) continue;
        if (pdb.disruptedPods.has(pod.metadata.name)) continue;
        allowed[i]--;
        if (allowed[i] < 0) violated = true;
      }
    }
    (violated ? violating : nonViolating).push(pod);
  }
  return { violating, nonViolating };
}

export type VictimsResult = { victims: Pod[]; numPDBViolations: number } | { status: Status };

/**
 * selectVictimsOnNode is SelectVictimsOnNode: remove every lower-priority pod from the node; if the
 * pod still does not fit, the node is no candidate (the filter's status says why). Otherwise give
 * pods back one at a time, most important first — first those whose eviction would violate a PDB,
 * then the others — keeping each one that still leaves room. The rest are the victims.
 * The NodeInfo is changed while it runs and restored (same pods, same order) before it returns.
 */
export function selectVictimsOnNode(fits: Fits, pod: Pod, node: NodeInfo, pdbs: PdbInfo[], now: number): VictimsResult {
  const prio = podPriority(pod);
  const original = [...node.pods.values()];
  const potential: PodInfo[] = [];
  for (const pi of original) if (podPriority(pi.pod) < prio) potential.push(pi);
  if (potential.length === 0) return { status: { code: 'UnschedulableAndUnresolvable', reasons: [NO_PREEMPTION_VICTIMS] } };
  for (const pi of potential) node.removePod(pi.uid);
  try {
    const st = fits(pod, node);
    if (st) return { status: st };
    const byPod = new Map(potential.map((pi) => [pi.pod, pi]));
    const sorted = potential.map((pi) => pi.pod);
    sorted.sort((a, b) => moreImportantPod(a, b, now));
    const { violating, nonViolating } = filterPodsWithPDBViolation(sorted, pdbs);
    const victims: Pod[] = [];
    let numPDBViolations = 0;
    // reprievePod: put the pod back; if the preemptor no longer fits, it is a victim after all.
    const reprieve = (p: Pod): boolean => {
      const pi = byPod.get(p)!;
      node.addPod(pi);
      if (fits(pod, node)) {
        node.removePod(pi.uid);
        victims.push(p);
        return false;
      }
      return true;
    };
    for (const p of violating) if (!reprieve(p)) numPDBViolations++;
    for (const p of nonViolating) reprieve(p);
    victims.sort((a, b) => moreImportantPod(a, b, now));
    return { victims, numPDBViolations };
  } finally {
    restore(node, original);
  }
}

/** restore puts back every pod the trial removed, in the original order (the order is part of the state). */
function restore(node: NodeInfo, original: PodInfo[]): void {
  for (const pi of original) if (!node.pods.has(pi.uid)) node.addPod(pi);
  let same = node.pods.size === original.length;
  if (same) {
    let i = 0;
    for (const uid of node.pods.keys()) if (uid !== original[i++].uid) same = false;
  }
  if (!same) {
    node.pods = new Map(original.map((pi) => [pi.uid, pi]));
    node.podCount = original.length;
  }
}

/**
 * pickOneNodeForPreemption is upstream's candidate ordering, each rule breaking the previous one's ties:
 *  1. fewest PDB violations;
 *  2. the lowest priority of the most important victim;
 *  3. the smallest sum of victim priorities, each shifted by 2^31 (MaxInt32 + 1) so that more
 *     victims always weigh more, even at negative priorities;
 *  4. the fewest victims;
 *  5. the latest start time of the earliest-started victim among the highest-priority ones;
 *  6. the first candidate found.
 */
export function pickOneNodeForPreemption(candidates: Candidate[], now: number): Candidate | undefined {
  if (candidates.length === 0) return undefined;
  const scores: ((c: Candidate) => number)[] = [
    (c) => -c.numPDBViolations,
    (c) => -(c.victims.length ? podPriority(c.victims[0]) : Number.MIN_SAFE_INTEGER),
    (c) => -c.victims.reduce((s, p) => s + podPriority(p) + 2 ** 31, 0),
    (c) => -c.victims.length,
    (c) => earliestStartOfHighest(c.victims, now),
  ];
  let rest = candidates;
  for (const score of scores) {
    let best = -Infinity;
    let kept: Candidate[] = [];
    for (const c of rest) {
      const s = score(c);
      if (s > best) {
        best = s;
        kept = [c];
      } else if (s === best) kept.push(c);
    }
    rest = kept;
    if (rest.length === 1) break;
  }
  return rest[0];
}

/** earliestStartOfHighest is GetEarliestPodStartTime: the earliest start among the highest-priority victims. */
function earliestStartOfHighest(victims: Pod[], now: number): number {
  if (victims.length === 0) return now;
  let maxPrio = -Infinity;
  for (const v of victims) maxPrio = Math.max(maxPrio, podPriority(v));
  let earliest = Infinity;
  for (const v of victims) if (podPriority(v) === maxPrio) earliest = Math.min(earliest, podStartTime(v, now));
  return earliest;
}

/** calculateNumCandidates is 10% of the nodes, at least 100, at most all of them. */
export function calculateNumCandidates(numNodes: number): number {
  let n = Math.trunc((numNodes * MIN_CANDIDATE_NODES_PERCENTAGE) / 100);
  if (n < MIN_CANDIDATE_NODES_ABSOLUTE) n = MIN_CANDIDATE_NODES_ABSOLUTE;
  return Math.min(n, numNodes);
}

export interface PreemptInput {
  pod: Pod;
  /** numAllNodes is the size of the node list the attempt saw. */
  numAllNodes: number;
  /** failedNodes / failedStatuses: every node and the status of the filter that rejected it. */
  failedNodes: readonly NodeInfo[];
  failedStatuses: readonly Status[];
  pdbs: PdbInfo[];
  fits: Fits;
  /** nominatedNode is the pod's NodeInfo at status.nominatedNodeName, if any. */
  nominatedNode?: NodeInfo;
  rng: Rng;
  now: number;
  /** lowerPriorityExists: false when no bound pod has a priority below the pod's (then no node has victims). */
  lowerPriorityExists: boolean;
}

export interface PreemptResult {
  /** candidate is the chosen node and its victims; undefined when preemption cannot help. */
  candidate?: Candidate;
  /** message is the PostFilter status message ("preemption: …") when there is no candidate. */
  message?: string;
  /** candidates is how many nodes could have been chosen (for the trace). */
  candidates: number;
  /** clearNomination: the pod's nominatedNodeName should be cleared (no candidate was found). */
  clearNomination: boolean;
}

/**
 * preempt is Evaluator.Preempt for one pod: eligibility, candidates from a dry run over the nodes
 * whose failure preemption might fix, then the best candidate. The message of a failure carries
 * DefaultPreemption's "preemption: " prefix and a FitError of its own (per-node reasons); the
 * caller's FitError adds the final period.
 */
export function preempt(input: PreemptInput): PreemptResult {
  const { pod, now } = input;
  // PodEligibleToPreemptOthers.
  if (pod.spec.preemptionPolicy === 'Never') return { message: `preemption: ${NOT_ELIGIBLE_NEVER}`, candidates: 0, clearNomination: false };
  const nom = input.nominatedNode;
  if (nom && pod.status?.nominatedNodeName) {
    const idx = input.failedNodes.indexOf(nom);
    const unresolvable = idx >= 0 && input.failedStatuses[idx].code === 'UnschedulableAndUnresolvable';
    if (!unresolvable) {
      const prio = podPriority(pod);
      for (const pi of nom.pods.values()) {
        if (pi.pod.metadata.deletionTimestamp && podPriority(pi.pod) < prio) return { message: `preemption: ${NOT_ELIGIBLE_TERMINATING}`, candidates: 0, clearNomination: false };
      }
    }
  }

  // nodesWherePreemptionMightHelp: UnschedulableAndUnresolvable nodes are out.
  const statuses = new Array<Status>(input.failedNodes.length);
  const potential: number[] = [];
  for (let i = 0; i < input.failedNodes.length; i++) {
    const s = input.failedStatuses[i];
    if (s.code === 'UnschedulableAndUnresolvable') statuses[i] = { code: s.code, reasons: [PREEMPTION_NOT_HELPFUL] };
    else potential.push(i);
  }

  const candidates: Candidate[] = [];
  if (potential.length > 0 && input.lowerPriorityExists) {
    // DryRunPreemption from a random offset, stopping once numCandidates are found.
    const numCandidates = calculateNumCandidates(potential.length);
    const offset = input.rng.int(potential.length);
    let nonViolating = 0;
    let violating = 0;
    for (let k = 0; k < potential.length; k++) {
      const i = potential[(offset + k) % potential.length];
      const node = input.failedNodes[i];
      const r = selectVictimsOnNode(input.fits, pod, node, input.pdbs, now);
      if ('status' in r) {
        statuses[i] = r.status;
        continue;
      }
      candidates.push({ node: node.name, victims: r.victims, numPDBViolations: r.numPDBViolations });
      if (r.numPDBViolations === 0) nonViolating++;
      else violating++;
      if (nonViolating > 0 && nonViolating + violating >= numCandidates) break;
    }
  } else {
    for (const i of potential) statuses[i] = { code: 'UnschedulableAndUnresolvable', reasons: [NO_PREEMPTION_VICTIMS] };
  }

  const best = pickOneNodeForPreemption(candidates, now);
  if (best) return { candidate: best, candidates: candidates.length, clearNomination: false };
  // A FitError of its own: every node's preemption status (nodes not evaluated count as not helpful).
  const all: Status[] = [];
  for (const s of statuses) if (s) all.push(s);
  for (let i = all.length; i < input.numAllNodes; i++) all.push({ code: 'UnschedulableAndUnresolvable', reasons: [PREEMPTION_NOT_HELPFUL] });
  return {
    message: preemptionFitError(input.numAllNodes, all),
    candidates: 0,
    clearNomination: true,
  };
}

/** podInfoOf builds the PodInfo of a pod that is not bound (a nominated pod counted on its node). */
export function podInfoOf(pod: Pod): PodInfo {
  return newPodInfo(pod);
}
