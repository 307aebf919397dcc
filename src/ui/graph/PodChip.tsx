/**
 * PodChip draws one pod: short name, owner, revision colour, kubectl's STATUS, a ready dot and restarts.
 * Memoized on the PodView, which changes only when the pod object does.
 */
import { memo, type KeyboardEvent, type MouseEvent } from 'react';
import { Handle, Position } from '@xyflow/react';
import type { PodView, GroupView } from './model.ts';
import { statusTone, useRevisionColor, type StatusTone } from './colors.ts';
import { useUi } from '../state/ui.ts';
import { usePodTraffic } from '../state/podTraffic.ts';
import { formatRps } from './ServiceTraffic.tsx';
import { controllerRef } from '../../engine/api/podutil.ts';

function useIsSelected(kind: string, namespace: string, name: string): boolean {
  return useUi((s) => s.selected?.kind === kind && s.selected.name === name && s.selected.namespace === namespace);
}

/** `handle` gives the chip an ownership-edge target (the Cluster view with ownership edges on). */
export const PodChip = memo(function PodChip({ view, handle }: { view: PodView; handle?: boolean }) {
  const { pod } = view;
  const ns = pod.metadata.namespace ?? 'default';
  const selected = useIsSelected('Pod', ns, pod.metadata.name);
  const tone = statusTone(view.status, view.ready);
  // The chip re-renders only when its own rate or error share changes (not on every worker message).
  const { rps, errors } = usePodTraffic(`${ns}/${pod.metadata.name}`);
  const select = () => useUi.getState().select({ kind: 'Pod', namespace: ns, name: pod.metadata.name });
  const color = useRevisionColor(view.revision);
  return (
    <div
      className={`pod-chip nopan tone-${tone}${selected ? ' selected' : ''}`}
      style={{ borderLeftColor: color }}
      data-revision-color={color}
      data-kind="Pod"
      data-name={pod.metadata.name}
      data-namespace={ns}
      data-phase={view.status}
      data-rps={rps}
      title={`${pod.metadata.name}\n${view.status}${rps > 0 ? `\n${formatRps(rps)} requests/s${errors > 0 ? `, ${Math.round(errors * 100)}% failed` : ''}` : ''}`}
      {...activate(select)}
    >
      <div className="pod-row">
        <span className={`dot ${view.ready ? 'dot-ready' : 'dot-unready'}`} aria-hidden="true" />
        <PodName name={pod.metadata.name} short={view.short} ready={view.ready} className="pod-name" />
        {view.restarts > 0 && (
          <span className="pod-restarts" title="restarts">
            <span aria-hidden="true">↻</span>
            {view.restarts}
            <span className="visually-hidden"> restarts</span>
          </span>
        )}
        {rps > 0 && <PodRps rps={rps} errors={errors} className={`pod-rps${errors > 0 ? ' pod-rps-bad' : ''}`} />}
      </div>
      <div className="pod-row">
        {/* A long STATUS (ImagePullBackOff, CreateContainerConfigError) takes the owner's room: it is what matters then. */}
        <span className={view.status.length > 12 ? 'pod-status pod-status-long' : 'pod-status'}>{view.status}</span>
        {view.status.length <= 12 && <span className="pod-owner">{view.owner}</span>}
      </div>
      {handle && <Handle type="target" id={`pod/${pod.metadata.uid ?? pod.metadata.name}`} position={Position.Top} className="flow-handle" isConnectable={false} />}
    </div>
  );
});

/**
 * PodName is a pod's short name as drawn ("gpdn5") and, for a screen reader, its whole name and readiness
 * (the dot's colour). A chip is named by its content, so the words drawn on it are in its name: an
 * aria-label ("Pod web-…-gpdn5, Running") left out the owner and the rate a speech user sees.
 */
export function PodName({ name, short, ready, className }: { name: string; short: string; ready: boolean; className: string }) {
  return (
    <>
      <span className="visually-hidden">Pod {name}, {ready ? 'ready' : 'not ready'}, </span>
      <span className={className} aria-hidden="true">
        {short}
      </span>
    </>
  );
}

/** PodRps is a pod's request rate as drawn ("1.2/s") and, for a screen reader, in words with its error share. */
export function PodRps({ rps, errors, className }: { rps: number; errors: number; className: string }) {
  return (
    <span className={className}>
      {formatRps(rps)}
      <span aria-hidden="true">/s</span>
      <span className="visually-hidden">
        {' '}
        requests per second{errors > 0 ? `, ${Math.round(errors * 100)}% errors` : ''}
      </span>
    </span>
  );
}

/** TONE_ORDER: the order of a group chip's strip, settled pods first, those on their way out last. */
const TONE_ORDER: StatusTone[] = ['ok', 'done', 'progress', 'bad', 'ending'];

/** ToneStrip is a strip with one segment per STATUS tone, as long as its count (className places it). */
export function ToneStrip({ tones, className }: { tones: ReadonlyMap<StatusTone, number>; className: string }) {
  return (
    <div className={className} aria-hidden="true">
      {TONE_ORDER.map((t) => (tones.get(t) ? <span key={t} className={`group-seg seg-${t}`} style={{ flexGrow: tones.get(t) }} /> : null))}
    </div>
  );
}

/** GroupStatus is what a counted group says of its pods. */
export interface GroupStatus {
  /** summary: the count per STATUS string, e.g. "12 Running, 3 ContainerCreating" */
  summary: string;
  /** line: "12/15 ready", or "15 Terminating" when they all share one STATUS other than Running */
  line: string;
  /** tones: pods per STATUS tone, for the strip */
  tones: Map<StatusTone, number>;
}

/** groupStatus counts a group's pods by STATUS string and tone. */
export function groupStatus(group: GroupView): GroupStatus {
  const counts = new Map<string, number>();
  const tones = new Map<StatusTone, number>();
  let ready = 0;
  for (const v of group.pods) {
    counts.set(v.status, (counts.get(v.status) ?? 0) + 1);
    const tone = statusTone(v.status, v.ready);
    tones.set(tone, (tones.get(tone) ?? 0) + 1);
    if (v.ready) ready++;
  }
  const summary = [...counts].map(([s, n]) => `${n} ${s}`).join(', ');
  // All in one STATUS other than Running (a rollout's old pods all Terminating, new ones all
  // ContainerCreating): that STATUS, not "17/17 ready" of pods on their way out.
  const only = counts.size === 1 ? [...counts.keys()][0] : undefined;
  const line = only && only !== 'Running' ? `${group.pods.length} ${only}` : `${ready}/${group.pods.length} ready`;
  return { summary, line, tones };
}

/**
 * groupProps are what every drawing of a counted group carries, its chip or its far bar: a button that
 * opens the group's owner (its ReplicaSet, StatefulSet …), the revision colour, data-kind "PodGroup" with
 * its owner, namespace, count, revision and STATUS counts, and the aria-label.
 */
export function groupProps(group: GroupView, namespace: string, summary: string, color: string) {
  const ref = controllerRef(group.pods[0].pod);
  return {
    ...activate(() => ref && useUi.getState().select({ kind: ref.kind, namespace, name: ref.name })),
    'data-revision-color': color,
    'data-kind': 'PodGroup',
    'data-name': group.owner,
    'data-namespace': namespace,
    'data-count': group.pods.length,
    'data-revision': group.revision ?? '',
    'data-phases': summary,
    'aria-label': groupLabel(group, summary),
  };
}

/** groupLabel is what a group says to a screen reader: "30 pods of web: 28 Running, 2 ContainerCreating". */
function groupLabel(group: GroupView, summary: string): string {
  return `${group.pods.length} pods of ${group.owner}: ${summary}`;
}

/** activate: the props that make an element a button for mouse and keyboard (Enter, Space). */
export function activate(fn: () => void) {
  return {
    role: 'button',
    tabIndex: 0,
    onClick: (e: MouseEvent) => {
      e.stopPropagation();
      fn();
    },
    onKeyDown: (e: KeyboardEvent) => {
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        fn();
      }
    },
  };
}

/**
 * PodGroupChip stands for many pods of one owner and revision on one node: how many are ready (or their
 * STATUS when they all share one other than Running), a strip along its bottom edge with one segment per
 * STATUS tone (so a rollout's starting and terminating pods show in a dense graph), and the count per
 * STATUS string in its label, tooltip and data-phases.
 */
export const PodGroupChip = memo(function PodGroupChip({ group, namespace, handle }: { group: GroupView; namespace: string; handle?: boolean }) {
  const { summary, line, tones } = groupStatus(group);
  const ref = controllerRef(group.pods[0].pod);
  const color = useRevisionColor(group.revision);
  // Named by its content (the drawn "web ×30" is in the words), as an aria-label would hide it from speech users.
  const { 'aria-label': label, ...props } = groupProps(group, namespace, summary, color);
  return (
    <div
      {...props}
      className="pod-chip pod-group nopan"
      style={{ borderLeftColor: color }}
      title={`${summary}\nClick to inspect ${ref ? `${ref.kind} ${ref.name}` : 'the owner'}`}
    >
      <span className="visually-hidden">{label}</span>
      <div className="pod-row" aria-hidden="true">
        <span className="pod-name">
          {group.owner} ×{group.pods.length}
        </span>
      </div>
      <div className="pod-row" aria-hidden="true">
        <span className="pod-status">{line}</span>
      </div>
      <ToneStrip tones={tones} className="group-strip" />
      {handle && <Handle type="target" id={`group/${group.key}`} position={Position.Top} className="flow-handle" isConnectable={false} />}
    </div>
  );
});
