/**
 * deployment.ts: what the Rollout tab shows for a Deployment: its strategy, its revisions (the
 * ReplicaSets it controls, newest first), the explanation of the rollout's current step
 * (explainDeployment, the controller's own arithmetic) and the `kubectl rollout` buttons.
 */
import type { Deployment, Pod, ReplicaSet } from '../../engine/api/types.ts';
import { controllerRef } from '../../engine/api/podutil.ts';
import { explainDeployment, type Explanation } from '../../engine/controllers/deployment/explain.ts';
import { revision } from '../../engine/controllers/deployment/util.ts';
import { action, type Action } from './actions.ts';
import { getCondition } from '../../engine/api/podutil.ts';
import { podColumns } from '../../engine/kubectl/podstatus.ts';
import { statusTone } from '../graph/colors.ts';

/** FailingPod: a pod of the new revision that is not on its way to Ready (its STATUS, or why it is unschedulable). */
export interface FailingPod {
  name: string;
  status: string;
}

export interface RevisionRow {
  name: string;
  /** hash: the pod-template-hash (the revision's colour in the graph) */
  hash: string;
  revision: number;
  images: string[];
  replicas: number;
  ready: number;
  available: number;
  current: boolean;
  changeCause?: string;
}

export interface DeploymentView {
  name: string;
  namespace: string;
  strategy: string;
  paused: boolean;
  /** progressing: the Progressing condition's reason (NewReplicaSetAvailable, ProgressDeadlineExceeded …) */
  progressing?: string;
  explanation: Explanation;
  revisions: RevisionRow[];
  actions: Action[];
  /** failing: the new revision's pods that are failing while the rollout waits for them (ImagePullBackOff, CrashLoopBackOff, unschedulable …) */
  failing: FailingPod[];
  /** progressDeadlineSeconds: how long the controller waits for progress before ProgressDeadlineExceeded */
  progressDeadlineSeconds: number;
}

/** deploymentView builds the tab's model; replicaSets and pods may include others' (filtered by owner). */
export function deploymentView(d: Deployment, replicaSets: readonly ReplicaSet[], pods: readonly Pod[]): DeploymentView {
  const uid = d.metadata.uid;
  const rss = replicaSets.filter((rs) => controllerRef(rs)?.uid === uid && !rs.metadata.deletionTimestamp);
  const rsUids = new Set(rss.map((rs) => rs.metadata.uid));
  const ownPods = pods.filter((p) => rsUids.has(controllerRef(p)?.uid));
  const explanation = explainDeployment(d, rss, ownPods);
  const revisions: RevisionRow[] = rss
    .map((rs) => ({
      name: rs.metadata.name,
      hash: rs.metadata.labels?.['pod-template-hash'] ?? '',
      revision: revision(rs),
      images: (rs.spec.template?.spec?.containers ?? []).map((c) => c.image),
      replicas: rs.spec.replicas ?? 0,
      ready: rs.status?.readyReplicas ?? 0,
      available: rs.status?.availableReplicas ?? 0,
      current: rs.metadata.name === explanation.newRS,
      changeCause: rs.metadata.annotations?.['kubernetes.io/change-cause'],
    }))
    .sort((a, b) => b.revision - a.revision || a.name.localeCompare(b.name));
  const ns = d.metadata.namespace ?? 'default';
  const ref = `deployment/${d.metadata.name} -n ${ns}`;
  const paused = !!d.spec.paused;
  const pausedText = 'the deployment is paused: Resume it first';
  const action_ = [
    action('pause', 'Pause', `kubectl rollout pause ${ref}`, paused ? 'already paused' : undefined, 'stop rolling out: later template changes wait until resumed'),
    action('resume', 'Resume', `kubectl rollout resume ${ref}`, paused ? undefined : 'not paused', 'let the controller roll out again'),
    action('undo', 'Undo', `kubectl rollout undo ${ref}`, paused ? pausedText : revisions.length < 2 ? 'no earlier revision to go back to' : undefined, 'roll back to the previous revision’s template'),
    action('restart', 'Restart', `kubectl rollout restart ${ref}`, paused ? pausedText : undefined, 'replace every pod with a rolling update (restartedAt annotation)'),
  ];
  const cond = d.status?.conditions?.find((c) => c.type === 'Progressing');
  const newUid = rss.find((rs) => rs.metadata.name === explanation.newRS)?.metadata.uid;
  const failing = explanation.state === 'complete' || !newUid ? [] : failingPods(ownPods.filter((p) => controllerRef(p)?.uid === newUid));
  return {
    name: d.metadata.name,
    namespace: ns,
    strategy: explanation.strategy,
    paused,
    progressing: cond?.reason,
    explanation,
    revisions,
    actions: action_,
    failing,
    progressDeadlineSeconds: d.spec.progressDeadlineSeconds ?? 600,
  };
}

/** failingPods: pods whose STATUS is a failure (the graph's red chips) or that the scheduler could not place. */
function failingPods(pods: readonly Pod[]): FailingPod[] {
  const out: FailingPod[] = [];
  for (const p of pods) {
    if (p.metadata.deletionTimestamp) continue;
    const status = podColumns(p, 0).status;
    const ready = getCondition(p.status?.conditions, 'Ready')?.status === 'True';
    const sched = getCondition(p.status?.conditions, 'PodScheduled');
    if (sched?.status === 'False' && sched.reason === 'Unschedulable') out.push({ name: p.metadata.name, status: 'Pending (unschedulable)' });
    else if (statusTone(status, ready) === 'bad') out.push({ name: p.metadata.name, status });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}
