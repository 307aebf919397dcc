/**
 * Colours the graph uses for meaning: a revision colour (so old and new pods of a rollout, stable and
 * canary, differ at a glance) and a tone per STATUS string.
 *
 * A revision's colour comes from its ORDER within its owner — the ReplicaSet's revision annotation
 * (deployment.kubernetes.io/revision, the first one it had when a rollback re-numbered it; rollout.argoproj.io/revision), or a StatefulSet's or DaemonSet's
 * ControllerRevision's `revision`: revision 1 is palette[0], revision 2 palette[1] … — so two consecutive
 * revisions (stable and canary, old and new) never share a colour, and a pod keeps its colour while pods
 * come and go; each further owner starts further along (OWNER_STRIDE). Keys that name no known revision
 * (a Job's pods, a bare pod) fall back to a hash into the same palette. A blue/green deployment's
 * revisions named for their slot (SLOT_COLORS) are drawn blue and green, the others in the rest.
 */
import { useCluster } from '../state/cluster.ts';
import { hashString } from '../../engine/rng.ts';
import type { KubeObject } from '../../engine/api/types.ts';
import { revisionKeys, revisionNumbers } from './model.ts';

/**
 * REVISION_COLORS: distinguishable in light and dark themes and by most colour-blind viewers; neighbours
 * contrast most (blue, amber, green, purple …), and none is the red that marks errors.
 */
export const REVISION_COLORS = ['#3b82f6', '#f59e0b', '#10b981', '#a855f7', '#06b6d4', '#ec4899', '#84cc16', '#f97316'];
/** NO_REVISION is the colour of a pod with no owner or revision. */
export const NO_REVISION = '#94a3b8';

/** colorForRevision is revision n's colour (n ≥ 1): (n − 1) mod the palette. */
export function colorForRevision(n: number): string {
  const i = (((Math.trunc(n) - 1) % REVISION_COLORS.length) + REVISION_COLORS.length) % REVISION_COLORS.length;
  return REVISION_COLORS[i];
}

const EMPTY: ReadonlyMap<string, KubeObject> = new Map();
/**
 * index: revision numbers of the ReplicaSets in `of` (the page's ReplicaSet map, replaced on each change),
 * and each one's owner offset (see OWNER_STRIDE).
 */
let index: {
  of: ReadonlyMap<string, KubeObject>;
  revisions: ReadonlyMap<string, KubeObject>;
  numbers: Map<string, number>;
  offsets: Map<string, number>;
  slots: Map<string, string>;
  /** palette: the colours revision order runs through, those of the slots drawn now left out */
  palette: readonly string[];
} = {
  of: EMPTY,
  revisions: EMPTY,
  numbers: new Map(),
  offsets: new Map(),
  slots: new Map(),
  palette: REVISION_COLORS,
};

/**
 * SLOT_COLORS: a blue/green deployment names its two slots; a revision named for one (its image tagged
 * `:green`, or the newest revision of a Deployment called `web-green`) is drawn in that slot's colour, as
 * the lesson says it, and other revisions keep off those colours while such a revision is drawn.
 */
const SLOT_COLORS: Record<string, string> = { blue: REVISION_COLORS[0], green: REVISION_COLORS[2] };
const SLOT_NAME = /(?:^|[-_.])(blue|green)$/;

/** slots finds the revisions named for a blue/green slot, by their keys. */
function slotsOf(all: readonly KubeObject[], numbers: ReadonlyMap<string, number>): Map<string, string> {
  const out = new Map<string, string>();
  const newest = new Map<string, number>(); // per owner named for a slot: its newest revision
  const ownerOf = (r: KubeObject) => ownerRef(r)?.name ?? '';
  const numberOf = (r: KubeObject) => numbers.get(revisionKeys(r)[0]) ?? 0;
  for (const r of all) {
    if (SLOT_NAME.test(ownerOf(r))) newest.set(ownerOf(r), Math.max(newest.get(ownerOf(r)) ?? 0, numberOf(r)));
  }
  for (const r of all) {
    const image: string = r.spec?.template?.spec?.containers?.[0]?.image ?? '';
    const tag = image.lastIndexOf(':') > image.lastIndexOf('/') ? image.slice(image.lastIndexOf(':') + 1) : '';
    const owner = ownerOf(r);
    // The tag names this revision; an owner's name, only its newest (an update inside a slot is a new colour).
    const slot = tag === 'blue' || tag === 'green' ? tag : SLOT_NAME.test(owner) && newest.get(owner) === numberOf(r) ? SLOT_NAME.exec(owner)![1] : undefined;
    if (slot) for (const k of revisionKeys(r)) out.set(k, SLOT_COLORS[slot]);
  }
  return out;
}
/**
 * remembered keeps the numbers (and offsets) of ReplicaSets that have since been deleted (revisionHistoryLimit),
 * so a chart of an old revision keeps its colour. Hashes are per pod template, so they do not clash.
 */
const remembered = new Map<string, number>();
const rememberedOffsets = new Map<string, number>();
const rememberedSlots = new Map<string, string>();

/**
 * OWNER_STRIDE shifts each owner's revisions along the palette by its place among the scenario's owners
 * (the first Deployment or Rollout seen starts at blue, the second three colours on …): two owners' first
 * revisions (canary-plain's stable and canary Deployments, blue/green's two) are drawn in different colours
 * on the graph, as the charts must draw them, while one owner's consecutive revisions still differ.
 */
const OWNER_STRIDE = 3;
/**
 * owners: the owners in the order first seen since the cluster was last replaced (a reset diff: a load,
 * a rewind), kept so a deleted owner does not shift the rest. A reset starts over, from the new cluster's
 * objects in creation order: the first owner of every freshly loaded scenario is blue, however the page
 * got there (before, a scenario loaded after another began with the other's owners counted).
 */
let owners: { epoch: number; seen: Map<string, number> } = { epoch: -1, seen: new Map() };

/** ownerRef is a revision's owner: its controller reference, else its first. */
function ownerRef(r: KubeObject): { kind: string; name: string } | undefined {
  return r.metadata.ownerReferences?.find((o) => o.controller) ?? r.metadata.ownerReferences?.[0];
}

function ownerOffset(rs: KubeObject, epoch: number): number {
  const ref = ownerRef(rs);
  if (!ref) return 0;
  if (owners.epoch !== epoch) owners = { epoch, seen: new Map() };
  const seen = owners.seen;
  const key = `${rs.metadata.namespace ?? ''}/${ref.kind}/${ref.name}`;
  let n = seen.get(key);
  if (n === undefined) seen.set(key, (n = seen.size));
  return n * OWNER_STRIDE;
}

function indexOf(replicaSets: ReadonlyMap<string, KubeObject> | undefined): typeof index {
  const rs = replicaSets ?? EMPTY;
  const { epoch, objects } = useCluster.getState();
  // StatefulSets' and DaemonSets' revisions are ControllerRevisions, named as their pods' controller-revision-hash.
  const crs = objects.ControllerRevision ?? EMPTY;
  if (index.of !== rs || index.revisions !== crs || owners.epoch !== epoch) {
    const all = [...rs.values(), ...crs.values()];
    const offsets = new Map<string, number>();
    for (const r of all) {
      const off = ownerOffset(r, epoch);
      for (const k of revisionKeys(r)) offsets.set(k, off);
    }
    const numbers = revisionNumbers(all);
    const slots = slotsOf(all, numbers);
    const taken = new Set(slots.values());
    index = { of: rs, revisions: crs, numbers, offsets, slots, palette: REVISION_COLORS.filter((c) => !taken.has(c)) };
    for (const [k, c] of index.slots) rememberedSlots.set(k, c);
    for (const [k, n] of index.numbers) remembered.set(k, n);
    for (const [k, n] of offsets) rememberedOffsets.set(k, n);
  }
  return index;
}

function numbersOf(replicaSets: ReadonlyMap<string, KubeObject> | undefined): Map<string, number> {
  return indexOf(replicaSets).numbers;
}

/** revisionNumber is the revision (1, 2 …) a key names: a pod-template-hash or a ReplicaSet name. */
export function revisionNumber(key: string | undefined, replicaSets?: ReadonlyMap<string, KubeObject>): number | undefined {
  if (!key) return undefined;
  return numbersOf(replicaSets ?? useCluster.getState().objects.ReplicaSet).get(key) ?? remembered.get(key);
}

/**
 * revisionColor is THE colour of a revision, everywhere one is drawn (pod chips, ReplicaSet rows, the
 * Service's version split, traffic dots, charts). key: the pod-template-hash (or
 * rollouts-pod-template-hash), else the ReplicaSet's or owner's name.
 */
export function revisionColor(key: string | undefined, replicaSets?: ReadonlyMap<string, KubeObject>): string {
  if (!key) return NO_REVISION;
  const n = revisionNumber(key, replicaSets);
  if (n === undefined) return REVISION_COLORS[hashString(key) % REVISION_COLORS.length];
  const idx = indexOf(replicaSets ?? useCluster.getState().objects.ReplicaSet);
  // A live revision's slot is what it is named now (a slot's older revision loses it); a deleted one's, what it was.
  const slot = idx.numbers.has(key) ? idx.slots.get(key) : rememberedSlots.get(key);
  if (slot) return slot;
  const offset = idx.offsets.get(key) ?? rememberedOffsets.get(key) ?? 0;
  // Off the colours of the slots drawn now (a third version is neither blue nor green), the order runs
  // through the rest of the palette, so consecutive revisions still differ.
  const rest = idx.palette;
  return rest[(((n + offset - 1) % rest.length) + rest.length) % rest.length];
}

/** useRevisionColor is revisionColor for a component: it re-renders when the key's colour changes (an Argo Rollout's rollback). */
export function useRevisionColor(key: string | undefined): string {
  return useCluster((s) => revisionColor(key, s.objects.ReplicaSet));
}

export type StatusTone = 'ok' | 'progress' | 'bad' | 'ending' | 'done';

const PROGRESS = new Set(['Pending', 'ContainerCreating', 'PodInitializing', 'NotReady']);
const DONE = new Set(['Completed', 'Succeeded']);

/** statusTone classifies a pod's STATUS string (as kubectl prints it) for colouring. */
export function statusTone(status: string, ready: boolean): StatusTone {
  if (status === 'Terminating') return 'ending';
  if (DONE.has(status)) return 'done';
  if (status === 'Running') return ready ? 'ok' : 'progress';
  if (PROGRESS.has(status) || status.startsWith('Init:') && /^Init:\d+\/\d+$/.test(status)) return 'progress';
  return 'bad';
}
