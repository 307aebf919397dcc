import { describe, expect, it } from 'vitest';
import { createCluster } from '../cluster.ts';
import type { Sim } from '../sim.ts';
import { runCommand, KUBEPLAY_AS } from './index.ts';
import { argoRequests, splitImpersonation } from './argoauth.ts';

const ROLLOUT = `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: "nginx:1.25"}]
  strategy:
    canary:
      steps: [{setWeight: 50}, {pause: {}}]
`;

/** RBAC: jane may read rollouts and the objects `get rollout` lists; ops may also patch rollouts and their status. */
const RBAC = `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: rollout-viewer, namespace: default}
rules:
- {apiGroups: [argoproj.io], resources: [rollouts, experiments, analysisruns], verbs: [get, list, watch]}
- {apiGroups: [apps], resources: [replicasets], verbs: [get, list, watch]}
- {apiGroups: [""], resources: [pods], verbs: [get, list, watch]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: rollout-operator, namespace: default}
rules:
- {apiGroups: [argoproj.io], resources: [rollouts, rollouts/status], verbs: [get, list, watch, patch, update]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: jane-view, namespace: default}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: rollout-viewer}
subjects: [{kind: User, name: jane}, {kind: User, name: ops}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: ops-operate, namespace: default}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: rollout-operator}
subjects: [{kind: User, name: ops}]
`;

function setup(): Sim {
  const sim = createCluster({ seed: 4, nodes: [{ name: 'node-1' }] });
  expect(runCommand(sim, 'kubectl apply -f -', { stdin: ROLLOUT + '---\n' + RBAC }).exit).toBe(0);
  sim.runUntil(30_000);
  expect(runCommand(sim, 'kubectl argo rollouts set image web web=nginx:1.26').exit).toBe(0);
  sim.runUntil(60_000);
  return sim;
}

const denied = (user: string, verb: string, resource: string, name?: string, ns = 'default') =>
  `Error: ${name ? `rollouts.argoproj.io "${name}" is forbidden` : `${resource.split('/')[0]}${resource.startsWith('rollouts') ? '.argoproj.io' : ''} is forbidden`}: User "${user}" cannot ${verb} resource "${resource}" in API group "argoproj.io" ${ns ? `in the namespace "${ns}"` : 'at the cluster scope'}\n`;

describe('splitImpersonation', () => {
  it.each([
    [['--as=jane', 'promote', 'web'], { as: ['jane'] }, ['promote', 'web']],
    [['promote', 'web', '--as', 'jane', '--as-group', 'a', '--as-group=b'], { as: ['jane'], 'as-group': ['a', 'b'] }, ['promote', 'web']],
    [['promote', '--', '--as=x'], {}, ['promote', '--', '--as=x']],
    [['promote', '--assume'], {}, ['promote', '--assume']],
  ])('%j', (words, flags, rest) => {
    const s = splitImpersonation(words);
    expect(Object.fromEntries(s.flags)).toEqual(flags);
    expect(s.rest).toEqual(rest);
  });
});

describe('kubectl argo rollouts --as: the plugin requests, authorized as that user', () => {
  it('a user with no role is Forbidden on the first request: get for promote, the status patch for abort, the list for list', () => {
    const sim = setup();
    expect(runCommand(sim, 'kubectl argo rollouts promote web --as=bob')).toEqual({ exit: 1, out: denied('bob', 'get', 'rollouts', 'web') });
    // Before the plugin name kubectl itself refuses the flag (its plugin handler reads the name first).
    expect(runCommand(sim, 'kubectl --as=bob argo rollouts promote web')).toEqual({ exit: 1, out: 'Error: flags cannot be placed before plugin name: --as=bob\n' });
    expect(runCommand(sim, 'kubectl argo rollouts abort web --as bob')).toEqual({ exit: 1, out: denied('bob', 'patch', 'rollouts/status', 'web') });
    expect(runCommand(sim, 'kubectl argo rollouts list rollouts --as=bob -A')).toEqual({ exit: 1, out: denied('bob', 'list', 'rollouts', undefined, '') });
    // Nothing changed: the rollout is still paused at its step.
    expect(sim.store.get('Rollout', 'default', 'web')!.status.pauseConditions).toHaveLength(1);
  });

  it('a viewer may get, list and watch, but promote needs the status patch', () => {
    const sim = setup();
    expect(runCommand(sim, 'kubectl argo rollouts get rollout web --as=jane').exit).toBe(0);
    expect(runCommand(sim, 'kubectl argo rollouts list rollouts --as=jane').out).toMatch(/^NAME\s+STRATEGY/);
    expect(runCommand(sim, 'kubectl argo rollouts promote web --as=jane')).toEqual({ exit: 1, out: denied('jane', 'patch', 'rollouts/status', 'web') });
    expect(runCommand(sim, 'kubectl-argo-rollouts pause web --as=jane')).toEqual({ exit: 1, out: denied('jane', 'patch', 'rollouts', 'web') });
    expect(runCommand(sim, 'kubectl argo rollouts set image web web=nginx:1.27 --as=jane')).toEqual({ exit: 1, out: denied('jane', 'update', 'rollouts', 'web') });
  });

  it('an operator may promote and abort; the plugin does the work and prints its own words', () => {
    const sim = setup();
    expect(runCommand(sim, 'kubectl argo rollouts --as=ops promote web')).toEqual({ exit: 0, out: "rollout 'web' promoted\n" });
    expect(runCommand(sim, 'kubectl argo rollouts abort web --as=ops')).toEqual({ exit: 0, out: "rollout 'web' aborted\n" });
    // get rollout also lists replicasets and pods, which the operator role alone does not grant: ops has the viewer role too.
    expect(runCommand(sim, 'kubectl argo rollouts status web --as=ops --timeout 1s').out).not.toMatch(/forbidden/);
  });

  it('get rollout needs the view controller lists: a role on rollouts only is refused at replicasets', () => {
    const sim = setup();
    const r = runCommand(sim, 'kubectl apply -f -', {
      stdin: `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: ro-only, namespace: default}
rules: [{apiGroups: [argoproj.io], resources: [rollouts], verbs: [get, list]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: kim, namespace: default}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: ro-only}
subjects: [{kind: User, name: kim}]
`,
    });
    expect(r.exit).toBe(0);
    expect(runCommand(sim, 'kubectl argo rollouts get rollout web --as=kim').out).toBe(
      'Error: replicasets.apps is forbidden: User "kim" cannot list resource "replicasets" in API group "apps" in the namespace "default"\n',
    );
  });

  it('--as-group without --as is client-go\'s error; without --as nothing is checked (kubectl is the admin)', () => {
    const sim = setup();
    expect(runCommand(sim, 'kubectl argo rollouts promote web --as-group=devs')).toEqual({ exit: 1, out: 'Error: requesting uid, groups or user-extra for  without impersonating a user\n' });
    expect(runCommand(sim, 'kubectl argo rollouts promote web')).toEqual({ exit: 0, out: "rollout 'web' promoted\n" });
  });

  it('system:masters via --as-group is allowed everything', () => {
    const sim = setup();
    expect(runCommand(sim, 'kubectl argo rollouts pause web --as=root --as-group=system:masters')).toEqual({ exit: 0, out: "rollout 'web' paused\n" });
  });
});

describe('argoRequests: what each plugin command asks the API server', () => {
  const sim = createCluster({ seed: 1 });
  const show = (line: string) => argoRequests(sim, line.split(' ')).map((r) => `${r.verb} ${r.apiGroup}/${r.resource}${r.subresource ? `/${r.subresource}` : ''}${r.name ? ` ${r.name}` : ''}@${r.namespace}`);
  it.each([
    ['list rollouts', ['list argoproj.io/rollouts@default']],
    ['list rollouts -A', ['list argoproj.io/rollouts@']],
    ['get rollout web -n prod', ['list argoproj.io/rollouts@prod', 'list apps/replicasets@prod', 'list /pods@prod', 'list argoproj.io/experiments@prod', 'list argoproj.io/analysisruns@prod']],
    ['abort a b', ['patch argoproj.io/rollouts/status a@default', 'patch argoproj.io/rollouts/status b@default']],
    ['retry rollout web', ['patch argoproj.io/rollouts/status web@default']],
    ['pause web', ['patch argoproj.io/rollouts web@default']],
    ['restart web', ['get argoproj.io/rollouts web@default', 'patch argoproj.io/rollouts web@default']],
    ['undo web', ['get argoproj.io/rollouts web@default', 'list apps/replicasets@default', 'patch argoproj.io/rollouts web@default']],
    ['set image web web=nginx', ['get argoproj.io/rollouts web@default', 'update argoproj.io/rollouts web@default']],
    // A rollout that does not exist: the get is all (it answers NotFound).
    ['promote missing', ['get argoproj.io/rollouts missing@default']],
    ['help', []],
    ['promote --bogus', []],
  ])('%s', (line, want) => {
    expect(show(line)).toEqual(want);
  });
});

describe('kubeplay commands refuse --as', () => {
  it.each(['kubeplay --as=jane node add n2', 'kubeplay node remove node-1 --as jane', 'kubeplay pod kill web --as-group=devs', 'kubeplay addons enable vertical-pod-autoscaler --as=jane'])('%s', (line) => {
    const sim = createCluster({ seed: 1, nodes: [{ name: 'node-1' }] });
    const before = sim.store.list('Node').length;
    expect(runCommand(sim, line)).toEqual({ exit: 1, out: KUBEPLAY_AS });
    expect(sim.store.list('Node').length).toBe(before);
  });
});
