/**
 * NodeBox is the React Flow node for a Kubernetes Node: its name, Ready/NotReady, cordon and taints,
 * CPU and memory requests against allocatable, and its pods as chips. The Unscheduled lane is the same
 * box without a Node.
 */
import { memo, useEffect } from 'react';
import { Handle, Position, useStore, useUpdateNodeInternals, type Node as FlowNode, type NodeProps } from '@xyflow/react';
import type { Node as KNode } from '../../engine/api/types.ts';
import { podCount, type Item, type Usage } from './model.ts';
import { PodChip, PodGroupChip } from './PodChip.tsx';
import { ResourceBar } from './ResourceBar.tsx';
import { FarPods } from './FarPods.tsx';
import { drawsFar } from './layout.ts';
import { useUi } from '../state/ui.ts';

export interface NodeBoxData extends Record<string, unknown> {
  node: KNode;
  ready: string;
  items: Item[];
  cpu: Usage;
  memory: Usage;
  /** owners: where ownership edges end — on each chip ('chips'), on the box ('box'), or none */
  owners?: 'chips' | 'box';
  /** dense: the graph draws counted chips (and, zoomed out past FAR_ZOOM, FarPods) */
  dense?: boolean;
}

export interface LaneData extends Record<string, unknown> {
  items: Item[];
  owners?: 'chips' | 'box';
}

function Chips({ items, handles }: { items: Item[]; handles: boolean }) {
  return (
    <div className="chips">
      {items.map((it) =>
        it.type === 'pod' ? (
          <PodChip key={it.view.pod.metadata.uid ?? it.view.pod.metadata.name} view={it.view} handle={handles} />
        ) : (
          <PodGroupChip key={it.group.key} group={it.group} namespace={it.group.pods[0]?.pod.metadata.namespace ?? 'default'} handle={handles} />
        ),
      )}
    </div>
  );
}

/**
 * useOwnerHandles re-measures a box's handles when its chips (and so their ownership-edge targets) change
 * while ownership edges are drawn: React Flow measures handles only when a node resizes.
 */
function useOwnerHandles(id: string, owners: 'chips' | 'box' | undefined, items: Item[]) {
  const update = useUpdateNodeInternals();
  // 'box' mode has one handle that never moves: measured once when it appears. 'chips' mode (at most
  // OWNER_POD_LIMIT pods) re-measures when the chips change.
  const chipsKey = owners === 'chips' ? items : undefined;
  useEffect(() => {
    if (owners) update(id);
  }, [id, owners, chipsKey, update]);
}

export const NodeBox = memo(function NodeBox({ id, data }: NodeProps<FlowNode<NodeBoxData>>) {
  const { node, ready, items, cpu, memory, owners } = data;
  useOwnerHandles(id, owners, items);
  // Zoomed out past FAR_ZOOM a dense box draws bars instead of chips (a boolean: the box re-renders only when it flips).
  const far = useStore((s) => drawsFar(s.transform[2], data));
  const name = node.metadata.name;
  const selected = useUi((s) => s.selected?.kind === 'Node' && s.selected.name === name);
  const cordoned = !!node.spec?.unschedulable;
  const taints = node.spec?.taints ?? [];
  const pods = podCount(items);
  return (
    <div
      className={`node-box${ready !== 'Ready' ? ' node-notready' : ''}${selected ? ' selected' : ''}${far ? ' node-far' : ''}`}
      data-kind="Node"
      data-name={name}
      data-namespace=""
      data-status={ready}
      aria-label={`Node ${name}, ${ready}${cordoned ? ', cordoned' : ''}, ${pods} pods`}
    >
      <button
        type="button"
        className="node-head nopan"
        onClick={() => useUi.getState().select({ kind: 'Node', namespace: '', name })}
      >
        {/* Named by what it shows (a speech user says "worker-1"), after the verb a screen reader needs. */}
        <span className="visually-hidden">Inspect node </span>
        <span className="node-name">{name}</span>
        <span className={`badge ${ready === 'Ready' ? 'badge-ok' : 'badge-bad'}`}>{ready}</span>
        {cordoned && <span className="badge badge-warn">cordoned</span>}
        <span className="node-count">{pods === 1 ? '1 pod' : `${pods} pods`}</span>
      </button>
      {taints.length > 0 && (
        <div className="taints">
          {taints.map((t, i) => (
            <span key={i} className="taint" title={`taint ${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`}>
              {t.key.replace(/^node(-role)?\.kubernetes\.io\//, '')}
              {t.value ? `=${t.value}` : ''}:{t.effect}
            </span>
          ))}
        </div>
      )}
      <ResourceBar label="cpu" usage={cpu} />
      <ResourceBar label="memory" usage={memory} />
      {far ? <FarPods items={items} /> : <Chips items={items} handles={owners === 'chips'} />}
      {owners === 'box' && <Handle type="target" id="owners" position={Position.Top} className="flow-handle" isConnectable={false} />}
    </div>
  );
});

export const UnscheduledLane = memo(function UnscheduledLane({ id, data }: NodeProps<FlowNode<LaneData>>) {
  useOwnerHandles(id, data.owners, data.items);
  const n = podCount(data.items);
  return (
    <div className="lane" data-kind="Lane" data-name="unscheduled" data-namespace="" aria-label={`Unscheduled: ${n} pending pods`}>
      <div className="lane-head">
        <span className="node-name">Unscheduled</span>
        <span className="node-count">{n === 0 ? 'no pending pods' : `${n} pending`}</span>
      </div>
      <Chips items={data.items} handles={data.owners === 'chips'} />
      {data.owners === 'box' && <Handle type="target" id="owners" position={Position.Top} className="flow-handle" isConnectable={false} />}
    </div>
  );
});
