import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createCluster } from '../../cluster.ts';
import type { Sim } from '../../sim.ts';
import { runCommand } from '../index.ts';

const WEB = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: nginx:1.25
          env: [{name: A, value: "1"}]
          ports: [{containerPort: 80}]
        - name: log
          image: busybox:1.36
          command: [sleep, infinity]
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web, version: blue}
  ports: [{port: 80, targetPort: 80}]
`;

const ROLLOUT = `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: ro
spec:
  replicas: 1
  selector:
    matchLabels: {app: ro}
  template:
    metadata:
      labels: {app: ro}
    spec:
      containers: [{name: ro, image: nginx:1.25}]
  strategy:
    canary:
      steps: [{setWeight: 20}, {pause: {}}]
`;

/** cluster: the real modules (API server validation included), web Deployment and Service, 30 s in. */
function cluster(): Sim {
  const sim = createCluster({ seed: 3, nodes: [{ name: 'worker-1' }, { name: 'worker-2' }] });
  const r = runCommand(sim, 'kubectl apply -f -', { stdin: WEB });
  expect(r.exit, r.out).toBe(0);
  // Stored directly: the test is about kubectl, not about whether the Rollout kind is enabled yet.
  sim.store.create({ ...parse(ROLLOUT), metadata: { name: 'ro', namespace: 'default' } });
  sim.runFor(30_000);
  return sim;
}

const q = (s: string) => `'${s}'`;

describe('kubectl patch', () => {
  const cases: [string, number, string][] = [
    // strategic merge (the default): containers merge by name, the selector map merges
    [`kubectl patch deployment web -p ${q('{"spec":{"template":{"spec":{"containers":[{"name":"web","image":"nginx:1.26"}]}}}}')}`, 0, 'deployment.apps/web patched\n'],
    [`kubectl patch deploy/web -p ${q('{"spec":{"replicas":2}}')}`, 0, 'deployment.apps/web patched (no change)\n'],
    [`kubectl patch service web -p ${q('{"spec":{"selector":{"version":"green"}}}')} -o jsonpath={.spec.selector}`, 0, '{"app":"web","version":"green"}'],
    [`kubectl patch svc web -p ${q('spec:\n  selector:\n    version: green')} -o name`, 0, 'service/web\n'],
    [`kubectl patch deployment web --type merge -p ${q('{"spec":{"replicas":3}}')}`, 0, 'deployment.apps/web patched\n'],
    [`kubectl patch deployment web --type=json -p ${q('[{"op":"replace","path":"/spec/replicas","value":4}]')}`, 0, 'deployment.apps/web patched\n'],
    [`kubectl patch deployment web --type json -p ${q('[{"op":"replace","path":"/spec/replicas","value":4}]')} --dry-run=server`, 0, 'deployment.apps/web patched (server dry run)\n'],
    [`kubectl patch deployment web --type json -p ${q('[{"op":"replace","path":"/spec/replicas","value":2}]')} --dry-run=server`, 0, 'deployment.apps/web patched (no change) (server dry run)\n'],
    [`kubectl patch deployment web -p ${q('{"spec":{"replicas":7}}')} --dry-run=client -o jsonpath={.spec.replicas}`, 0, '7'],
    [`kubectl patch deployment web -p ${q('{"spec":{"replicas":7}}')} --dry-run=client`, 0, 'deployment.apps/web patched (dry run)\n'],
    // custom resources take merge and json patches only
    [`kubectl patch rollout ro --type merge -p ${q('{"spec":{"replicas":2}}')}`, 0, 'rollout.argoproj.io/ro patched\n'],
    [
      `kubectl patch rollout ro -p ${q('{"spec":{"replicas":2}}')}`,
      1,
      'error: application/strategic-merge-patch+json is not supported by argoproj.io/v1alpha1, Kind=Rollout: the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml\n',
    ],
    [`kubectl patch rollout ro -p ${q('{"spec":{"replicas":2}}')} --dry-run=client`, 1, 'error: strategic merge patch is not supported for argoproj.io/v1alpha1, Kind=Rollout locally, try --type merge\n'],
    // validation runs on the patched object
    [`kubectl patch deployment web -p ${q('{"spec":{"replicas":-1}}')}`, 1, 'The Deployment "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0\n'],
    [`kubectl patch service web --type json -p ${q('[{"op":"replace","path":"/spec/ports/0/port","value":0}]')}`, 1, 'The Service "web" is invalid: spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive\n'],
    // JSON patch failures, as the server reports them
    [`kubectl patch deployment web --type json -p ${q('[{"op":"remove","path":"/spec/nope"}]')}`, 1, "The request is invalid: : error in remove for path: '/spec/nope': Unable to remove nonexistent key: nope: missing value\n"],
    [`kubectl patch deployment web --type json -p ${q('[{"op":"test","path":"/spec/replicas","value":9}]')}`, 1, 'The request is invalid: : testing value /spec/replicas failed: test failed\n'],
    [`kubectl patch deployment web --type json -p ${q('{"op":"add"}')}`, 1, 'Error from server (BadRequest): json: cannot unmarshal object into Go value of type jsonpatch.Patch\n'],
    [`kubectl patch deployment web --type json -p ${q('[{"op":"remove","path":"/spec/nope"}]')} --dry-run=client`, 1, "error: error in remove for path: '/spec/nope': Unable to remove nonexistent key: nope: missing value\n"],
    [`kubectl patch deployment web -p ${q('{"spec":{"template":{"spec":{"containers":[{"image":"x"}]}}}}')}`, 1, 'Error from server: map: map[image:x] does not contain declared merge key: name\n'],
    [`kubectl patch deployment web --type merge -p ${q('{"metadata":{"name":"other"}}')}`, 1, 'Error from server (BadRequest): the name of the object (other) does not match the name on the URL (web)\n'],
    // patch text: "{…}" is JSON and decoded by the server; anything else is YAML read by kubectl
    [`kubectl patch deployment web -p ${q('{"spec":')}`, 1, 'Error from server (BadRequest): unexpected end of JSON input\n'],
    [`kubectl patch deployment web --type merge -p ${q('{"spec":')}`, 1, 'Error from server (BadRequest): Invalid JSON Patch\n'],
    [`kubectl patch deployment web -p ${q('{"spec":x}')} --dry-run=client`, 1, "error: invalid character 'x' looking for beginning of value\n"],
    [`kubectl patch deployment web -p ${q('spec: {replicas: 3}')}`, 0, 'deployment.apps/web patched\n'],
    [`kubectl patch deployment web -p ${q('spec: {replicas: 3')}`, 1, 'error: unable to parse "spec: {replicas: 3": yaml: line 1: did not find expected \',\' or \'}\'\n'],
    // kubectl patch asks for no field validation: the server's default, Warn, drops an unknown field with a warning
    [`kubectl patch deployment web -p ${q('{"spec":{"replicaz":3}}')}`, 0, 'Warning: unknown field "spec.replicaz"\ndeployment.apps/web patched (no change)\n'],
    [`kubectl patch deployment web -p ${q('{"spec":{"replicas":3,"foo":1}}')}`, 0, 'Warning: unknown field "spec.foo"\ndeployment.apps/web patched\n'],
    // a body that is not a JSON object fails the server's decode with a 400
    [`kubectl patch deployment web -p ${q('not json')}`, 1, 'Error from server (BadRequest): json: cannot unmarshal string into Go value of type map[string]interface {}\n'],
    // flags and arguments
    ['kubectl patch deployment web', 1, 'error: must specify --patch or --patch-file containing the contents of the patch\n'],
    [`kubectl patch deployment web -p {} --patch-file p.json`, 1, 'error: cannot specify --patch and --patch-file together\n'],
    [`kubectl patch deployment web -p {} --type strategic-merge`, 1, 'error: --type must be one of [json merge strategic], not "strategic-merge"\n'],
    [`kubectl patch deployment nope -p ${q('{"spec":{"replicas":1}}')}`, 1, 'Error from server (NotFound): deployments.apps "nope" not found\n'],
    [`kubectl patch deployment -p ${q('{"spec":{"replicas":1}}')}`, 1, 'error: resource(s) were provided, but no name was specified\n'],
    [`kubectl patch deployment web -p {} --dry-run=maybe`, 1, 'error: Invalid dry-run value (maybe). Must be "none", "server", or "client".\n'],
  ];
  for (const [line, exit, out] of cases) it(line, () => expect(runCommand(cluster(), line)).toEqual({ exit, out }));

  it('merges the container by name and keeps the other container and the env', () => {
    const sim = cluster();
    runCommand(sim, `kubectl patch deployment web -p ${q('{"spec":{"template":{"spec":{"containers":[{"name":"web","env":[{"name":"B","value":"2"}]}]}}}}')}`);
    const d = sim.store.get('Deployment', 'default', 'web')!;
    expect(d.spec.template.spec.containers.map((c: { name: string }) => c.name)).toEqual(['web', 'log']);
    expect(d.spec.template.spec.containers[0].env).toEqual([{ name: 'A', value: '1' }, { name: 'B', value: '2' }]);
    expect(d.metadata.generation).toBe(2);
  });

  it('a refused patch leaves the stored object untouched; --dry-run=server stores nothing', () => {
    const sim = cluster();
    const rv = sim.store.get('Deployment', 'default', 'web')!.metadata.resourceVersion;
    runCommand(sim, `kubectl patch deployment web -p ${q('{"spec":{"replicas":-1}}')}`);
    runCommand(sim, `kubectl patch deployment web -p ${q('{"spec":{"replicas":9}}')} --dry-run=server`);
    expect(sim.store.get('Deployment', 'default', 'web')!.metadata.resourceVersion).toBe(rv);
    expect(sim.store.get('Deployment', 'default', 'web')!.spec.replicas).toBe(2);
  });

  it('--patch-file and -f read from opts.files', () => {
    const sim = cluster();
    const files = { 'p.yaml': 'spec:\n  replicas: 3\n', 'web.yaml': WEB.split('---')[0] };
    expect(runCommand(sim, 'kubectl patch -f web.yaml --patch-file p.yaml', { files })).toEqual({ exit: 0, out: 'deployment.apps/web patched\n' });
    expect(runCommand(sim, 'kubectl patch deploy web --patch-file missing.yaml', { files })).toEqual({ exit: 1, out: 'error: unable to read patch file: open missing.yaml: no such file or directory\n' });
    expect(runCommand(sim, 'kubectl patch --local -f web.yaml -p \'{"spec":{"replicas":9}}\' -o jsonpath={.spec.replicas}', { files })).toEqual({ exit: 0, out: '9' });
    expect(sim.store.get('Deployment', 'default', 'web')!.spec.replicas).toBe(3);
  });

  it('the selector switch moves the Service endpoints to the other pods', () => {
    const sim = cluster();
    const ips = () => (sim.store.get('Endpoints', 'default', 'web')?.subsets ?? []).flatMap((s: { addresses?: { ip: string }[] }) => s.addresses ?? []).length;
    expect(ips()).toBe(0); // the selector asks for version=blue, which no pod has
    expect(runCommand(sim, `kubectl patch svc web --type json -p ${q('[{"op":"remove","path":"/spec/selector/version"}]')}`).exit).toBe(0);
    sim.settle();
    expect(ips()).toBe(2);
  });
});

describe('kubectl replace', () => {
  it('replaces the live object from a file; NotFound names the file', () => {
    const sim = cluster();
    const svc = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector: {app: web}\n  ports: [{port: 8080, targetPort: 80}]\n';
    const ip = sim.store.get('Service', 'default', 'web')!.spec.clusterIP;
    expect(runCommand(sim, 'kubectl replace -f svc.yaml', { files: { 'svc.yaml': svc } })).toEqual({ exit: 0, out: 'service/web replaced\n' });
    const live = sim.store.get('Service', 'default', 'web')!;
    expect(live.spec.ports[0].port).toBe(8080);
    expect(live.spec.clusterIP).toBe(ip); // kept by the server
    expect(runCommand(sim, 'kubectl replace -f svc.yaml', { files: { 'svc.yaml': svc.replace('name: web', 'name: api') } })).toEqual({
      exit: 1,
      out: 'Error from server (NotFound): error when replacing "svc.yaml": services "api" not found\n',
    });
    expect(runCommand(sim, 'kubectl replace -f svc.yaml --dry-run=client', { files: { 'svc.yaml': svc } })).toEqual({ exit: 0, out: 'service/web replaced (dry run)\n' });
    expect(runCommand(sim, 'kubectl replace')).toEqual({ exit: 1, out: 'error: must specify --filename to replace\n' });
  });

  it('--force deletes and creates', () => {
    const sim = cluster();
    const cm = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata: {a: "1"}\n';
    runCommand(sim, 'kubectl apply -f -', { stdin: cm });
    const uid = sim.store.get('ConfigMap', 'default', 'c')!.metadata.uid;
    expect(runCommand(sim, 'kubectl replace --force -f cm.yaml', { files: { 'cm.yaml': cm.replace('"1"', '"2"') } })).toEqual({ exit: 0, out: 'configmap "c" deleted\nconfigmap/c replaced\n' });
    expect(sim.store.get('ConfigMap', 'default', 'c')!.metadata.uid).not.toBe(uid);
  });
});

describe('kubectl wait', () => {
  const cases: [string, number, string][] = [
    ['kubectl wait --for=condition=Available deployment/web', 0, 'deployment.apps/web condition met\n'],
    ['kubectl wait --for=condition=available=true deploy web --timeout=60s', 0, 'deployment.apps/web condition met\n'],
    ['kubectl wait --for=condition=Available=False deployment/web', 1, 'error: timed out waiting for the condition on deployments/web\n'],
    ['kubectl wait --for=jsonpath={.status.readyReplicas}=2 deployment/web', 0, 'deployment.apps/web condition met\n'],
    ["kubectl wait --for=jsonpath='{.spec.replicas}'=3 deployment/web", 1, 'error: timed out waiting for the condition on deployments/web\n'],
    ['kubectl wait --for=delete deployment/nope', 0, ''],
    ['kubectl wait --for=delete deployment/web --timeout=0', 1, 'error: timed out waiting for the condition on deployments/web\n'],
    ['kubectl wait --for=create deployment/web', 0, 'deployment.apps/web condition met\n'],
    ['kubectl wait --for=condition=Available deployment/nope', 1, 'Error from server (NotFound): deployments.apps "nope" not found\n'],
    ['kubectl wait --for=condition=Ready pods -l app=none', 1, 'error: no matching resources found\n'],
    ['kubectl wait --for=frob deployment/web', 1, 'error: unrecognized condition: "frob"\n'],
    ['kubectl wait --for=condition=Available deployments', 1, 'error: resource(s) were provided, but no name was specified\n'],
    ['kubectl wait --for=condition=Available deployments --all', 0, 'deployment.apps/web condition met\n'],
    ['kubectl wait --for=condition=Available deployment/web --timeout=abc', 1, 'error: invalid argument "abc" for "--timeout" flag: time: invalid duration "abc"\nSee \'kubectl wait --help\' for usage.\n'],
  ];
  for (const [line, exit, out] of cases) it(line, () => expect(runCommand(cluster(), line)).toEqual({ exit, out }));

  it('pods by selector: one line per pod; a Deployment whose new spec is not observed yet is not Available', () => {
    const sim = cluster();
    const r = runCommand(sim, 'kubectl wait --for=condition=Ready pod -l app=web');
    expect(r.exit).toBe(0);
    expect(r.out.trim().split('\n')).toHaveLength(2);
    expect(r.out).toMatch(/^pod\/web-\w+-\w{5} condition met\n/);
    const d = sim.store.get('Deployment', 'default', 'web')!;
    d.metadata.generation = (d.metadata.generation ?? 1) + 1; // as a spec change does before the controller syncs
    expect(runCommand(sim, 'kubectl wait --for=condition=Available deployment/web').exit).toBe(1);
  });
});

describe('plugin routing', () => {
  it('kubectl argo rollouts and the kubectl-argo-rollouts binary reach the Argo Rollouts module', () => {
    const sim = cluster();
    const a = runCommand(sim, 'kubectl argo rollouts list rollouts');
    expect(a.exit).toBe(0);
    expect(a.out).toMatch(/^NAME\s+STRATEGY/);
    expect(runCommand(sim, 'kubectl-argo-rollouts list rollouts')).toEqual(a);
    // Upstream's plugin handler takes the plugin name from the first words: a flag before it is refused.
    expect(runCommand(sim, 'kubectl -n default argo rollouts list rollouts')).toEqual({ exit: 1, out: 'Error: flags cannot be placed before plugin name: -n\n' });
    expect(runCommand(sim, 'kubectl argo rollouts -n default list rollouts')).toEqual(a);
    expect(runCommand(sim, 'kubectl argo')).toEqual({ exit: 1, out: 'error: unknown command "argo" for "kubectl"\nRun \'kubectl --help\' for usage.\n' });
  });

  it('kubeplay curl|traffic|nslookup|promql reach the network module; the rest stay kubeplay', () => {
    const sim = cluster();
    expect(runCommand(sim, 'kubeplay traffic list')).toEqual({ exit: 0, out: 'No traffic sources.\n' });
    expect(runCommand(sim, 'kubeplay curl').exit).toBe(2);
    expect(runCommand(sim, 'kubeplay frob').out).toBe('error: unknown command "frob" for "kubeplay"\nRun \'kubeplay help\' for usage.\n');
  });

  it('help lists the plugin commands only when their modules answer', () => {
    const sim = cluster();
    expect(runCommand(sim, 'kubectl help').out).toContain('Plugins:\n  argo rollouts  Manage Argo Rollouts');
    expect(runCommand(sim, 'kubeplay help').out).toContain('  kubeplay curl ');
    sim.services.delete('network');
    expect(runCommand(sim, 'kubeplay help').out).not.toContain('kubeplay curl');
    expect(runCommand(sim, 'kubeplay curl http://web/')).toEqual({ exit: 1, out: "error: kubeplay curl is not available: the engine module 'network' is not installed\n" });
  });
});
