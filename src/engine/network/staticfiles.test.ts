import { describe, expect, it } from 'vitest';
import { createCluster } from '../cluster.ts';
import { runCommand } from '../kubectl/index.ts';

/** The docs' pods/two-container-pod.yaml: debian writes index.html into the volume nginx serves. */
const TWO = `apiVersion: v1
kind: Pod
metadata: {name: two-containers}
spec:
  restartPolicy: Never
  volumes: [{name: shared-data, emptyDir: {}}]
  containers:
  - name: nginx-container
    image: nginx
    volumeMounts: [{name: shared-data, mountPath: /usr/share/nginx/html}]
  - name: debian-container
    image: debian
    volumeMounts: [{name: shared-data, mountPath: /pod-data}]
    command: ["/bin/sh"]
    args: ["-c", "echo Hello from the debian container > /pod-data/index.html"]
`;

/** An nginx serving a ConfigMap's page, behind a Service. */
const PAGE = `apiVersion: v1
kind: ConfigMap
metadata: {name: page}
data:
  index.html: "<h1>hello from a ConfigMap</h1>\\n"
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: site}
spec:
  selector: {matchLabels: {app: site}}
  template:
    metadata: {labels: {app: site}}
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
        volumeMounts: [{name: page, mountPath: /usr/share/nginx/html}]
      volumes: [{name: page, configMap: {name: page}}]
---
apiVersion: v1
kind: Service
metadata: {name: site}
spec: {selector: {app: site}, ports: [{port: 80}]}
`;

describe('nginx serves the files the simulation knows from its document root', () => {
  it("the docs' two-container pod: nginx serves what debian wrote in the shared volume", () => {
    const sim = createCluster({ seed: 1, nodes: [{ name: 'worker-1' }] });
    expect(runCommand(sim, 'kubectl apply -f two.yaml', { files: { 'two.yaml': TWO } }).exit).toBe(0);
    sim.runUntil(sim.now() + 30_000);
    expect(runCommand(sim, 'kubectl exec two-containers -c nginx-container -- curl -s localhost')).toEqual({ exit: 0, out: 'Hello from the debian container\n' });
    expect(runCommand(sim, 'kubectl exec two-containers -c nginx-container -- curl -sI localhost').out).toMatch(/^HTTP\/1\.1 200 OK\nDate: .*\nContent-Type: text\/html\nContent-Length: 32\n/);
    // A file nobody wrote: the image's own pages are not simulated, the generic answer stands.
    expect(runCommand(sim, 'kubectl exec two-containers -c nginx-container -- curl -s localhost/other.html').out).toBe('GET /other.html served by two-containers (nginx) for localhost\n');
  });

  it("a ConfigMap's page, through the Service, from another pod", () => {
    const sim = createCluster({ seed: 1, nodes: [{ name: 'worker-1' }] });
    expect(runCommand(sim, 'kubectl apply -f page.yaml', { files: { 'page.yaml': PAGE } }).exit).toBe(0);
    sim.runUntil(sim.now() + 30_000);
    expect(runCommand(sim, 'kubectl run client --image=busybox:1.36 --restart=Never -- sleep 3600').exit).toBe(0);
    sim.runUntil(sim.now() + 20_000);
    expect(runCommand(sim, 'kubectl exec client -- wget -q -O- http://site').out).toBe('<h1>hello from a ConfigMap</h1>\n');
    // The ConfigMap is all the document root holds: another file is nginx's 404 page.
    expect(runCommand(sim, 'kubectl exec client -- wget -q -O- http://site/missing.html')).toEqual({ exit: 1, out: 'wget: server returned error: HTTP/1.1 404 Not Found\ncommand terminated with exit code 1\n' });
  });

  it('an empty claim as the document root: 403 for the directory (no index.html, autoindex off) until a page is written', () => {
    const sim = createCluster({ seed: 1, nodes: [{ name: 'worker-1' }] });
    const empty = [
      'apiVersion: v1',
      'kind: PersistentVolumeClaim',
      'metadata: {name: www}',
      'spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}',
      '---',
      'apiVersion: v1',
      'kind: Pod',
      'metadata: {name: web}',
      'spec:',
      '  containers: [{name: nginx, image: "nginx:1.27.3", volumeMounts: [{name: www, mountPath: /usr/share/nginx/html}]}]',
      '  volumes: [{name: www, persistentVolumeClaim: {claimName: www}}]',
    ].join('\n');
    const run = (line: string) => runCommand(sim, line, { files: { 'web.yaml': empty } });
    expect(run('kubectl apply -f web.yaml').exit).toBe(0);
    sim.runUntil(sim.now() + 30_000);
    expect(run('kubectl exec web -- curl -s localhost/').out).toBe('<html>\n<head><title>403 Forbidden</title></head>\n<body>\n<center><h1>403 Forbidden</h1></center>\n<hr><center>nginx/1.27.3</center>\n</body>\n</html>\n');
    expect(run(`kubectl exec web -- sh -c 'echo hello > /usr/share/nginx/html/index.html'`).exit).toBe(0);
    expect(run('kubectl exec web -- curl -s localhost/').out).toBe('hello\n');
  });

  it("the StatefulSet tutorial: each pod's page, written with kubectl exec, is still there after the pods are replaced", () => {
    const sim = createCluster({ seed: 1, nodes: [{ name: 'worker-1' }, { name: 'worker-2' }] });
    const web = [
      'apiVersion: apps/v1',
      'kind: StatefulSet',
      'metadata: {name: web}',
      'spec:',
      '  serviceName: nginx',
      '  replicas: 2',
      '  selector: {matchLabels: {app: nginx}}',
      '  template:',
      '    metadata: {labels: {app: nginx}}',
      '    spec:',
      '      containers: [{name: nginx, image: "registry.k8s.io/nginx-slim:0.21", volumeMounts: [{name: www, mountPath: /usr/share/nginx/html}]}]',
      '  volumeClaimTemplates:',
      '  - metadata: {name: www}',
      '    spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}',
    ].join('\n');
    const run = (line: string) => runCommand(sim, line, { files: { 'web.yaml': web } });
    expect(run('kubectl apply -f web.yaml').exit).toBe(0);
    sim.runUntil(sim.now() + 60_000);
    for (const i of [0, 1]) expect(run(`kubectl exec web-${i} -- sh -c 'echo "$(hostname)" > /usr/share/nginx/html/index.html'`).exit).toBe(0);
    expect(run('kubectl exec web-0 -- curl -s http://localhost/').out).toBe('web-0\n');
    expect(run('kubectl delete pod -l app=nginx').exit).toBe(0);
    sim.runUntil(sim.now() + 60_000);
    expect(run('kubectl get pods -l app=nginx -o name').out).toBe('pod/web-0\npod/web-1\n');
    for (const i of [0, 1]) expect(run(`kubectl exec web-${i} -- curl -s http://localhost/`).out).toBe(`web-${i}\n`);
  });
});
