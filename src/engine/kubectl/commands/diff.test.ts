import { describe, expect, it } from 'vitest';
import { createCluster } from '../../cluster.ts';
import { runCommand } from '../index.ts';

const WEB = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: nginx:1.25}]}
`;
const SECRET = `apiVersion: v1
kind: Secret
metadata: {name: creds}
data: {user: YWRtaW4=, pass: c2VjcmV0}
`;

/** cluster: web applied and settled at 20 s, the creds Secret applied. */
function cluster() {
  const sim = createCluster({ seed: 1, nodes: [{ name: 'worker-1' }] });
  expect(runCommand(sim, 'kubectl apply -f -', { stdin: WEB }).exit).toBe(0);
  expect(runCommand(sim, 'kubectl apply -f -', { stdin: SECRET }).exit).toBe(0);
  sim.runUntil(20_000);
  return sim;
}

/** lines: the diff's changed lines (+/-), without the file headers. */
function changed(out: string): string[] {
  return out.split('\n').filter((l) => /^[-+]/.test(l) && !/^(---|\+\+\+) /.test(l));
}

describe('kubectl diff', () => {
  it('prints nothing and exits 0 when applying would change nothing', () => {
    expect(runCommand(cluster(), 'kubectl diff -f -', { stdin: WEB })).toEqual({ exit: 0, out: '' });
  });

  it('diffs the live object against the dry-run apply, as diff -u -N of two directories, and exits 1', () => {
    const sim = cluster();
    const r = runCommand(sim, 'kubectl diff -f -', { stdin: WEB.replace('nginx:1.25', 'nginx:1.26').replace('replicas: 2', 'replicas: 3') });
    expect(r.exit).toBe(1);
    const [head, from, to, hunk] = r.out.split('\n');
    expect(head).toMatch(/^diff -u -N \/tmp\/LIVE-\d+\/apps\.v1\.Deployment\.default\.web \/tmp\/MERGED-\d+\/apps\.v1\.Deployment\.default\.web$/);
    expect(from).toMatch(/^--- \/tmp\/LIVE-\d+\/apps\.v1\.Deployment\.default\.web\t2025-01-01 00:00:20\.000000000 \+0000$/);
    expect(to).toMatch(/^\+\+\+ \/tmp\/MERGED-\d+\/apps\.v1\.Deployment\.default\.web\t2025-01-01 00:00:20\.000000000 \+0000$/);
    expect(hunk).toMatch(/^@@ -\d+,\d+ \+\d+,\d+ @@$/);
    // The strategy counts the spec change in the generation; the last-applied annotation is not rewritten.
    expect(changed(r.out)).toEqual(['-  generation: 1', '+  generation: 2', '-  replicas: 2', '+  replicas: 3', '-      - image: nginx:1.25', '+      - image: nginx:1.26']);
    // Nothing was changed.
    expect(runCommand(sim, 'kubectl get deploy web -o jsonpath={.spec.replicas}/{.metadata.generation}').out).toBe('2/1');
  });

  it('shows an object that does not exist yet as added to an empty file (a dry-run create)', () => {
    const sim = cluster();
    const r = runCommand(sim, 'kubectl diff -f -', { stdin: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {mode: fast}\n' });
    expect(r.exit).toBe(1);
    expect(r.out.split('\n').slice(3, 4)).toEqual(['@@ -0,0 +1,9 @@']);
    expect(changed(r.out)).toEqual(['+apiVersion: v1', '+data:', '+  mode: fast', '+kind: ConfigMap', '+metadata:', '+  creationTimestamp: "2025-01-01T00:00:20Z"', '+  name: settings', '+  namespace: default', expect.stringMatching(/^\+ {2}uid: [0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)]);
    expect(runCommand(sim, 'kubectl get configmap settings').exit).toBe(1);
  });

  it('masks a Secret’s data, marking a changed value before and after', () => {
    const r = runCommand(cluster(), 'kubectl diff -f -', { stdin: SECRET.replace('pass: c2VjcmV0', 'pass: bmV3, token: dA==') });
    expect(r.exit).toBe(1);
    expect(changed(r.out)).toEqual(["-  pass: '*** (before)'", "+  pass: '*** (after)'", "+  token: '***'"]);
    expect(r.out).toContain("   user: '***'\n");
    expect(r.out).not.toMatch(/c2VjcmV0|bmV3|YWRtaW4=/);
  });

  it('lists the files in name order and filters by -l', () => {
    const sim = cluster();
    const both = `${WEB.replace('replicas: 2', 'replicas: 4')}---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, labels: {tier: x}}\n`;
    const files = runCommand(sim, 'kubectl diff -f -', { stdin: both }).out.split('\n').filter((l) => l.startsWith('diff '));
    expect(files.map((l) => l.split('/').pop())).toEqual(['apps.v1.Deployment.default.web', 'v1.ConfigMap.default.a']);
    const only = runCommand(sim, 'kubectl diff -f - -l tier=x', { stdin: both });
    expect(only.out.split('\n').filter((l) => l.startsWith('diff ')).map((l) => l.split('/').pop())).toEqual(['v1.ConfigMap.default.a']);
  });

  it('names a cluster-scoped object with an empty namespace, as kubectl does', () => {
    const r = runCommand(cluster(), 'kubectl diff -f -', { stdin: 'apiVersion: v1\nkind: Namespace\nmetadata: {name: team}\n' });
    expect(r.out.split('\n')[0]).toMatch(/\/v1\.Namespace\.\.team$/);
  });

  it('warns of changes to an object being deleted', () => {
    const sim = cluster();
    runCommand(sim, 'kubectl apply -f -', { stdin: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: nginx:1.25}]}\n' });
    sim.runUntil(40_000);
    expect(runCommand(sim, 'kubectl delete pod p --wait=false').exit).toBe(0);
    const r = runCommand(sim, 'kubectl diff -f -', { stdin: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p, labels: {a: b}}\nspec: {containers: [{name: c, image: nginx:1.25}]}\n' });
    expect(r.out.split('\n')[0]).toBe('Warning: Detected changes to resource p which is currently being deleted.');
    expect(r.exit).toBe(1);
  });

  // CheckDiffErr: kubectl's own errors exit 2 (1 means differences), and no diff is printed.
  it.each([
    ['kubectl diff', undefined, 'error: must specify one of -f and -k\n'],
    ['kubectl diff -f - web', WEB, "error: Unexpected args: [web]\nSee 'kubectl diff -h' for help and examples\n"],
    ['kubectl diff -f - --force-conflicts', WEB, 'error: --force-conflicts only works with --server-side\n'],
    ['kubectl diff -f - --bogus', WEB, "error: unknown flag: --bogus\nSee 'kubectl diff -h' for help and examples\n"],
    ['kubectl diff -f -', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {generateName: settings-}\n', 'error: resource name may not be empty\n'],
    ['kubectl diff -f -', WEB.replace('replicas: 2', 'replicas: -1'), 'The Deployment "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0\n'],
    ['kubectl diff -f -', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: Bad_Name}\n', 'The ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, \'-\' or \'.\', and must start and end with an alphanumeric character (e.g. \'example.com\', regex used for validation is \'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\')\n'],
  ])('%s refuses: %j', (line, stdin, out) => {
    expect(runCommand(cluster(), line, stdin === undefined ? {} : { stdin })).toEqual({ exit: 2, out });
  });

  it('changes nothing the cluster draws later: a new Pod diffed, the next pod still gets the same generated names', () => {
    const names = (diffFirst: boolean) => {
      const sim = cluster();
      if (diffFirst) expect(runCommand(sim, 'kubectl diff -f -', { stdin: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: nginx:1.25}]}\n' }).exit).toBe(1);
      runCommand(sim, 'kubectl run solo --image=nginx:1.25');
      return runCommand(sim, 'kubectl get pod solo -o jsonpath={.metadata.uid}/{.spec.volumes[0].name}').out;
    };
    expect(names(true)).toBe(names(false));
  });

  it('shows a change too large to search for the shortest diff as one hunk replacing the file', () => {
    const sim = cluster();
    const big = (v: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big}\ndata:\n${Array.from({ length: 3000 }, (_, i) => `  k${i}: ${v}${i}`).join('\n')}\n`;
    runCommand(sim, 'kubectl apply -f -', { stdin: big('a') });
    const r = runCommand(sim, 'kubectl diff -f -', { stdin: big('b') });
    expect(r.exit).toBe(1);
    expect(r.out.split('\n')[3]).toMatch(/^@@ -1,\d+ \+1,\d+ @@$/);
    expect(r.out).toContain('-  k2999: a2999\n');
    expect(r.out).toContain('+  k2999: b2999\n');
  });

  it('prints the same names for the same input at the same time (a replay)', () => {
    const line = 'kubectl diff -f -';
    const stdin = WEB.replace('replicas: 2', 'replicas: 5');
    expect(runCommand(cluster(), line, { stdin }).out).toBe(runCommand(cluster(), line, { stdin }).out);
  });
});
