/** ResourceBar shows requested vs allocatable for one resource of a node. */
import { formatCpu } from '../../engine/api/quantity.ts';
import type { Usage } from './model.ts';

function formatBytes(milli: number): string {
  const bytes = milli / 1000;
  const units: [string, number][] = [['Gi', 2 ** 30], ['Mi', 2 ** 20], ['Ki', 2 ** 10]];
  for (const [u, size] of units) if (bytes >= size) return `${+(bytes / size).toFixed(1)}${u}`;
  return `${Math.round(bytes)}`;
}

export function ResourceBar({ label, usage }: { label: 'cpu' | 'memory'; usage: Usage }) {
  const fmt = label === 'cpu' ? formatCpu : formatBytes;
  const frac = usage.allocatable > 0 ? usage.requested / usage.allocatable : 0;
  const pct = Math.min(100, Math.round(frac * 100));
  const text = `${fmt(usage.requested)} / ${fmt(usage.allocatable)}`;
  return (
    <div className="res" aria-label={`${label} requests ${text} (${pct}%)`}>
      <span className="res-label">{label}</span>
      <span className="res-bar" role="meter" aria-valuenow={pct} aria-valuemin={0} aria-valuemax={100}>
        <span className={`res-fill${frac > 0.9 ? ' res-high' : ''}`} style={{ width: `${pct}%` }} />
      </span>
      <span className="res-text">{text}</span>
    </div>
  );
}
