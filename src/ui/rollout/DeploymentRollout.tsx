/**
 * DeploymentRollout: the Rollout tab for a Deployment — strategy, the current step's arithmetic (the
 * controller's own functions, via explainDeployment), the revisions and the `kubectl rollout` buttons.
 */
import { useMemo, type ReactNode } from 'react';
import type { Deployment, Pod, ReplicaSet } from '../../engine/api/types.ts';
import type { Explanation } from '../../engine/controllers/deployment/explain.ts';
import { useKind } from '../state/cluster.ts';
import { ActionBar } from './ActionBar.tsx';
import { ReplicaSetTable } from './ReplicaSetTable.tsx';
import { deploymentView, type FailingPod } from './deployment.ts';

const STATE_BADGE: Record<Explanation['state'], [string, string]> = {
  complete: ['Complete', 'badge-ok'],
  paused: ['Paused', 'badge-warn'],
  timedOut: ['ProgressDeadlineExceeded', 'badge-bad'],
  notObserved: ['Updating', 'badge-neutral'],
  scaling: ['Scaling', 'badge-neutral'],
  rolling: ['Rolling', 'badge-neutral'],
  recreate: ['Recreating', 'badge-neutral'],
};

function Row({ k, children, testid }: { k: string; children: ReactNode; testid?: string }) {
  return (
    <>
      <dt>{k}</dt>
      <dd data-testid={testid}>{children}</dd>
    </>
  );
}

/** Arithmetic is the explanation as a definition list: fenceposts, counts, what may start and stop. */
function Arithmetic({ ex, failing, deadline }: { ex: Explanation; failing: FailingPod[]; deadline: number }) {
  const c = ex.counts;
  const once = ex.state === 'paused' ? ' once resumed' : '';
  return (
    <section className="insp-section" data-testid="ro-explain">
      <h3>Current step</h3>
      <p className="ro-summary">{ex.summary}</p>
      {failing.length > 0 && (
        <p className="ro-failing" role="status" data-testid="ro-failing">
          ⚠ New pods are failing, so they will not become Ready:{' '}
          {failing.slice(0, 3).map((f, i) => (
            <span key={f.name}>
              {i > 0 && ', '}
              <b>{f.name}</b> {f.status}
            </span>
          ))}
          {failing.length > 3 && ` and ${failing.length - 3} more`}.{' '}
          {ex.state === 'timedOut'
            ? 'The controller has stopped counting on progress (ProgressDeadlineExceeded); fix the template or Undo.'
            : `The rollout waits for them; after ${deadline}s without progress it is marked ProgressDeadlineExceeded. Fix the template or Undo.`}
        </p>
      )}
      <dl className="ro-dl">
        <Row k="desired">{ex.desired} replicas</Row>
        {ex.maxSurge && <Row k="maxSurge" testid="ro-maxsurge">{ex.maxSurge.text}</Row>}
        {ex.maxUnavailable && <Row k="maxUnavailable" testid="ro-maxunavailable">{ex.maxUnavailable.text}</Row>}
        {ex.maxTotal !== undefined && (
          <Row k="max total pods">
            {ex.desired} + {ex.maxSurge!.value} = <b>{ex.maxTotal}</b>
          </Row>
        )}
        {ex.minAvailable !== undefined && (
          <Row k="min available">
            {ex.desired} − {ex.maxUnavailable!.value} = <b>{ex.minAvailable}</b>
          </Row>
        )}
        <Row k="now">
          total <b>{c.total}</b> (new {c.newReplicas}, old {c.oldReplicas}) · available <b>{c.available}</b> (new {c.newAvailable}, old {c.oldAvailable})
          {c.terminating > 0 && ` · ${c.terminating} terminating`}
        </Row>
        {ex.state === 'scaling' &&
          ex.changes.map((ch) => (
            <Row key={ch.name} k="resize">
              {ch.name}: {ch.from} → {ch.to}
            </Row>
          ))}
        {ex.state !== 'scaling' && ex.scaleUp && (
          <Row k={`may start${once}`} testid="ro-scaleup">
            <b>{ex.scaleUp.count}</b> new — {ex.scaleUp.why}
          </Row>
        )}
        {ex.state !== 'scaling' && ex.scaleDown && (
          <Row k={`may stop${once}`} testid="ro-scaledown">
            <b>{ex.scaleDown.count}</b> old — {ex.scaleDown.why}
          </Row>
        )}
        {ex.next && (
          <Row k="next sync" testid="ro-next">
            {ex.next}
          </Row>
        )}
      </dl>
    </section>
  );
}

export function DeploymentRollout({ d }: { d: Deployment }) {
  const rss = useKind('ReplicaSet');
  const pods = useKind('Pod');
  const view = useMemo(() => deploymentView(d, [...rss.values()] as ReplicaSet[], [...pods.values()] as Pod[]), [d, rss, pods]);
  const ex = view.explanation;
  const [badge, baseTone] = STATE_BADGE[ex.state];
  const tone = view.failing.length > 0 && baseTone === 'badge-neutral' ? 'badge-warn' : baseTone;
  const ru = d.spec.strategy?.rollingUpdate;
  return (
    <div className="ro" data-testid="rollout-panel" data-kind="Deployment" data-name={view.name} data-namespace={view.namespace}>
      <header className="ro-head">
        <span className="card-kind">deploy</span>
        <h2 className="ro-name">{view.name}</h2>
        <span className="muted">{view.namespace}</span>
        <span className={`badge ${tone}`} data-testid="ro-phase">
          {badge}
        </span>
      </header>
      <p className="ro-sub">
        {view.strategy}
        {view.strategy === 'RollingUpdate' && ` (maxSurge ${ru?.maxSurge ?? '25%'}, maxUnavailable ${ru?.maxUnavailable ?? '25%'})`}
        {view.progressing && <span className="muted"> · {view.progressing}</span>}
      </p>
      <ActionBar actions={view.actions} />
      <Arithmetic ex={ex} failing={view.failing} deadline={view.progressDeadlineSeconds} />
      <ReplicaSetTable
        heading="Revisions"
        rows={view.revisions.map((r) => ({ ...r, tags: r.current ? ['new'] : [], title: r.changeCause ? `change-cause: ${r.changeCause}` : undefined }))}
      />
    </div>
  );
}
