/**
 * RolloutPanel is the side panel's Rollout tab: the selected Deployment or Argo Rollout (or the owner
 * of the selected pod or ReplicaSet, or the only one in the cluster), where its rollout stands, and
 * buttons that send the same commands the terminal would.
 */
import { useMemo } from 'react';
import type { Deployment } from '../../engine/api/types.ts';
import { objKey, useCluster } from '../state/cluster.ts';
import { useUi } from '../state/ui.ts';
import { ArgoRollout } from './ArgoRollout.tsx';
import { DeploymentRollout } from './DeploymentRollout.tsx';
import { resolveTarget } from './target.ts';
import './rollout.css';

export default function RolloutPanel() {
  const selected = useUi((s) => s.selected);
  const deployments = useCluster((s) => s.objects.Deployment);
  const rollouts = useCluster((s) => s.objects.Rollout);
  const replicaSets = useCluster((s) => s.objects.ReplicaSet);
  const pods = useCluster((s) => s.objects.Pod);
  // Only the kinds resolveTarget reads: a pod's owner is found through its ReplicaSet.
  const { target, hint } = useMemo(
    () => resolveTarget(selected, { Deployment: deployments ?? new Map(), Rollout: rollouts ?? new Map(), ReplicaSet: replicaSets ?? new Map(), Pod: pods ?? new Map() }),
    [selected, deployments, rollouts, replicaSets, pods],
  );
  const obj = target ? (target.kind === 'Deployment' ? deployments : rollouts)?.get(objKey(target.namespace || undefined, target.name)) : undefined;
  if (!target) return <p className="muted pad" data-testid="rollout-hint">{hint}</p>;
  if (!obj) {
    return (
      <p className="muted pad" data-testid="rollout-hint">
        {target.kind} {target.namespace}/{target.name} no longer exists.
      </p>
    );
  }
  return target.kind === 'Deployment' ? <DeploymentRollout d={obj as Deployment} /> : <ArgoRollout ro={obj} />;
}
