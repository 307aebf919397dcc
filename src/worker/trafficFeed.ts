/**
 * trafficFeed: when the session sends the page a new traffic view (traffic.ts computes it from the
 * network module's summary): at most once per simulated second, again after a terminal command (a
 * curl counts at once), and only when its numbers changed. It remembers what it needs of each pod
 * between views, forgotten when the pod changes.
 */
import type { Sim } from '../engine/sim.ts';
import type { Pod } from '../engine/api/types.ts';
import { controllerRef } from '../engine/api/podutil.ts';
import type { NetworkApi } from '../engine/network/index.ts';
import type { TrafficView } from './protocol.ts';
import { sameView, TRAFFIC_WINDOW_MS, trafficView, type PodInfo } from './traffic.ts';

/** podInfoOf is what the traffic view needs of a pod: the image its serving container runs, and its revision. */
function podInfoOf(pod: Pod): PodInfo {
  const cs = pod.spec?.containers ?? [];
  // The serving container: the one that declares a port (the app), else the only one.
  const c = cs.find((x) => (x.ports?.length ?? 0) > 0) ?? cs[0];
  const labels = pod.metadata.labels ?? {};
  return { image: c?.image ?? '', revision: labels['pod-template-hash'] ?? labels['rollouts-pod-template-hash'] ?? labels['controller-revision-hash'] ?? controllerRef(pod)?.name };
}

/** TrafficFeed is the traffic view last sent to the page and what it takes to send the next. */
export class TrafficFeed {
  /** traffic is the last traffic view sent; trafficAt the simulated second it was computed for */
  private traffic: TrafficView | undefined;
  private trafficAt = -1;
  /**
   * podInfos remembers each pod's PodInfo (null: no such pod) between traffic views, forgotten when
   * the pod changes: a 1,000-pod rollout's view names ~2,000 pods about five times a wall second.
   */
  private podInfos = new Map<string, PodInfo | null>();

  /** reset: the page starts over (a reset diff); the next take computes the view and sends it. */
  reset(): void {
    this.traffic = undefined;
    this.trafficAt = -1;
  }

  /** recount: the counts may have changed within this second (a command ran); the next take looks again. */
  recount(): void {
    this.trafficAt = -1;
  }

  /** forgetPods forgets every pod (another cluster was attached). */
  forgetPods(): void {
    this.podInfos.clear();
  }

  /** podChanged forgets the pod namespace/name (it was written). */
  podChanged(key: string): void {
    this.podInfos.delete(key);
  }

  /**
   * podDeleted keeps what a deleted pod served: its requests of the last seconds still count in the
   * window, and without it a Service's card named their version "(unknown)" (2% of canary-plain's
   * requests at 2:30, the old pods of a rolling update).
   */
  podDeleted(key: string, pod: Pod): void {
    this.remember(key, podInfoOf(pod));
  }

  /** remember keeps a pod's PodInfo, bounded: pods that left stay until their traffic ages out, and churn never stops. */
  private remember(key: string, info: PodInfo | null): void {
    if (this.podInfos.size >= 50_000) this.podInfos.clear();
    this.podInfos.set(key, info);
  }

  /**
   * view is the traffic view of the last TRAFFIC_WINDOW_MS, or undefined when the cluster has no
   * network module. The summary's buckets change once per simulated second (the traffic tick), so it is
   * computed at most once per simulated second, plus after each terminal command (a curl counts at once).
   */
  view(sim: Sim): TrafficView | undefined {
    const net = sim.services.get('network') as NetworkApi | undefined;
    if (!net || typeof net.trafficSummary !== 'function') return undefined;
    const now = sim.now();
    const summary = net.trafficSummary(now - TRAFFIC_WINDOW_MS);
    const store = sim.store;
    const infos = this.podInfos;
    const podInfo = (key: string): PodInfo | undefined => {
      let info = infos.get(key);
      if (info !== undefined) return info ?? undefined;
      const slash = key.indexOf('/');
      const pod = store.get<Pod>('Pod', key.slice(0, slash), key.slice(slash + 1));
      info = pod ? podInfoOf(pod) : null;
      this.remember(key, info);
      return info ?? undefined;
    };
    // Dots only for requests after the last view sent (none for the first view: that is history).
    return trafficView(summary, now, TRAFFIC_WINDOW_MS, podInfo, this.traffic?.t ?? now);
  }

  /** take returns the traffic view when its numbers changed since the last one sent. */
  take(sim: Sim): TrafficView | undefined {
    const second = Math.floor(sim.now() / 1000);
    if (second === this.trafficAt) return undefined;
    this.trafficAt = second;
    const view = this.view(sim);
    if (!view || (sameView(view, this.traffic) && !view.samples)) return undefined;
    // The first view of a cluster with no traffic at all is not worth a message.
    if (!this.traffic && Object.keys(view.services).length === 0 && Object.keys(view.pods).length === 0) return undefined;
    this.traffic = view;
    return view;
  }
}
