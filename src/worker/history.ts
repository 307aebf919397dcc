/**
 * history records, once per simulated second, what the timeline charts draw: requests per second,
 * error share and p95 latency by version (image), and ready pods by revision (ReplicaSet).
 *
 * Where the numbers come from (nothing is estimated):
 * - requests and errors: the network module's per-second summary bucket (the counts `kubeplay traffic
 *   stats` sums): all client requests and the failed ones (5xx or no answer), and per image the
 *   requests its pods answered or refused and the failed ones.
 * - p95 latency: the app's `http_request_duration_seconds` histograms (per image), differenced between
 *   the end of one simulated second and the next, then PromQL's own histogram_quantile(0.95, …) over
 *   those per-second bucket counts (classic buckets, linear interpolation inside the bucket).
 * - ready pods: by revision: each ReplicaSet's readyReplicas (its active pods that are Ready, as
 *   `kubectl get rs` prints), and StatefulSets' and DaemonSets' Ready, not terminating pods by
 *   controller-revision-hash.
 *
 * When: the recorder hooks the attached Sim's clock. Just before the clock moves from now to T, the
 * cluster is as it will be until T (nothing happens between timers), so every second that ends by T
 * is recorded from the current state: bucket b is complete once the clock leaves [b, b+1 s). This
 * needs no cooperation from whoever moves the clock (play, step, advance, runUntil inside commands)
 * and costs one comparison per step when no second ends. A clock that went backwards (a restore)
 * drops the points after the new time; they are recorded again as the clock moves on.
 *
 * Memory: at most HISTORY_CAPACITY points (one simulated hour), in the worker and on the page; the
 * worker also keeps each point's cumulative latency buckets per image (12 numbers per image) so a
 * rewind can resume the differences exactly.
 */
import type { Sim } from '../engine/sim.ts';
import type { Container, Pod, ReplicaSet } from '../engine/api/types.ts';
import { controllerRef, isPodReady } from '../engine/api/podutil.ts';
import { histogramQuantile } from '../engine/network/promql/eval.ts';
import type { MetricsState } from '../engine/network/metrics.ts';
import type { NetState, SummaryBucket } from '../engine/network/model.ts';

import { HISTORY_CAPACITY, type HistoryMessage, type HistoryPoint, type RevisionInfo, type VersionPoint } from './historyTypes.ts';

export { HISTORY_CAPACITY, type HistoryMessage, type HistoryPoint, type RevisionInfo, type VersionPoint };

/** APP_COUNT names the app histograms' _count series, which carry each histogram's labels. */
const APP_COUNT = 'http_request_duration_seconds_count';
const SECOND = 1000;

/** Cum is the running total of latency bucket counts (non-cumulative per bucket) by image. */
type Cum = Map<string, Float64Array>;

/** HistoryOptions: capacity (points kept) and the least wall time between two messages (ms). */
export interface HistoryOptions {
  capacity?: number;
  minIntervalMs?: number;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/** quantileMs is histogram_quantile(0.95) over one set of per-bucket counts, in ms (null when empty). */
function quantileMs(bounds: number[], counts: Float64Array): number | null {
  let total = 0;
  for (let i = 0; i < counts.length; i++) total += counts[i];
  if (total <= 0) return null;
  let acc = 0;
  const samples = new Array(counts.length);
  for (let i = 0; i < counts.length; i++) {
    acc += counts[i];
    samples[i] = { labels: { le: i < bounds.length ? String(bounds[i]) : '+Inf' }, v: acc };
  }
  const v = histogramQuantile(0.95, samples)[0]?.v;
  return v === undefined || !Number.isFinite(v) ? null : round2(v * 1000);
}

/** servingImage is the image of the serving container (the one with a port, else the first). */
function servingImage(cs: Container[] | undefined): string {
  const c = cs?.find((x) => (x.ports?.length ?? 0) > 0) ?? cs?.[0];
  return c?.image ?? '';
}

/**
 * HistoryRecorder keeps the per-second points of one session. attach(sim) hooks a Sim's clock;
 * take() hands the points recorded since the last call to the page.
 */
export class HistoryRecorder {
  readonly capacity: number;
  private readonly minIntervalMs: number;
  private sim: Sim | undefined;
  private unhook: (() => void) | undefined;
  /** pts[off…] are the points kept, cums[off…] their cumulative latency counts */
  private pts: HistoryPoint[] = [];
  private cums: Cum[] = [];
  private off = 0;
  /** next is the start (ms) of the first second not yet recorded */
  private next = 0;
  /** base is the cumulative latency counts at the end of second next - 1 s */
  private base: Cum = new Map();
  /** stash: the points (and totals) the last rewind dropped, in time order, for a seek forward that restores */
  private stash: HistoryPoint[] = [];
  private stashCums: Cum[] = [];
  private bounds: number[] = [];
  private unsent: HistoryPoint[] = [];
  private resetPending = false;
  private after: number | undefined;
  private lastSent = -Infinity;
  private revisions = new Map<string, RevisionInfo>();
  private newRevisions: Record<string, RevisionInfo> = {};
  /** imageRev remembers the last revision seen serving each image (its colour when none is ready) */
  private imageRev = new Map<string, string>();
  /** caches: ready pods (by store resourceVersion) and which histograms are the app's (by metrics object) */
  private readyRv = -1;
  private readyState: unknown;
  private ready: Record<string, number> = {};
  private histOf: MetricsState | undefined;
  private histImage: (string | null)[] = [];
  /** error is set when recording failed (the recorder then stops; the engine is never disturbed) */
  error: string | undefined;

  constructor(opts: HistoryOptions = {}) {
    this.capacity = opts.capacity ?? HISTORY_CAPACITY;
    this.minIntervalMs = opts.minIntervalMs ?? 250;
  }

  /**
   * attach hooks sim's clock and records from its current time on. Points already kept stay when they
   * are the same past: a sim whose clock is behind the last point (a rewind restored into a new
   * cluster) drops the points after its time; one ahead of it (a seek forward that restored a later
   * snapshot of the same branch) takes the skipped seconds from the points the last rewind dropped, or
   * leaves a gap when it has none. reset() forgets everything (a new scenario).
   */
  attach(sim: Sim): void {
    this.detach();
    const fresh = this.sim === undefined;
    this.sim = sim;
    this.readyRv = -1;
    this.histOf = undefined;
    this.error = undefined;
    if (fresh) this.reset();
    else this.jumped(sim.now());
    const clock = sim.clock;
    const set = clock.set;
    // An own property shadows Clock.prototype.set on this instance only; detach deletes it.
    clock.set = (ms: number) => {
      this.passTo(ms);
      set.call(clock, ms);
    };
    this.unhook = () => {
      if (clock.set !== set) delete (clock as { set?: unknown }).set;
    };
  }

  /** reset forgets every point and starts recording at the attached sim's current second. */
  reset(): void {
    this.pts = [];
    this.cums = [];
    this.off = 0;
    this.stash = [];
    this.stashCums = [];
    this.unsent = [];
    this.after = undefined;
    this.resetPending = true;
    this.revisions.clear();
    this.newRevisions = {};
    this.imageRev.clear();
    this.readyRv = -1;
    const now = this.sim?.now() ?? 0;
    this.next = Math.floor(now / SECOND) * SECOND;
    this.base = this.readCum();
  }

  /** detach stops recording (the points stay). */
  detach(): void {
    this.unhook?.();
    this.unhook = undefined;
  }

  /** points returns the points kept, oldest first. */
  points(): HistoryPoint[] {
    return this.pts.slice(this.off);
  }

  /**
   * latencyTotals is the running total of the app latency histograms' per-bucket counts by image at the
   * end of second t (what a scrape then would read, made non-cumulative), for checks against PromQL.
   */
  latencyTotals(t: number): Record<string, number[]> {
    const i = this.pts.findIndex((p, k) => k >= this.off && p.t === t);
    if (i < 0) return {};
    return Object.fromEntries([...this.cums[i]].map(([image, c]) => [image, Array.from(c)]));
  }

  /** revisionInfo describes a revision key seen so far. */
  revisionInfo(key: string): RevisionInfo | undefined {
    return this.revisions.get(key);
  }

  /**
   * take returns what the page has not seen yet (new points, a reset, a truncation), or undefined when
   * there is nothing new, or only points and the last message was sent less than minIntervalMs (wall)
   * before wallMs (pass nothing to take regardless).
   */
  take(wallMs = Infinity): HistoryMessage | undefined {
    if (this.sim) this.checkRewind(this.sim.now());
    const urgent = this.resetPending || this.after !== undefined;
    // A reset or a truncation goes at once (the page must not draw a past that is gone); points wait their turn.
    if (!urgent && (this.unsent.length === 0 || wallMs - this.lastSent < this.minIntervalMs)) return undefined;
    if (Number.isFinite(wallMs)) this.lastSent = wallMs;
    const msg: HistoryMessage = { points: this.unsent };
    if (this.resetPending) msg.reset = true;
    else if (this.after !== undefined) msg.after = this.after;
    if (Object.keys(this.newRevisions).length > 0) msg.revisions = this.newRevisions;
    this.unsent = [];
    this.resetPending = false;
    this.after = undefined;
    this.newRevisions = {};
    return msg;
  }

  /** pending tells whether take() has something to send (once its interval has passed). */
  pending(): boolean {
    return this.unsent.length > 0 || this.resetPending || this.after !== undefined;
  }

  /** passTo records every second that ends by T (the clock is about to move from now to T). */
  private passTo(T: number): void {
    const sim = this.sim;
    if (!sim || this.error !== undefined) return;
    try {
      this.checkRewind(sim.now());
      if (T < this.next + SECOND) return;
      const ends = Math.floor(T / SECOND) * SECOND;
      let b = this.next;
      const cur = this.readCum();
      const ready = this.readyNow(sim);
      this.record(b, cur, ready, this.bucketAt(sim, b));
      b += SECOND;
      // The seconds after the first saw no timer: no traffic, the same pods. A jump longer than the
      // capacity records only its last capacity seconds (the ring would drop the others at once).
      if (ends - b > this.capacity * SECOND) b = ends - this.capacity * SECOND;
      for (; b < ends; b += SECOND) this.record(b, cur, ready, this.bucketAt(sim, b));
    } catch (e) {
      this.error = `history: ${(e as Error).message}`;
    }
  }

  /** checkRewind handles a clock that went backwards without the hook (a restore into the same sim). */
  private checkRewind(now: number): void {
    if (now < this.next) this.jumped(now);
  }

  /**
   * jumped takes the clock to now without recording (a restore): back drops (and stashes) the points
   * that end after now; forward fills the skipped seconds from the stash, or leaves them out.
   */
  private jumped(now: number): void {
    const keepUntil = Math.floor(now / SECOND) * SECOND; // points with t < keepUntil stay
    if (keepUntil < this.next) {
      let n = this.pts.length;
      while (n > this.off && this.pts[n - 1].t >= keepUntil) n--;
      this.stash = this.pts.slice(n);
      this.stashCums = this.cums.slice(n);
      this.pts.length = n;
      this.cums.length = n;
      this.unsent = this.unsent.filter((p) => p.t < keepUntil);
      this.after = Math.min(this.after ?? Infinity, keepUntil - SECOND);
      this.next = keepUntil;
      this.readyRv = -1;
      const last = n > this.off ? this.pts[n - 1] : undefined;
      // Resume the latency differences from the kept point's totals (the restored state had the same past).
      this.base = last && last.t === keepUntil - SECOND ? this.cums[n - 1] : this.readCum();
      return;
    }
    if (keepUntil === this.next) return;
    // Forward without running: the stash holds those seconds when they are this branch's (TIME drops a
    // branch's later snapshots when an action changes it, so a restore forward is always the same past).
    const stash = this.stash; // push() replaces this.stash as it supersedes entries
    const cums = this.stashCums;
    for (let i = stash.findIndex((p) => p.t === this.next); i >= 0 && i < stash.length && stash[i].t === this.next && this.next < keepUntil; i++) {
      this.push(stash[i], cums[i]);
    }
    if (this.next < keepUntil) {
      this.next = keepUntil;
      this.base = this.readCum();
    }
  }

  private record(b: number, cur: Cum, ready: Record<string, number>, bucket: SummaryBucket | undefined): void {
    const versions: Record<string, VersionPoint> = {};
    const all = new Float64Array(this.bounds.length + 1);
    let anyLatency = false;
    for (const [image, counts] of cur) {
      const prev = this.base.get(image);
      const delta = new Float64Array(counts.length);
      let n = 0;
      for (let i = 0; i < counts.length; i++) {
        delta[i] = counts[i] - (prev?.[i] ?? 0);
        if (delta[i] < 0) delta[i] = 0; // a restored state behind the base (never negative counts)
        n += delta[i];
        all[i] += delta[i];
      }
      if (n > 0) {
        anyLatency = true;
        versions[image] = { n: 0, err: 0, p95: quantileMs(this.bounds, delta) };
      }
    }
    if (bucket) {
      for (const image in bucket.versions) {
        const [n, err] = bucket.versions[image];
        if (n === 0) continue;
        const v = (versions[image] ??= { n: 0, err: 0, p95: null });
        v.n = n;
        v.err = err;
      }
    }
    for (const image in versions) {
      const rev = this.revisionFor(image, ready);
      if (rev !== undefined) versions[image].rev = rev;
    }
    const p: HistoryPoint = {
      t: b,
      requests: bucket?.total ?? 0,
      errors: bucket?.errors ?? 0,
      p95: anyLatency ? quantileMs(this.bounds, all) : null,
      versions,
      ready,
    };
    this.push(p, cur);
  }

  /** push appends a point for second next and moves on (the ring drops the oldest past capacity). */
  private push(p: HistoryPoint, cum: Cum): void {
    this.pts.push(p);
    this.cums.push(cum);
    this.unsent.push(p);
    if (this.unsent.length > this.capacity) this.unsent.splice(0, this.unsent.length - this.capacity);
    if (this.pts.length - this.off > this.capacity) this.off++;
    // Compact once the dropped prefix is as long as what is kept (amortised O(1) per point).
    if (this.off >= this.capacity) {
      this.pts = this.pts.slice(this.off);
      this.cums = this.cums.slice(this.off);
      this.off = 0;
    }
    // Stashed seconds now recorded again are superseded.
    if (this.stash.length > 0 && this.stash[0].t <= p.t) {
      let k = 0;
      while (k < this.stash.length && this.stash[k].t <= p.t) k++;
      this.stash = this.stash.slice(k);
      this.stashCums = this.stashCums.slice(k);
    }
    this.base = cum;
    this.next = p.t + SECOND;
  }

  /** revisionFor is the revision with the most ready pods of an image (else the last one seen). */
  private revisionFor(image: string, ready: Record<string, number>): string | undefined {
    let best: string | undefined;
    let most = -1;
    for (const key in ready) {
      if (this.revisions.get(key)?.image !== image) continue;
      if (ready[key] > most) [best, most] = [key, ready[key]];
    }
    if (best !== undefined) this.imageRev.set(image, best);
    return best ?? this.imageRev.get(image);
  }

  /** bucketAt is the network summary's bucket of second b (undefined without traffic). */
  private bucketAt(sim: Sim, b: number): SummaryBucket | undefined {
    const net = sim.state.network as NetState | undefined;
    const summary = net?.summary;
    if (!summary || summary.length === 0) return undefined;
    // Buckets are in time order and b is the newest second (or older within a jump): search from the end.
    for (let i = summary.length - 1; i >= 0; i--) {
      const t = summary[i].t;
      if (t === b) return summary[i];
      if (t < b) return undefined;
    }
    return undefined;
  }

  /** readCum sums the app latency histograms' bucket counts by image, as of now. */
  private readCum(): Cum {
    const out: Cum = new Map();
    const m = (this.sim?.state.network as NetState | undefined)?.metrics;
    if (!m) return out;
    if (this.histOf !== m) {
      this.histOf = m;
      this.histImage = [];
    }
    const hs = m.histograms;
    for (let i = 0; i < hs.length; i++) {
      let image = this.histImage[i];
      if (image === undefined) {
        const labels = m.series[hs[i].countSeries]?.labels;
        image = this.histImage[i] = labels?.__name__ === APP_COUNT ? labels.image || '(unknown)' : null;
      }
      if (image === null) continue;
      const h = hs[i];
      if (this.bounds.length === 0) this.bounds = h.bounds.slice();
      if (h.counts.length !== this.bounds.length + 1) continue;
      let acc = out.get(image);
      if (!acc) out.set(image, (acc = new Float64Array(h.counts.length)));
      for (let k = 0; k < h.counts.length; k++) acc[k] += h.counts[k];
    }
    return out;
  }
  /**
   * readyNow counts ready pods by revision key (recounted only when the store changed). A ReplicaSet is
   * one revision and its status already counts them (replicaset controller: readyReplicas = active pods
   * that are Ready, what `kubectl get rs` prints as READY), so a 1,000-pod Deployment costs one read
   * per ReplicaSet; a StatefulSet's or DaemonSet's pods are counted per controller-revision-hash
   * through the store's owner index. ReplicaSets without pods (old revisions) are left out.
   */
  private readyNow(sim: Sim): Record<string, number> {
    const rv = sim.store.resourceVersion;
    if (rv === this.readyRv && sim.state === this.readyState) return this.ready;
    const store = sim.store;
    const ready: Record<string, number> = {};
    // A ReplicationController is one revision too (its status counts the same way).
    for (const rs of [...store.list<ReplicaSet>('ReplicaSet'), ...store.list<ReplicaSet>('ReplicationController')]) {
      const n = rs.status?.readyReplicas ?? 0;
      if ((rs.status?.replicas ?? 0) === 0 && n === 0) continue;
      const ns = rs.metadata.namespace ?? 'default';
      const key = `${ns}/${rs.metadata.name}`;
      ready[key] = n;
      if (!this.revisions.has(key)) {
        const labels = rs.metadata.labels ?? {};
        const top = controllerRef(rs);
        this.describe(key, {
          namespace: ns,
          owner: top ? `${top.kind}/${top.name}` : `${rs.kind}/${rs.metadata.name}`,
          name: rs.metadata.name,
          hash: labels['pod-template-hash'] ?? labels['rollouts-pod-template-hash'] ?? '',
          image: servingImage(rs.spec.template?.spec?.containers),
        });
      }
    }
    for (const kind of ['StatefulSet', 'DaemonSet']) {
      for (const owner of store.list(kind)) {
        const ns = owner.metadata.namespace ?? 'default';
        for (const pod of store.byIndex<Pod>('Pod', 'owner', owner.metadata.uid ?? '')) {
          const hash = pod.metadata.labels?.['controller-revision-hash'] ?? '';
          const key = hash ? `${ns}/${owner.metadata.name}@${hash}` : `${ns}/${owner.metadata.name}`;
          const up = !pod.metadata.deletionTimestamp && isPodReady(pod) ? 1 : 0;
          ready[key] = (ready[key] ?? 0) + up;
          if (!this.revisions.has(key)) {
            this.describe(key, { namespace: ns, owner: `${kind}/${owner.metadata.name}`, name: owner.metadata.name, hash, image: servingImage(pod.spec?.containers) });
          }
        }
      }
    }
    this.readyRv = rv;
    this.readyState = sim.state;
    this.ready = ready;
    return ready;
  }

  private describe(key: string, info: RevisionInfo): void {
    this.revisions.set(key, info);
    this.newRevisions[key] = info;
  }
}
