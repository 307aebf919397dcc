/**
 * ServiceTraffic is a Service card's traffic line: the requests per second the cluster routed to the
 * Service over the last few simulated seconds, a thin bar stacked by the versions (images) that served
 * them in their revision colours, with the failed share (5xx, refused, timeouts) in red, and the
 * percentages. Every figure is the engine's (the worker's TrafficView), none is decoration.
 */
import type { ServiceTraffic as Traffic } from '../../worker/protocol.ts';
import { percentages } from '../../worker/traffic.ts';
import { revisionColor } from './colors.ts';

/** formatRps prints a rate: one decimal under 100 (12.4), whole numbers above (1530). */
export function formatRps(rps: number): string {
  return rps >= 100 ? String(Math.round(rps)) : rps.toFixed(1);
}

/**
 * versionLabel shortens an image to what tells versions apart: its tag ("hello-app:2.0" → "2.0"), the
 * repository's last path element for an image without a tag ("registry.k8s.io/hpa-example" → "hpa-example",
 * as the charts name it), or both when the tags are all alike.
 */
export function versionLabel(image: string, all: string[]): string {
  const nameOf = (s: string) => {
    const i = s.lastIndexOf(':');
    const repo = i > s.lastIndexOf('/') ? s.slice(0, i) : s;
    return repo.slice(repo.lastIndexOf('/') + 1);
  };
  const tagOf = (s: string) => {
    const i = s.lastIndexOf(':');
    return i > s.lastIndexOf('/') ? s.slice(i + 1) : nameOf(s);
  };
  const tags = all.map(tagOf);
  if (new Set(tags).size === tags.length) return tagOf(image);
  const names = all.map((s) => `${nameOf(s)}:${tagOf(s)}`);
  return new Set(names).size === names.length ? `${nameOf(image)}:${tagOf(image)}` : image;
}

/** trafficText is the card's figures as words, for its aria-label and tooltip. */
export function trafficText(t: Traffic | undefined): string {
  if (!t || t.rps === 0) return '0 rps';
  const images = t.versions.map((v) => v.version);
  const pct = percentages(t.versions.map((v) => v.share));
  const parts = t.versions.map((v, i) => `${versionLabel(v.version, images)} ${pct[i]}%`);
  const err = Math.round(t.errors * 100);
  return `${formatRps(t.rps)} rps${parts.length ? ` (${parts.join(', ')})` : ''}${t.errors > 0 ? `, ${err}% errors` : ''}`;
}

export function ServiceTraffic({ traffic }: { traffic: Traffic | undefined }) {
  if (!traffic || traffic.rps === 0) {
    return (
      <div className="svc-traffic svc-idle">
        <div className="traffic-bar" aria-hidden="true" />
        <div className="traffic-legend">no traffic</div>
      </div>
    );
  }
  const images = traffic.versions.map((v) => v.version);
  const pct = percentages(traffic.versions.map((v) => v.share));
  const ok = 1 - traffic.errors;
  const errPct = traffic.errors > 0 ? Math.max(1, Math.round(traffic.errors * 100)) : 0;
  return (
    <div className="svc-traffic" title={traffic.versions.map((v, i) => `${v.version}: ${pct[i]}%`).join('\n')}>
      <div className="traffic-bar" aria-hidden="true">
        {traffic.versions.map((v) => (
          <span key={v.version} className="traffic-seg" style={{ width: `${v.share * ok * 100}%`, background: revisionColor(v.revision ?? v.version) }} />
        ))}
        {traffic.errors > 0 && <span className="traffic-seg traffic-err" style={{ width: `${traffic.errors * 100}%` }} />}
      </div>
      <div className="traffic-legend">
        <span className="traffic-rps">{formatRps(traffic.rps)} rps</span>
        {traffic.versions.map((v, i) => (
          <span key={v.version} className="traffic-version" data-version={v.version} data-share={pct[i]}>
            <span className="swatch" style={{ background: revisionColor(v.revision ?? v.version) }} aria-hidden="true" />
            {versionLabel(v.version, images)} {pct[i]}%
          </span>
        ))}
        {errPct > 0 && (
          // Failed: answered 5xx, or not at all (refused, timed out: a NetworkPolicy drops, nothing listens).
          <span className="traffic-version traffic-errors" data-errors={errPct} title="answered 5xx, or not at all (refused or timed out)">
            failed {errPct}%
          </span>
        )}
      </div>
    </div>
  );
}
