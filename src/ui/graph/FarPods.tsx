/**
 * FarPods draws a dense node box's pods when the graph is zoomed out too far to read a chip (drawsFar):
 * one bar per owner and revision, as long as its share of the node's pods, in the revision colour and
 * with its count, and under them one strip of the STATUS tones of all the node's pods. Fitted to the
 * view, 50 nodes and 1,000 pods sit at ~0.2×, where a chip's text is 2-3 px high: the bars still say at a
 * glance which revision runs where and how far a rollout has got, with a tenth of the elements for the
 * browser to style, lay out and paint in every frame of it. The bars carry what the chips carry
 * (data-kind, data-name, data-count, data-phases, an aria-label) and open the same objects. Their sizes
 * are in graph.css; dotPlaces.ts (farBarCenter) finds them from those for the traffic dots.
 */
import { memo } from 'react';
import type { GroupView, Item, PodView } from './model.ts';
import { statusTone, useRevisionColor, type StatusTone } from './colors.ts';
import { ToneStrip, activate, groupProps, groupStatus } from './PodChip.tsx';
import { useUi } from '../state/ui.ts';

const FarGroup = memo(function FarGroup({ group, namespace }: { group: GroupView; namespace: string }) {
  const { summary } = groupStatus(group);
  const color = useRevisionColor(group.revision);
  const n = group.pods.length;
  return (
    <div {...groupProps(group, namespace, summary, color)} className="far-bar nopan" style={{ flexGrow: n, background: color }} title={`${group.owner} ×${n}\n${summary}`}>
      {n}
    </div>
  );
});

const FarPod = memo(function FarPod({ view }: { view: PodView }) {
  const { pod } = view;
  const ns = pod.metadata.namespace ?? 'default';
  const color = useRevisionColor(view.revision);
  return (
    <div
      {...activate(() => useUi.getState().select({ kind: 'Pod', namespace: ns, name: pod.metadata.name }))}
      className="far-bar nopan"
      style={{ flexGrow: 1, background: color }}
      data-revision-color={color}
      data-kind="Pod"
      data-name={pod.metadata.name}
      data-namespace={ns}
      data-phase={view.status}
      aria-label={`Pod ${pod.metadata.name}, ${view.status}${view.ready ? ', ready' : ', not ready'}`}
      title={`${pod.metadata.name}\n${view.status}`}
    >
      1
    </div>
  );
});

/** FarPods is the far view of a box's items (see the file comment). */
export const FarPods = memo(function FarPods({ items }: { items: Item[] }) {
  const tones = new Map<StatusTone, number>();
  for (const it of items) {
    const views = it.type === 'pod' ? [it.view] : it.group.pods;
    for (const v of views) {
      const t = statusTone(v.status, v.ready);
      tones.set(t, (tones.get(t) ?? 0) + 1);
    }
  }
  return (
    <div className="far-pods">
      <div className="far-bars">
        {items.map((it) =>
          it.type === 'pod' ? (
            <FarPod key={it.view.pod.metadata.uid ?? it.view.pod.metadata.name} view={it.view} />
          ) : (
            <FarGroup key={it.group.key} group={it.group} namespace={it.group.pods[0]?.pod.metadata.namespace ?? 'default'} />
          ),
        )}
      </div>
      <ToneStrip tones={tones} className="far-strip" />
    </div>
  );
});
