/** graphInputOf is buildGraph's input from the page's objects by kind (the maps useGraphNodes selects). */
import type { ObjectsByKind } from '../state/cluster.ts';
import type { GraphInput } from './useGraphNodes.ts';

const EMPTY = new Map();

export function graphInputOf(o: ObjectsByKind): GraphInput {
  return {
    nodes: o.Node ?? EMPTY,
    pods: o.Pod ?? EMPTY,
    deployments: o.Deployment ?? EMPTY,
    replicaSets: o.ReplicaSet ?? EMPTY,
    services: o.Service ?? EMPTY,
    endpoints: o.Endpoints ?? EMPTY,
    rollouts: o.Rollout ?? EMPTY,
    statefulSets: o.StatefulSet ?? EMPTY,
    daemonSets: o.DaemonSet ?? EMPTY,
    cronJobs: o.CronJob ?? EMPTY,
    jobs: o.Job ?? EMPTY,
    revisions: o.ControllerRevision ?? EMPTY,
    hpas: o.HorizontalPodAutoscaler ?? EMPTY,
    claims: o.PersistentVolumeClaim ?? EMPTY,
    volumes: o.PersistentVolume ?? EMPTY,
  };
}
