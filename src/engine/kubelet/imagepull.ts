import type { Sim } from '../sim.ts';
import type { Container, Pod } from '../api/types.ts';
import { Backoff } from './backoff.ts';
import { goDuration, imageBehavior, imageReferenceError, pullFailureMessage } from './images.ts';
import { SYNC_MS, type ContainerRun, type KubeletState, type PodRun } from './runtime.ts';
import { event, specOf, worded } from './recorder.ts';
import { setWaiting, startContainer, startNextQueued } from './container.ts';

/**
 * The kubelet's image manager (pkg/kubelet/images/image_manager.go EnsureImageExists): the pull
 * policy, the node's image cache, pulls of one image shared by the pods that wait for it, and the
 * per-image back-off after a failed pull (ErrImagePull, then ImagePullBackOff).
 */

/** INVALID_IMAGE_RESYNC_MS: how often a pod worker with an unparseable image tries again (its periodic resync). */
const INVALID_IMAGE_RESYNC_MS = 60_000;
/** PRESENT_PULL_MS: a pull (policy Always) of an image already on the node only resolves the digest. */
export const PRESENT_PULL_MS = 400;

/** The kubelet's messages of one word (worded keeps one string per word). */
const PRESENT = (image: string) => `Container image "${image}" already present on machine`;
const PULLING = (image: string) => `Pulling image "${image}"`;

function pullPolicy(spec: Container | undefined, image: string): string {
  if (spec?.imagePullPolicy) return spec.imagePullPolicy;
  const last = image.slice(image.lastIndexOf('/') + 1);
  return !last.includes(':') || last.endsWith(':latest') ? 'Always' : 'IfNotPresent';
}

/** doPull is EnsureImageExists: pull policy, the node's image cache, and the per-image back-off. */
export function doPull(sim: Sim, st: KubeletState, pod: Pod, run: PodRun, c: ContainerRun, t: number): void {
  const spec = specOf(pod, c);
  // EnsureImageExists: a reference the runtime cannot parse is never pulled; the pod worker tries again on its next sync.
  const bad = imageReferenceError(c.image);
  if (bad) {
    const msg = `Failed to apply default image tag ${JSON.stringify(c.image)}: ${bad}`;
    event(sim, pod, 'Warning', 'InspectFailed', msg, c);
    event(sim, pod, 'Warning', 'Failed', 'Error: InvalidImageName', c);
    setWaiting(run, c, 'InvalidImageName', msg);
    c.next = { at: t + INVALID_IMAGE_RESYNC_MS, what: 'pull' };
    startNextQueued(run, c, t);
    return;
  }
  const policy = pullPolicy(spec, c.image);
  const cache = (st.images[run.node] ??= {});
  const present = !!cache[c.image];
  // While a pod has init containers every container waits as PodInitializing, else ContainerCreating.
  const creating = pod.spec.initContainers?.length ? 'PodInitializing' : 'ContainerCreating';
  if (policy === 'Never' && !present) {
    const msg = `Container image "${c.image}" is not present with pull policy of Never`;
    event(sim, pod, 'Warning', 'ErrImageNeverPull', msg, c);
    setWaiting(run, c, 'ErrImageNeverPull', msg);
    c.next = undefined;
    startNextQueued(run, c, t);
    return;
  }
  if (present && policy !== 'Always') {
    event(sim, pod, 'Normal', 'Pulled', worded(PRESENT, c.image), c);
    startContainer(sim, pod, run, c, t);
    return;
  }
  const bo = new Backoff(st.backoff);
  const pkey = `${run.uid}_${c.image}`;
  if (bo.isInBackOffSinceUpdate(pkey, t)) {
    const msg = `Back-off pulling image "${c.image}"`;
    event(sim, pod, 'Normal', 'BackOff', msg, c);
    event(sim, pod, 'Warning', 'Failed', 'Error: ImagePullBackOff', c);
    setWaiting(run, c, 'ImagePullBackOff', msg);
    c.next = { at: st.backoff[pkey].lastUpdate + st.backoff[pkey].backoffMs, what: 'pull' };
    startNextQueued(run, c, t);
    return;
  }
  event(sim, pod, 'Normal', 'Pulling', worded(PULLING, c.image), c);
  // A retried pull keeps showing the pull error until it ends; a restart after a crash keeps showing
  // CrashLoopBackOff (the kubelet's reason cache) until the new container starts, not ContainerCreating.
  const retrying = c.state === 'waiting' && (c.reason === 'ErrImagePull' || c.reason === 'ImagePullBackOff' || c.reason === 'CrashLoopBackOff');
  if (!retrying) setWaiting(run, c, creating);
  c.pullStartedAt = t;
  const beh = imageBehavior(sim, c.image);
  if (beh.pullError) {
    c.next = { at: t + beh.pullMs, what: 'pullFailed' };
    return;
  }
  const inflight = ((st.pulling[run.node] ??= {})[c.image] ?? 0);
  const done = inflight > t ? inflight : t + (present ? PRESENT_PULL_MS : beh.pullMs);
  st.pulling[run.node][c.image] = done;
  c.next = { at: done, what: 'pulled' };
}

/** imagePulled: the pull is over; the node keeps the image, and the container is created and started. */
export function imagePulled(sim: Sim, st: KubeletState, pod: Pod, run: PodRun, c: ContainerRun, t: number): void {
  (st.images[run.node] ??= {})[c.image] = true;
  if ((st.pulling[run.node]?.[c.image] ?? 0) <= t) delete st.pulling[run.node]?.[c.image];
  const took = goDuration(t - (c.pullStartedAt ?? t));
  const size = imageBehavior(sim, c.image).sizeBytes;
  event(sim, pod, 'Normal', 'Pulled', `Successfully pulled image "${c.image}" in ${took} (${took} including waiting). Image size: ${size} bytes.`, c);
  startContainer(sim, pod, run, c, t);
}

/** imagePullFailed: ErrImagePull; the pull is tried again on the next relist, and then waits out the back-off (ImagePullBackOff). */
export function imagePullFailed(sim: Sim, st: KubeletState, pod: Pod, run: PodRun, c: ContainerRun, t: number): void {
  const bo = new Backoff(st.backoff);
  bo.next(`${run.uid}_${c.image}`, t, t);
  const err = pullFailureMessage(c.image);
  event(sim, pod, 'Warning', 'Failed', `Failed to pull image "${c.image}": ${err}`, c);
  event(sim, pod, 'Warning', 'Failed', 'Error: ErrImagePull', c);
  setWaiting(run, c, 'ErrImagePull', err);
  c.next = { at: t + SYNC_MS, what: 'pull' };
  startNextQueued(run, c, t);
}
