/**
 * harness.ts: builds the state an oracle case describes (a Rollout, its ReplicaSets with given
 * spec/available counts, its Services) in a Sim that runs only the API machinery and the Rollout
 * controller, so nothing but the controller changes the counts; then runs controller passes.
 * Used only by *.test.ts.
 */
import { Sim } from '../../sim.ts';
import { installApiServer } from '../../api/server.ts';
import type { KubeObject, ReplicaSet } from '../../api/types.ts';
import { newControllerRef } from '../../api/podutil.ts';
import { isoTime } from '../../clock.ts';
import { computeHash } from '../deployment/hash.ts';
import { installRolloutController } from './index.ts';
import { syncRollout } from './sync.ts';
import { DESIRED_REPLICAS_ANNOTATION, HASH_LABEL, REVISION_ANNOTATION, SCALE_DOWN_DEADLINE_ANNOTATION } from './util.ts';

export const T0 = 1_000_000;

export function harnessSim(): Sim {
  const sim = new Sim({ seed: 11 });
  installApiServer(sim);
  installRolloutController(sim);
  sim.clock.set(T0);
  return sim;
}

export const template = (image: string) => ({ metadata: { labels: { app: 'demo' } }, spec: { containers: [{ name: 'app', image }] } });
export const hashOf = (image: string) => computeHash(template(image));

export interface RSState {
  spec: number;
  available: number;
  scaleDownDeadline?: string;
  scaleDownDeadlineSecondsFromNow?: number;
}

/** addReplicaSet stores an RS of the Rollout for image at revision, with the given counts. */
export function addReplicaSet(sim: Sim, ro: KubeObject, image: string, revision: number, st: RSState): ReplicaSet {
  const hash = hashOf(image);
  const t = template(image);
  const annotations: Record<string, string> = { [REVISION_ANNOTATION]: String(revision), [DESIRED_REPLICAS_ANNOTATION]: String(ro.spec.replicas) };
  if (st.scaleDownDeadline !== undefined) annotations[SCALE_DOWN_DEADLINE_ANNOTATION] = st.scaleDownDeadline;
  if (st.scaleDownDeadlineSecondsFromNow !== undefined) annotations[SCALE_DOWN_DEADLINE_ANNOTATION] = isoTime(sim.now() + st.scaleDownDeadlineSecondsFromNow * 1000);
  const rs: ReplicaSet = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: `demo-${hash}`, namespace: 'default', labels: { app: 'demo', [HASH_LABEL]: hash }, annotations, ownerReferences: [newControllerRef(ro)] },
    spec: { replicas: st.spec, selector: { matchLabels: { app: 'demo', [HASH_LABEL]: hash } }, template: { ...t, metadata: { labels: { app: 'demo', [HASH_LABEL]: hash } } } },
    status: { replicas: st.spec, readyReplicas: st.available, availableReplicas: st.available, observedGeneration: 1 },
  };
  return sim.store.create(rs);
}

export function addService(sim: Sim, name: string, hash?: string): void {
  sim.store.create({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec: { selector: { app: 'demo', ...(hash ? { [HASH_LABEL]: hash } : {}) } } });
}

/** addRollout stores the Rollout with a preset status (the store, not the API server: status is input here). */
export function addRollout(sim: Sim, replicas: number, strategy: any, image: string, status: any, paused = false): KubeObject {
  return sim.store.create({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name: 'demo', namespace: 'default', annotations: {} },
    spec: { replicas, selector: { matchLabels: { app: 'demo' } }, template: template(image), strategy, ...(paused ? { paused: true } : {}) },
    status,
  });
}

/** passes runs n reconcile passes of the Rollout (no settle: nothing else reacts). */
export function passes(sim: Sim, n: number): void {
  for (let i = 0; i < n; i++) syncRollout(sim, 'default/demo');
}

export const rolloutOf = (sim: Sim) => sim.store.get('Rollout', 'default', 'demo')!;
export const rsOf = (sim: Sim, image: string) => sim.store.get<ReplicaSet>('ReplicaSet', 'default', `demo-${hashOf(image)}`);

/** firstScale is the first ScalingReplicaSet event's target for an RS (what one pass decided). */
export function firstScale(sim: Sim, rsName: string): number | undefined {
  for (const e of sim.store.list('Event')) {
    const m = /^Scaled (?:up|down) ReplicaSet (\S+) \(revision \d+\) from \d+ to (\d+)$/.exec(e.message);
    if (e.reason === 'ScalingReplicaSet' && m && m[1] === rsName) return parseInt(m[2], 10);
  }
  return undefined;
}

export const events = (sim: Sim) => sim.store.list('Event').map((e) => `${e.reason}: ${e.message}`);
