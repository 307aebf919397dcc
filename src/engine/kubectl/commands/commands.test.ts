import { describe, expect, it } from 'vitest';
import type { Deployment, KubeObject, Pod } from '../../api/types.ts';
import { runCommand } from '../index.ts';
import { createCluster } from '../../cluster.ts';
import { ENV_VAR_NAME_MSG } from '../../api/names.ts';
import { deployment, fakeSim, node, pod } from '../testutil/fixtures.ts';
import { rolloutStatus } from './rollout.ts';

/** cluster: one node, a 3-replica Deployment with two revisions, two pods (one bare), a Service, 75 s in. */
function cluster() {
  const sim = fakeSim();
  sim.store.create(node('worker-1'));
  const d = sim.store.create(deployment('web'));
  const owner = [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: d.metadata.uid!, controller: true }];
  const rs = (name: string, rev: string, image: string, replicas: number): KubeObject => ({
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: `web-${name}`, namespace: 'default', labels: { app: 'web', 'pod-template-hash': name }, annotations: { 'deployment.kubernetes.io/revision': rev }, ownerReferences: owner },
    spec: { replicas, selector: { matchLabels: { app: 'web', 'pod-template-hash': name } }, template: { metadata: { labels: { app: 'web', 'pod-template-hash': name } }, spec: { containers: [{ name: 'web', image }] } } },
    status: { replicas, readyReplicas: replicas },
  });
  sim.store.create(rs('aaa', '1', 'nginx:1.24', 0));
  const rs2 = sim.store.create(rs('bbb', '2', 'nginx:1.25', 3));
  sim.store.create(pod('web-bbb-x1', { node: 'worker-1', ip: '10.244.1.2', owner: rs2, labels: { app: 'web', 'pod-template-hash': 'bbb' } }));
  sim.store.create(pod('bare', { node: 'worker-1', ip: '10.244.1.3', ready: false, labels: { run: 'bare' } }));
  sim.store.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec: { type: 'ClusterIP', clusterIP: '10.96.0.10', selector: { app: 'web' }, ports: [{ port: 80, protocol: 'TCP', targetPort: 8080 }] } });
  sim.clock.set(75_000);
  return sim;
}

const run = (sim: ReturnType<typeof fakeSim>, line: string, opts = {}) => runCommand(sim, line, opts);

describe('kubectl get', () => {
  const cases: [string, number, string][] = [
    ['kubectl get pods', 0, 'NAME         READY   STATUS    RESTARTS   AGE\nbare         0/1     Running   0          75s\nweb-bbb-x1   1/1     Running   0          75s\n'],
    ['k get po -o wide', 0, 'NAME         READY   STATUS    RESTARTS   AGE   IP           NODE       NOMINATED NODE   READINESS GATES\nbare         0/1     Running   0          75s   10.244.1.3   worker-1   <none>           <none>\nweb-bbb-x1   1/1     Running   0          75s   10.244.1.2   worker-1   <none>           <none>\n'],
    ['kubectl get pods -A -l run=bare', 0, 'NAMESPACE   NAME   READY   STATUS    RESTARTS   AGE\ndefault     bare   0/1     Running   0          75s\n'],
    ['kubectl get pod bare --show-labels', 0, 'NAME   READY   STATUS    RESTARTS   AGE   LABELS\nbare   0/1     Running   0          75s   run=bare\n'],
    [
      'kubectl get all',
      0,
      'NAME             READY   STATUS    RESTARTS   AGE\npod/bare         0/1     Running   0          75s\npod/web-bbb-x1   1/1     Running   0          75s\n\nNAME          TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)   AGE\nservice/web   ClusterIP   10.96.0.10   <none>        80/TCP    75s\n\nNAME                  READY   UP-TO-DATE   AVAILABLE   AGE\ndeployment.apps/web   3/3     3            3           75s\n\nNAME                      DESIRED   CURRENT   READY   AGE\nreplicaset.apps/web-aaa   0         0         0       75s\nreplicaset.apps/web-bbb   3         3         3       75s\n',
    ],
    ['kubectl get deploy,svc -o name', 0, 'deployment.apps/web\nservice/web\n'],
    ['kubectl get pods -n kube-system', 0, 'No resources found in kube-system namespace.\n'],
    ['kubectl get pods -A -l app=none', 0, 'No resources found\n'],
    ['kubectl get nodes', 0, 'NAME       STATUS   ROLES    AGE   VERSION\nworker-1   Ready    <none>   75s   v1.31.4\n'],
    ['kubectl get pods bare nope', 1, 'NAME   READY   STATUS    RESTARTS   AGE\nbare   0/1     Running   0          75s\nError from server (NotFound): pods "nope" not found\n'],
    ['kubectl get deploy nope -o json', 1, 'Error from server (NotFound): deployments.apps "nope" not found\n'],
    ['kubectl get deploy nope', 1, 'Error from server (NotFound): deployments.apps "nope" not found\n'],
    ['kubectl get foos', 1, 'error: the server doesn\'t have a resource type "foos"\n'],
    ['kubectl get pods --bogus', 1, "error: unknown flag: --bogus\nSee 'kubectl get --help' for usage.\n"],
    ['kubectl get pods -o table', 1, 'error: unable to match a printer suitable for the output format "table", allowed formats are: custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml\n'],
    [
      'kubectl get pod pod/bare',
      1,
      "error: there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'\n",
    ],
    [`kubectl get pods -o jsonpath='{range .items[*]}{.metadata.name}={.status.podIP}{"\\n"}{end}'`, 0, 'bare=10.244.1.3\nweb-bbb-x1=10.244.1.2\n'],
    ['kubectl get pod bare -o jsonpath={.spec.nodeName}', 0, 'worker-1'],
    // cobra's suggestions: the commands within two edits ("foo" → top).
    ['kubectl foo', 1, 'error: unknown command "foo" for "kubectl"\n\nDid you mean this?\n\ttop\n\nRun \'kubectl --help\' for usage.\n'],
    ['kubectl zzzzzz', 1, 'error: unknown command "zzzzzz" for "kubectl"\nRun \'kubectl --help\' for usage.\n'],
    // A command group runs cobra's DefaultSubCommandRun: RequireNoArguments names all its arguments.
    ['kubectl rollout stauts deploy/web -n default', 1, "error: unknown command \"stauts deploy/web\"\nSee 'kubectl rollout -h' for help and examples\n"],
    ['kubectl set foo', 1, "error: unknown command \"foo\"\nSee 'kubectl set -h' for help and examples\n"],
    ['kubectl create secret foo x', 1, "error: unknown command \"foo x\"\nSee 'kubectl create secret -h' for help and examples\n"],
    ['kubectl config frob', 1, "error: unknown command \"frob\"\nSee 'kubectl config -h' for help and examples\n"],
    ['kubectl create foo', 1, "Error: must specify one of -f and -k\n\nerror: unknown command \"foo\"\nSee 'kubectl create -h' for help and examples\n"],
  ];
  for (const [line, exit, out] of cases) {
    it(line, () => expect(run(cluster(), line)).toEqual({ exit, out }));
  }
  it('-o json of one object is the object; of a list, a List', () => {
    const sim = cluster();
    const one = JSON.parse(run(sim, 'kubectl get deploy web -o json').out);
    expect(one.kind).toBe('Deployment');
    const list = JSON.parse(run(sim, 'kubectl get deploy -o json').out);
    expect(list).toMatchObject({ apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: '' } });
    expect(list.items).toHaveLength(1);
  });

  it('a bare command group prints its help, its subcommands sorted with what they do, and exits 1 (DefaultSubCommandRun)', () => {
    const r = run(cluster(), 'kubectl rollout');
    expect(r.exit).toBe(1);
    expect(r.out.startsWith('Available Commands:\n  history     View rollout history\n  pause       Mark')).toBe(true);
    expect(r.out).toContain('\nUsage:\n  kubectl rollout SUBCOMMAND [options]\n\nUse "kubectl rollout <command> --help" for more information about a given command.\n');
  });
});

describe('kubectl writes', () => {
  it('apply -f - prints created / unchanged / configured, and mapping errors for unknown kinds', () => {
    const sim = cluster();
    const svc = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: api\nspec:\n  selector:\n    app: api\n  ports:\n  - port: 80\n';
    expect(run(sim, 'kubectl apply -f -', { stdin: svc })).toEqual({ exit: 0, out: 'service/api created\n' });
    expect(run(sim, 'kubectl apply -f -', { stdin: svc })).toEqual({ exit: 0, out: 'service/api unchanged\n' });
    expect(run(sim, 'kubectl apply -f svc.yaml', { files: { 'svc.yaml': svc.replace('port: 80', 'port: 8080') } })).toEqual({ exit: 0, out: 'service/api configured\n' });
    // A client dry run sends nothing: an existing object is "configured", a new one "created".
    expect(run(sim, 'kubectl apply -f - --dry-run=client', { stdin: svc })).toEqual({ exit: 0, out: 'service/api configured (dry run)\n' });
    expect(run(sim, 'kubectl apply -f - --dry-run=client', { stdin: svc.replace('name: api', 'name: api2') })).toEqual({ exit: 0, out: 'service/api2 created (dry run)\n' });
    expect(run(sim, 'kubectl apply -f -', { stdin: 'apiVersion: v1\nkind: Foo\nmetadata:\n  name: x\n' })).toEqual({
      exit: 1,
      out: 'error: resource mapping not found for name: "x" namespace: "" from "STDIN": no matches for kind "Foo" in version "v1"\nensure CRDs are installed first\n',
    });
    expect(run(sim, 'kubectl apply -f missing.yaml').out).toBe('error: the path "missing.yaml" does not exist\n');
  });
  it('TYPE1,TYPE2 NAME names the object of each type; a watch takes one type (SingleResourceType)', () => {
    const sim = createCluster({ seed: 1, nodes: [{ name: 'worker-1' }] });
    run(sim, 'kubectl create deployment web --image=nginx');
    run(sim, 'kubectl expose deployment web --port=80');
    expect(run(sim, 'kubectl get deploy,svc web -o name').out).toBe('deployment.apps/web\nservice/web\n');
    expect(run(sim, 'kubectl get deploy,svc web -w').out).toBe('error: you may only specify a single resource type\n');
    expect(run(sim, 'kubectl delete deploy,svc web').out).toBe('deployment.apps "web" deleted\nservice "web" deleted\n');
  });
  it('a kustomization.yaml and -k say Kustomize is not run; built-in kinds without a controller are refused as not simulated', () => {
    const sim = cluster();
    const k = 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- web.yaml\n';
    expect(run(sim, 'kubectl apply -f kustomization.yaml', { files: { 'kustomization.yaml': k } }).out).toBe(
      'error: resource mapping not found for name: "" namespace: "" from "kustomization.yaml": no matches for kind "Kustomization" in version "kustomize.config.k8s.io/v1beta1"\nensure CRDs are installed first\n' +
        '(a kustomization.yaml is read by `kubectl apply -k`, which builds the objects it lists; Kubeplay does not run Kustomize: apply those files with -f)\n',
    );
    expect(run(sim, 'kubectl apply -k overlays/dev').out).toBe('error: kubectl apply -k is not simulated in Kubeplay: apply plain manifests (the Editor takes several documents at once)\n');
    const vap = 'apiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingAdmissionPolicy\nmetadata:\n  name: p\nspec: {}\n';
    expect(run(createCluster({ seed: 1, nodes: [{ name: 'worker-1' }] }), 'kubectl apply -f -', { stdin: vap }).out).toMatch(/ValidatingAdmissionPolicy \(admissionregistration\.k8s\.io\/v1\) is .*not simulated by Kubeplay yet/);
  });
  it('a manifest without kind or apiVersion is refused with kubectl\'s --validate hint; --validate=false drops unknown fields', () => {
    const sim = createCluster({ seed: 1, nodes: [{ name: 'worker-1' }] });
    const hint = '; if you choose to ignore these errors, turn validation off with --validate=false\n';
    expect(run(sim, 'kubectl apply -f x.yaml', { files: { 'x.yaml': 'apiVersion: v1\nmetadata:\n  name: x\n' } }).out).toBe(`error: error validating "x.yaml": error validating data: kind not set${hint}`);
    expect(run(sim, 'kubectl apply -f x.yaml', { files: { 'x.yaml': 'metadata:\n  name: x\n' } }).out).toBe(`error: error validating "x.yaml": error validating data: [apiVersion not set, kind not set]${hint}`);
    const cm = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndatta:\n  a: "1"\n';
    expect(run(sim, 'kubectl apply -f c.yaml --validate=warn', { files: { 'c.yaml': cm } }).out).toBe('Warning: unknown field "datta"\nconfigmap/c created\n');
    expect(run(sim, 'kubectl create -f c.yaml --validate=false', { files: { 'c.yaml': cm.replace('name: c', 'name: d') } }).out).toBe('configmap/d created\n');
    for (const name of ['c', 'd']) expect(sim.store.get('ConfigMap', 'default', name)).not.toHaveProperty('datta');
    // the last-applied annotation keeps the manifest as it was sent
    expect(sim.store.get('ConfigMap', 'default', 'c')!.metadata.annotations!['kubectl.kubernetes.io/last-applied-configuration']).toContain('"datta"');
    // expose sends --type as typed; the API server lists what it supports
    run(sim, 'kubectl create deployment web --image=nginx');
    expect(run(sim, 'kubectl expose deployment web --port=80 --type=Nodeport').out).toBe(
      'The Service "web" is invalid: spec.type: Unsupported value: "Nodeport": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"\n',
    );
  });
  // The usual YAML mistakes, in go-yaml's words (sigs.k8s.io/yaml), at the mistake's own line.
  const pod = (line8: string) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: web\n${line8}\n`;
  it.each([
    ['a second colon', pod('    image: nginx: latest'), 'line 8: mapping values are not allowed in this context'],
    ['a missing colon', pod('    image nginx\n    ports: []'), "line 8: could not find expected ':'"],
    ['a missing colon at the end', pod('    image nginx'), "line 8: could not find expected ':'"],
    ['a key out of line', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n labels:\n    app: x\n', 'line 5: did not find expected key'],
    ['a list item out of line', pod('    image: x\n   - name: b\n    image: y'), "line 9: did not find expected '-' indicator"],
    ['an unclosed flow map', 'apiVersion: v1\nkind: Pod\nmetadata: {name: p\nspec: {}\n', "line 4: did not find expected ',' or '}'"],
    ['an unclosed quote', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: "p\n', 'line 5: found unexpected end of stream'],
  ])('YAML with %s is refused in go-yaml words', (_, stdin, said) => {
    expect(run(cluster(), 'kubectl apply -f -', { stdin })).toEqual({ exit: 1, out: `error: error parsing STDIN: error converting YAML to JSON: yaml: ${said}\n` });
  });

  it('YAML that would exhaust the parser is refused with the limit and a line: alias bombs, deep nesting', () => {
    const sim = cluster();
    // A tab in the indentation, in go-yaml's words.
    expect(run(sim, 'kubectl apply -f -', { stdin: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n\tname: x\n' }).out).toBe(
      'error: error parsing STDIN: error converting YAML to JSON: yaml: line 4: found character that cannot start any token\n',
    );
    const bomb = 'kind: ConfigMap\na: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n';
    expect(run(sim, 'kubectl apply -f -', { stdin: bomb })).toEqual({ exit: 1, out: 'error: error parsing STDIN: line 3: YAML aliases expand too far (more than maxAliasCount 100)\n' });
    // An alias whose anchor comes later is go-yaml's unknown anchor, not a bomb.
    expect(run(sim, 'kubectl apply -f -', { stdin: 'kind: ConfigMap\na: *x\nb: &x 1\n' })).toEqual({ exit: 1, out: "error: error parsing STDIN: error converting YAML to JSON: yaml: unknown anchor 'x' referenced\n" });
    expect(run(sim, 'kubectl apply -f -', { stdin: `kind: ConfigMap\nx:\n${'- '.repeat(5000)}a\n` })).toEqual({
      exit: 1,
      out: 'error: error parsing STDIN: line 3: YAML nesting is deeper than 256 levels of indentation; the limit is 256\n',
    });
    expect(run(sim, 'kubectl create -f d.json', { files: { 'd.json': `{"kind": ${'['.repeat(300)}` } }).out).toBe('error: error parsing d.json: line 1: YAML nesting is deeper than 256 levels of [ and {; the limit is 256\n');
    // Too many documents are refused, with the limit, before they are parsed.
    expect(run(sim, 'kubectl apply -f -', { stdin: '---\n'.repeat(300_000) })).toEqual({ exit: 1, out: 'error: error parsing STDIN: the manifest has 300000 YAML documents; the limit is 1000 documents\n' });
  });
  it('prints the API server Invalid message bare', () => {
    const sim = cluster();
    const bad = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: bad\nspec:\n  replicas: -1\n';
    expect(run(sim, 'kubectl create -f -', { stdin: bad })).toEqual({ exit: 1, out: 'The Deployment "bad" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0\n' });
  });
  it('create -f of an existing object names the source', () => {
    const sim = cluster();
    const svc = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n  - port: 80\n';
    expect(run(sim, 'kubectl create -f web.yaml', { files: { 'web.yaml': svc } }).out).toBe('Error from server (AlreadyExists): error when creating "web.yaml": services "web" already exists\n');
  });
  const cases: [string, number, string][] = [
    ['kubectl create deployment api --image=nginx', 0, 'deployment.apps/api created\n'],
    ['kubectl create deployment api', 1, 'error: required flag(s) "image" not set\n'],
    ['kubectl create deployment my-dep --image=busybox --image=nginx -- date', 1, 'error: cannot specify multiple --image options and command\n'],
    [
      'kubectl create deployment my-dep --image=busybox --dry-run=client -o jsonpath={.spec.template.spec.containers[0].command} -- sleep 3600',
      0,
      '["sleep","3600"]',
    ],
    ['kubectl create namespace dev', 0, 'namespace/dev created\n'],
    ['kubectl run tmp --image=busybox --restart=Never -- sleep 3600', 0, 'pod/tmp created\n'],
    [
      'kubectl run nginx --image=nginx --port=80 --dry-run=client -o yaml',
      0,
      'apiVersion: v1\nkind: Pod\nmetadata:\n  creationTimestamp: null\n  labels:\n    run: nginx\n  name: nginx\nspec:\n  containers:\n  - image: nginx\n    name: nginx\n    ports:\n    - containerPort: 80\n    resources: {}\n  dnsPolicy: ClusterFirst\n  restartPolicy: Always\nstatus: {}\n',
    ],
    ['kubectl create configmap cfg --from-literal=a=1', 0, 'configmap/cfg created\n'],
    ['kubectl create secret generic s --from-literal=pw=x', 0, 'secret/s created\n'],
    // A key twice is refused (kubectl's addKeyFromLiteralToConfigMap / …ToSecret), not kept with its last value.
    ['kubectl create configmap dup --from-literal=a=1 --from-literal=a=2', 1, 'error: cannot add key "a", another key by that name already exists in Data for ConfigMap "dup"\n'],
    ['kubectl create secret generic dup --from-literal=user=a --from-literal=user=b', 1, 'error: cannot add key user, another key by that name already exists\n'],
    ['kubectl expose deployment web --port=80 --name=web2', 0, 'service/web2 exposed\n'],
    ['kubectl scale deployment web --replicas=5', 0, 'deployment.apps/web scaled\n'],
    ['kubectl scale deploy/web', 1, 'error: required flag(s) "replicas" not set\n'],
    ['kubectl scale deploy -l app=nothing --replicas=2', 1, 'error: no objects passed to scale\n'],
    ['kubectl scale deploy nosuch --replicas=2', 1, 'error: no objects passed to scale deployments.apps "nosuch" not found\n'],
    ['kubectl scale deploy nosuch other --replicas=2', 1, 'error: no objects passed to scale [deployments.apps "nosuch" not found, deployments.apps "other" not found]\n'],
    ['kubectl set image deployment/web web=nginx:1.26', 0, 'deployment.apps/web image updated\n'],
    ['kubectl set image deployment/web nope=nginx:1.26', 1, 'error: unable to find container named "nope"\n'],
    ['kubectl delete deployment web', 0, 'deployment.apps "web" deleted\n'],
    ['kubectl delete pod/bare svc/web', 0, 'pod "bare" deleted\nservice "web" deleted\n'],
    ['kubectl delete pods -l run=bare', 0, 'pod "bare" deleted\n'],
    ['kubectl delete pod nope', 1, 'Error from server (NotFound): pods "nope" not found\n'],
    ['kubectl delete pods', 1, 'error: resource(s) were provided, but no name was specified\n'],
    ['kubectl delete pods --field-selector metadata.name=bare', 0, 'pod "bare" deleted\n'],
    ['kubectl delete pods -l app=web --field-selector spec.nodeName=worker-2', 0, 'No resources found\n'],
    ['kubectl delete pod bare --field-selector spec.nodeName=worker-1', 1, 'error: name cannot be provided when a selector is specified\n'],
    ['kubectl label pod bare tier=fe', 0, 'pod/bare labeled\n'],
    ['kubectl label pod bare run=other', 1, "error: 'run' already has a value (bare), and --overwrite is false\n"],
    ['kubectl label pod bare run=other --overwrite', 0, 'pod/bare labeled\n'],
    ['kubectl label pod bare run-', 0, 'pod/bare unlabeled\n'],
    ['kubectl label pod bare tier-', 0, 'label "tier" not found.\npod/bare not labeled\n'],
    ['kubectl label pod bare tier=be tier-', 1, 'error: can not both modify and remove a label in the same command\n'],
    ['kubectl label pod bare team=a run-', 0, 'pod/bare label(s) changed\n'],
    ['kubectl label deploy web app=x value', 1, 'error: all resources must be specified before label changes: value\n'],
    ['kubectl label', 1, 'error: one or more resources must be specified as <resource> <name> or <resource>/<name>\n'],
    ['kubectl annotate pod bare', 1, 'error: at least one annotation update is required\n'],
    ['kubectl annotate deploy web note=hi', 0, 'deployment.apps/web annotated\n'],
    ['kubectl cordon worker-1', 0, 'node/worker-1 cordoned\n'],
    ['kubectl uncordon worker-1', 0, 'node/worker-1 already uncordoned\n'],
    ['kubectl rollout history deployment/web', 0, 'deployment.apps/web \nREVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n\n'],
    ['kubectl get deployments.v1.apps web -o name', 0, 'deployment.apps/web\n'],
    ['helm install web ./chart', 127, 'helm: command not found: Helm charts are not installed here; apply their rendered manifests with kubectl apply -f\n'],
    ['curl http://192.168.49.2:30080', 127, 'curl: command not found: kubeplay curl URL sends the request instead (a Service by name, a NodePort at http://NODE-IP:PORT, an Ingress host); kubectl exec POD -- curl URL sends it from inside a pod\n'],
    ['watch kubectl get pods', 127, 'watch: command not found: kubectl get -w (--watch) lists the objects and then each change, until Ctrl+C or the next command\n'],
    ["kubectl get pods -o go-template --template '{{range .items}}{{.metadata.name}}{{end}}'", 1, 'error: -o go-template is not simulated in Kubeplay: use -o jsonpath=… (the same {.metadata.name} paths, with {range}) or -o custom-columns=…\n'],
    ["kubectl get pods --template '{{.kind}}'", 1, 'error: -o go-template is not simulated in Kubeplay: use -o jsonpath=… (the same {.metadata.name} paths, with {range}) or -o custom-columns=…\n'],
    ['vim x', 127, 'vim: command not found (try "kubectl help" or "kubeplay help")\n'],
    ['kubectl get pods.v1. bare -o name', 0, 'pod/bare\n'],
    ['kubectl rollout undo deployment/web', 0, 'deployment.apps/web rolled back\n'],
    ['kubectl rollout undo deployment/web --to-revision=2', 0, 'deployment.apps/web skipped rollback (current template already matches revision 2)\n'],
    ['kubectl rollout undo deployment/web --to-revision=9', 1, 'error: unable to find specified revision 9 in history\n'],
    ['kubectl rollout pause deployment/web', 0, 'deployment.apps/web paused\n'],
    ['kubectl rollout resume deployment/web', 1, 'error: deployments.apps "web" is not paused\n'],
    ['kubectl rollout restart deployment/web', 0, 'deployment.apps/web restarted\n'],
    ['kubectl rollout status deployment/web', 0, 'deployment "web" successfully rolled out\n'],
    ['kubectl version', 0, 'Client Version: v1.32.0\nKustomize Version: v5.5.0\nServer Version: v1.32.0\n'],
    ['kubectl config current-context', 0, 'kubeplay\n'],
  ];
  for (const [line, exit, out] of cases) {
    it(line, () => expect(run(cluster(), line)).toEqual({ exit, out }));
  }
  it('rollout undo --dry-run=client prints the template it would go back to and changes nothing', () => {
    const sim = cluster();
    const image = () => sim.store.get<Deployment>('Deployment', 'default', 'web')!.spec.template.spec.containers[0].image;
    const before = image();
    const r = run(sim, 'kubectl rollout undo deployment/web --dry-run=client');
    expect(r.exit).toBe(0);
    expect(r.out).toMatch(/^deployment\.apps\/web Pod Template:\n {2}Labels: {2}app=web\n {11}pod-template-hash=[a-z0-9]+\n {2}Containers:\n/);
    expect(r.out).toMatch(/\n \(dry run\)\n$/);
    expect(image()).toBe(before);
  });

  it('scale goes through the API server (object changed)', () => {
    const sim = cluster();
    run(sim, 'kubectl scale deployment web --replicas=5');
    expect(sim.store.get<Deployment>('Deployment', 'default', 'web')!.spec.replicas).toBe(5);
  });
});

describe('kubectl taint (pkg/cmd/taint: parseTaints, reorganizeTaints, Validate)', () => {
  // Each line runs after the ones before it, on one node with no taints.
  const steps: [string, number, string][] = [
    ['kubectl taint nodes worker-1 dedicated=db:NoSchedule', 0, 'node/worker-1 tainted\n'],
    ['kubectl taint nodes worker-1 dedicated=db:NoSchedule', 1, 'error: node worker-1 already has dedicated taint(s) with same effect(s) and --overwrite is false\n'],
    ['kubectl taint nodes worker-1 dedicated=web:NoSchedule --overwrite', 0, 'node/worker-1 modified\n'],
    ['kubectl taint node worker-1 dedicated:NoExecute', 0, 'node/worker-1 tainted\n'],
    // New taints first, then the old ones they do not replace (reorganizeTaints).
    ['kubectl get node worker-1 -o jsonpath={.spec.taints}', 0, '[{"effect":"NoExecute","key":"dedicated"},{"effect":"NoSchedule","key":"dedicated","value":"web"}]'],
    ['kubectl taint nodes worker-1 gpu=true:PreferNoSchedule dedicated:NoExecute-', 0, 'node/worker-1 modified\n'],
    ['kubectl taint no worker-1 dedicated-', 0, 'node/worker-1 untainted\n'],
    ['kubectl taint nodes worker-1 dedicated:NoSchedule-', 1, 'error: taint "dedicated:NoSchedule" not found\n'],
    ['kubectl taint nodes worker-1 x=y:NoSchedule --dry-run=client', 0, 'node/worker-1 tainted (dry run)\n'],
    ['kubectl get node worker-1 -o jsonpath={.spec.taints}', 0, '[{"effect":"PreferNoSchedule","key":"gpu","value":"true"}]'],
    ['kubectl taint nodes worker-1 a=b:Bogus', 1, "error: invalid taint effect: Bogus, unsupported taint effect\nSee 'kubectl taint -h' for help and examples\n"],
    ['kubectl taint nodes worker-1 a=b=c:NoSchedule', 1, "error: invalid taint spec: a=b=c:NoSchedule\nSee 'kubectl taint -h' for help and examples\n"],
    ['kubectl taint nodes worker-1 a:NoSchedule a:NoSchedule', 1, 'error: duplicated taints with the same key and effect: {"key":"a","effect":"NoSchedule"}\nSee \'kubectl taint -h\' for help and examples\n'],
    ['kubectl taint nodes worker-1 a=b:NoSchedule a:NoSchedule-', 1, 'error: can not both modify and remove the following taint(s) in the same command: {"a":"NoSchedule"}\n'],
    ['kubectl taint nodes worker-1 a=b:NoSchedule worker-2', 1, 'error: all resources must be specified before taint changes: worker-2\n'],
    ['kubectl taint nodes worker-1', 1, 'error: at least one taint update is required\n'],
    ['kubectl taint a=b:NoSchedule', 1, 'error: one or more resources must be specified as <resource> <name>\n'],
    ['kubectl taint nodes a=b:NoSchedule', 1, "error: at least one resource name must be specified since 'all' parameter is not set\n"],
    ['kubectl taint pods bare a=b:NoSchedule', 1, 'error: invalid resource type pods, only node types are supported\n'],
    ['kubectl taint nodes nope a=b:NoSchedule', 1, 'Error from server (NotFound): nodes "nope" not found\n'],
    ['kubectl taint nodes --all -l x=y a=b:NoSchedule', 1, "error: setting 'all' parameter with a non empty selector is prohibited\n"],
  ];
  it('follows kubectl line by line', () => {
    const sim = cluster();
    for (const [line, exit, out] of steps) expect([line, run(sim, line)]).toEqual([line, { exit, out }]);
  });
});

describe('kubectl autoscale (v1.32: an autoscaling/v1 HPA, pkg/cmd/autoscale, served back as v2)', () => {
  const steps: [string, number, string][] = [
    ['kubectl autoscale deployment web --cpu-percent=50 --min=1 --max=10', 0, 'horizontalpodautoscaler.autoscaling/web autoscaled\n'],
    ['kubectl get hpa web -o jsonpath={.spec}', 0, '{"maxReplicas":10,"metrics":[{"resource":{"name":"cpu","target":{"averageUtilization":50,"type":"Utilization"}},"type":"Resource"}],"minReplicas":1,"scaleTargetRef":{"apiVersion":"apps/v1","kind":"Deployment","name":"web"}}'],
    ['kubectl autoscale deployment web --max=3', 1, 'Error from server (AlreadyExists): horizontalpodautoscalers.autoscaling "web" already exists\n'],
    ['kubectl autoscale deploy/web --max=3 --name=web-small --dry-run=client', 0, 'horizontalpodautoscaler.autoscaling/web-small created (dry run)\n'],
    ['kubectl get hpa web-small', 1, 'Error from server (NotFound): horizontalpodautoscalers.autoscaling "web-small" not found\n'],
    ['kubectl autoscale deployment web', 1, 'error: required flag(s) "max" not set\n'],
    ['kubectl autoscale deployment web --max=0', 1, 'error: --max=MAXPODS is required and must be at least 1, max: 0\n'],
    ['kubectl autoscale deployment web --min=5 --max=3', 1, 'error: --max=MAXPODS must be larger or equal to --min=MINPODS, max: 3, min: 5\n'],
    ['kubectl autoscale deployment web --max=x', 1, 'error: invalid argument "x" for "--max" flag: strconv.ParseInt: parsing "x": invalid syntax\n'],
    ['kubectl autoscale pod bare --max=2', 1, 'error: cannot autoscale a Pod: could not find scale subresource for /v1, Resource=pods in discovery information\n'],
    ['kubectl autoscale deployment nope --max=2', 1, 'Error from server (NotFound): deployments.apps "nope" not found\n'],
  ];
  it('follows kubectl line by line', () => {
    const sim = cluster();
    for (const [line, exit, out] of steps) expect([line, run(sim, line)]).toEqual([line, { exit, out }]);
  });
});

describe('kubectl set env and set resources (pkg/cmd/set)', () => {
  // One line after another on the fixture's Deployment (one container, "web").
  const steps: [string, number, string][] = [
    ['kubectl set env deployment/web GREETING=hello MODE=blue', 0, 'deployment.apps/web env updated\n'],
    ['kubectl set env deployment/web GREETING=hello', 0, ''],
    ['kubectl set env deployment/web MODE=green --overwrite=false', 1, "error: 'MODE' already has a value (blue), and --overwrite is false\n"],
    ['kubectl set env deployment/web MODE=green -e EXTRA=1', 0, 'deployment.apps/web env updated\n'],
    ['kubectl set env deployment/web GREETING-', 0, 'deployment.apps/web env updated\n'],
    // updateEnv: a changed variable keeps its place, new ones follow.
    ['kubectl set env deployment/web --list', 0, '# Deployment web, container web\nMODE=green\nEXTRA=1\n'],
    ['kubectl set env deployment/web 1BAD=x', 1, `error: "1BAD" is not a valid key name: ${ENV_VAR_NAME_MSG}\n`],
    ['kubectl set env deployment/web A=1 A-', 1, 'error: can not both modify and remove the same environment variable in the same command\n'],
    ['kubectl set env deployment/web -c db X=1', 0, 'warning: Deployment/web does not have any containers matching "db"\n'],
    ['kubectl set env deployment/web -c w?b* Y=1', 0, 'deployment.apps/web env updated\n'],
    ['kubectl set env deployment/web -c *e*b Y-', 0, 'deployment.apps/web env updated\n'],
    ['kubectl set env deployment/web -c *w*e*b*x Z=1', 0, 'warning: Deployment/web does not have any containers matching "*w*e*b*x"\n'],
    ['kubectl set env X=1', 1, 'error: one or more resources must be specified as <resource> <name> or <resource>/<name>\n'],
    ['kubectl set resources deployment web --requests=cpu=200m,memory=128Mi --limits=cpu=500m', 0, 'deployment.apps/web resource requirements updated\n'],
    ['kubectl set resources deployment web --requests=cpu=200m', 0, ''],
    ['kubectl get deploy web -o jsonpath={.spec.template.spec.containers[0].resources}', 0, '{"limits":{"cpu":"500m"},"requests":{"cpu":"200m","memory":"128Mi"}}'],
    // Quantities go as resource.Quantity marshals them: canonical.
    ['kubectl set resources deployment web --limits=cpu=0.5,memory=0.5Gi', 0, 'deployment.apps/web resource requirements updated\n'],
    ['kubectl get deploy web -o jsonpath={.spec.template.spec.containers[0].resources.limits}', 0, '{"cpu":"500m","memory":"512Mi"}'],
    ['kubectl set resources deployment web', 1, 'error: you must specify an update to requests or limits (in the form of --requests/--limits)\n'],
    ['kubectl set resources deployment web --requests=cpu', 1, 'error: Invalid argument syntax cpu, expected <resource>=<value>\n'],
    ['kubectl set resources deployment web --requests=cpu=lots', 1, "error: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'\n"],
  ];
  it('follows kubectl line by line', () => {
    const sim = cluster();
    for (const [line, exit, out] of steps) expect([line, run(sim, line)]).toEqual([line, { exit, out }]);
  });
  it('matches -c with many stars at once (a backtracking RegExp never returned on a 63-character name)', () => {
    const sim = createCluster({ seed: 1, nodes: [{ name: 'worker-1' }] });
    const name = 'a'.repeat(63);
    const deploy = `{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"w"},"spec":{"selector":{"matchLabels":{"app":"w"}},"template":{"metadata":{"labels":{"app":"w"}},"spec":{"containers":[{"name":"${name}","image":"nginx"}]}}}}`;
    expect(run(sim, 'kubectl apply -f -', { stdin: deploy }).exit).toBe(0);
    const pattern = `${'*a'.repeat(25)}*b`;
    expect(run(sim, `kubectl set env deployment/w -c ${pattern} X=1`).out).toBe(`warning: Deployment/w does not have any containers matching "${pattern}"\n`);
    expect(run(sim, `kubectl set env deployment/w -c ${'*a'.repeat(25)}* X=1`).out).toBe('deployment.apps/w env updated\n');
  });
  it('reports what the API server refuses as kubectl set does', () => {
    const sim = createCluster({ seed: 1, nodes: [{ name: 'worker-1' }] });
    run(sim, 'kubectl create deployment web --image=nginx:1.25');
    expect(run(sim, 'kubectl set resources deployment web --requests=gpu=1')).toEqual({
      exit: 1,
      out: 'error: failed to patch resources update to pod template Deployment.apps "web" is invalid: spec.template.spec.containers[0].resources.requests[gpu]: Invalid value: "gpu": must be a standard resource for containers\n',
    });
  });
});

describe('kubectl events (pkg/cmd/events)', () => {
  it('lists the namespace\'s events oldest first, with the kind as written, filtered by --for and --types', () => {
    const sim = createCluster({ seed: 1, nodes: [{ name: 'worker-1' }] });
    run(sim, 'kubectl run one --image=nginx:1.25');
    sim.runUntil(30_000);
    run(sim, 'kubectl delete pod one');
    sim.runUntil(90_000);
    const forPod = run(sim, 'kubectl events --for pod/one');
    expect(forPod.exit).toBe(0);
    const lines = forPod.out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^LAST SEEN +TYPE +REASON +OBJECT +MESSAGE$/);
    expect(lines.slice(1).map((l) => l.split(/ {2,}/)[2])).toEqual(['Scheduled', 'Pulling', 'Pulled', 'Created', 'Started', 'Killing']);
    expect(lines[1]).toMatch(/^90s +Normal +Scheduled +Pod\/one +Successfully assigned default\/one to worker-1$/);
    expect(run(sim, 'kubectl events --types=Warning')).toEqual({ exit: 0, out: 'No events found in default namespace.\n' });
    expect(run(sim, 'kubectl events -A --for node/worker-1').out.split('\n')[0]).toMatch(/^NAMESPACE +LAST SEEN/);
    expect(run(sim, 'kubectl events --types=Info')).toEqual({ exit: 1, out: 'error: valid --types are Normal or Warning\n' });
    expect(run(sim, 'kubectl events --for one')).toEqual({ exit: 1, out: 'error: --for must be in resource/name form\n' });
  });
});

describe('kubectl apply --dry-run', () => {
  it('server: validates and shows the result, stores nothing (new and existing objects)', () => {
    const sim = createCluster({ seed: 1, nodes: [{ name: 'worker-1' }] });
    const cm = (v: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  mode: ${v}\n`;
    expect(runCommand(sim, 'kubectl apply --dry-run=server -f -', { stdin: cm('blue') })).toEqual({ exit: 0, out: 'configmap/settings created (server dry run)\n' });
    expect(run(sim, 'kubectl get configmap settings').exit).toBe(1);
    runCommand(sim, 'kubectl apply -f -', { stdin: cm('blue') });
    expect(runCommand(sim, 'kubectl apply --dry-run=server -f -', { stdin: cm('green') })).toEqual({ exit: 0, out: 'configmap/settings configured (server dry run)\n' });
    expect(run(sim, 'kubectl get configmap settings -o jsonpath={.data.mode}').out).toBe('blue');
  });
});

describe('kubectl cluster-info, api-versions, and real commands Kubeplay does not simulate', () => {
  const cases: [string, number, string][] = [
    ['kubectl cluster-info', 0, "Kubernetes control plane is running at https://kubeplay.local:6443\n\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n"],
    ['kubectl explain pods', 1, "error: kubectl explain is not simulated in Kubeplay: the Editor shows each field's documentation when you hover it\n"],
    ['kubectl port-forward svc/web 8080:80', 1, 'error: kubectl port-forward is not simulated in Kubeplay: nothing outside the simulation can connect to it; kubeplay curl sends requests from inside\n'],
    ['kubectl --namespace', 1, "error: flag needs an argument: --namespace\nSee 'kubectl --help' for usage.\n"],
    ["kubectl get pods -o go-template='{{.kind}}'", 1, 'error: -o go-template is not simulated in Kubeplay: use -o jsonpath=… (the same {.metadata.name} paths, with {range}) or -o custom-columns=…\n'],
    ['kubectl version --client', 0, 'Client Version: v1.32.0\nKustomize Version: v5.5.0\n'],
    ['kubectl describe', 1, 'error: You must specify the type of resource to describe. Use "kubectl api-resources" for a complete list of supported resources.\n'],
    ['kubectl frobnicate', 1, 'error: unknown command "frobnicate" for "kubectl"\nRun \'kubectl --help\' for usage.\n'],
  ];
  for (const [line, exit, out] of cases) it(line, () => expect(run(cluster(), line)).toEqual({ exit, out }));
  it('api-versions lists every group/version, sorted, v1 for the core group', () => {
    const out = run(cluster(), 'kubectl api-versions').out.trimEnd().split('\n');
    expect(out).toEqual([...out].sort());
    expect(out).toEqual(expect.arrayContaining(['apps/v1', 'autoscaling/v1', 'autoscaling/v2', 'v1']));
  });
});

describe('--dry-run stores nothing, whatever the command', () => {
  const lines = [
    'kubectl scale deployment web --replicas=5',
    'kubectl label deployment web tier=fe',
    'kubectl annotate deployment web note=hi',
    'kubectl set image deployment/web nginx=nginx:1.26',
    'kubectl set env deployment/web A=1',
    'kubectl set resources deployment web --requests=cpu=100m',
    'kubectl delete deployment web',
    'kubectl cordon worker-1',
    'kubectl taint nodes worker-1 a=b:NoSchedule',
    'kubectl drain worker-1 --ignore-daemonsets --force',
    'kubectl autoscale deployment web --max=3',
    'kubectl create deployment other --image=nginx:1.25',
    'kubectl expose deployment web --port=81 --name=web2',
  ];
  const world = () => {
    const sim = createCluster({ seed: 1, nodes: [{ name: 'worker-1' }] });
    runCommand(sim, 'kubectl create deployment web --image=nginx:1.25');
    sim.runUntil(20_000);
    return sim;
  };
  const versions = (sim: ReturnType<typeof world>) => sim.store.resourceVersion;
  for (const mode of ['client', 'server'])
    for (const line of lines)
      it(`${line} --dry-run=${mode}`, () => {
        const sim = world();
        const before = versions(sim);
        const r = runCommand(sim, `${line} --dry-run=${mode}`);
        expect(r.exit).toBe(0);
        expect(r.out).toContain(mode === 'client' ? '(dry run)' : '(server dry run)');
        expect(versions(sim)).toBe(before);
      });
});

describe('-o on commands that change objects (PrintFlags)', () => {
  const cases: [string, string][] = [
    ['kubectl scale deployment web --replicas=5 -o name', 'deployment.apps/web\n'],
    ['kubectl label deployment web a=b -o name', 'deployment.apps/web\n'],
    ['kubectl annotate deployment web a=b -o jsonpath={.metadata.annotations.a}', 'b'],
    ['kubectl set image deployment/web nginx=nginx:1.26 -o jsonpath={.spec.template.spec.containers[0].image}', 'nginx:1.26'],
    ['kubectl set env deployment/web A=1 -o name', 'deployment.apps/web\n'],
    ['kubectl set resources deployment web --requests=cpu=100m -o name', 'deployment.apps/web\n'],
    ['kubectl delete deployment web -o name', 'deployment.apps/web\n'],
  ];
  for (const [line, out] of cases)
    it(line, () => {
      const sim = createCluster({ seed: 1, nodes: [{ name: 'worker-1' }] });
      runCommand(sim, 'kubectl create deployment web --image=nginx:1.25');
      expect(runCommand(sim, line)).toEqual({ exit: 0, out });
    });
  it('delete allows only -o name', () => {
    const sim = createCluster({ seed: 1, nodes: [{ name: 'worker-1' }] });
    runCommand(sim, 'kubectl create deployment web --image=nginx:1.25');
    expect(runCommand(sim, 'kubectl delete deployment web -o yaml')).toEqual({ exit: 1, out: "error: Unexpected -o output mode: yaml. We only support '-o name'.\nSee 'kubectl delete -h' for help and examples\n" });
  });
});

describe('kubectl delete --ignore-not-found (DeleteResult ignores NotFound)', () => {
  const cases: [string, number, string][] = [
    ['kubectl delete cm nope', 1, 'Error from server (NotFound): configmaps "nope" not found\n'],
    ['kubectl delete cm nope --ignore-not-found', 0, ''],
    ['kubectl delete cm nope --ignore-not-found=false', 1, 'Error from server (NotFound): configmaps "nope" not found\n'],
    ['kubectl delete deploy web nope --ignore-not-found', 0, 'deployment.apps "web" deleted\n'],
    ['kubectl delete cm -l app=none --ignore-not-found', 0, 'No resources found\n'],
  ];
  for (const [line, exit, out] of cases)
    it(line, () => {
      const sim = createCluster({ seed: 1, nodes: [{ name: 'worker-1' }] });
      runCommand(sim, 'kubectl create deployment web --image=nginx:1.25');
      expect(runCommand(sim, line)).toEqual({ exit, out });
    });
});

describe('kubectl apply of type meta that is not a string: a decode error, not an internal one', () => {
  const cases: [string, string][] = [
    ['apiVersion: {a: 1}\nkind: Pod\nmetadata: {name: x}\n', 'error: unable to decode "STDIN": json: cannot unmarshal object into Go struct field TypeMeta.apiVersion of type string\n'],
    ['apiVersion: v1\nkind: List\nitems: [null]\n', `error: unable to decode "STDIN": Object 'Kind' is missing in 'null'\n`],
    ['apiVersion: v1\nkind: ConfigMap\nmetadata: 5\n', 'error: unable to decode "STDIN": json: cannot unmarshal number into Go struct field .metadata of type v1.ObjectMeta\n'],
    // No name: apply's Get of the live object fails first (resource.Info's String() names what it looked for).
    [
      'apiVersion: batch/v1\nkind: Job\nspec: {template: {spec: {restartPolicy: Never, containers: [{name: c, image: busybox}]}}}\n',
      'error: error when retrieving current configuration of:\nResource: "batch/v1, Resource=jobs", GroupVersionKind: "batch/v1, Kind=Job"\nName: "", Namespace: "default"\nfrom server for: "STDIN": resource name may not be empty\n',
    ],
    ['apiVersion: v1\nkind: Pod\nmetadata: {generateName: web-}\nspec: {containers: [{name: c, image: nginx}]}\n', 'error: from web-: cannot use generate name with apply\n'],
  ];
  for (const [stdin, out] of cases) it(JSON.stringify(stdin), () => expect(runCommand(createCluster({ seed: 1, nodes: [] }), 'kubectl apply -f -', { stdin })).toEqual({ exit: 1, out }));
});

describe('kubectl get -f and describe -f read the objects their manifests name', () => {
  const files = { 'web.yaml': 'apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec: {containers: [{name: c, image: nginx}]}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: gone}\nspec: {ports: [{port: 80}]}\n' };
  it('lists what exists and says NotFound for the rest', () => {
    const sim = createCluster({ seed: 1, nodes: [{ name: 'worker-1' }] });
    runCommand(sim, 'kubectl run web --image=nginx');
    expect(runCommand(sim, 'kubectl get -f web.yaml -o name', { files })).toEqual({ exit: 1, out: 'pod/web\nError from server (NotFound): services "gone" not found\n' });
    expect(runCommand(sim, 'kubectl describe -f web.yaml', { files }).out).toMatch(/^Name: {13}web\nNamespace: {8}default\n[\s\S]*Error from server \(NotFound\): services "gone" not found\n$/);
    expect(runCommand(sim, 'kubectl get -f nope.yaml', { files })).toEqual({ exit: 1, out: 'error: the path "nope.yaml" does not exist\n' });
    // Paths or resource arguments, not both (the resource builder's visitByPaths).
    const both = { exit: 1, out: 'error: when paths, URLs, or stdin is provided as input, you may not specify resource arguments as well\n' };
    for (const line of ['kubectl get pods -f web.yaml', 'kubectl describe pod web -f web.yaml', 'kubectl wait pod/web --for=condition=Ready -f web.yaml', 'kubectl delete pod web -f web.yaml', 'kubectl label pod web a=b -f web.yaml']) expect(runCommand(sim, line, { files })).toEqual(both);
    // label and annotate -f act on what the files name.
    const one = { 'pod.yaml': 'apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec: {containers: [{name: c, image: nginx}]}\n' };
    expect(runCommand(sim, 'kubectl label -f pod.yaml tier=front', { files: one })).toEqual({ exit: 0, out: 'pod/web labeled\n' });
    expect(runCommand(sim, 'kubectl annotate -f pod.yaml note=hi', { files: one })).toEqual({ exit: 0, out: 'pod/web annotated\n' });
    expect(runCommand(sim, 'kubectl get pod web -o jsonpath={.metadata.labels.tier}/{.metadata.annotations.note}').out).toBe('front/hi');
    expect(runCommand(sim, 'kubectl get pod web -o name')).toEqual({ exit: 0, out: 'pod/web\n' });
  });
  it('a URL is fetched, and Kubeplay reaches no network', () => {
    const sim = createCluster({ seed: 1, nodes: [] });
    expect(runCommand(sim, 'kubectl apply -f https://k8s.io/examples/pods/simple-pod.yaml')).toEqual({ exit: 1, out: 'error: Get "https://k8s.io/examples/pods/simple-pod.yaml": dial tcp: lookup k8s.io: no such host\n' });
  });
});

describe('kubectl set serviceaccount, selector and subject; get --ignore-not-found and --show-kind', () => {
  const world = () => {
    const sim = createCluster({ seed: 1, nodes: [{ name: 'worker-1' }] });
    runCommand(sim, 'kubectl create deployment web --image=nginx');
    runCommand(sim, 'kubectl expose deploy web --port=80');
    runCommand(sim, 'kubectl create rolebinding admin --clusterrole=admin --user=alice');
    return sim;
  };
  const cases: [string[], number, string][] = [
    [['kubectl set sa deploy web builder', 'kubectl get deploy web -o jsonpath={.spec.template.spec.serviceAccountName}'], 0, 'deployment.apps/web serviceaccount updated\nbuilder'],
    [['kubectl set selector svc web app=web2,tier=fe', 'kubectl get svc web -o jsonpath={.spec.selector}'], 0, 'service/web selector updated\n{"app":"web2","tier":"fe"}'],
    [['kubectl set subject rolebinding admin --user=bob --user=alice --serviceaccount=default:ci', 'kubectl get rolebinding admin -o jsonpath={.subjects[*].name}'], 0, 'rolebinding.rbac.authorization.k8s.io/admin subjects updated\nalice bob ci'],
    [['kubectl get deploy nope --ignore-not-found'], 0, ''],
    [['kubectl get deploy web nope --ignore-not-found -o name'], 0, 'deployment.apps/web\n'],
    [['kubectl get deploy --show-kind --no-headers -o wide'], 0, 'deployment.apps/web   0/1   0     0     0s    nginx   nginx   app=web\n'],
    [['kubectl get --raw /api'], 1, 'error: kubectl get --raw is not simulated in Kubeplay: the cluster has no HTTP API to request; get the objects by type and name\n'],
  ];
  for (const [lines, exit, out] of cases)
    it(lines.join(' && '), () => {
      const sim = world();
      const results = lines.map((l) => runCommand(sim, l));
      expect(results.at(-1)!.exit).toBe(exit);
      expect(results.map((r) => r.out).join('')).toBe(out);
    });
});

describe('kubectl run --expose, --env and --labels (run.go, parseEnvs, ParseLabels)', () => {
  const cases: [string, number, string][] = [
    ['kubectl run nginx --image=nginx --port=80 --expose', 0, 'service/nginx created\npod/nginx created\n'],
    ['kubectl run a --image=nginx --expose', 1, "error: --port must be set when exposing a service\nSee 'kubectl run -h' for help and examples\n"],
    ['kubectl run b --image=nginx --env=NOEQ', 1, 'error: invalid env: NOEQ\n'],
    ['kubectl run c --image=nginx --labels=,', 1, 'error: invalid label spec: \n'],
  ];
  for (const [line, exit, out] of cases) it(line, () => expect(runCommand(createCluster({ seed: 1, nodes: [{ name: 'worker-1' }] }), line)).toEqual({ exit, out }));
  it('the exposed Service selects the pod', () => {
    const sim = createCluster({ seed: 1, nodes: [{ name: 'worker-1' }] });
    runCommand(sim, 'kubectl run nginx --image=nginx --port=80 --expose');
    sim.runUntil(20_000);
    expect(runCommand(sim, 'kubectl get endpoints nginx -o jsonpath={.subsets[0].ports[0].port}').out).toBe('80');
  });
});

describe('kubectl api-resources -o wide adds VERBS and CATEGORIES', () => {
  it('lists apps/v1', () => {
    const out = runCommand(createCluster({ seed: 1, nodes: [] }), 'kubectl api-resources -o wide --api-group=apps').out.split('\n');
    expect(out[0]).toMatch(/^NAME +SHORTNAMES +APIVERSION +NAMESPACED +KIND +VERBS +CATEGORIES$/);
    expect(out[3]).toMatch(/^deployments +deploy +apps\/v1 +true +Deployment +create,delete,deletecollection,get,list,patch,update,watch +all$/);
  });
  it('--verbs keeps the resources that serve every verb named (the cheat sheet: --verbs=list,get)', () => {
    const names = (line: string) => runCommand(createCluster({ seed: 1, nodes: [] }), line).out.split('\n').filter(Boolean);
    const all = names('kubectl api-resources -o name');
    // The reviews and bindings only create; the rest list and get.
    const createOnly = ['bindings', 'selfsubjectreviews.authentication.k8s.io', 'tokenreviews.authentication.k8s.io', 'localsubjectaccessreviews.authorization.k8s.io', 'selfsubjectaccessreviews.authorization.k8s.io', 'selfsubjectrulesreviews.authorization.k8s.io', 'subjectaccessreviews.authorization.k8s.io'];
    expect(names('kubectl api-resources --verbs=list,get -o name')).toEqual(all.filter((n) => !createOnly.includes(n)));
    // Namespaces are deleted one by one (the registry serves no deletecollection).
    expect(names('kubectl api-resources --verbs=list --verbs=deletecollection -o name')).toEqual(all.filter((n) => n !== 'namespaces' && n !== 'componentstatuses' && !createOnly.includes(n)));
  });
});

describe('kubectl get --sort-by (sorter.go: natural order, quantities, missing fields)', () => {
  const world = () => {
    const sim = createCluster({ seed: 1, nodes: [{ name: 'worker-1' }] });
    for (const [name, mem] of [['web-10', '128Mi'], ['web-9', '64Mi'], ['web-100', '1Gi']]) {
      runCommand(sim, 'kubectl apply -f -', { stdin: `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  mem: ${mem}\n` });
    }
    return sim;
  };
  const cases: [string, number, string][] = [
    ['kubectl get cm --sort-by=.metadata.name -o name', 0, 'configmap/kube-root-ca.crt\nconfigmap/web-9\nconfigmap/web-10\nconfigmap/web-100\n'],
    ['kubectl get cm -l "!nothing" --sort-by=.data.mem -o custom-columns=N:.metadata.name,M:.data.mem --no-headers', 0, 'kube-root-ca.crt   <none>\nweb-9              64Mi\nweb-10             128Mi\nweb-100            1Gi\n'],
    ['kubectl get cm --sort-by=.status.bogus', 1, 'error: couldn\'t find any field with path "{.status.bogus}" in the list of objects\n'],
    ["kubectl get cm --sort-by='{.x'", 1, 'error: unclosed action\n'],
  ];
  for (const [line, exit, out] of cases) it(line, () => expect(runCommand(world(), line)).toEqual({ exit, out }));
});

describe('kubectl annotate and label: wording, overwrite refusals and --list (annotate.go, label.go)', () => {
  const cases: [string, number, string][] = [
    ['kubectl annotate deploy web note=hi', 0, 'deployment.apps/web annotated\n'],
    ['kubectl annotate deploy web note-', 0, 'deployment.apps/web annotated\n'],
    ['kubectl annotate deploy web nothing-', 0, 'deployment.apps/web annotated\n'],
    ['kubectl annotate deploy web note=other a=1', 1, "error: --overwrite is false but found the following declared annotation(s): 'note' already has a value (hi)\n"],
    ['kubectl annotate deploy web kubernetes.io/change-cause=why', 0, 'deployment.apps/web annotated\n'],
    ['kubectl label deploy web app=other', 1, "error: 'app' already has a value (web), and --overwrite is false\n"],
    ['kubectl label deploy web --list', 0, 'app=web\n'],
    ['kubectl annotate deploy --all --list', 0, 'Listing annotations for Deployment.apps/web:\n deployment.kubernetes.io/revision=1\n note=hi\n'],
  ];
  for (const [line, exit, out] of cases)
    it(line, () => {
      const sim = createCluster({ seed: 1, nodes: [{ name: 'worker-1' }] });
      runCommand(sim, 'kubectl create deployment web --image=nginx:1.25');
      sim.runUntil(5_000);
      if (!line.includes('note=hi')) runCommand(sim, 'kubectl annotate deploy web note=hi');
      expect(runCommand(sim, line)).toEqual({ exit, out });
    });
});

describe('kubectl create configmap|secret --from-env-file (AddFromEnvFile)', () => {
  const env = '\uFEFF# settings\nMODE=prod\n\n  LEVEL=debug=2\nEMPTY\r\n';
  const cases: [string, Record<string, string>, number, string][] = [
    ['kubectl create configmap app --from-env-file=app.env -o jsonpath={.data}', { 'app.env': env }, 0, '{"EMPTY":"","LEVEL":"debug=2","MODE":"prod"}'],
    ['kubectl create secret generic app --from-env-file=app.env -o jsonpath={.data.MODE}', { 'app.env': env }, 0, 'cHJvZA=='],
    ['kubectl create configmap app --from-env-file=a.env --from-env-file=b.env', { 'a.env': 'X=1\n', 'b.env': 'X=2\n' }, 1, 'error: cannot add key "X", another key by that name already exists in Data for ConfigMap "app"\n'],
    ['kubectl create configmap app --from-env-file=a.env --from-literal=y=1', { 'a.env': 'X=1\n' }, 1, 'error: from-env-file cannot be combined with from-file or from-literal\n'],
    ['kubectl create configmap app --from-env-file=a.env', { 'a.env': '1X=1\n' }, 1, `error: "1X" is not a valid key name: ${ENV_VAR_NAME_MSG}\n`],
    ['kubectl create configmap app --from-env-file=missing.env', {}, 1, 'error: open missing.env: no such file or directory\n'],
  ];
  for (const [line, files, exit, out] of cases)
    it(line, () => {
      const sim = createCluster({ seed: 1, nodes: [{ name: 'worker-1' }] });
      expect(runCommand(sim, line, { files })).toEqual({ exit, out });
    });
});

describe('kubectl -l is read as the API server reads it (labels.Parse)', () => {
  const world = () => {
    const sim = createCluster({ seed: 1, nodes: [{ name: 'worker-1' }] });
    runCommand(sim, 'kubectl create deployment web --image=nginx --replicas=1');
    runCommand(sim, 'kubectl label deployment web rev=5 tier=');
    sim.runUntil(30_000);
    return sim;
  };
  const cases: [string, number, string][] = [
    ['kubectl get deploy -l "rev>3" -o name', 0, 'deployment.apps/web\n'],
    ['kubectl get deploy -l "rev<3" -o name', 0, 'No resources found in default namespace.\n'],
    // "in ()" is the empty value, which the label tier= has.
    ['kubectl get deploy -l "tier in ()" -o name', 0, 'deployment.apps/web\n'],
    [
      'kubectl get pods -l "app in (web"',
      1,
      `Error from server (BadRequest): Unable to find "/v1, Resource=pods" that match label selector "app in (web", field selector "": unable to parse requirement: found '', expected: ',' or ')'\n`,
    ],
    [
      'kubectl delete deploy -l "app=web tier" --field-selector=metadata.name=web',
      1,
      `Error from server (BadRequest): Unable to find "apps/v1, Resource=deployments" that match label selector "app=web tier", field selector "metadata.name=web": found 'tier', expected: ',' or 'end of string'\n`,
    ],
    ['kubectl top pods -l "!"', 1, "error: unable to parse requirement: found '', expected: identifier\n"],
    ['kubectl drain worker-1 --pod-selector="app in"', 1, 'error: --pod-selector=<pod_selector> must be a valid label selector\n'],
    ['kubectl expose deploy web --port=80 --selector="app in (web)"', 1, 'error: unexpected label spec: app in (web)\n'],
    ['kubectl create pdb web --selector="rev>1" --min-available=1', 1, `error: "gt" isn't a valid label selector operator\n`],
  ];
  for (const [line, exit, out] of cases) it(line, () => expect(runCommand(world(), line)).toEqual({ exit, out }));
  it('drain refuses a bad --pod-selector before it cordons', () => {
    const sim = world();
    runCommand(sim, 'kubectl drain worker-1 --pod-selector="app in"');
    expect(runCommand(sim, 'kubectl get node worker-1 -o jsonpath={.spec.unschedulable}').out).toBe('');
  });
});

describe('kubectl --field-selector selects by the fields the API server has for the kind', () => {
  const world = () => {
    const sim = createCluster({ seed: 1, nodes: [{ name: 'worker-1' }, { name: 'worker-2' }] });
    runCommand(sim, 'kubectl create deployment web --image=nginx --replicas=2');
    sim.runUntil(30_000);
    return sim;
  };
  const cases: [string, number, string][] = [
    ['kubectl get pods --field-selector=spec.nodeName=worker-1,status.phase=Running -o name', 0, 'pod/web-78587765b9-jjb2v\n'],
    // A node's unset spec.unschedulable is "false" in the server's field set.
    ['kubectl get nodes --field-selector=spec.unschedulable=false -o name', 0, 'node/worker-1\nnode/worker-2\n'],
    ['kubectl get rs --field-selector=status.replicas=2 -o name', 0, 'replicaset.apps/web-78587765b9\n'],
    ['kubectl get events --field-selector=reason=Scheduled,involvedObject.name=web-78587765b9-jjb2v -o name', 0, 'event/web-78587765b9-jjb2v.<nanoseconds>'],
    [
      'kubectl get pods --field-selector=metadata.labels=x',
      1,
      'Error from server (BadRequest): Unable to find "/v1, Resource=pods" that match label selector "", field selector "metadata.labels=x": field label not supported: metadata.labels\n',
    ],
    [
      'kubectl delete deploy -l app=web --field-selector=spec.replicas=2',
      1,
      'Error from server (BadRequest): Unable to find "apps/v1, Resource=deployments" that match label selector "app=web", field selector "spec.replicas=2": "spec.replicas" is not a known field selector: only "metadata.name", "metadata.namespace"\n',
    ],
  ];
  for (const [line, exit, out] of cases)
    it(line, () => {
      const r = runCommand(world(), line);
      expect(r.exit).toBe(exit);
      if (line.includes('get events')) expect(r.out).toMatch(/^event\/web-78587765b9-jjb2v\.[0-9a-f]+\n$/);
      else expect(r.out).toBe(out);
    });
});

describe('kubectl top when a kubelet is down (metrics-server cannot scrape it)', () => {
  it('prints the node <unknown>, last, and leaves its pods out', () => {
    const sim = createCluster({ seed: 1, nodes: [{ name: 'worker-1' }, { name: 'worker-2' }] });
    runCommand(sim, 'kubectl create deployment web --image=nginx --replicas=2');
    sim.runUntil(60_000);
    runCommand(sim, 'kubeplay node fail worker-1');
    sim.runUntil(120_000);
    const nodes = runCommand(sim, 'kubectl top nodes --no-headers').out.trim().split('\n');
    expect(nodes.map((l) => l.split(/ +/)[0])).toEqual(['worker-2', 'worker-1']);
    expect(nodes[1].split(/ +/).slice(1, 5)).toEqual(['<unknown>', '<unknown>', '<unknown>', '<unknown>']);
    expect(runCommand(sim, 'kubectl top pods --no-headers').out.trim().split('\n')).toHaveLength(1);
  });
});

describe('kubectl top --sort-by and --containers (metricsutil sorters, metrics_printer.go)', () => {
  const world = () => {
    const sim = createCluster({ seed: 1, nodes: [{ name: 'worker-1' }, { name: 'worker-2' }], images: { 'big:1': { cpu: '300m', memory: '200Mi' } } });
    runCommand(sim, 'kubectl apply -f -', { stdin: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: two\nspec:\n  containers:\n  - name: z\n    image: big:1\n  - name: a\n    image: nginx\n' });
    runCommand(sim, 'kubectl run solo --image=nginx');
    sim.runUntil(60_000);
    return sim;
  };
  const cases: [string, number, string][] = [
    ['kubectl top pods --sort-by=memory', 0, 'NAME   CPU(cores)   MEMORY(bytes)   \ntwo    301m         208Mi           \nsolo   1m           8Mi             \n'],
    ['kubectl top pods --containers', 0, 'POD    NAME   CPU(cores)   MEMORY(bytes)   \nsolo   solo   1m           8Mi             \ntwo    a      1m           8Mi             \ntwo    z      300m         200Mi           \n'],
    ['kubectl top pods -A --containers --sort-by=cpu --no-headers', 0, 'default   two    z      300m   200Mi   \ndefault   two    a      1m     8Mi     \ndefault   solo   solo   1m     8Mi     \n'],
    // --sum: printPodResourcesSum's rule and totals under CPU and memory (columnWidth counts NAMESPACE and POD only with headers).
    ['kubectl top pods --sum', 0, 'NAME   CPU(cores)   MEMORY(bytes)   \nsolo   1m           8Mi             \ntwo    301m         208Mi           \n       ________     ________        \n       302m         216Mi           \n'],
    ['kubectl top pods -A --containers --sum', 0, 'NAMESPACE   POD    NAME   CPU(cores)   MEMORY(bytes)   \ndefault     solo   solo   1m           8Mi             \ndefault     two    a      1m           8Mi             \ndefault     two    z      300m         200Mi           \n                          ________     ________        \n                          302m         216Mi           \n'],
    // With --no-headers the totals sit one column left of CPU and memory, as kubectl's do.
    ['kubectl top pods -A --sum --no-headers', 0, 'default   solo       1m         8Mi     \ndefault   two        301m       208Mi   \n          ________   ________   \n          302m       216Mi      \n'],
    ['kubectl top pods --sort-by=name', 1, 'error: --sort-by accepts only cpu or memory\n'],
    ['kubectl top nodes --sort-by=cpu --no-headers', 0, 'worker-1   301m   7%    208Mi   2%    \nworker-2   1m     0%    8Mi     0%    \n'],
  ];
  for (const [line, exit, out] of cases) it(line, () => expect(runCommand(world(), line)).toEqual({ exit, out }));
});

describe('kubectl logs --timestamps, --since, --prefix, --all-containers', () => {
  // A pod whose two containers start at 2 s and print their lines then (simulated containers log at start).
  const world = () => {
    const sim = createCluster({ seed: 1, nodes: [{ name: 'worker-1' }], images: { 'app:1': { logs: ['ready', 'serving'] }, 'side:1': { logs: ['tailing'] } } });
    runCommand(sim, 'kubectl apply -f -', {
      stdin: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\nspec:\n  containers:\n    - name: app\n      image: app:1\n    - name: side\n      image: side:1\n',
    });
    sim.runUntil(30_000);
    return sim;
  };
  const cases: [string, number, string][] = [
    ['kubectl logs app -c app --timestamps', 0, '2025-01-01T00:00:02Z ready\n2025-01-01T00:00:02Z serving\n'],
    ['kubectl logs app -c app --since=1m', 0, 'ready\nserving\n'],
    ['kubectl logs app -c app --since=10s', 0, ''],
    ['kubectl logs app -c app --since-time=2025-01-01T00:00:01Z', 0, 'ready\nserving\n'],
    ['kubectl logs app -c app --since=10', 1, 'error: invalid argument "10" for "--since" flag: time: missing unit in duration "10"\nSee \'kubectl logs --help\' for usage.\n'],
    ['kubectl logs app -c app --since=1e99s', 1, 'error: invalid argument "1e99s" for "--since" flag: time: unknown unit "e" in duration "1e99s"\nSee \'kubectl logs --help\' for usage.\n'],
    ['kubectl logs app --all-containers --prefix', 0, '[pod/app/app] ready\n[pod/app/app] serving\n[pod/app/side] tailing\n'],
    ['kubectl logs app --all-containers -c app', 1, 'error: --container cannot be used with --all-containers\n'],
    // LogsOptions.Complete: POD CONTAINER, the second word over -c (the docs' `kubectl logs counter count-log-1`).
    ['kubectl logs app side', 0, 'tailing\n'],
    ['kubectl logs app side -c app', 0, 'tailing\n'],
    ['kubectl logs app nope', 1, 'error: container nope is not valid for pod app\n'],
    ['kubectl logs app side extra', 1, "error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command\nSee 'kubectl logs -h' for help and examples\n"],
  ];
  for (const [line, exit, out] of cases) it(line, () => expect(run(world(), line)).toEqual({ exit, out }));
});

describe('kubectl create job and create cronjob (pkg/cmd/create)', () => {
  it('makes the objects kubectl makes, and a job from a cronjob as the controller would', () => {
    const sim = createCluster({ seed: 1, nodes: [{ name: 'worker-1' }], images: { 'busybox:1.36': { runSeconds: 3 } } });
    expect(run(sim, 'kubectl create job hello --image=busybox:1.36 -- echo hi')).toEqual({ exit: 0, out: 'job.batch/hello created\n' });
    expect(run(sim, 'kubectl get job hello -o jsonpath={.spec.template.spec.restartPolicy}/{.spec.template.spec.containers[0].command}').out).toBe('Never/["echo","hi"]');
    expect(run(sim, 'kubectl create cronjob tick --image=busybox:1.36 --schedule="*/1 * * * *" -- date')).toEqual({ exit: 0, out: 'cronjob.batch/tick created\n' });
    expect(run(sim, 'kubectl create job now --from=cronjob/tick')).toEqual({ exit: 0, out: 'job.batch/now created\n' });
    expect(run(sim, 'kubectl get job now -o jsonpath={.metadata.annotations}/{.metadata.ownerReferences[0].kind}').out).toBe('{"cronjob.kubernetes.io/instantiate":"manual"}/CronJob');
    sim.runUntil(150_000);
    expect(run(sim, "kubectl get jobs -o jsonpath='{range .items[*]}{.metadata.name}={.status.succeeded} {end}'").out).toMatch(/^hello=1 now=1 tick-\d+=1 tick-\d+=1 $/);
  });
  const errors: [string, string][] = [
    ['kubectl create job x', 'error: either --image or --from must be specified\n'],
    ['kubectl create job x --image=a --from=cronjob/c', 'error: either --image or --from must be specified\n'],
    ['kubectl create job x --from=cronjob/c -- date', 'error: cannot specify --from and command\n'],
    ['kubectl create job x --from=cronjob/nope', 'Error from server (NotFound): cronjobs.batch "nope" not found\n'],
    ['kubectl create cronjob c --image=a', 'error: --schedule must be specified\n'],
    ['kubectl create cronjob c --schedule="* * * * *"', 'error: --image must be specified\n'],
  ];
  for (const [line, out] of errors) it(line, () => expect(run(createCluster({ seed: 1, nodes: [{ name: 'worker-1' }] }), line)).toEqual({ exit: 1, out }));
});

describe('rolloutStatus', () => {
  const base = deployment('web') as Deployment;
  const with_ = (gen: number, spec: number, status: Deployment['status']): Deployment => ({ ...base, metadata: { ...base.metadata, generation: gen }, spec: { ...base.spec, replicas: spec }, status });
  const cases: [string, Deployment, boolean, string][] = [
    ['not observed', with_(2, 3, { observedGeneration: 1 }), false, 'Waiting for deployment spec update to be observed...'],
    ['updating', with_(2, 3, { observedGeneration: 2, updatedReplicas: 1, replicas: 4 }), false, 'Waiting for deployment "web" rollout to finish: 1 out of 3 new replicas have been updated...'],
    ['old pending', with_(2, 3, { observedGeneration: 2, updatedReplicas: 3, replicas: 4 }), false, 'Waiting for deployment "web" rollout to finish: 1 old replicas are pending termination...'],
    ['availability', with_(2, 3, { observedGeneration: 2, updatedReplicas: 3, replicas: 3, availableReplicas: 1 }), false, 'Waiting for deployment "web" rollout to finish: 1 of 3 updated replicas are available...'],
    ['done', with_(2, 3, { observedGeneration: 2, updatedReplicas: 3, replicas: 3, availableReplicas: 3 }), true, 'deployment "web" successfully rolled out'],
  ];
  for (const [name, d, done, line] of cases) it(name, () => expect(rolloutStatus(d)).toEqual({ done, line }));
  it('exits 1 with the waiting line when not done', () => {
    const sim = cluster();
    const d = sim.store.get<Deployment>('Deployment', 'default', 'web')!;
    d.status.updatedReplicas = 1;
    expect(run(sim, 'kubectl rollout status deploy/web')).toEqual({ exit: 1, out: 'Waiting for deployment "web" rollout to finish: 1 out of 3 new replicas have been updated...\n' });
    // --watch=false asks for where it is, not for a wait: it succeeds.
    expect(run(sim, 'kubectl rollout status deploy/web --watch=false')).toEqual({ exit: 0, out: 'Waiting for deployment "web" rollout to finish: 1 out of 3 new replicas have been updated...\n' });
  });
  it('progress deadline exceeded is an error', () => {
    const sim = cluster();
    const d = sim.store.get<Deployment>('Deployment', 'default', 'web')!;
    d.status.conditions = [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }];
    expect(run(sim, 'kubectl rollout status deploy/web')).toEqual({ exit: 1, out: 'error: deployment "web" exceeded its progress deadline\n' });
  });
});

describe('drain', () => {
  it('refuses unmanaged pods without --force', () => {
    expect(run(cluster(), 'kubectl drain worker-1')).toEqual({
      exit: 1,
      out: 'node/worker-1 cordoned\nerror: unable to drain node "worker-1" due to error: cannot delete Pods that declare no controller (use --force to override): default/bare, continuing command...\nThere are pending nodes to be drained:\n worker-1\ncannot delete Pods that declare no controller (use --force to override): default/bare\n',
    });
  });
  it('evicts with --force', () => {
    const sim = cluster();
    expect(run(sim, 'kubectl drain worker-1 --force --ignore-daemonsets')).toEqual({
      exit: 0,
      out: 'node/worker-1 cordoned\nWarning: deleting Pods that declare no controller: default/bare\nevicting pod default/bare\nevicting pod default/web-bbb-x1\npod/bare evicted\npod/web-bbb-x1 evicted\nnode/worker-1 drained\n',
    });
    expect(sim.store.count('Pod')).toBe(0);
  });
  it('checks local storage before the controller, and names each pod under the last filter that kept it (filters.go)', () => {
    const sim = cluster();
    const bare = sim.store.get<Pod>('Pod', 'default', 'bare')!;
    bare.spec.volumes = [{ name: 's', emptyDir: {} }];
    sim.store.update(bare);
    expect(run(sim, 'kubectl drain worker-1').out).toContain('\ncannot delete Pods with local storage (use --delete-emptydir-data to override): default/bare\n');
    expect(run(sim, 'kubectl drain worker-1 --delete-emptydir-data --force').out).toContain('\nWarning: deleting Pods that declare no controller: default/bare\n');
  });
});

describe('logs, exec and modules', () => {
  const withKubelet = () => {
    const sim = cluster();
    sim.services.set('kubelet', {
      logs: () => 'line 1\nline 2\nline 3\n',
      execEnv: () => ({ HOSTNAME: 'web-bbb-x1', WEB_SERVICE_HOST: '10.96.0.10' }),
      failNode: (n: string) => sim.store.get<any>('Node', undefined, n)!.status.conditions[0].status = 'Unknown',
      recoverNode: () => undefined,
    });
    return sim;
  };
  const cases: [string, number, string][] = [
    ['kubectl logs web-bbb-x1', 0, 'line 1\nline 2\nline 3\n'],
    ['kubectl logs web-bbb-x1 --tail=1', 0, 'line 3\n'],
    ['kubectl logs deploy/web', 0, 'line 1\nline 2\nline 3\n'],
    ['kubectl logs web-bbb-x1 -p', 1, 'Error from server (BadRequest): previous terminated container "web" in pod "web-bbb-x1" not found\n'],
    ['kubectl exec web-bbb-x1 -- env', 0, 'HOSTNAME=web-bbb-x1\nWEB_SERVICE_HOST=10.96.0.10\n'],
    ['kubectl exec web-bbb-x1 -- printenv WEB_SERVICE_HOST', 0, '10.96.0.10\n'],
    ['kubeplay node fail worker-1', 0, 'node/worker-1 failed: its kubelet stopped posting status\n'],
    ['kubeplay node fail nope', 1, 'Error from server (NotFound): nodes "nope" not found\n'],
    ['kubeplay image set nginx:1.25 crashAfterSeconds=30 pullError=true', 0, 'image/nginx:1.25 updated: crashAfterSeconds=30 pullError=true\n'],
    ['kubeplay image set nginx bogus=1', 1, 'error: unknown image behaviour field "bogus" (known: startupSeconds, pullSeconds, pullError, crashAfterSeconds, exitCode, runSeconds, shutdownSeconds, memory, cpu, cpuPerRps, memoryPerRps, errorRate, latencyMs, latencyJitterMs, readinessFailAfterSeconds, livenessFailAfterSeconds, logs)\n'],
    // The ranges spec.images has: a rate is at most 1, a time at most 30 days, an exit code a byte.
    ['kubeplay image set nginx errorRate=5', 1, 'error: errorRate must be between 0 and 1, inclusive, got "5"\n'],
    ['kubeplay image set nginx crashAfterSeconds=1e300', 1, 'error: crashAfterSeconds must be between 0 and 2592000, inclusive, got "1e300"\n'],
    ['kubeplay image set nginx exitCode=1.5', 1, 'error: exitCode must be an integer, got "1.5"\n'],
    ['kubeplay image set nginx memory=lots', 1, 'error: memory must be a quantity like 250m, 1, 128Mi, got "lots"\n'],
    ['kubeplay frobnicate', 1, "error: unknown command \"frobnicate\" for \"kubeplay\"\nRun 'kubeplay help' for usage.\n"],
  ];
  for (const [line, exit, out] of cases) it(line, () => expect(run(withKubelet(), line)).toEqual({ exit, out }));
  it('kubeplay image set changes sim.images', () => {
    const sim = withKubelet();
    run(sim, 'kubeplay image set shop:v2 startupSeconds=5 memory=256Mi');
    expect(sim.images['shop:v2']).toEqual({ startupSeconds: 5, memory: '256Mi' });
  });
  it('a missing module is a clear error', () => {
    expect(run(cluster(), 'kubectl logs web-bbb-x1')).toEqual({ exit: 1, out: "error: the kubelet is not available: the engine module 'kubelet' is not installed\n" });
  });
  it('unexpected exceptions become error: internal', () => {
    const sim = cluster();
    sim.services.set('kubelet', { logs: () => { throw new Error('boom'); } });
    expect(run(sim, 'kubectl logs web-bbb-x1')).toEqual({ exit: 1, out: 'error: internal: boom\n' });
  });
  it('help lists commands', () => {
    const r = run(cluster(), 'kubectl help');
    expect(r.exit).toBe(0);
    expect(r.out).toContain('  rollout');
    expect(run(cluster(), 'kubeplay help').out).toContain('kubeplay node fail NAME');
  });
});

describe('get output options', () => {
  const cases: [string, string][] = [
    ['kubectl get pods -o custom-columns=NAME:.metadata.name,NODE:.spec.nodeName,IMG:.spec.containers[*].image', 'NAME         NODE       IMG\nbare         worker-1   nginx:1.25\nweb-bbb-x1   worker-1   nginx:1.25\n'],
    ['kubectl get pods -o custom-columns=NAME:metadata.name,MISSING:.status.nominatedNodeName', 'NAME         MISSING\nbare         <none>\nweb-bbb-x1   <none>\n'],
    // --no-headers drops the header row; values print as fmt.Sprint does (maps as map[k:v], strings unsplit).
    ['kubectl get pods -o custom-columns=NAME:.metadata.name,LABELS:.metadata.labels --no-headers', 'bare         map[run:bare]\nweb-bbb-x1   map[app:web pod-template-hash:bbb]\n'],
    ['kubectl get svc web -o custom-columns=PORTS:.spec.ports[*].port,SEL:.spec.selector.app', 'PORTS   SEL\n80      web\n'],
    ["kubectl get pods bare -o custom-columns='NAME:.metadata.name,PHRASE:.metadata.name'", 'NAME   PHRASE\nbare   bare\n'],
    ['kubectl get pods -o jsonpath-as-json={.items[*].metadata.name}', '[\n    "bare",\n    "web-bbb-x1"\n]\n'],
    ['kubectl get pods --field-selector metadata.name=bare -o name', 'pod/bare\n'],
    ['kubectl get pods --field-selector spec.nodeName!=worker-1', 'No resources found in default namespace.\n'],
    ['kubectl get rs --sort-by=.spec.replicas -o name', 'replicaset.apps/web-aaa\nreplicaset.apps/web-bbb\n'],
    ['kubectl get rs --sort-by=.metadata.name --no-headers', 'web-aaa   0     0     0     75s\nweb-bbb   3     3     3     75s\n'],
  ];
  for (const [line, out] of cases) it(line, () => expect(run(cluster(), line)).toEqual({ exit: 0, out }));
});

describe('kubeplay trace formatting', () => {
  it('renders filters and scores', async () => {
    const { formatTrace } = await import('./kubeplay.ts');
    const out = formatTrace({
      pod: 'default/web-1',
      at: 0,
      result: 'Scheduled',
      node: 'b',
      numAllNodes: 3,
      evaluatedNodes: 3,
      feasibleNodes: 2,
      startIndex: 0,
      filters: [{ node: 'a', plugin: 'NodeResourcesFit', code: 'Unschedulable', reasons: ['Insufficient cpu'] }],
      skippedFilterPlugins: [],
      skippedScorePlugins: [],
      scores: [
        { node: 'b', total: 395, plugins: [{ plugin: 'TaintToleration', raw: 0, normalized: 100, weight: 3, weighted: 300 }, { plugin: 'NodeResourcesFit', raw: 95, normalized: 95, weight: 1, weighted: 95 }] },
        { node: 'c', total: 392, plugins: [{ plugin: 'TaintToleration', raw: 0, normalized: 100, weight: 3, weighted: 300 }, { plugin: 'NodeResourcesFit', raw: 92, normalized: 92, weight: 1, weighted: 92 }] },
      ],
    });
    expect(out).toBe(
      'Pod:      default/web-1\nResult:   Scheduled on b\nNodes:    3 in cluster, 3 evaluated, 2 feasible\n\nNODE   FILTER             REASONS\na      NodeResourcesFit   Insufficient cpu\n\nNODE   SCORE   TaintToleration   NodeResourcesFit\nb      395     100x3             95x1\nc      392     100x3             92x1\n',
    );
  });
});

describe('kubectl create ingress, quota, pdb, priorityclass and secret docker-registry/tls (create_*.go)', () => {
  const sim = createCluster({ seed: 1, nodes: [{ name: 'worker-1' }] });
  const json = (line: string) => JSON.parse(run(sim, line).out);
  it.each([
    ['kubectl create ingress simple --rule="foo.com/bar=svc1:8080,tls=my-cert"', 0, 'ingress.networking.k8s.io/simple created\n'],
    ['kubectl create ingress bad --rule="foo.com=svc:80"', 1, 'error: rule foo.com=svc:80 is invalid and should be in format host/path=svcname:svcport[,tls[=secret]]\n'],
    ['kubectl create ingress none', 1, 'error: not enough information provided: every ingress has to either specify a default-backend (which catches all traffic) or a list of rules (which catch specific paths)\n'],
    ['kubectl create ingress db --default-backend=web', 1, 'error: default-backend should be in format servicename:serviceport\n'],
    ['kubectl create quota q --hard=cpu=1,memory=1G,pods=2', 0, 'resourcequota/q created\n'],
    ['kubectl create quota q2 --hard=cpu', 1, 'error: invalid argument syntax cpu, expected <resource>=<value>\n'],
    // ValidateResourceQuotaSpec: scopes, and the values
    ['kubectl create quota q3 --scopes=Foo --hard=pods=1', 1, 'The ResourceQuota "q3" is invalid: spec.scopes: Invalid value: []core.ResourceQuotaScope{"Foo"}: unsupported scope\n'],
    ['kubectl create quota q3 --hard=cpu=1 --scopes=BestEffort', 1, 'The ResourceQuota "q3" is invalid: spec.scopes: Invalid value: []core.ResourceQuotaScope{"BestEffort"}: unsupported scope applied to resource\n'],
    ['kubectl create quota q3 --hard=pods=2 --scopes=BestEffort,NotBestEffort', 1, 'The ResourceQuota "q3" is invalid: spec.scopes: Invalid value: []core.ResourceQuotaScope{"BestEffort", "NotBestEffort"}: conflicting scopes\n'],
    ['kubectl create quota q3 --hard=pods=1.5', 1, 'The ResourceQuota "q3" is invalid: spec.hard[pods]: Invalid value: "1.5": must be an integer\n'],
    ['kubectl create quota q3 --hard=cpu=-1', 1, 'The ResourceQuota "q3" is invalid: spec.hard[cpu]: Invalid value: "-1": must be greater than or equal to 0\n'],
    ['kubectl create quota q3 --hard=pods=1 --scopes=BestEffort', 0, 'resourcequota/q3 created\n'],
    ['kubectl create pdb web --selector=app=web --min-available=50%', 0, 'poddisruptionbudget.policy/web created\n'],
    ['kubectl create pdb web2 --min-available=1', 1, 'error: a selector must be specified\n'],
    ['kubectl create pdb web2 --selector=app=web', 1, 'error: one of min-available or max-unavailable must be specified\n'],
    ['kubectl create pdb web2 --selector=app=web --min-available=1 --max-unavailable=1', 1, 'error: min-available and max-unavailable cannot be both specified\n'],
    ['kubectl create pdb web2 --selector=app=web --max-unavailable=10Gb', 1, 'error: invalid format specified for max-unavailable\n'],
    ['kubectl create priorityclass high --value=1000 --description="high priority"', 0, 'priorityclass.scheduling.k8s.io/high created\n'],
    ['kubectl create secret docker-registry reg --docker-username=u --docker-password=p', 0, 'secret/reg created\n'],
    ['kubectl create secret docker-registry reg2 --docker-username=u', 1, 'error: either --from-file or the combination of --docker-username, --docker-password and --docker-server is required\n'],
    ['kubectl create secret tls t --cert=tls.crt --key=tls.key', 1, 'error: open tls.crt: no such file or directory\n'],
  ])('%s', (line, exit, out) => expect(run(sim, line)).toEqual({ exit, out }));

  it('builds the objects as kubectl does', () => {
    expect(json('kubectl create ingress ingtls --class=nginx --rule="foo.com/=svc:https,tls" --rule="foo.com/path/subpath*=othersvc:8080" --rule="/api=api:80" -o json --dry-run=client').spec).toEqual({
      ingressClassName: 'nginx',
      tls: [{ hosts: ['foo.com'] }],
      rules: [
        { host: 'foo.com', http: { paths: [{ path: '/', pathType: 'Exact', backend: { service: { name: 'svc', port: { name: 'https' } } } }, { path: '/path/subpath', pathType: 'Prefix', backend: { service: { name: 'othersvc', port: { number: 8080 } } } }] } },
        { http: { paths: [{ path: '/api', pathType: 'Exact', backend: { service: { name: 'api', port: { number: 80 } } } }] } },
      ],
    });
    expect(json('kubectl get pdb web -o json').spec).toEqual({ selector: { matchLabels: { app: 'web' } }, minAvailable: '50%' });
    expect(json('kubectl get quota q -o json').spec).toEqual({ hard: { cpu: '1', memory: '1G', pods: '2' } });
    expect(json('kubectl get pc high -o json')).toMatchObject({ value: 1000, globalDefault: false, description: 'high priority', preemptionPolicy: 'PreemptLowerPriority' });
    const reg = json('kubectl get secret reg -o json');
    expect(reg.type).toBe('kubernetes.io/dockerconfigjson');
    expect(JSON.parse(atob(reg.data['.dockerconfigjson']))).toEqual({ auths: { 'https://index.docker.io/v1/': { username: 'u', password: 'p', auth: btoa('u:p') } } });
  });

  it('create secret tls reads a PEM pair from the files given', () => {
    const pem = (what: string) => `-----BEGIN ${what}-----\nMIIB\n-----END ${what}-----\n`;
    const files = { 'tls.crt': pem('CERTIFICATE'), 'tls.key': pem('PRIVATE KEY'), 'bad.crt': 'not pem' };
    expect(run(sim, 'kubectl create secret tls t --cert=tls.crt --key=tls.key', { files }).out).toBe('secret/t created\n');
    expect(json('kubectl get secret t -o json')).toMatchObject({ type: 'kubernetes.io/tls', data: { 'tls.crt': btoa(files['tls.crt']), 'tls.key': btoa(files['tls.key']) } });
    expect(run(sim, 'kubectl create secret tls t2 --cert=bad.crt --key=tls.key', { files }).out).toBe('error: failed to load key pair tls: failed to find any PEM data in certificate input\n');
    // --from-file for generic and docker-registry secrets, as for configmaps
    const cfg = '{"auths":{}}';
    expect(run(sim, 'kubectl create secret docker-registry r3 --from-file=.dockerconfigjson=cfg.json', { files: { 'cfg.json': cfg } }).out).toBe('secret/r3 created\n');
    expect(json('kubectl get secret r3 -o json').data).toEqual({ '.dockerconfigjson': btoa(cfg) });
    expect(run(sim, 'kubectl create secret generic g --from-file=tls.crt --from-literal=a=1', { files }).out).toBe('secret/g created\n');
    expect(Object.keys(json('kubectl get secret g -o json').data)).toEqual(['a', 'tls.crt']);
  });
});
