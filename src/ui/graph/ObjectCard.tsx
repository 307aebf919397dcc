/**
 * ObjectCard is the React Flow node for a custom object (an instance of a CustomResourceDefinition's kind)
 * or a CRD itself: a plain card with the kind, the name, the namespace and a few spec fields as text.
 * Nothing acts on a custom object unless an operator watches it, so the card shows no status of its own.
 * ObjectLane is the dashed "Custom resources" box the cards sit in. Clicking a card inspects the object.
 */
import { memo, useMemo } from 'react';
import type { Node as FlowNode, NodeProps } from '@xyflow/react';
import { useShallow } from 'zustand/react/shallow';
import type { KubeObject } from '../../engine/api/types.ts';
import { useUi } from '../state/ui.ts';
import { useCluster, useKind } from '../state/cluster.ts';
import { CRD_KIND, clip, crdSummary, customKindNames, specSummary, storageSummary, type CustomObjects, type ObjectCardData, type ObjectLaneData } from './objectModel.ts';
import './objectCard.css';
import { CardKind } from './CardKind.tsx';

const NONE: ReadonlyMap<string, KubeObject> = new Map();

/**
 * useCustomObjects selects the CRDs and the objects of the kinds they define. The result keeps its
 * identity until a CRD or one of those kinds changes (the kinds' Maps are compared one by one), so the
 * graph is not rebuilt for the custom lane's sake when only pods change.
 */
export function useCustomObjects(): CustomObjects {
  const crds = useKind(CRD_KIND);
  const kinds = useMemo(() => customKindNames(crds), [crds]);
  const maps = useCluster(useShallow((s) => kinds.map((k) => s.objects[k] ?? NONE)));
  return useMemo(() => ({ crds, byKind: kinds.map((k, i) => [k, maps[i]] as const) }), [crds, kinds, maps]);
}

export const ObjectCard = memo(function ObjectCard({ data }: NodeProps<FlowNode<ObjectCardData>>) {
  const o = data.obj;
  const ns = o.metadata.namespace ?? '';
  const isCrd = o.kind === CRD_KIND;
  const selected = useUi((s) => s.selected?.kind === o.kind && (s.selected.namespace ?? '') === ns && s.selected.name === o.metadata.name);
  const storage = storageSummary(o);
  const { lines, more } = storage ?? (isCrd ? crdSummary(o, data.objects ?? 0) : specSummary(o));
  const name = clip(o.metadata.name, 253);
  // A CRD's card names the kind it defines; a claim's or volume's its phase and binding; an object's the
  // group/version it was written in.
  const sub = storage
    ? storage.sub
    : isCrd
      ? `${clip(String(o.spec?.names?.kind ?? '?'), 63)} · ${o.spec?.scope === 'Cluster' ? 'Cluster-scoped' : 'Namespaced'}`
      : `${ns ? `ns ${ns}` : 'cluster-scoped'} · ${clip(o.apiVersion ?? '', 63)}`;
  const summary = lines.map((l) => `${l.key}: ${l.value}`).join(', ');
  return (
    <div
      className={`card object-card${isCrd ? ' object-crd' : ''}${selected ? ' selected' : ''}`}
      data-kind={o.kind}
      data-name={o.metadata.name}
      data-namespace={ns}
      aria-label={`${o.kind} ${o.metadata.name}${ns ? ` in ${ns}` : ''}${summary ? `: ${summary}` : ''}`}
    >
      <button
        type="button"
        className="card-head nopan"
        onClick={() => useUi.getState().select({ kind: o.kind, namespace: ns, name: o.metadata.name })}
        title={`${o.kind} ${ns ? `${ns}/` : ''}${o.metadata.name}`}
      >
        <CardKind short={isCrd ? 'crd' : (SHORT_KIND[o.kind] ?? clip(o.kind, 24))} kind={o.kind} />
        <span className="card-name">{name}</span>
      </button>
      <div className="card-sub">{sub}</div>
      <dl className="object-fields">
        {lines.map((l, i) => (
          <div className="object-field" key={i}>
            <dt>{l.key}</dt>
            <dd>{l.value}</dd>
          </div>
        ))}
        {lines.length === 0 && <div className="object-field object-empty">no spec</div>}
      </dl>
      {more > 0 && <span className="object-more">+{more}</span>}
    </div>
  );
});

/** LANES: each object lane's title and data-name. */
const LANES = { custom: { title: 'Custom resources', name: 'custom-resources' }, storage: { title: 'Storage', name: 'storage' } } as const;

/** SHORT_KIND: kubectl's short names, for the kinds with cards of their own lane. */
const SHORT_KIND: Record<string, string> = { PersistentVolumeClaim: 'pvc', PersistentVolume: 'pv' };

export const ObjectLane = memo(function ObjectLane({ data }: NodeProps<FlowNode<ObjectLaneData>>) {
  const lane = LANES[data.lane];
  return (
    <div className="lane object-lane" data-kind="Lane" data-name={lane.name} data-namespace="" aria-label={`${lane.title}: ${data.what}`}>
      <div className="lane-head">
        <span className="node-name">{lane.title}</span>
        <span className="node-count">{data.what}</span>
      </div>
    </div>
  );
});
