import { describe, expect, it } from 'vitest';
import { createCluster } from '../../cluster.ts';
import { runCommand } from '../index.ts';

const MANIFESTS = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: nginx:1.25}]}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80}]
---
apiVersion: v1
kind: ConfigMap
metadata: {name: app-config}
data: {mode: blue}
---
apiVersion: v1
kind: Pod
metadata: {name: box}
spec:
  containers:
    - name: box
      image: busybox:1.36
      command: [sh, -c, 'i=0; while true; do i=$((i+1)); echo "tick $i"; sleep 10; done']
      env: [{name: GREETING, value: hello}]
      volumeMounts: [{name: config, mountPath: /etc/config}]
  volumes: [{name: config, configMap: {name: app-config}}]
---
apiVersion: batch/v1
kind: Job
metadata: {name: hello}
spec:
  template:
    spec:
      restartPolicy: Never
      containers: [{name: c, image: busybox:1.36, command: [sh, -c, 'echo "Hello world!" && sleep 5 && exit 0']}]
`;

function cluster() {
  const sim = createCluster({ seed: 2, nodes: [{ name: 'worker-1' }], images: { 'busybox:1.36': { pullSeconds: 1, startupSeconds: 1 } } });
  const r = runCommand(sim, 'kubectl apply -f -', { stdin: MANIFESTS });
  expect(r.exit, r.out).toBe(0);
  sim.runFor(40_000);
  return sim;
}

/** SIMULATED: how exec's "not simulated" message starts. */
const SIMULATED =
  "kubeplay: containers are simulated; exec runs the shell and its common utilities (sh -c, echo, printf, env, cat, ls, grep, wc, head, tail, sort, uniq, cut, awk, sed, tr, xargs, base64, date, hostname, test, seq, sleep, curl, wget -qO-, nslookup …) on the container's volumes and what its processes and kubectl exec wrote";

describe('kubectl exec runs command lines in the simulated shell; kubectl logs prints what the command printed', () => {
  const sim = cluster();
  const cases: [line: string, exit: number, out: string][] = [
    [`kubectl exec box -- sh -c 'echo "$GREETING from $(hostname), mode $(cat /etc/config/mode)"'`, 0, 'hello from box, mode blue\n'],
    ['kubectl exec box -- echo hi there', 0, 'hi there\n'],
    [`kubectl exec box -- sh -c "cat /etc/resolv.conf | awk '/^nameserver/ {print \\$2}'"`, 0, '10.96.0.10\n'],
    // The files the kubelet puts in every container: /etc/resolv.conf (ClusterFirst), the service account's namespace.
    ['kubectl exec box -- cat /etc/resolv.conf', 0, 'search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n'],
    [`kubectl exec box -- sh -c 'echo "ns=$(cat /var/run/secrets/kubernetes.io/serviceaccount/namespace)"'`, 0, 'ns=default\n'],
    ['kubectl exec box -- date +%T', 0, '00:00:40\n'],
    [`kubectl exec box -- sh -c 'test -f /etc/config/mode && echo present'`, 0, 'present\n'],
    [`kubectl exec box -- sh -c 'exit 3'`, 3, 'command terminated with exit code 3\n'],
    ['kubectl exec box -- ping web', 126, `${SIMULATED}, not "ping"\ncommand terminated with exit code 126\n`],
    // The image's own directories exist, but their contents are not simulated; /etc/hostname is the kubelet's.
    ['kubectl exec box -- ls /etc', 126, `${SIMULATED}, but not ls /etc (what the image holds there)\ncommand terminated with exit code 126\n`],
    ['kubectl exec box -- ls', 126, `${SIMULATED}, but not ls / (what the image holds there)\ncommand terminated with exit code 126\n`],
    ['kubectl exec box -- cat /etc', 1, 'cat: /etc: Is a directory\ncommand terminated with exit code 1\n'],
    ['kubectl exec box -- cat /etc/hostname', 0, 'box\n'],
    // A file the image may hold is not known rather than missing; in the empty /tmp, a missing file is missing.
    ['kubectl exec box -- cat /etc/nginx/nginx.conf', 126, `${SIMULATED}, but not cat /etc/nginx/nginx.conf (what the image holds there)\ncommand terminated with exit code 126\n`],
    ['kubectl exec box -- cat server.js', 126, `${SIMULATED}, but not cat server.js (what the image holds there)\ncommand terminated with exit code 126\n`],
    ['kubectl exec box -- cat /tmp/nothing', 1, 'cat: /tmp/nothing: No such file or directory\ncommand terminated with exit code 1\n'],
    ['kubectl exec -it box -- sh', 1, "kubeplay: an interactive shell is not simulated; run one command at a time instead, e.g. kubectl exec box -- sh -c 'hostname; cat /etc/resolv.conf'\n"],
    ['kubectl exec box env', 1, "error: exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead\nSee 'kubectl exec -h' for help and examples\n"],
    ['kubectl exec job/hello -- ls', 1, 'error: cannot exec into a container in a completed pod; current phase is Succeeded\n'],
    ['kubectl exec box -- sleep infinity', 130, 'kubeplay: the command was still running after 30s of simulated time and was stopped\ncommand terminated with exit code 130\n'],
    ['kubectl logs box', 0, 'tick 1\ntick 2\ntick 3\ntick 4\n'],
    ['kubectl logs box --tail=1 --timestamps', 0, '2025-01-01T00:00:31Z tick 4\n'],
    ['kubectl logs box --since=25s', 0, 'tick 3\ntick 4\n'],
    ['kubectl logs job/hello', 0, 'Hello world!\n'],
    ['kubectl get job hello -o jsonpath={.status.succeeded}', 0, '1'],
  ];
  for (const [line, exit, out] of cases) it(line, () => expect(runCommand(sim, line)).toEqual({ exit, out }));

  it("hostname -i prints the pod's IP, from the /etc/hosts line the kubelet writes", () => {
    const ip = runCommand(sim, 'kubectl get pod box -o jsonpath={.status.podIP}').out;
    expect(runCommand(sim, 'kubectl exec box -- hostname -i')).toEqual({ exit: 0, out: `${ip}\n` });
  });

  it('wget -qO- and nslookup reach Services from inside the pod (busybox has no curl)', () => {
    const ip = runCommand(sim, 'kubectl get svc web -o jsonpath={.spec.clusterIP}').out;
    expect(runCommand(sim, 'kubectl exec box -- nslookup web').out).toBe(`Server:\t\t10.96.0.10\nAddress:\t10.96.0.10#53\n\nName:\tweb.default.svc.cluster.local\nAddress: ${ip}\n`);
    expect(runCommand(sim, 'kubectl exec box -- wget -qO- http://web').out).toMatch(/^GET \/ served by web-\w+-\w{5}/);
    expect(runCommand(sim, `kubectl exec box -- sh -c 'curl -s web.default.svc.cluster.local >/dev/null && echo reachable'`)).toEqual({ exit: 127, out: 'sh: curl: not found\ncommand terminated with exit code 127\n' });
    expect(runCommand(sim, 'kubectl exec box -- curl -s web').out).toMatch(/^error: Internal error occurred: error executing command in container: failed to exec in container: failed to start exec "[0-9a-f]{64}": OCI runtime exec failed: exec failed: unable to start container process: exec: "curl": executable file not found in \$PATH: unknown\n$/);
    expect(runCommand(sim, 'kubectl exec box -- wget -q -O - http://nope')).toEqual({ exit: 1, out: "wget: bad address 'nope'\ncommand terminated with exit code 1\n" });
    // busybox wget --spider, the NetworkPolicy docs' check: where it connects, then whether the file is there.
    expect(runCommand(sim, 'kubectl exec box -- wget --spider --timeout=1 web')).toEqual({ exit: 0, out: `Connecting to web (${ip}:80)\nremote file exists\n` });
    expect(runCommand(sim, 'kubectl exec box -- wget -q --spider web')).toEqual({ exit: 0, out: '' });
  });
});

describe('kubectl logs of a generic server image', () => {
  it('names the port the container declares', () => {
    const sim = createCluster({ seed: 2, nodes: [{ name: 'worker-1' }], images: { 'postgres:16': { pullSeconds: 1, startupSeconds: 1 } } });
    runCommand(sim, 'kubectl run db --image=postgres:16 --port=5432');
    sim.runFor(10_000);
    expect(runCommand(sim, 'kubectl logs db').out).toBe('2025-01-01T00:00:01Z INFO starting postgres on db\n2025-01-01T00:00:01Z INFO listening on :5432\n');
  });
});

describe('kubectl run with and without a terminal', () => {
  it('-it keeps stdin open so a bare shell waits; without it the shell exits at once', () => {
    const sim = createCluster({ seed: 2, nodes: [{ name: 'worker-1' }], images: { busybox: { pullSeconds: 1, startupSeconds: 1 } } });
    expect(runCommand(sim, 'kubectl run x --image=busybox --attach=false -it --dry-run=client -o yaml -- sh').out).toContain(
      '    resources: {}\n    stdin: true\n    stdinOnce: true\n    tty: true\n  dnsPolicy: ClusterFirst\n  restartPolicy: OnFailure\n',
    );
    expect(runCommand(sim, 'kubectl run shell --image=busybox -it -- sh').out).toBe(
      "pod/shell created\nkubeplay: the terminal does not attach to containers: see what shell prints with kubectl logs shell, or run a command in it with kubectl exec shell -- sh -c '…'\n",
    );
    runCommand(sim, 'kubectl run once --image=busybox --restart=Never');
    sim.runFor(30_000);
    expect(runCommand(sim, 'kubectl get pods').out).toBe('NAME    READY   STATUS      RESTARTS   AGE\nonce    0/1     Completed   0          30s\nshell   1/1     Running     0          30s\n');
  });

  it.each([
    ['kubectl run x --image=busybox --rm -- sh', 'error: --rm should only be used for attached containers'],
    ['kubectl run x --image=busybox -t -- sh', 'error: -i/--stdin is required for containers with -t/--tty=true'],
    ['kubectl run x --image=busybox -i --dry-run=client -o yaml', "error: --dry-run=[server|client] can't be used with attached containers options (--attach, --stdin, or --tty)"],
    ['kubectl run x --image=busybox --restart=Sometimes', 'error: invalid restart policy: Sometimes'],
  ])('refuses %s as kubectl does (RunOptions.Run)', (line, err) => {
    const sim = createCluster({ seed: 2, nodes: [{ name: 'worker-1' }] });
    expect(runCommand(sim, line)).toEqual({ exit: 1, out: `${err}\nSee 'kubectl run -h' for help and examples\n` });
    expect(runCommand(sim, 'kubectl get pods').out).toBe('No resources found in default namespace.\n');
  });

  it('--overrides patches the generated pod: a JSON merge patch by default, strategic or json by --override-type', () => {
    const sim = createCluster({ seed: 2, nodes: [{ name: 'worker-1' }] });
    const yaml = runCommand(sim, `kubectl run o --image=nginx --dry-run=client -o yaml --overrides='{"spec":{"enableServiceLinks":false,"nodeSelector":{"disk":"ssd"}}}'`).out;
    expect(yaml).toContain('  dnsPolicy: ClusterFirst\n  enableServiceLinks: false\n  nodeSelector:\n    disk: ssd\n');
    // A merge patch replaces the container list; a strategic one merges into the container by name.
    runCommand(sim, `kubectl run s --image=busybox --override-type=strategic --overrides='{"spec":{"containers":[{"name":"s","command":["sleep","60"]}]}}'`);
    expect(runCommand(sim, 'kubectl get pod s -o jsonpath={.spec.containers[0].image}/{.spec.containers[0].command}').out).toBe('busybox/["sleep","60"]');
    expect(runCommand(sim, `kubectl run j --image=nginx --override-type=json --overrides='[{"op":"add","path":"/metadata/labels/tier","value":"web"}]' -o jsonpath={.metadata.labels.tier}`).out).toBe('web');
    expect(runCommand(sim, "kubectl run t --image=nginx --override-type=xml --overrides='{}'")).toEqual({ exit: 1, out: 'error: invalid override type: xml\n' });
  });
});

describe('kubectl logs picks the run as the kubelet does (validateContainerLogStatus)', () => {
  const sim = createCluster({ seed: 2, nodes: [{ name: 'worker-1' }], images: { busybox: { pullSeconds: 1, startupSeconds: 1 }, 'shop:v9': { pullError: true } } });
  runCommand(sim, `kubectl run crash --image=busybox -- sh -c 'echo "boom at $(date +%T)"; exit 1'`);
  runCommand(sim, 'kubectl run nopull --image=shop:v9');
  runCommand(sim, `kubectl run stuck --image=busybox --overrides='{"spec":{"nodeSelector":{"disk":"none"}}}'`);
  sim.runFor(60_000);
  it.each([
    // Waiting in CrashLoopBackOff: the last run's output — lastState is that run, so --previous agrees.
    ['kubectl get pod crash -o jsonpath={.status.containerStatuses[0].state.waiting.reason}', 0, 'CrashLoopBackOff'],
    ['kubectl logs crash', 0, 'boom at 00:00:34\n'],
    ['kubectl logs crash --previous', 0, 'boom at 00:00:34\n'],
    ['kubectl logs nopull', 1, 'Error from server (BadRequest): container "nopull" in pod "nopull" is waiting to start: trying and failing to pull image\n'],
    // Not scheduled: LogLocation has no node to ask, and the API server streams nothing.
    ['kubectl logs stuck', 0, ''],
    ['kubectl logs stuck --previous', 0, ''],
  ])('%s', (line, exit, out) => expect(runCommand(sim, line)).toEqual({ exit, out }));
});

describe('what kubectl exec writes stays in the container, and its exec probes see it', () => {
  const sim = createCluster({ seed: 2, nodes: [{ name: 'worker-1' }], images: { busybox: { pullSeconds: 1, startupSeconds: 1 } } });
  runCommand(sim, 'kubectl apply -f -', {
    stdin: `apiVersion: v1
kind: Pod
metadata: {name: probed}
spec:
  containers:
    - name: app
      image: busybox
      command: [sh, -c, 'touch /tmp/healthy /tmp/ready; sleep infinity']
      readinessProbe: {exec: {command: [cat, /tmp/ready]}, periodSeconds: 2}
      livenessProbe: {exec: {command: [cat, /tmp/healthy]}, periodSeconds: 5}
`,
  });
  const ready = () => runCommand(sim, 'kubectl get pod probed -o jsonpath={.status.containerStatuses[0].ready}/{.status.containerStatuses[0].restartCount}').out;
  it('readiness: rm the file and the pod goes unready; touch it and it is ready again', () => {
    sim.runFor(20_000);
    expect(ready()).toBe('true/0');
    expect(runCommand(sim, 'kubectl exec probed -- rm /tmp/ready')).toEqual({ exit: 0, out: '' });
    expect(runCommand(sim, 'kubectl exec probed -- cat /tmp/ready').out).toBe('cat: /tmp/ready: No such file or directory\ncommand terminated with exit code 1\n');
    sim.runFor(10_000);
    expect(ready()).toBe('false/0');
    runCommand(sim, 'kubectl exec probed -- touch /tmp/ready');
    sim.runFor(5_000);
    expect(ready()).toBe('true/0');
  });
  it('liveness: rm the file and after three failed probes the container is restarted, with its files fresh from the image', () => {
    runCommand(sim, 'kubectl exec probed -- rm /tmp/healthy');
    sim.runFor(25_000);
    expect(runCommand(sim, 'kubectl get events --field-selector reason=Killing -o jsonpath={.items[*].message}').out).toBe('Container app failed liveness probe, will be restarted');
    sim.runFor(40_000); // sh as PID 1 ignores SIGTERM: SIGKILL at the 30 s grace period
    expect(ready()).toBe('true/1');
    expect(runCommand(sim, 'kubectl exec probed -- sh -c "cat /tmp/healthy && echo back"').out).toBe('back\n');
  });
});

describe('kubectl logs -l (a selector instead of a pod)', () => {
  const sim = createCluster({ seed: 1, nodes: [{ name: 'worker-1' }] });
  runCommand(sim, `kubectl create deployment web --image=busybox --replicas=2 -- sh -c 'for i in $(seq 1 20); do echo line $i from $HOSTNAME; done; sleep 3600'`);
  sim.runUntil(30_000);
  const pods = runCommand(sim, 'kubectl get pods -o name').out.trim().split('\n').map((n) => n.slice('pod/'.length));
  it('prints each matching pod\'s log in name order, the last 10 lines of each unless --tail says', () => {
    const lines = runCommand(sim, 'kubectl logs -l app=web').out.trimEnd().split('\n');
    expect(lines).toEqual(pods.flatMap((p) => Array.from({ length: 10 }, (_, i) => `line ${i + 11} from ${p}`)));
    expect(runCommand(sim, 'kubectl logs -l app=web --tail=1 --prefix').out).toBe(pods.map((p) => `[pod/${p}/busybox] line 20 from ${p}\n`).join(''));
  });
  it.each([
    ['kubectl logs -l app=nope', 0, 'No resources found in default namespace.\n'],
    ['kubectl logs web -l app=web', 1, "error: only a selector (-l) or a POD name is allowed\nSee 'kubectl logs -h' for help and examples\n"],
    ['kubectl logs -l app=web --tail=abc', 1, 'error: invalid argument "abc" for "--tail" flag: strconv.ParseInt: parsing "abc": invalid syntax\nSee \'kubectl logs --help\' for usage.\n'],
  ])('%s', (line, exit, out) => expect(runCommand(sim, line)).toEqual({ exit, out }));
});

describe('kubectl exec/logs deploy/NAME picks a pod as GetFirstPod does (the most active one)', () => {
  it('a running, ready pod before one not ready yet, whatever their names', () => {
    const sim = createCluster({ seed: 2, nodes: [{ name: 'worker-1' }] });
    runCommand(sim, 'kubectl create deployment app --image=nginx:1.27 --replicas=1');
    sim.runFor(20_000);
    const running = runCommand(sim, 'kubectl get pods -o name').out.trim();
    // A pod the Deployment's selector also matches, first by name, never ready.
    sim.service<{ create(o: unknown): unknown }>('api').create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'aaa', namespace: 'default', labels: { app: 'app' } },
      spec: { containers: [{ name: 'c', image: 'busybox', command: ['sleep', '3600'], readinessProbe: { exec: { command: ['false'] }, periodSeconds: 5 } }] },
    });
    sim.runFor(10_000);
    expect(runCommand(sim, 'kubectl get pod aaa').out).toMatch(/\naaa +0\/1 +Running /);
    expect(runCommand(sim, 'kubectl exec deploy/app -- hostname').out).toBe(`${running.slice('pod/'.length)}\n`);
    expect(runCommand(sim, 'kubectl logs deploy/app --tail=1').out).toMatch(new RegExp(`^Found 2 pods, using ${running}\n`));
  });
});

describe("the NetworkPolicy docs' walk-through (Declare Network Policy)", () => {
  it('wget --spider times out from a pod the policy does not allow, and reaches nginx from one it does', () => {
    const sim = createCluster({ seed: 1, nodes: [{ name: 'worker-1' }] });
    runCommand(sim, 'kubectl create deployment nginx --image=nginx');
    runCommand(sim, 'kubectl expose deployment nginx --port=80');
    runCommand(sim, 'kubectl run client --image=busybox:1.28 -- sleep 3600');
    runCommand(sim, 'kubectl run allowed --labels=access=true --image=busybox:1.28 -- sleep 3600');
    runCommand(sim, 'kubectl apply -f -', {
      stdin: 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: access-nginx}\nspec:\n  podSelector: {matchLabels: {app: nginx}}\n  ingress:\n  - from:\n    - podSelector: {matchLabels: {access: "true"}}\n',
    });
    sim.runFor(30_000);
    const ip = runCommand(sim, 'kubectl get svc nginx -o jsonpath={.spec.clusterIP}').out;
    expect(runCommand(sim, 'kubectl exec client -- wget --spider --timeout=1 nginx')).toEqual({ exit: 1, out: `Connecting to nginx (${ip}:80)\nwget: download timed out\ncommand terminated with exit code 1\n` });
    expect(runCommand(sim, 'kubectl exec allowed -- wget --spider --timeout=1 nginx')).toEqual({ exit: 0, out: `Connecting to nginx (${ip}:80)\nremote file exists\n` });
  });
});

describe("a pod's resolv.conf (the kubelet's GetPodDNS and appendDNSConfig)", () => {
  it('adds dnsConfig to ClusterFirst, and is dnsConfig alone for None (the docs\' example)', () => {
    const sim = createCluster({ seed: 1, nodes: [{ name: 'worker-1' }] });
    runCommand(sim, 'kubectl apply -f -', {
      stdin: 'apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  containers: [{name: c, image: busybox:1.36, command: [sleep, "3600"]}]\n  dnsConfig: {options: [{name: ndots, value: "2"}, {name: edns0}], searches: [corp.example.com]}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: b}\nspec:\n  containers: [{name: c, image: busybox:1.36, command: [sleep, "3600"]}]\n  dnsPolicy: None\n  dnsConfig: {nameservers: [192.0.2.1], searches: [ns1.svc.cluster-domain.example, my.dns.search.suffix], options: [{name: ndots, value: "2"}, {name: edns0}]}\n',
    });
    sim.runFor(20_000);
    expect(runCommand(sim, 'kubectl exec a -- cat /etc/resolv.conf').out).toBe('search default.svc.cluster.local svc.cluster.local cluster.local corp.example.com\nnameserver 10.96.0.10\noptions ndots:2 edns0\n');
    expect(runCommand(sim, 'kubectl exec b -- cat /etc/resolv.conf').out).toBe('search ns1.svc.cluster-domain.example my.dns.search.suffix\nnameserver 192.0.2.1\noptions ndots:2 edns0\n');
  });
});
