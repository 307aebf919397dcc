/** ResourceBar shows requested vs allocatable for one resource of a node. */
import { memo } from 'react';
import { formatCpu } from '../../engine/api/quantity.ts';
import type { Usage } from './model.ts';

const BYTE_UNITS: readonly (readonly [string, number])[] = [
  ['Gi', 2 ** 30],
  ['Mi', 2 ** 20],
  ['Ki', 2 ** 10],
];

/** formatBytes prints milli-bytes in the largest binary unit, to one decimal ("3.5Gi"). */
export function formatBytes(milli: number): string {
  const bytes = milli / 1000;
  for (const [u, size] of BYTE_UNITS) if (bytes >= size) return `${+(bytes / size).toFixed(1)}${u}`;
  return `${Math.round(bytes)}`;
}

/**
 * ResourceBar renders again only when the numbers change: a node box re-renders for any change to one of
 * its pods, and during a 1,000-pod rollout most of the 100 bars' numbers stay the same from frame to frame.
 */
export const ResourceBar = memo(
  ResourceBarView,
  (a, b) => a.label === b.label && a.usage.requested === b.usage.requested && a.usage.allocatable === b.usage.allocatable,
);

function ResourceBarView({ label, usage }: { label: 'cpu' | 'memory'; usage: Usage }) {
  const fmt = label === 'cpu' ? formatCpu : formatBytes;
  const frac = usage.allocatable > 0 ? usage.requested / usage.allocatable : 0;
  const pct = Math.min(100, Math.round(frac * 100));
  const text = `${fmt(usage.requested)} / ${fmt(usage.allocatable)}`;
  return (
    <div
      className="res"
      // What the bar counts: the scheduler's view (kubectl describe node's "Allocated resources"), not usage (kubectl top).
      title={`${label}: ${text} requested by the node's pods, of its allocatable (kubectl describe node); kubectl top node shows what they use`}
    >
      <span className="res-label">{label}</span>
      <span className="res-bar" role="meter" aria-label={`${label} requests`} aria-valuenow={pct} aria-valuemin={0} aria-valuemax={100} aria-valuetext={`${text} (${pct}%)`}>
        <span className={`res-fill${frac > 0.9 ? ' res-high' : ''}`} style={{ width: `${pct}%` }} />
      </span>
      <span className="res-text">{text}</span>
    </div>
  );
}
