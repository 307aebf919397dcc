/**
 * CompareDialog runs the loaded scenario's rollout under 2–4 strategies (RollingUpdate, Recreate,
 * Argo canary, Argo blue/green) in a dedicated worker and shows the results side by side: a table of
 * the metrics with the best value of each row marked, and a small chart of each strategy's pods.
 * The scenario is the one loaded (as the share link carries it), not the changes typed since.
 */
import { useEffect, useId, useRef, useState } from 'react';
import type { CompareResult, Strategy } from '../../engine/compare/index.ts';
import { recorder } from '../share/pageShare.ts';
import { formatSeconds } from '../../engine/compare/format.ts';
import { bestOf, METRICS } from './metrics.ts';
import { PodsTimeline } from './PodsTimeline.tsx';
import type { ComparePlan, CompareReply, CompareRequest } from './protocol.ts';
import './compare.css';

const ALL: { id: Strategy; label: string; hint: string }[] = [
  { id: 'rolling', label: 'Rolling update', hint: 'Deployment, RollingUpdate with the workload’s maxSurge/maxUnavailable (default 25%/25%)' },
  { id: 'recreate', label: 'Recreate', hint: 'Deployment, Recreate: all old pods stop before new ones start' },
  { id: 'canary', label: 'Canary', hint: 'Argo Rollout: 20% → pause 30s → 50% → pause 30s → 100%' },
  { id: 'bluegreen', label: 'Blue/green', hint: 'Argo Rollout: full-size preview, promoted 30s after it is ready' },
];

type Status = { kind: 'planning' } | { kind: 'ready' } | { kind: 'running'; line: string } | { kind: 'done' } | { kind: 'error'; message: string };

let nextId = 1;

/** startWorker runs one request in a fresh worker; the returned function stops it. */
function startWorker(req: CompareRequest, onReply: (r: CompareReply) => void): () => void {
  const w = new Worker(new URL('./compare.worker.ts', import.meta.url), { type: 'module', name: 'kubeplay-compare' });
  w.onmessage = (e: MessageEvent<CompareReply>) => {
    if (e.data.id !== req.id) return;
    onReply(e.data);
    if (e.data.type !== 'progress') w.terminate();
  };
  w.onerror = (e) => {
    onReply({ type: 'error', id: req.id, error: `the comparison worker failed: ${e.message || 'unknown error'}` });
    w.terminate();
  };
  w.postMessage(req);
  return () => w.terminate();
}

/** trapFocus keeps Tab and Shift+Tab inside the (modal) dialog. */
function trapFocus(e: React.KeyboardEvent, el: HTMLElement | null): void {
  if (!el) return;
  const items = [...el.querySelectorAll<HTMLElement>('button:not(:disabled), input:not(:disabled), summary, [href]')];
  if (items.length === 0) return;
  const first = items[0];
  const last = items[items.length - 1];
  if (e.shiftKey && (document.activeElement === first || document.activeElement === el)) {
    e.preventDefault();
    last.focus();
  } else if (!e.shiftKey && document.activeElement === last) {
    e.preventDefault();
    first.focus();
  }
}

export function CompareDialog({ onClose }: { onClose: () => void }) {
  const titleId = useId();
  const [plan, setPlan] = useState<ComparePlan>();
  const [workload, setWorkload] = useState<string>();
  const [image, setImage] = useState('');
  const [chosen, setChosen] = useState<Strategy[]>(['rolling', 'recreate', 'canary', 'bluegreen']);
  const [status, setStatus] = useState<Status>({ kind: 'planning' });
  const [result, setResult] = useState<CompareResult>();
  const stop = useRef<() => void>(undefined);
  const root = useRef<HTMLDivElement>(null);
  const file = recorder.name;
  const text = recorder.scenario;

  useEffect(() => {
    if (!root.current?.contains(document.activeElement)) root.current?.querySelector<HTMLElement>('input, button.btn-primary')?.focus();
    const id = nextId++;
    stop.current = startWorker({ type: 'plan', id, file, text, workload }, (r) => {
      if (r.type !== 'plan') return;
      if (r.error || !r.plan) setStatus({ kind: 'error', message: r.error ?? 'no plan' });
      else {
        setPlan(r.plan);
        setImage(r.plan.toImage);
        setStatus({ kind: 'ready' });
      }
    });
    return () => stop.current?.();
  }, [file, text, workload]);

  // Escape closes wherever the focus is (a disabled Run button drops it to the page while running).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.stopPropagation();
        onClose();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);

  const run = () => {
    stop.current?.();
    const id = nextId++;
    const strategies = ALL.map((s) => s.id).filter((s) => chosen.includes(s));
    setResult(undefined);
    setStatus({ kind: 'running', line: 'Starting…' });
    const spec = image.includes('=') || !plan ? image.trim() : `${plan.container}=${image.trim()}`;
    stop.current = startWorker({ type: 'run', id, file, text, workload: plan?.workloads.length && plan.workloads.length > 1 ? plan.name : undefined, image: spec, strategies }, (r) => {
      if (r.type === 'progress') setStatus({ kind: 'running', line: `Running ${ALL.find((s) => s.id === r.strategy)?.label ?? r.strategy} (${r.i + 1} of ${r.n})…` });
      else if (r.type === 'result') {
        setResult(r.result);
        setStatus({ kind: 'done' });
        root.current?.focus();
      } else if (r.type === 'error') setStatus({ kind: 'error', message: r.error });
    });
  };

  const toggle = (s: Strategy) => setChosen((c) => (c.includes(s) ? c.filter((x) => x !== s) : [...c, s]));
  const running = status.kind === 'running';
  const canRun = !!plan && chosen.length >= 2 && chosen.length <= 4 && image.trim() !== '' && !running;

  return (
    <>
      <div className="kp-cmp-backdrop" onClick={onClose} aria-hidden="true" />
      <div
        ref={root}
        className="kp-dialog kp-cmp"
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        data-testid="compare-dialog"
        tabIndex={-1}
        onKeyDown={(e) => {
          if (e.key === ' ' || e.key === '.') e.stopPropagation(); // not the page's play/step shortcuts
          else if (e.key === 'Tab') trapFocus(e, root.current);
        }}
      >
        <header>
          <h2 id={titleId}>Compare rollout strategies</h2>
          <button type="button" className="btn btn-ghost" onClick={onClose} aria-label="Close">
            ✕
          </button>
        </header>
        {plan && (
          <p className="kp-cmp-what" data-testid="compare-plan">
            {plan.kind}{' '}
            {plan.workloads.length > 1 ? (
              <select aria-label="Workload" value={plan.name} onChange={(e) => {
                  setWorkload(e.target.value);
                  setResult(undefined);
                  setStatus({ kind: 'planning' });
                }} disabled={running} data-testid="compare-workload">
                {plan.workloads.map((n) => (
                  <option key={n} value={n}>
                    {n}
                  </option>
                ))}
              </select>
            ) : (
              <b>{plan.name}</b>
            )}{' '}
            · {plan.replicas} replicas · seed {plan.seed} · {plan.rps ? `${plan.rps} requests/s` : 'no traffic'} · change at {plan.at}s
          </p>
        )}
        <form
          className="kp-cmp-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (canRun) run();
          }}
        >
          <fieldset disabled={!plan || running}>
            <legend>Strategies (2–4)</legend>
            {ALL.map((s) => (
              <label key={s.id} title={s.hint}>
                <input type="checkbox" checked={chosen.includes(s.id)} onChange={() => toggle(s.id)} data-testid={`compare-pick-${s.id}`} /> {s.label}
              </label>
            ))}
          </fieldset>
          <div className="kp-cmp-row">
            <label className="kp-cmp-image">
              <span className="kp-cmp-from" title={plan?.fromImage}>
                {plan ? <code>{plan.fromImage}</code> : 'image'}
              </span>
              <span aria-hidden="true">→</span>
              <input type="text" value={image} onChange={(e) => setImage(e.target.value)} placeholder="new image, e.g. shop:v2" aria-label="New image" spellCheck={false} disabled={!plan || running} data-testid="compare-image" />
            </label>
            <button type="submit" className="btn btn-primary" disabled={!canRun} data-testid="compare-run">
              {running ? 'Running…' : 'Run'}
            </button>
          </div>
        </form>
        <p className="kp-cmp-status" aria-live="polite" data-testid="compare-status">
          {status.kind === 'planning' && 'Reading the scenario…'}
          {status.kind === 'ready' && (chosen.length < 2 ? 'Pick at least two strategies.' : 'Each strategy runs on the same seed, cluster and traffic; the scenario’s timeline is not played.')}
          {status.kind === 'running' && status.line}
          {status.kind === 'done' && result && `Done: ${result.fromImage} → ${result.toImage}, changed at ${result.at}s. Best value of each row in bold. Every row is measured from the change until that strategy finished, so a longer rollout counts more requests and pod-seconds.`}
        </p>
        {status.kind === 'error' && (
          <pre className="kp-fail" role="alert" data-testid="compare-error">
            {status.message}
          </pre>
        )}
        {result && <Results result={result} />}
      </div>
    </>
  );
}

function Results({ result }: { result: CompareResult }) {
  const rs = result.results;
  const maxT = Math.max(...rs.map((r) => Math.max(r.seconds, r.timeline.at(-1)?.t ?? 0)), 1);
  const maxPods = Math.max(...rs.map((r) => r.peakPods), 1);
  return (
    <div className="kp-cmp-results">
      <table className="kp-cmp-table" data-testid="compare-results">
        <thead>
          <tr>
            <th scope="col">
              <span className="visually-hidden">Metric</span>
            </th>
            {rs.map((r) => (
              <th key={r.strategy} scope="col" title={r.description} data-testid={`compare-col-${r.strategy}`}>
                {r.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {METRICS.map((m) => {
            const best = bestOf(rs.map((r) => (r.error ? NaN : m.value(r))).filter((v) => !Number.isNaN(v)), m.better);
            let k = 0;
            return (
              <tr key={m.key}>
                <th scope="row" title={m.hint}>
                  {m.label}
                </th>
                {rs.map((r) => {
                  if (r.error) return <td key={r.strategy}>–</td>;
                  const isBest = best[k++];
                  return (
                    <td key={r.strategy} className={isBest ? 'kp-cmp-best' : undefined} data-testid={`compare-${m.key}-${r.strategy}`} data-value={m.value(r)}>
                      {m.format(r)}
                      {isBest && <span className="visually-hidden"> (best)</span>}
                    </td>
                  );
                })}
              </tr>
            );
          })}
          <tr>
            <th scope="row" title="Pods of the workload over the rollout, on the same scales: new version blue, old version grey; the line is the peak">
              Pods over time
            </th>
            {rs.map((r) => (
              <td key={r.strategy} className="kp-cmp-chartcell">
                <PodsTimeline result={r} maxT={maxT} maxPods={maxPods} />
              </td>
            ))}
          </tr>
        </tbody>
      </table>
      <p className="kp-cmp-legend">
        <span className="kp-cmp-swatch kp-cmp-swatch-new" aria-hidden="true" /> new version <span className="kp-cmp-swatch kp-cmp-swatch-old" aria-hidden="true" /> old version · dashed line: the peak · one time scale, 0–{formatSeconds(maxT)}
      </p>
      <details className="kp-cmp-how">
        <summary>How each strategy was set up</summary>
        <ul>
          {rs.map((r) => (
            <li key={r.strategy}>
              <b>{r.label}</b>: {r.description}. <code>{r.command}</code>
              {r.completeSeconds !== null && r.completeSeconds !== r.seconds && ` Complete at ${formatSeconds(r.completeSeconds)}, old pods gone at ${formatSeconds(r.seconds)}.`}
            </li>
          ))}
        </ul>
      </details>
      {rs.some((r) => r.error || r.warnings.length) && (
        <ul className="kp-cmp-notes">
          {rs.flatMap((r) => [...(r.error ? [`${r.label}: ${r.error}`] : []), ...r.warnings.map((w) => `${r.label}: ${w}`)]).map((n, i) => (
            <li key={i}>{n}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
