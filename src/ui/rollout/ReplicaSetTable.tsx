/**
 * ReplicaSetTable: the Rollout tab's ReplicaSets by revision, for a Deployment and an Argo Rollout alike:
 * revision, colour and pod-template-hash (as the graph colours them), tags (stable, canary, active,
 * preview, new), images and ready pods.
 */
import { revisionColor } from '../graph/colors.ts';

/** RsRow is one ReplicaSet as the table shows it. */
export interface RsRow {
  name: string;
  hash: string;
  revision: number | string;
  tags: string[];
  images: string[];
  ready: number;
  replicas: number;
  /** title: a tooltip for the row (a Deployment's change-cause) */
  title?: string;
  /** note: what is about to happen to it ("scale-down in 25s") */
  note?: string;
}

export function ReplicaSetTable({ heading, rows }: { heading: string; rows: RsRow[] }) {
  return (
    <section className="insp-section">
      <h3>{heading}</h3>
      <table className="table ro-rs" data-testid="ro-replicasets">
        <thead>
          <tr>
            <th>rev</th>
            <th>ReplicaSet</th>
            <th>image</th>
            <th className="num">ready</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.name} data-name={r.name} title={r.title}>
              <td className="num">{r.revision}</td>
              <td>
                {/* The colour stays with its name: a note that wraps the cell took the name to the next line alone. */}
                <span className="ro-rs-id">
                  <span className="swatch" style={{ background: revisionColor(r.hash || r.name) }} aria-hidden="true" />
                  <code className="ro-rs-name" title={r.name}>
                    {r.hash || r.name}
                  </code>
                </span>
                {r.tags.map((t) => (
                  <span key={t} className={`ro-tag ro-tag-${t === 'new' ? 'canary' : t}`}>
                    {t}
                  </span>
                ))}
                {r.note && <span className="ro-rs-note muted"> {r.note}</span>}
              </td>
              <td className="ro-img" title={r.images.join(', ')}>
                {r.images.join(', ')}
              </td>
              <td className="num">
                {r.ready}/{r.replicas}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
