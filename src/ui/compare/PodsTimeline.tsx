/**
 * PodsTimeline is a small step chart of one strategy's pods over its rollout: new-version pods at the
 * bottom, old-version pods stacked on top, on a time axis and pod scale shared by every strategy of
 * the comparison so the shapes compare at a glance.
 */
import type { StrategyResult } from '../../engine/compare/index.ts';

export const CHART_W = 150;
export const CHART_H = 44;

/** stepPath is an SVG path of a step function y(t) filled down to the baseline. */
export function stepPath(points: { t: number; y: number }[], end: number, x: (t: number) => number, y: (v: number) => number): string {
  if (points.length === 0) return '';
  let d = `M${x(points[0].t).toFixed(1)},${y(0).toFixed(1)}`;
  for (let i = 0; i < points.length; i++) {
    const p = points[i];
    const next = i + 1 < points.length ? points[i + 1].t : end;
    d += `L${x(p.t).toFixed(1)},${y(p.y).toFixed(1)}L${x(next).toFixed(1)},${y(p.y).toFixed(1)}`;
  }
  return `${d}L${x(end).toFixed(1)},${y(0).toFixed(1)}Z`;
}

export function PodsTimeline({ result, maxT, maxPods }: { result: StrategyResult; maxT: number; maxPods: number }) {
  const end = Math.max(result.seconds, result.timeline.at(-1)?.t ?? 0);
  const x = (t: number) => 1 + (Math.min(t, maxT) / Math.max(maxT, 1)) * (CHART_W - 2);
  const y = (v: number) => CHART_H - 1 - (v / Math.max(maxPods, 1)) * (CHART_H - 4);
  const total = stepPath(result.timeline.map((p) => ({ t: p.t, y: p.old + p.new })), end, x, y);
  const fresh = stepPath(result.timeline.map((p) => ({ t: p.t, y: p.new })), end, x, y);
  const label = `${result.label}: pods over ${Math.round(end)} s, peak ${result.peakPods}; old version grey, new version blue`;
  return (
    <svg className="kp-cmp-chart" width={CHART_W} height={CHART_H} viewBox={`0 0 ${CHART_W} ${CHART_H}`} role="img" aria-label={label} data-testid={`compare-chart-${result.strategy}`}>
      <title>{label}</title>
      <line className="kp-cmp-axis" x1={0} x2={CHART_W} y1={CHART_H - 0.5} y2={CHART_H - 0.5} />
      <path className="kp-cmp-old" d={total} />
      <path className="kp-cmp-new" d={fresh} />
      <line className="kp-cmp-peak" x1={0} x2={CHART_W} y1={y(result.peakPods)} y2={y(result.peakPods)} />
    </svg>
  );
}
