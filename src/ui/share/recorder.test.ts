import { describe, expect, it } from 'vitest';
import { decodeShare, encodeShare } from '../../share/codec.ts';
import { SHARE_LIMITS } from '../../share/payload.ts';
import { isReadOnlyCommand, ShareRecorder } from './recorder.ts';

describe('ShareRecorder', () => {
  it('records actions with their times and builds a payload that round-trips', () => {
    const r = new ShareRecorder();
    r.reset('a.yaml', 'kind: X\n');
    r.record('run', 'kubectl get pods', 1000.4);
    r.record('apply', 'kind: Y\n', 2000);
    const p = r.payload(5000, { playing: true });
    expect(p).toEqual({ v: 2, scenario: 'kind: X\n', name: 'a.yaml', actions: [{ t: 1000, kind: 'run', text: 'kubectl get pods' }, { t: 2000, kind: 'apply', text: 'kind: Y\n' }], t: 5000, presentation: { playing: true } });
    const e = encodeShare(p);
    expect(e.ok && decodeShare(e.fragment)).toEqual({ ok: true, payload: p });
  });

  it('never lets time go backwards (the page clock may lag the worker by a tick)', () => {
    const r = new ShareRecorder();
    r.record('run', 'a', 3000);
    r.record('run', 'b', 2000);
    expect(r.payload(1000)).toMatchObject({ actions: [{ t: 3000 }, { t: 3000 }], t: 3000 });
  });

  it('a new scenario starts a new timeline', () => {
    const r = new ShareRecorder();
    r.record('run', 'a', 3000);
    r.reset('b.yaml', 'b');
    expect(r.payload(0)).toMatchObject({ name: 'b.yaml', scenario: 'b', actions: [], t: 0 });
  });

  it('stops at the action limit and counts what it dropped', () => {
    const r = new ShareRecorder();
    for (let i = 0; i < SHARE_LIMITS.actions + 3; i++) r.record('run', 'x', i);
    expect(r.actions.length).toBe(SHARE_LIMITS.actions);
    expect(r.dropped).toBe(3);
  });
});

describe('isReadOnlyCommand', () => {
  const cases: [string, boolean][] = [
    ['kubectl get pods -o wide', true],
    ['k describe deploy web', true],
    ['kubectl logs web-1', true],
    ['kubectl rollout status deployment/web', true],
    ['kubectl rollout undo deployment/web', false],
    ['kubectl argo rollouts get rollout shop', true],
    ['kubectl argo rollouts promote shop', false],
    ['kubectl delete pod x', false],
    ['kubectl scale deploy web --replicas=0', false],
    ['kubectl apply -f -', false],
    ['kubeplay node fail worker-1', false],
    ['kubeplay traffic', true],
    ['kubeplay traffic set --rps 5', false],
    ['rm -rf /', false],
    // What a pipeline's xargs runs counts too: it must not delete behind a read-only link's back.
    ['kubectl get pods -o name | xargs kubectl delete', false],
    ['kubectl get pods -o name | sed 1d | xargs -n1 k delete', false],
    ['kubectl get pods -o name | xargs kubectl', false],
    ['kubectl get pods -o name | xargs -I g kubectl get pod/x', false],
    ['kubectl get pods -o name | xargs -I{} kubectl describe {}', true],
    ['kubectl get pods -o name | xargs -n1 kubectl get', true],
    ['kubectl get pods -o name | xargs', true],
    ['kubectl get pods | sed 1d | tr -s " "', true],
  ];
  it.each(cases)('%s', (line, ro) => expect(isReadOnlyCommand(line)).toBe(ro));
});

describe('ShareRecorder and rewinds', () => {
  it('a seek takes later actions out of the link; passing them again brings them back; a change drops them', () => {
    const r = new ShareRecorder();
    r.record('run', 'kubectl scale deployment/web --replicas=5', 10_000);
    r.record('run', 'kubectl set image deployment/web nginx=nginx:1.27', 40_000);
    r.record('run', 'kubectl get pods', 50_000, true);
    r.seek(20_000);
    expect(r.payload(20_000).actions.map((a) => a.t)).toEqual([10_000]);
    r.advanceTo(45_000);
    expect(r.payload(45_000).actions.map((a) => a.t)).toEqual([10_000, 40_000]);
    r.seek(30_000);
    // Looking at the past keeps its future …
    r.record('run', 'kubectl get pods', 30_000, true);
    expect(r.future).toHaveLength(2);
    // … a change starts a new branch.
    r.record('run', 'kubectl scale deployment/web --replicas=1', 30_000);
    expect(r.future).toEqual([]);
    expect(r.payload(30_000).actions.map((a) => [a.t, a.text])).toEqual([
      [10_000, 'kubectl scale deployment/web --replicas=5'],
      [30_000, 'kubectl get pods'],
      [30_000, 'kubectl scale deployment/web --replicas=1'],
    ]);
  });
});
