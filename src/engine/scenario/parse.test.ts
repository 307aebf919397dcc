import { describe, expect, it } from 'vitest';
import { parseScenario } from './parse.ts';
import { documentCount } from './limits.ts';
import { formatDiagnostic } from './types.ts';
import '../kubectl/index.ts'; // installs the command-line check (scenario/commandcheck.ts)

const F = 'scenarios/x.yaml';
const errorsOf = (text: string) => parseScenario(text, F).errors.map(formatDiagnostic);
const scenario = (spec: string) => `apiVersion: kubeplay.dev/v1alpha1\nkind: Scenario\nmetadata:\n  name: x\nspec:\n${spec}`;

describe('parseScenario: YAML and input limits', () => {
  const cases: { name: string; text: string; want: string | RegExp }[] = [
    { name: 'flow syntax error has line and column', text: 'a: 1\nb: [1,\n', want: `${F}:3:1 (document 1): Flow sequence in block collection must be sufficiently indented and end with a ]` },
    { name: 'duplicate key', text: 'apiVersion: v1\nkind: Pod\nkind: Pod\n', want: `${F}:3:1 (document 1, Pod): Map keys must be unique` },
    { name: 'tab indentation', text: 'apiVersion: v1\nkind: Pod\nmetadata:\n\tname: x\n', want: `${F}:4:1 (document 1, Pod): Tabs are not allowed as indentation` },
    { name: 'bad escape', text: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: "a\\\'b"\n', want: /^scenarios\/x\.yaml:4:\d+ \(document 1, Pod "a.+b"\): Invalid escape sequence/ },
    {
      name: 'alias bomb names the limit',
      text: 'a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n',
      // the line of the first alias
      want: /^scenarios\/x\.yaml:2 \(document 1\): YAML aliases expand too far \(more than maxAliasCount 100\)/,
    },
    { name: 'an alias before its anchor is not called a bomb', text: 'a: *x\nb: &x 1\n', want: `${F}:1 (document 1): the YAML could not be converted: Unresolved alias (the anchor must be set before the alias): x` },
    { name: 'deep flow nesting', text: `a: ${'['.repeat(300)}${']'.repeat(300)}`, want: `${F}:1:260: YAML nesting is deeper than 256 levels of [ and {; the limit is 256` },
    { name: 'deep block nesting', text: `x:\n${'- '.repeat(5000)}a\n`, want: `${F}:2:1: YAML nesting is deeper than 256 levels of indentation; the limit is 256` },
    { name: 'too many documents', text: 'a: 1\n---\n'.repeat(1001), want: `${F}: the scenario has 1002 YAML documents; the limit is 1000 documents` },
    { name: 'over 2 MiB', text: `a: "${'x'.repeat(2 * 1024 * 1024)}"\n`, want: `${F}: the scenario is 2097158 bytes; the limit is 2 MiB (2097152 bytes) per scenario` },
    { name: 'multi-byte characters count as UTF-8 bytes', text: `a: "${'é'.repeat(1024 * 1024 + 1)}"\n`, want: /the scenario is 2097160 bytes; the limit is 2 MiB/ },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const errs = errorsOf(c.text);
      expect(errs.length).toBeGreaterThan(0);
      if (typeof c.want === 'string') expect(errs[0]).toBe(c.want);
      else expect(errs[0]).toMatch(c.want);
    });
  }

  it('an empty file or only comments is a plain manifest file with nothing in it', () => {
    for (const text of ['', '# nothing\n', '---\n---\n']) {
      const p = parseScenario(text, F);
      expect(p.errors).toEqual([]);
      expect(p.manifests).toEqual([]);
      expect(p.hasScenarioDocument).toBe(false);
    }
  });
});

describe('parseScenario: manifests', () => {
  it('keeps each manifest with its document number and line', () => {
    const p = parseScenario('apiVersion: v1\nkind: Service\nmetadata: {name: a}\n---\n# c\n\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n', F);
    expect(p.errors).toEqual([]);
    expect(p.manifests.map((m) => [m.doc, m.line, m.what])).toEqual([
      [1, 1, 'Service "a"'],
      [2, 7, 'Deployment "web"'],
    ]);
  });

  const cases: { name: string; text: string; want: string }[] = [
    { name: 'no apiVersion', text: 'kind: Pod\nmetadata: {name: p}\n', want: `${F}:1 (document 1, Pod "p"): error validating data: apiVersion not set` },
    { name: 'neither', text: 'metadata: {name: p}\n', want: `${F}:1 (document 1): error validating data: [apiVersion not set, kind not set]` },
    { name: 'no name', text: 'apiVersion: v1\nkind: Pod\nmetadata:\n  labels: {a: b}\n', want: `${F}:4 (document 1, Pod): metadata.name: Required value: name or generateName is required` },
    { name: 'no metadata', text: 'apiVersion: v1\nkind: Pod\n', want: `${F}:1 (document 1, Pod): metadata: Required value: name or generateName is required` },
    { name: 'a list', text: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n---\n- a\n- b\n', want: `${F}:5 (document 2): error validating data: the document is a list, not a Kubernetes object (a mapping with apiVersion, kind and metadata)` },
    { name: 'a string', text: 'hello\n', want: `${F}:1 (document 1): error validating data: the document is a string, not a Kubernetes object (a mapping with apiVersion, kind and metadata)` },
  ];
  for (const c of cases) it(c.name, () => expect(errorsOf(c.text)).toEqual([c.want]));

  it('generateName stands in for name', () => {
    expect(errorsOf('apiVersion: v1\nkind: Pod\nmetadata: {generateName: p-}\n')).toEqual([]);
  });

  it('merge keys work as in sigs.k8s.io/yaml', () => {
    const p = parseScenario('x: &d {app: web}\napiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels:\n    <<: *d\n', F);
    expect(p.manifests[0].object.metadata.labels).toEqual({ app: 'web' });
  });
});

describe('parseScenario: the Scenario document', () => {
  it('a plain manifest file gets the default cluster and seed', () => {
    const p = parseScenario('apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n', 'dir/pod.yaml');
    expect(p.hasScenarioDocument).toBe(false);
    expect(p.name).toBe('pod');
    expect(p.spec.seed).toBe(1);
    expect(p.spec.nodes).toEqual(['worker-1', 'worker-2', 'worker-3'].map((name) => ({ name, capacity: { cpu: '4', memory: '8Gi', pods: '110' } })));
  });

  it('reads every field', () => {
    const p = parseScenario(
      scenario(`  seed: 42
  title: Canary
  description: d
  concepts: [canary]
  level: advanced
  cluster:
    nodes:
      - name: db-1
        capacity: {cpu: 8}
        labels: {topology.kubernetes.io/zone: a}
        taints: [{key: dedicated, value: db, effect: NoSchedule}]
      - {count: 2, namePrefix: w-, unschedulable: true}
  images:
    shop:v2: {startupSeconds: 3, errorRate: 0.25, latencyMs: 180, memory: 64Mi, logs: [hello, 42]}
    shop:v3:
  traffic:
    - {host: shop.example.com, path: /, rps: 20, headers: {x-canary: "1"}, clients: 5}
  timeline:
    - {at: 1m30s, run: kubectl get pods, note: look}
`),
      F,
    );
    expect(p.errors).toEqual([]);
    expect(p.name).toBe('x');
    expect(p.spec).toMatchObject({ seed: 42, title: 'Canary', description: 'd', concepts: ['canary'], level: 'advanced' });
    expect(p.spec.nodes).toEqual([
      { name: 'db-1', capacity: { cpu: '8', memory: '8Gi', pods: '110' }, labels: { 'topology.kubernetes.io/zone': 'a' }, taints: [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }] },
      { name: 'w-1', capacity: { cpu: '4', memory: '8Gi', pods: '110' }, unschedulable: true },
      { name: 'w-2', capacity: { cpu: '4', memory: '8Gi', pods: '110' }, unschedulable: true },
    ]);
    expect(p.spec.images).toEqual({ 'shop:v2': { startupSeconds: 3, errorRate: 0.25, latencyMs: 180, memory: '64Mi', logs: ['hello', '42'] }, 'shop:v3': {} });
    expect(p.spec.traffic).toEqual([{ host: 'shop.example.com', path: '/', rps: 20, headers: { 'x-canary': '1' }, clients: 5 }]);
    expect(p.spec.timeline).toEqual([{ at: 90_000, line: 24, run: 'kubectl get pods', note: 'look' }]);
  });

  it('sorts the timeline by time, keeping file order for ties', () => {
    const p = parseScenario(scenario('  timeline:\n    - {at: 1m, run: k get b}\n    - {at: 30s, run: k get a}\n    - {at: 60, run: k get c}\n    - {at: 0, run: k get z}\n'), F);
    expect(p.spec.timeline.map((s) => [s.at, s.run])).toEqual([
      [0, 'k get z'],
      [30_000, 'k get a'],
      [60_000, 'k get b'],
      [60_000, 'k get c'],
    ]);
  });

  const cases: { name: string; spec: string; want: string[] }[] = [
    {
      name: 'a bad duration (the DESIGN example)',
      spec: '  timeline:\n    - {at: 1s, run: k get a}\n    - {at: 2s, run: k get b}\n    - at: 3x\n      run: k get c\n',
      want: [`${F}:9: spec.timeline[2].at: Invalid value: "3x": must be a duration like 30s, 2m or 1h30m`],
    },
    { name: 'unknown field with a suggestion', spec: '  clutser: {}\n', want: [`${F}:6: unknown field "spec.clutser"; did you mean "cluster"?`] },
    { name: 'unknown field without one', spec: '  zzz: 1\n', want: [`${F}:6: unknown field "spec.zzz"`] },
    {
      name: 'a timeline command kubectl would refuse before running it',
      spec: '  timeline:\n    - {at: 1s, run: kubectl set imag deploy/web web=nginx:1.26}\n',
      want: [`${F}:7: spec.timeline[0].run: Invalid value: "kubectl set imag deploy/web web=nginx:1.26": unknown command "imag" for "kubectl set" (it has image, env, resources, selector, serviceaccount, subject)`],
    },
    { name: 'seed', spec: '  seed: 1.5\n', want: [`${F}:6: spec.seed: Invalid value: 1.5: must be an integer`] },
    { name: 'level', spec: '  level: expert\n', want: [`${F}:6: spec.level: Unsupported value: "expert": supported values: "beginner", "intermediate", "advanced"`] },
    {
      name: 'node with name and count',
      spec: '  cluster:\n    nodes:\n      - {name: a, count: 2}\n',
      want: [`${F}:8: spec.cluster.nodes[0]: Invalid value: "name and count": give exactly one of name (one node) or count (identical nodes named namePrefix-1, -2 …)`],
    },
    { name: 'node limit', spec: '  cluster:\n    nodes:\n      - {count: 3000}\n      - {count: 3000, namePrefix: b-}\n', want: [`${F}:9: spec.cluster.nodes[1].count: Too many: the cluster would have 6000 nodes; the limit is 5000 nodes`] },
    { name: 'duplicate node', spec: '  cluster:\n    nodes:\n      - {name: n1}\n      - {count: 1, namePrefix: n}\n', want: [`${F}:9: spec.cluster.nodes[1].namePrefix: Duplicate value: "n1": node "n1" is already defined at spec.cluster.nodes[0]`] },
    {
      name: 'capacity',
      spec: '  cluster:\n    nodes:\n      - name: n\n        capacity: {cpus: "2", memory: lots, pods: 1.5}\n',
      want: [
        `${F}:9: unknown resource "spec.cluster.nodes[0].capacity[cpus]"; did you mean "cpu"? (extended resources are named like example.com/gpu)`,
        `${F}:9: spec.cluster.nodes[0].capacity[memory]: Invalid value: "lots": must be a quantity like 4, 500m, 8Gi`,
        `${F}:9: spec.cluster.nodes[0].capacity[pods]: Invalid value: 1.5: must be a whole number of pods`,
      ],
    },
    {
      name: 'taint effect',
      spec: '  cluster:\n    nodes:\n      - name: n\n        taints:\n          - key: k\n            effect: NoExecut\n',
      want: [`${F}:11: spec.cluster.nodes[0].taints[0].effect: Unsupported value: "NoExecut": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"`],
    },
    {
      name: 'image behaviour',
      spec: '  images:\n    registry.example.com/shop:v1:\n      startupSecond: 3\n      errorRate: 2\n      pullError: "yes"\n',
      want: [
        `${F}:8: unknown field "spec.images[registry.example.com/shop:v1].startupSecond"; did you mean "startupSeconds"?`,
        `${F}:10: spec.images[registry.example.com/shop:v1].pullError: Invalid value: "yes": must be true or false`,
        `${F}:9: spec.images[registry.example.com/shop:v1].errorRate: Invalid value: 2: must be between 0 and 1, inclusive`,
      ],
    },
    { name: 'traffic needs rps', spec: '  traffic:\n    - {host: a.example.com}\n', want: [`${F}:7: spec.traffic[0].rps: Required value: requests per second, e.g. 20`] },
    { name: 'time limit', spec: '  timeline:\n    - {at: 721h, run: k get a}\n', want: [`${F}:7: spec.timeline[0].at: Invalid value: "721h": must be at most 30 days (720h); the limit is 2592000s of simulated time`] },
    { name: 'a run step that is not a command', spec: '  timeline:\n    - {at: 1s, run: rm -rf /}\n', want: [`${F}:7: spec.timeline[0].run: Invalid value: "rm -rf /": must be a kubectl or kubeplay command`] },
    { name: 'run and apply', spec: '  timeline:\n    - {at: 1s, run: a, apply: b}\n', want: [`${F}:7: spec.timeline[0]: Forbidden: a step has exactly one of run (a command) or apply (manifests)`] },
    {
      name: 'one command per step',
      spec: '  timeline:\n    - at: 1s\n      run: |\n        kubectl get pods\n        kubectl get rs\n',
      want: [`${F}:8: spec.timeline[0].run: Invalid value: "kubectl get pods\\nkubectl get rs": must be one command per step: give each command its own step (several steps may share the same at)`],
    },
    {
      name: 'apply manifests are checked with file lines',
      spec: '  timeline:\n    - at: 1s\n      apply: |\n        apiVersion: v1\n        kind: Pod\n        metadata:\n          labels: {a: b}\n',
      want: [`${F}:12: spec.timeline[0].apply: document 1 (Pod): metadata.name: Required value: name or generateName is required`],
    },
    {
      name: 'apply of a kind that is not simulated',
      spec: '  timeline:\n    - at: 1s\n      apply: |\n        apiVersion: argoproj.io/v1alpha1\n        kind: Experiment\n        metadata: {name: db}\n',
      want: [`${F}:9: spec.timeline[0].apply: document 1 (Experiment "db"): Experiment (argoproj.io/v1alpha1) is not simulated by Kubeplay yet; Experiment "db" was not applied`],
    },
    { name: 'apply syntax error', spec: '  timeline:\n    - at: 1s\n      apply: |\n        a: [1,\n', want: [`${F}:10:1: spec.timeline[0].apply: document 1: Flow sequence in block collection must be sufficiently indented and end with a ]`] },
  ];
  for (const c of cases) it(c.name, () => expect(errorsOf(scenario(c.spec))).toEqual(c.want));

  it('metadata.name and apiVersion', () => {
    expect(errorsOf('apiVersion: kubeplay.dev/v1\nkind: Scenario\nmetadata: {}\n')).toEqual([
      `${F}:1: apiVersion: Unsupported value: "kubeplay.dev/v1": supported values: "kubeplay.dev/v1alpha1"`,
      `${F}:3: metadata.name: Required value`,
    ]);
  });

  it('only one Scenario document', () => {
    const text = `${scenario('  seed: 1\n')}---\n${scenario('  seed: 2\n')}`;
    expect(errorsOf(text)).toEqual([`${F}:8 (document 2): only one Scenario document is allowed in a file; the first is document 1`]);
  });

  it('caps the number of errors', () => {
    const steps = Array.from({ length: 80 }, () => '    - {at: x, run: k get a}\n').join('');
    const errs = errorsOf(scenario(`  timeline:\n${steps}`));
    expect(errs).toHaveLength(51);
    expect(errs[50]).toBe(`${F}: too many errors (more than 50); the rest are not shown`);
  });
});

describe('parseScenario: spec.cluster.controlPlane', () => {
  it('true names the node control-plane; a mapping names it', () => {
    expect(parseScenario(scenario('  cluster:\n    controlPlane: true\n'), F).spec.controlPlane).toEqual({ name: 'control-plane' });
    expect(parseScenario(scenario('  cluster:\n    controlPlane: {name: cp-1}\n'), F).spec.controlPlane).toEqual({ name: 'cp-1' });
    expect(parseScenario(scenario('  cluster:\n    controlPlane: false\n'), F).spec.controlPlane).toBeUndefined();
  });
  it('refuses a bad name, one a worker has, and unknown fields', () => {
    expect(errorsOf(scenario('  cluster:\n    controlPlane: {name: CP}\n'))[0]).toMatch(/spec\.cluster\.controlPlane\.name: Invalid value: "CP": a lowercase RFC 1123 subdomain/);
    expect(errorsOf(scenario('  cluster:\n    controlPlane: true\n    nodes: [{name: control-plane}]\n'))[0]).toMatch(/spec\.cluster\.controlPlane: Duplicate value: "control-plane": a worker node has this name/);
    expect(errorsOf(scenario('  cluster:\n    controlPlane: {nodes: 3}\n'))[0]).toMatch(/spec\.cluster\.controlPlane\.nodes/);
  });
  it('runs the kube-system pods on a tainted control-plane node', async () => {
    const { startScenario } = await import('./run.ts');
    const { runCommand } = await import('../kubectl/index.ts');
    const parsed = parseScenario(scenario('  cluster:\n    controlPlane: true\n    nodes: [{count: 2}]\n'), F);
    const { sim } = startScenario(parsed);
    sim.runUntil(20_000);
    expect(runCommand(sim, "kubectl get nodes -o custom-columns='NAME:.metadata.name,ROLE:.metadata.labels.node-role\\.kubernetes\\.io/control-plane,IP:.status.addresses[0].address,TAINTS:.spec.taints[*].key' --no-headers").out).toBe(
      'control-plane            192.168.49.2   node-role.kubernetes.io/control-plane\nworker-1        <none>   192.168.49.3   <none>\nworker-2        <none>   192.168.49.4   <none>\n',
    );
    const pods = runCommand(sim, 'kubectl get pods -n kube-system -o custom-columns=NAME:.metadata.name,NODE:.spec.nodeName,PHASE:.status.phase --no-headers').out;
    for (const c of ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler']) expect(pods).toMatch(new RegExp(`^${c}-control-plane +control-plane +Running$`, 'm'));
    expect(pods.match(/^kube-proxy-\w{5} /gm)).toHaveLength(3);
    expect(pods.match(/^coredns-\w+-\w{5} +worker-\d +Running$/gm)).toHaveLength(2);
    expect(runCommand(sim, 'kubectl get svc kube-dns -n kube-system -o jsonpath={.spec.clusterIP}').out).toBe('10.96.0.10');
  });
});

describe('mirror pods (controlplane.ts)', () => {
  it('a deleted control-plane pod is made again by its kubelet, at once; not while the node is down', async () => {
    const { startScenario } = await import('./run.ts');
    const { runCommand } = await import('../kubectl/index.ts');
    const { sim } = startScenario(parseScenario(scenario('  cluster:\n    controlPlane: true\n    nodes: [{count: 1}]\n'), F));
    sim.runUntil(20_000);
    const uid = () => runCommand(sim, 'kubectl get pod kube-apiserver-control-plane -n kube-system -o jsonpath={.metadata.uid}').out;
    const before = uid();
    const started = () => runCommand(sim, 'kubectl get pod kube-apiserver-control-plane -n kube-system -o jsonpath={.status.containerStatuses[0].state.running.startedAt}').out;
    const startedAt = started();
    expect(runCommand(sim, 'kubectl delete pod kube-apiserver-control-plane -n kube-system --wait=false').out).toBe('pod "kube-apiserver-control-plane" deleted\n');
    sim.runFor(5_000);
    expect(uid()).not.toBe(before);
    expect(runCommand(sim, 'kubectl get pod kube-apiserver-control-plane -n kube-system -o jsonpath={.status.phase}').out).toBe('Running');
    // The static pod's container was not stopped: the new mirror pod shows it, started when it was.
    expect(started()).toBe(startedAt);
    const conditions = 'kubectl get pod kube-apiserver-control-plane -n kube-system -o jsonpath={.status.conditions[*].lastTransitionTime}';
    expect(runCommand(sim, conditions).out).not.toContain('T00:00:2');
    expect(runCommand(sim, 'kubectl get pod kube-apiserver-control-plane -n kube-system -o jsonpath={.metadata.annotations}').out).toMatch(
      /"kubernetes\.io\/config\.hash":"([0-9a-f]{32})","kubernetes\.io\/config\.mirror":"\1","kubernetes\.io\/config\.seen":"2025-01-01T00:00:00\.\d{9}Z","kubernetes\.io\/config\.source":"file"/,
    );
    expect(runCommand(sim, 'kubectl get events -n kube-system --field-selector reason=Killing').out).toBe('No resources found in kube-system namespace.\n');
    runCommand(sim, 'kubeplay node fail control-plane');
    runCommand(sim, 'kubectl delete pod etcd-control-plane -n kube-system --wait=false');
    sim.runFor(20_000);
    expect(runCommand(sim, 'kubectl get pod etcd-control-plane -n kube-system').out).toMatch(/Terminating/);
    runCommand(sim, 'kubeplay node recover control-plane');
    sim.runFor(30_000);
    expect(runCommand(sim, 'kubectl get pod etcd-control-plane -n kube-system -o jsonpath={.status.phase}/{.metadata.deletionTimestamp}').out).toBe('Running/');
  });
});

describe('documentCount counts documents before the parser does', () => {
  it.each<[string, string, number]>([
    ['one document', 'a: 1\n', 1],
    ['a leading marker', '---\na: 1\n', 1],
    ['three markers, nothing before', '---\na: 1\n---\nb: 2\n---\n', 3],
    ['content, then markers', 'a: 1\n---\nb: 2\n--- # c\n', 3],
    ['comments before the first marker are no document', '# header\n\n---\na: 1\n', 1],
    ['"---" inside a line or a longer dash run is no marker', 'a: "x---y"\nb: ----\n', 1],
    ['500,000 markers, refused before parsing', '---\n'.repeat(500_000), 500_000],
  ])('%s', (_name, text, want) => expect(documentCount(text)).toBe(want));
});
