/**
 * objectModel: the Custom resources lane of the Cluster view, by pure functions. Every object of a
 * CustomResourceDefinition's kind (a Backup, a VerticalPodAutoscaler …) is drawn as a plain object card —
 * kind, name, namespace and a few spec fields — after its CRD's own card, one row per CRD, in a lane below
 * the Unscheduled lane (so a new custom object never moves a node box, a pod chip or a workload card).
 *
 * The objects are anyone's data (a shared scenario, a pasted manifest): the summary is plain text, cut
 * to a fixed length by code points, with control and bidirectional-override characters removed, and the
 * card renders it as text, never as HTML.
 */
import type { KubeObject } from '../../engine/api/types.ts';
import { KINDS } from '../../engine/api/kinds.ts';
import { byCreation } from './model.ts';
import { BOX_PAD, CARD_HEAD_H, CARD_SUB_H, CARD_W, GRID_GAP, HEAD_H } from './layout.ts';

export const CRD_KIND = 'CustomResourceDefinition';
/** SUMMARY_FIELDS: a card shows at most this many top-level spec fields. */
export const SUMMARY_FIELDS = 3;
/** SUMMARY_ROW_H is one summary line of an object card. */
export const SUMMARY_ROW_H = 17;
/** OBJECT_CARD_H: every object card has the same height (head, namespace line, SUMMARY_FIELDS lines), so rows never jump. */
export const OBJECT_CARD_H = CARD_HEAD_H + CARD_SUB_H + SUMMARY_FIELDS * SUMMARY_ROW_H + 10;
/** MAX_KEY / MAX_VALUE: characters (code points) of a field's name and value before "…". */
export const MAX_KEY = 24;
export const MAX_VALUE = 48;
/** MIN_PER_ROW: the lane is at least this many cards wide, so a one-node cluster's cards do not stack into a tower. */
const MIN_PER_ROW = 2;

/** BUILTIN: kinds the API server knows without a CRD; the graph draws those its own way (or not at all). */
const BUILTIN = new Set(KINDS.map((k) => k.kind));

/** CustomObjects is what the lane draws: the CRDs, and the page's objects of each kind a CRD names. */
export interface CustomObjects {
  crds: ReadonlyMap<string, KubeObject>;
  byKind: readonly (readonly [string, ReadonlyMap<string, KubeObject>])[];
}

/** customKindNames lists the kinds the page's CRDs define (built-in kinds excluded), in CRD creation order, without repeats. */
export function customKindNames(crds: ReadonlyMap<string, KubeObject>): string[] {
  const out: string[] = [];
  for (const crd of [...crds.values()].sort(byCreation)) {
    const kind = crd.spec?.names?.kind;
    if (typeof kind === 'string' && kind !== '' && !BUILTIN.has(kind) && !out.includes(kind)) out.push(kind);
  }
  return out;
}

// C0/C1 controls, and the bidi embeddings, overrides and isolates (U+202A–202E, U+2066–2069) that could
// make a value read as something else; U+200E/200F marks too.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]+/g;

/** clip makes s one safe line of at most max code points (a surrogate pair is never split), "…" when cut. */
export function clip(s: string, max: number): string {
  const chars = Array.from(s.replace(UNSAFE, ' '));
  return chars.length <= max ? chars.join('') : `${chars.slice(0, max - 1).join('')}…`;
}

/** valueText is a field's value as one short line: scalars as YAML would print them, collections by size. */
export function valueText(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return v === '' ? '""' : v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return v.length === 0 ? '[]' : `[${v.length} item${v.length === 1 ? '' : 's'}]`;
  if (typeof v === 'object') {
    const keys = Object.keys(v);
    return keys.length === 0 ? '{}' : `{${keys.slice(0, 3).join(', ')}${keys.length > 3 ? ', …' : ''}}`;
  }
  return String(v);
}

/** SummaryLine is one "field: value" line of an object card. */
export interface SummaryLine {
  key: string;
  value: string;
}

const TOP_LEVEL_SKIP = new Set(['apiVersion', 'kind', 'metadata', 'status']);

/**
 * specSummary is up to SUMMARY_FIELDS top-level fields of the object's spec (in the stored order), or of
 * the object itself when it has no spec (a kind may keep its data at the top level), and how many more
 * there are.
 */
export function specSummary(obj: KubeObject): { lines: SummaryLine[]; more: number } {
  const spec = obj.spec;
  const source: Record<string, unknown> =
    spec && typeof spec === 'object' && !Array.isArray(spec)
      ? (spec as Record<string, unknown>)
      : Object.fromEntries(Object.entries(obj).filter(([k]) => !TOP_LEVEL_SKIP.has(k)));
  const keys = Object.keys(source);
  const lines = keys.slice(0, SUMMARY_FIELDS).map((k) => ({ key: clip(k, MAX_KEY), value: clip(valueText(source[k]), MAX_VALUE) }));
  return { lines, more: Math.max(0, keys.length - SUMMARY_FIELDS) };
}

/** crdSummary is a CRD card's lines: its group, served versions and scope, and whether it is Established. */
export function crdSummary(crd: KubeObject, objects: number): { lines: SummaryLine[]; more: number } {
  const versions = Array.isArray(crd.spec?.versions) ? (crd.spec.versions as { name?: unknown; served?: unknown }[]).filter((v) => v.served !== false).map((v) => String(v.name)) : [];
  const established = Array.isArray(crd.status?.conditions) && crd.status.conditions.some((c: { type?: string; status?: string }) => c.type === 'Established' && c.status === 'True');
  return {
    lines: [
      { key: 'group', value: clip(valueText(crd.spec?.group), MAX_VALUE) },
      { key: 'versions', value: clip(versions.join(', ') || '(none served)', MAX_VALUE) },
      { key: 'objects', value: `${objects}${established ? '' : ' · not established'}` },
    ],
    more: 0,
  };
}

/** ObjectCardData is what one object card draws. */
export interface ObjectCardData extends Record<string, unknown> {
  obj: KubeObject;
  /** objects: for a CRD's card, how many objects of its kind exist */
  objects?: number;
}

export interface ObjectLaneData extends Record<string, unknown> {
  /** lane: which lane this is (its title and data-name) */
  lane: 'custom' | 'storage';
  /** what: the lane's count line ("1 definition, 2 objects", "2 claims, 3 volumes") */
  what: string;
}

export interface PlacedCard {
  id: string;
  type: 'object' | 'objectlane';
  pos: { x: number; y: number };
  size: { width: number; height: number };
  data: ObjectCardData | ObjectLaneData;
}

/** objectCardId is the flow node id of an object's card. */
export function objectCardId(o: KubeObject): string {
  return `obj/${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
}

/**
 * placeObjectCards lays out the Custom resources lane at `top`, at least `width` wide: the lane box, then
 * one row (wrapping) per CRD — its card, then its objects in creation order. Nothing when there is no CRD.
 * Returns the placed nodes (lane first, so the cards draw above it) and the lane's outer size.
 */
export function placeObjectCards(custom: CustomObjects | undefined, top: number, width: number): { nodes: PlacedCard[]; width: number; height: number } {
  if (!custom || custom.crds.size === 0) return { nodes: [], width: 0, height: 0 };
  const objectsOf = new Map(custom.byKind);
  const rows: KubeObject[][] = [];
  const counts = new Map<KubeObject, number>();
  const drawn = new Set<string>();
  let total = 0;
  for (const crd of [...custom.crds.values()].sort(byCreation)) {
    const kind = crd.spec?.names?.kind;
    const own = typeof kind === 'string' && !BUILTIN.has(kind) && !drawn.has(kind) ? objectsOf.get(kind) : undefined;
    if (own) drawn.add(kind);
    const objects = own ? [...own.values()].sort(byCreation) : [];
    counts.set(crd, objects.length);
    total += objects.length;
    rows.push([crd, ...objects]);
  }
  const what = `${rows.length === 1 ? '1 definition' : `${rows.length} definitions`}, ${total === 1 ? '1 object' : `${total} objects`}`;
  return placeLane({ lane: 'custom', what }, rows, top, width, (o) => (counts.has(o) ? { obj: o, objects: counts.get(o) } : { obj: o }));
}

/**
 * placeStorageCards lays out the Storage lane below `top`: a row of PersistentVolumeClaims, then a row of
 * PersistentVolumes (each in creation order, wrapping), so a claim and the volume it is bound to (or the
 * Available and Released volumes) can be read side by side. Nothing when there are neither.
 */
export function placeStorageCards(claims: ReadonlyMap<string, KubeObject> | undefined, volumes: ReadonlyMap<string, KubeObject> | undefined, top: number, width: number): { nodes: PlacedCard[]; width: number; height: number } {
  const pvcs = [...(claims?.values() ?? [])].sort(byCreation);
  const pvs = [...(volumes?.values() ?? [])].sort(byCreation);
  if (pvcs.length + pvs.length === 0) return { nodes: [], width: 0, height: 0 };
  const what = `${pvcs.length === 1 ? '1 claim' : `${pvcs.length} claims`}, ${pvs.length === 1 ? '1 volume' : `${pvs.length} volumes`}`;
  // A volume bound to a claim drawn here is named on the claim's card; the others (Available, Released,
  // bound to a claim that is gone) get cards of their own.
  const shown = new Set(pvcs.map((c) => `${c.metadata.namespace ?? 'default'}/${c.metadata.name}`));
  const loose = pvs.filter((v) => !(v.status?.phase === 'Bound' && v.spec?.claimRef?.name && shown.has(`${v.spec.claimRef.namespace ?? 'default'}/${v.spec.claimRef.name}`)));
  // A cluster with hundreds of claims (a big StatefulSet) shows the first STORAGE_MAX_ROWS rows of each, and says so.
  const cap = STORAGE_PER_ROW * STORAGE_MAX_ROWS;
  const rows = [pvcs.slice(0, cap), loose.slice(0, cap)].filter((r) => r.length > 0);
  const hidden = pvcs.length + loose.length - rows.reduce((n, r) => n + r.length, 0);
  // Up to STORAGE_PER_ROW cards a row, even past the node grid's width: a wide lane keeps the drawing near the
  // view's shape, where a tall one would shrink every node box to fit.
  const perRow = Math.min(STORAGE_PER_ROW, Math.max(...rows.map((r) => r.length)));
  return placeLane({ lane: 'storage', what: hidden > 0 ? `${what} (${hidden} not drawn)` : what }, rows, top, width, (o) => ({ obj: o }), STORAGE_CARD_H, perRow);
}

/** STORAGE_PER_ROW: the most claim or volume cards side by side; STORAGE_MAX_ROWS: the most rows of each. */
const STORAGE_PER_ROW = 4;
const STORAGE_MAX_ROWS = 3;
/** STORAGE_CARD_H: a claim's or volume's card: head, phase and binding, one line of size and class. */
export const STORAGE_CARD_H = CARD_HEAD_H + CARD_SUB_H + SUMMARY_ROW_H + 10;

/** placeLane draws a lane of object cards at `top`: its box, then each row of cards (wrapping) below its head. */
function placeLane(
  lane: ObjectLaneData,
  rows: KubeObject[][],
  top: number,
  width: number,
  dataOf: (o: KubeObject) => ObjectCardData,
  cardH = OBJECT_CARD_H,
  atLeast = MIN_PER_ROW,
): { nodes: PlacedCard[]; width: number; height: number } {
  const inner = (n: number) => n * CARD_W + (n - 1) * GRID_GAP;
  const perRow = Math.max(atLeast, Math.floor((width - BOX_PAD * 2 - 4 + GRID_GAP) / (CARD_W + GRID_GAP)));
  const laneW = Math.max(width, inner(perRow) + BOX_PAD * 2 + 4);
  let y = top + BOX_PAD + HEAD_H;
  const cards: PlacedCard[] = [];
  for (const row of rows) {
    row.forEach((o, i) => {
      if (i > 0 && i % perRow === 0) y += cardH + GRID_GAP;
      cards.push({ id: objectCardId(o), type: 'object', pos: { x: BOX_PAD + (i % perRow) * (CARD_W + GRID_GAP), y }, size: { width: CARD_W, height: cardH }, data: dataOf(o) });
    });
    y += cardH + GRID_GAP;
  }
  const height = y - GRID_GAP + BOX_PAD - top;
  return { nodes: [{ id: `lane/${lane.lane}`, type: 'objectlane', pos: { x: 0, y: top }, size: { width: laneW, height }, data: lane }, ...cards], width: laneW, height };
}

/** ACCESS_MODES: kubectl's short forms of a volume's access modes (RWO, ROX, RWX, RWOP). */
const ACCESS_MODES: Record<string, string> = { ReadWriteOnce: 'RWO', ReadOnlyMany: 'ROX', ReadWriteMany: 'RWX', ReadWriteOncePod: 'RWOP' };

const short = (l: SummaryLine): SummaryLine => ({ key: clip(l.key, MAX_KEY), value: clip(l.value, MAX_VALUE) });

function modes(o: KubeObject): string {
  const m = Array.isArray(o.spec?.accessModes) ? (o.spec.accessModes as unknown[]).map((a) => ACCESS_MODES[String(a)] ?? String(a)) : [];
  return m.join(',');
}

/**
 * storageSummary is a claim's or a volume's card: its phase and what binds it (the volume a claim is bound
 * to, the claim a volume belongs to), then one line: its size and access modes as kubectl's CAPACITY and
 * ACCESS MODES show them, and its StorageClass (a volume's reclaim policy first). Undefined for other kinds.
 */
export function storageSummary(o: KubeObject): { sub: string; lines: SummaryLine[]; more: number } | undefined {
  const phase = String(o.status?.phase ?? 'Pending');
  const cls = typeof o.spec?.storageClassName === 'string' && o.spec.storageClassName !== '' ? o.spec.storageClassName : '<none>';
  if (o.kind === 'PersistentVolumeClaim') {
    const size = o.status?.capacity?.storage ?? o.spec?.resources?.requests?.storage;
    return {
      sub: clip(`${phase}${o.spec?.volumeName ? ` · ${o.spec.volumeName}` : ''}`, MAX_VALUE),
      lines: [{ key: o.status?.capacity?.storage ? 'size' : 'asks', value: `${size ?? '?'} ${modes(o)} · class ${cls}` }].map(short),
      more: 0,
    };
  }
  if (o.kind === 'PersistentVolume') {
    const ref = o.spec?.claimRef;
    return {
      sub: clip(`${phase}${ref?.name ? ` · ${ref.namespace ?? 'default'}/${ref.name}` : ''}`, MAX_VALUE),
      lines: [{ key: 'size', value: `${o.spec?.capacity?.storage ?? '?'} ${modes(o)} · ${o.spec?.persistentVolumeReclaimPolicy ?? 'Retain'}${cls === '<none>' ? '' : ` · class ${cls}`}` }].map(short),
      more: 0,
    };
  }
  return undefined;
}
