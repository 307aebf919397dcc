import { describe, expect, it } from 'vitest';
import { cutShort, rowKeys, splitWarnings } from './run.ts';

describe('cutShort: a status command a timeline step could not let watch', () => {
  it.each([
    ['kubectl rollout status deployment/web', 1, 'Waiting for deployment "web" rollout to finish: 1 of 3 updated replicas are available...\n', true],
    ['kubectl rollout status deployment/web', 1, 'Waiting for deployment "web" rollout to finish: 1 of 3 updated replicas are available...\nerror: timed out waiting for the condition\n', false],
    ['kubectl rollout status deployment/web', 0, 'deployment "web" successfully rolled out\n', false],
    ['kubectl rollout status deployment/nope', 1, 'Error from server (NotFound): deployments.apps "nope" not found\n', false],
    ['kubectl argo rollouts status shop', 1, 'Paused - CanaryPauseStep\n', true],
    ['kubectl argo rollouts status shop', 1, 'Degraded - RolloutAborted: Rollout aborted update to revision 2\nError: The rollout is in a degraded state with message: RolloutAborted: Rollout aborted update to revision 2\n', false],
    ['kubectl argo rollouts status shop --timeout 10s', 1, 'Paused - CanaryPauseStep\nError: Rollout status watch exceeded timeout\n', false],
    ['kubectl argo rollouts status shop --watch=false', 1, 'Paused\n', false],
    ['kubectl get pods', 1, 'No resources found in default namespace.\n', false],
    ['kubectl get pods -w', 0, 'NAME  READY\n^C\n', false],
  ])('%s (exit %i)', (line, exit, out, want) => expect(cutShort({ line, exit, out })).toBe(want));
});

describe('rowKeys: a kubectl table by row, for get --watch', () => {
  it('keys rows by name (namespace/name with -A) and leaves AGE out of what a row shows', () => {
    const a = rowKeys('NAME    READY   STATUS    RESTARTS   AGE\nweb-1   1/1     Running   0          5s\nweb-2   0/1     Pending   0          1s\n');
    const b = rowKeys('NAME    READY   STATUS    RESTARTS   AGE\nweb-1   1/1     Running   0          6s\nweb-2   1/1     Running   0          2s\n');
    expect([...a.keys()]).toEqual(['web-1', 'web-2']);
    expect(a.get('web-1')!.shown).toBe(b.get('web-1')!.shown);
    expect(a.get('web-2')!.shown).not.toBe(b.get('web-2')!.shown);
    const r1 = rowKeys('NAME   READY   STATUS    RESTARTS      AGE\ncrash  0/1     Error     2 (10s ago)   1m\n');
    const r2 = rowKeys('NAME   READY   STATUS    RESTARTS      AGE\ncrash  0/1     Error     2 (11s ago)   1m\n');
    expect(r1.get('crash')!.shown).toBe(r2.get('crash')!.shown);
    expect([...rowKeys('NAMESPACE   NAME    READY   AGE\ndefault     web-1   1/1     5s\n').keys()]).toEqual(['default/web-1']);
  });
});

describe('splitWarnings', () => {
  it.each([
    { out: 'pod/w created\n', warnings: '', rest: 'pod/w created\n' },
    { out: 'Warning: a: deprecated\npod/w created\n', warnings: 'Warning: a: deprecated', rest: 'pod/w created\n' },
    { out: 'Warning: a\nWarning: b\nNAME   READY\n', warnings: 'Warning: a\nWarning: b', rest: 'NAME   READY\n' },
    { out: 'Warning: only\n', warnings: 'Warning: only', rest: '' },
  ])('$out', ({ out, warnings, rest }) => {
    expect(splitWarnings(out)).toEqual([warnings, rest]);
  });
});
