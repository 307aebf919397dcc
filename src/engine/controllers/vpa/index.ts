/**
 * vpa: the Vertical Pod Autoscaler, a SIMULATED ADD-ON (kubernetes/autoscaler's
 * vertical-pod-autoscaler: recommender, updater, admission controller). It is not part of
 * Kubernetes and is off by default, as on a real cluster: until `kubeplay addons enable
 * vertical-pod-autoscaler` installs its CustomResourceDefinition, applying a VerticalPodAutoscaler
 * fails with `no matches for kind "VerticalPodAutoscaler" in version "autoscaling.k8s.io/v1"`.
 *
 * Once enabled: the recommender (recommender.ts) runs every minute on the minute, the updater
 * (updater.ts) every minute on the half minute, and the admission controller (admission.ts) sets
 * requests on new pods from the API server's mutating admission (service `vpa`, admitPod).
 */
import type { Sim } from '../../sim.ts';
import type { KubeObject, Pod } from '../../api/types.ts';
import { ApiError } from '../../api/errors.ts';
import { admitPod } from './admission.ts';
import { VPA_CRD_NAME, vpaCrd } from './crd.ts';
import { pruneHistory, recommendOnce, vpaState } from './recommender.ts';
import { updateAll } from './updater.ts';
import { RECOMMENDER_INTERVAL_MS, UPDATER_INTERVAL_MS, VPA_KIND, type VerticalPodAutoscaler } from './types.ts';

export { admitPod, matchingVpa } from './admission.ts';
export { recommendOnce, resolveTarget, vpaState } from './recommender.ts';
export { updateOnce, podPriority } from './updater.ts';
export { estimateContainerResources, getConfidence } from './estimator.ts';
export { VPA_CRD_NAME, vpaCrd } from './crd.ts';
export * from './types.ts';

// addonKinds lives in crd.ts (the scenario checker needs it without the controller).
export { addonKinds } from './crd.ts';

export const RECOMMEND_TIMER = 'vpa/recommend';
export const UPDATE_TIMER = 'vpa/update';
/** ADDON_NAMES: what `kubeplay addons enable …` accepts for this add-on. */
export const ADDON_NAMES = ['vertical-pod-autoscaler', 'vpa'];

interface ApiLike {
  create(obj: KubeObject): KubeObject;
  delete(kind: string, ns: string | undefined, name: string): unknown;
}

/** VpaService is the `vpa` service: the admission controller's hook and the add-on switch. */
export class VpaService {
  constructor(private readonly sim: Sim) {}

  /** admitPod is the mutating webhook for a new pod (admission.ts). */
  admitPod(pod: Pod): void {
    admitPod(this.sim, pod);
  }

  get enabled(): boolean {
    return vpaState(this.sim).enabled;
  }

  /** enable installs the add-on: its CRD (through the API server, so the kind is discovered as any CRD's) and its loops. */
  enable(): string {
    const st = vpaState(this.sim);
    if (st.enabled) return 'unchanged';
    st.enabled = true;
    if (!this.sim.store.get('CustomResourceDefinition', undefined, VPA_CRD_NAME)) {
      const api = this.sim.services.get('api') as ApiLike | undefined;
      if (api) api.create(vpaCrd());
      else this.sim.store.create(vpaCrd());
    }
    this.sim.settle();
    schedule(this.sim);
    return 'enabled';
  }

  /** disable removes the add-on: its loops stop and deleting the CRD deletes every VerticalPodAutoscaler. */
  disable(): string {
    const st = vpaState(this.sim);
    if (!st.enabled) return 'unchanged';
    st.enabled = false;
    st.aggregates = {};
    st.windows = {};
    st.recommendAt = st.updateAt = undefined;
    const api = this.sim.services.get('api') as ApiLike | undefined;
    try {
      if (api) api.delete('CustomResourceDefinition', undefined, VPA_CRD_NAME);
      else this.sim.store.remove('CustomResourceDefinition', undefined, VPA_CRD_NAME);
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
    }
    return 'disabled';
  }
}

/** nextAt is the next instant strictly after now on the grid offset + k × interval. */
function nextAt(now: number, interval: number, offset: number): number {
  return Math.floor((now - offset) / interval) * interval + interval + offset;
}

/** schedule makes sure both loops have their next pass queued while the add-on is on and some VPA exists. */
function schedule(sim: Sim): void {
  const st = vpaState(sim);
  if (!st.enabled || sim.store.list(VPA_KIND).length === 0) return;
  const now = sim.now();
  if (st.recommendAt === undefined || st.recommendAt < now) {
    st.recommendAt = nextAt(now, RECOMMENDER_INTERVAL_MS, 0);
    sim.at(st.recommendAt, RECOMMEND_TIMER, '');
  }
  if (st.updateAt === undefined || st.updateAt < now) {
    st.updateAt = nextAt(now, UPDATER_INTERVAL_MS, UPDATER_INTERVAL_MS / 2);
    sim.at(st.updateAt, UPDATE_TIMER, '');
  }
}

function byKey(a: KubeObject, b: KubeObject): number {
  const ka = `${a.metadata.namespace}/${a.metadata.name}`;
  const kb = `${b.metadata.namespace}/${b.metadata.name}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/** installVerticalPodAutoscaler registers the add-on's service, timers and watch (it stays off until enabled). */
export function installVerticalPodAutoscaler(sim: Sim): VpaService {
  const svc = new VpaService(sim);
  sim.services.set('vpa', svc);
  sim.onTimer(RECOMMEND_TIMER, () => {
    const st = vpaState(sim);
    if (st.recommendAt !== sim.now() || !st.enabled) return;
    st.recommendAt = undefined;
    for (const v of [...sim.store.list<VerticalPodAutoscaler>(VPA_KIND)].sort(byKey)) recommendOnce(sim, v);
    pruneHistory(sim);
    schedule(sim);
  });
  sim.onTimer(UPDATE_TIMER, () => {
    const st = vpaState(sim);
    if (st.updateAt !== sim.now() || !st.enabled) return;
    st.updateAt = undefined;
    updateAll(sim);
    schedule(sim);
  });
  sim.store.watch(VPA_KIND, (type) => {
    if (type === 'ADDED') schedule(sim);
  });
  return svc;
}
