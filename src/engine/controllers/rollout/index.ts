/**
 * The Argo Rollouts controller (argoproj/argo-rollouts rollout/ and analysis/): controller
 * `rollout` reconciles Rollouts (sync.ts), controller `analysisrun` takes AnalysisRun measurements
 * (analysisrun.ts). Watches: Rollouts; ReplicaSets and AnalysisRuns they own; and Services,
 * Ingresses and AnalysisTemplates appearing later than the Rollout that names them.
 */
import type { Sim } from '../../sim.ts';
import type { KubeObject } from '../../api/types.ts';
import { syncRollout } from './sync.ts';
import { syncAnalysisRun } from './analysisrun.ts';
import { ANALYSIS_CONTROLLER, MEASURE_TIMER, REQUEUE_TIMER, ROLLOUT_CONTROLLER } from './util.ts';

export { runArgoRolloutsCommand } from './commands.ts';

const keyOf = (o: KubeObject) => `${o.metadata.namespace}/${o.metadata.name}`;

export function installRolloutController(sim: Sim): void {
  sim.addController({ name: ROLLOUT_CONTROLLER, sync: (key) => syncRollout(sim, key) });
  sim.addController({ name: ANALYSIS_CONTROLLER, sync: (key) => syncAnalysisRun(sim, key) });
  const enqueueOwner = (o: KubeObject) => {
    const ref = o.metadata.ownerReferences?.find((r) => r.controller && r.kind === 'Rollout');
    if (ref) sim.enqueue(ROLLOUT_CONTROLLER, `${o.metadata.namespace}/${ref.name}`);
  };
  sim.store.watch('Rollout', (type, o) => {
    if (type !== 'DELETED') sim.enqueue(ROLLOUT_CONTROLLER, keyOf(o));
  });
  sim.store.watch('ReplicaSet', (_t, o) => enqueueOwner(o));
  sim.store.watch('AnalysisRun', (type, o) => {
    if (type !== 'DELETED') sim.enqueue(ANALYSIS_CONTROLLER, keyOf(o));
    enqueueOwner(o);
  });
  // The job provider's measurement ends when its Job does (metricproviders/job).
  sim.store.watch('Job', (_t, o) => {
    const ref = o.metadata.ownerReferences?.find((r) => r.controller && r.kind === 'AnalysisRun');
    if (ref) sim.enqueue(ANALYSIS_CONTROLLER, `${o.metadata.namespace}/${ref.name}`);
  });
  // A Rollout applied before the Service/Ingress/template it names retries when that appears.
  for (const kind of ['Service', 'Ingress', 'AnalysisTemplate', 'ClusterAnalysisTemplate']) {
    sim.store.watch(kind, (type, o) => {
      if (type !== 'ADDED' || sim.store.count('Rollout') === 0) return;
      for (const ro of sim.store.list('Rollout', o.metadata.namespace)) {
        if (ro.status?.conditions?.some((c: any) => c.type === 'InvalidSpec')) sim.enqueue(ROLLOUT_CONTROLLER, keyOf(ro));
      }
    });
  }
  // workloadRef: a change to the referenced Deployment's template is a new revision of the Rollout.
  sim.store.watch('Deployment', (type, d) => {
    if (type === 'DELETED' || sim.store.count('Rollout') === 0) return;
    for (const ro of sim.store.list('Rollout', d.metadata.namespace)) {
      const ref = ro.spec?.workloadRef;
      if (ref?.kind === 'Deployment' && ref.name === d.metadata.name) sim.enqueue(ROLLOUT_CONTROLLER, keyOf(ro));
    }
  });
  sim.onTimer(REQUEUE_TIMER, (key) => sim.enqueue(ROLLOUT_CONTROLLER, key));
  sim.onTimer(MEASURE_TIMER, (key) => sim.enqueue(ANALYSIS_CONTROLLER, key));
}
