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
  return {
    name: d.metadata.name,
    namespace: ns,
    strategy: explanation.strategy,
    paused,
    progressing: cond?.reason,
    explanation,
    revisions,
    actions: action_,
  };
}
