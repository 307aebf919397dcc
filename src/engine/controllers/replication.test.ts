import { describe, expect, it } from 'vitest';
import { createCluster } from '../cluster.ts';
import { runCommand } from '../kubectl/index.ts';

/** The docs' ReplicationController (concepts/workloads/controllers/replication.yaml). */
const RC = `apiVersion: v1
kind: ReplicationController
metadata:
  name: nginx
spec:
  replicas: 3
  selector:
    app: nginx
  template:
    metadata:
      name: nginx
      labels:
        app: nginx
    spec:
      containers:
      - name: nginx
        image: nginx
        ports:
        - containerPort: 80
`;

function cluster() {
  const sim = createCluster({ seed: 1, nodes: [{ name: 'worker-1' }, { name: 'worker-2' }] });
  const run = (line: string, files: Record<string, string> = { 'rc.yaml': RC }) => runCommand(sim, line, { files });
  return { sim, run };
}

describe('ReplicationController: the replication manager is the ReplicaSet controller for a label-map selector', () => {
  it('creates, replaces and scales pods, with its own events, table and description', () => {
    const { sim, run } = cluster();
    expect(run('kubectl apply -f rc.yaml')).toEqual({ exit: 0, out: 'replicationcontroller/nginx created\n' });
    sim.runUntil(sim.now() + 20_000);
    expect(run('kubectl get rc -o wide').out).toBe(
      'NAME    DESIRED   CURRENT   READY   AGE   CONTAINERS   IMAGES   SELECTOR\nnginx   3         3         3       20s   nginx        nginx    app=nginx\n',
    );
    const pods = run('kubectl get pods -l app=nginx -o name').out.trim().split('\n');
    expect(pods).toHaveLength(3);
    for (const p of pods) expect(p).toMatch(/^pod\/nginx-[a-z0-9]{5}$/);
    const described = run('kubectl describe rc nginx').out;
    expect(described.startsWith(
      'Name:         nginx\nNamespace:    default\nSelector:     app=nginx\nLabels:       app=nginx\nAnnotations:  <none>\nReplicas:     3 current / 3 desired\nPods Status:  3 Running / 0 Waiting / 0 Succeeded / 0 Failed\nPod Template:\n',
    )).toBe(true);
    expect(described).not.toContain('Controlled By');
    expect(described).toMatch(/Normal {2}SuccessfulCreate {2}20s {3}replication-controller {2}Created pod: nginx-[a-z0-9]{5}\n/);
    // kubectl get all lists it between the pods and the services, as kubectl's "all" category does.
    expect(run('kubectl get all').out).toMatch(/pod\/nginx-[\s\S]*\n\nNAME {26}DESIRED {3}CURRENT {3}READY {3}AGE\nreplicationcontroller\/nginx {3}3 {9}3 {9}3 {7}20s\n\nNAME {17}TYPE/);

    // A deleted pod is replaced; a scale-down deletes.
    run(`kubectl delete ${pods[0]} --wait=false`);
    sim.runUntil(sim.now() + 40_000);
    const after = run('kubectl get pods -l app=nginx -o name').out.trim().split('\n');
    expect(after).toHaveLength(3);
    expect(after).not.toContain(pods[0]);
    expect(run('kubectl scale rc nginx --replicas=1').out).toBe('replicationcontroller/nginx scaled\n');
    sim.runUntil(sim.now() + 40_000);
    expect(run('kubectl get rc nginx').out).toBe('NAME    DESIRED   CURRENT   READY   AGE\nnginx   1         1         1       100s\n');
    expect(run('kubectl describe rc nginx').out).toMatch(/replication-controller {2}Deleted pod: nginx-/);

    // A new image in the template changes no running pod (an RC does not roll out).
    run('kubectl set image rc/nginx nginx=nginx:1.27');
    sim.runUntil(sim.now() + 20_000);
    expect(run('kubectl get pods -l app=nginx -o jsonpath={.items[*].spec.containers[0].image}').out).toBe('nginx');

    // expose reads the selector map; deleting the RC takes its pods (background cascade).
    expect(run('kubectl expose rc nginx --port=80').out).toBe('service/nginx exposed\n');
    expect(run('kubectl get svc nginx -o jsonpath={.spec.selector}').out).toBe('{"app":"nginx"}');
    run('kubectl delete rc nginx');
    sim.runUntil(sim.now() + 40_000);
    expect(run('kubectl get pods -l app=nginx').out).toBe('No resources found in default namespace.\n');
  });

  it('defaults the selector and labels from the template (SetDefaults_ReplicationController)', () => {
    const { run } = cluster();
    const bare = 'apiVersion: v1\nkind: ReplicationController\nmetadata: {name: web}\nspec:\n  template:\n    metadata: {labels: {app: web, tier: front}}\n    spec: {containers: [{name: c, image: nginx}]}\n';
    expect(run('kubectl apply -f web.yaml', { 'web.yaml': bare }).exit).toBe(0);
    expect(run("kubectl get rc web -o 'jsonpath={.spec.replicas} {.spec.selector} {.metadata.labels}'").out).toBe('1 {"app":"web","tier":"front"} {"app":"web","tier":"front"}');
  });

  const invalid: [string, string, string][] = [
    [
      'a template that the selector does not match, and a pod that would not restart',
      'spec:\n  selector: {app: x}\n  template:\n    metadata: {labels: {app: y}}\n    spec: {restartPolicy: Never, containers: [{name: c, image: nginx}]}\n',
      'The ReplicationController "bad" is invalid: \n* spec.template.metadata.labels: Invalid value: map[string]string{"app":"y"}: selector does not match labels in spec.template\n* spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"\n',
    ],
    [
      'no selector and a template without labels',
      'spec:\n  replicas: -1\n  template:\n    spec: {containers: [{name: c, image: nginx}]}\n',
      'The ReplicationController "bad" is invalid: \n* spec.selector: Required value\n* spec.replicas: Invalid value: -1: must be greater than or equal to 0\n',
    ],
    [
      "a ReplicaSet's selector, which is not a label map",
      'spec:\n  selector: {matchLabels: {app: x}}\n  template:\n    metadata: {labels: {app: x}}\n    spec: {containers: [{name: c, image: nginx}]}\n',
      'Error from server (BadRequest): error when creating "bad.yaml": ReplicationController in version "v1" cannot be handled as a ReplicationController: json: cannot unmarshal object into Go struct field ReplicationControllerSpec.spec.selector of type string\n',
    ],
    [
      'activeDeadlineSeconds',
      'spec:\n  template:\n    metadata: {labels: {app: x}}\n    spec: {activeDeadlineSeconds: 5, containers: [{name: c, image: nginx}]}\n',
      'The ReplicationController "bad" is invalid: spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in ReplicationController is not Supported\n',
    ],
  ];
  it.each(invalid)('refuses %s', (_name, spec, out) => {
    const { run } = cluster();
    expect(run('kubectl apply -f bad.yaml', { 'bad.yaml': `apiVersion: v1\nkind: ReplicationController\nmetadata: {name: bad}\n${spec}` })).toEqual({ exit: 1, out });
  });
});
