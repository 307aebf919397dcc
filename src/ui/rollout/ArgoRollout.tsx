/**
 * ArgoRollout: the Rollout tab for an Argo Rollout — steps, set vs measured weight, ReplicaSets by
 * revision with their tags, analysis runs with their measurements, and the plugin's buttons.
 */
import { useMemo } from 'react';
import type { KubeObject, Pod, ReplicaSet } from '../../engine/api/types.ts';
import { useCluster, useKind } from '../state/cluster.ts';
import { revisionColor } from '../graph/colors.ts';
import { ActionBar } from './ActionBar.tsx';
import { ReplicaSetTable } from './ReplicaSetTable.tsx';
import { rolloutView, type RunRow, type StepRow, type Weights } from './argo.ts';

const STEP_ICON: Record<StepRow['state'], string> = { done: '✓', current: '▶', pending: '' };

function Steps({ steps, label, firstRevision }: { steps: StepRow[]; label?: string; firstRevision: boolean }) {
  if (steps.length === 0) return null;
  return (
    <section className="insp-section">
      <h3>Steps{label ? ` · ${label}` : ''}</h3>
      {firstRevision && (
        <p className="muted ro-note" data-testid="ro-first-revision">
          The first revision skips the steps: with no stable version to protect, Argo Rollouts scales it straight to 100%. The steps run from the next update, such as a new image.
        </p>
      )}
      <ol className="ro-steps" data-testid="ro-steps">
        {steps.map((s) => (
          <li key={s.index} className={`ro-step ${s.state}`} aria-current={s.state === 'current' ? 'step' : undefined} data-state={s.state}>
            <span className="ro-step-icon" aria-hidden="true">
              {STEP_ICON[s.state]}
            </span>
            <span className="ro-step-index">{s.index}</span>
            <code>{s.text}</code>
            {s.state === 'done' && <span className="visually-hidden"> (done)</span>}
            {s.state === 'current' && s.left !== undefined && <span className="ro-step-left">{s.left} left</span>}
            {s.state === 'current' && <span className="ro-step-now">current</span>}
          </li>
        ))}
      </ol>
    </section>
  );
}

const pct = (x: number) => `${Math.round(x * 10) / 10}%`;

function WeightBlock({ w, router }: { w: Weights; router?: string }) {
  const measured = w.measured;
  return (
    <section className="insp-section">
      <h3>Traffic weight</h3>
      <p className="ro-weight" data-testid="ro-weights" data-set={w.set} data-measured={measured ?? ''}>
        set weight <b>{w.set}%</b> · measured <b>{measured === undefined ? '—' : pct(measured)}</b>
        {w.routed !== undefined && router && <span className="muted ro-nowrap"> · {router} canary-weight {w.routed}</span>}
      </p>
      {/* The canary's measured share in its revision colour over the stable's; the mark is the set weight. */}
      <div className="ro-bar" aria-hidden="true" style={{ background: measured === undefined ? undefined : revisionColor(w.stableHash) }}>
        <span className="ro-bar-fill" style={{ width: `${Math.min(100, measured ?? 0)}%`, background: revisionColor(w.canaryHash) }} />
        <span className="ro-bar-mark" style={{ left: `${Math.min(100, w.set)}%` }} title={`set weight ${w.set}%`} />
      </div>
      <p className="muted small">
        {w.settled
          ? (
            <>
              No canary in progress: the stable pods served <span className="swatch ro-inline-swatch" style={{ background: revisionColor(w.stableHash) }} aria-hidden="true" />
              {w.stableRps.toFixed(1)} rps.
            </>
          )
          : measured === undefined
          ? 'No requests reached the canary or stable pods in the last seconds.'
          : (
            <>
              <span className="swatch ro-inline-swatch" style={{ background: revisionColor(w.canaryHash) }} aria-hidden="true" />
              canary {w.canaryRps.toFixed(1)} rps, <span className="swatch ro-inline-swatch" style={{ background: revisionColor(w.stableHash) }} aria-hidden="true" />
              stable {w.stableRps.toFixed(1)} rps (requests the pods served{router ? '' : '; without traffic routing the split follows the pod counts'})
            </>
          )}
      </p>
    </section>
  );
}

function Runs({ runs }: { runs: RunRow[] }) {
  if (runs.length === 0) return null;
  return (
    <section className="insp-section" data-testid="ro-runs">
      <h3>Analysis runs</h3>
      {runs.map((r) => (
        <div key={r.name} className="ro-run">
          <div className="ro-run-head">
            <code className="ro-run-name" title={r.name}>
              {r.name}
            </code>
            <span className={`badge ${phaseClass(r.phase)}`}>{r.phase}</span>
          </div>
          {r.message && <p className="muted small">{r.message}</p>}
          {r.metrics.map((m) => (
            <div key={m.name} className="ro-metric">
              <span className="ro-metric-name">{m.name}</span>
              <span className="ro-measurements">
                {m.measurements.length === 0 && <span className="muted">no measurement yet</span>}
                {m.measurements.map((x, i) => (
                  <span key={i} className={`ro-meas ${phaseClass(x.phase)}`} title={`${x.value} ${x.phase}${x.at ? ` at ${x.at}` : ''}${x.message ? `: ${x.message}` : ''}`}>
                    {x.short === '' ? x.phase : x.short}
                  </span>
                ))}
              </span>
              <span className={`ro-metric-phase ${phaseClass(m.phase)}`}>{m.phase}</span>
            </div>
          ))}
        </div>
      ))}
    </section>
  );
}

function phaseClass(phase: string): string {
  if (phase === 'Successful' || phase === 'Healthy') return 'badge-ok';
  if (phase === 'Failed' || phase === 'Error' || phase === 'Degraded') return 'badge-bad';
  if (phase === 'Inconclusive' || phase === 'Paused') return 'badge-warn';
  return 'badge-neutral';
}

export function ArgoRollout({ ro }: { ro: KubeObject }) {
  const rss = useKind('ReplicaSet');
  const runs = useKind('AnalysisRun');
  const pods = useKind('Pod');
  const traffic = useCluster((s) => s.traffic);
  // Whole seconds of the clock: the countdowns (pause left, scale-down in) change once a second.
  const second = useCluster((s) => Math.floor(s.clock.t / 1000));
  const view = useMemo(
    () => rolloutView(ro, [...rss.values()] as ReplicaSet[], [...runs.values()], [...pods.values()] as Pod[], traffic, second * 1000),
    [ro, rss, runs, pods, traffic, second],
  );
  // The plugin's status words: an aborted rollout is Degraded, as the graph card says it.
  return (
    <div className="ro" data-testid="rollout-panel" data-kind="Rollout" data-name={view.name} data-namespace={view.namespace}>
      <header className="ro-head">
        <span className="card-kind">rollout</span>
        <h2 className="ro-name">{view.name}</h2>
        <span className="muted">{view.namespace}</span>
        <span className={`badge ${phaseClass(view.aborted ? 'Degraded' : view.phase)}`} data-testid="ro-phase">
          {view.phase}
          {view.stepLabel ? ` · step ${view.stepLabel}` : ''}
          {view.aborted ? ' · aborted' : ''}
        </span>
      </header>
      <p className="ro-sub">
        {view.strategy}
        {view.router ? ` with ${view.router} traffic routing` : view.strategy === 'Canary' ? ' by replica count' : ''}
        {view.message && <span className="muted"> · {view.message}</span>}
      </p>
      <ActionBar actions={view.actions} />
      {view.weights && <WeightBlock w={view.weights} router={view.router} />}
      <Steps steps={view.steps} label={view.stepLabel} firstRevision={view.firstRevision} />
      <ReplicaSetTable heading="ReplicaSets" rows={view.replicaSets} />
      <Runs runs={view.runs} />
    </div>
  );
}
