import { describe, expect, it } from 'vitest';
import { createCluster } from '../cluster.ts';
import { runCommand } from '../kubectl/index.ts';

/**
 * The containers of a pod share its network namespace ("containers within a pod must coordinate port
 * usage"): a second program that listens on a port the first already holds cannot bind it and exits.
 */
function podWith(containers: string) {
  const sim = createCluster({ seed: 2, nodes: [{ name: 'worker-1' }] });
  const files = { 'pod.yaml': `apiVersion: v1\nkind: Pod\nmetadata: {name: two}\nspec:\n  containers:\n${containers}` };
  const run = (line: string) => runCommand(sim, line, { files });
  expect(run('kubectl apply -f pod.yaml').exit).toBe(0);
  return { run, after: (s: number) => sim.runUntil(sim.now() + s * 1000) };
}

describe('two containers of a pod on one port', () => {
  it.each([
    { what: 'two nginx', containers: '  - {name: web, image: nginx:1.27}\n  - {name: proxy, image: nginx:1.27}\n', ready: '1/2', status: 'CrashLoopBackOff' },
    // A declared containerPort changes nothing: nginx listens on 80 whatever it says.
    { what: 'nginx declared on 8080 beside nginx', containers: '  - {name: web, image: nginx:1.27}\n  - {name: proxy, image: nginx:1.27, ports: [{containerPort: 8080}]}\n', ready: '1/2', status: 'CrashLoopBackOff' },
    { what: 'nginx and redis', containers: '  - {name: web, image: nginx:1.27}\n  - {name: cache, image: redis:7}\n', ready: '2/2', status: 'Running' },
    // A command the simulation runs instead of the image's program listens on nothing.
    { what: 'nginx and an nginx image running sleep', containers: '  - {name: web, image: nginx:1.27}\n  - {name: sh, image: nginx:1.27, command: [sleep, "3600"]}\n', ready: '2/2', status: 'Running' },
  ])('$what: $ready $status', ({ containers, ready, status }) => {
    const { run, after } = podWith(containers);
    after(60);
    expect(run('kubectl get pod two').out).toMatch(new RegExp(`^two +${ready} +${status} `, 'm'));
  });

  it("the second nginx says so in nginx's words, and gives up after five tries", () => {
    const { run, after } = podWith('  - {name: web, image: nginx:1.27}\n  - {name: proxy, image: nginx:1.27}\n');
    after(30);
    const log = run('kubectl logs two -c proxy --previous').out.split('\n');
    expect(log.filter((l) => l === 'nginx: [emerg] bind() to 0.0.0.0:80 failed (98: Address already in use)')).toHaveLength(5);
    expect(log.filter((l) => l === 'nginx: [emerg] bind() to [::]:80 failed (98: Address already in use)')).toHaveLength(5);
    expect(log.at(-2)).toBe('nginx: [emerg] still could not bind()');
    expect(run('kubectl describe pod two').out).toMatch(/Last State: +Terminated\n +Reason: +Error\n +Exit Code: +1\n/);
    // The first keeps serving.
    expect(run('kubectl logs two -c web').out).toContain('[notice] 1#1: start worker processes');
  });
});

describe('an nginx whose configuration is mounted listens where it says', () => {
  it('serves the Service and its readiness probe on 8080, and no longer holds 80 for a second nginx', () => {
    const sim = createCluster({ seed: 2, nodes: [{ name: 'worker-1' }] });
    const manifest = `apiVersion: v1
kind: ConfigMap
metadata: {name: conf}
data:
  default.conf: |
    server {
      listen 8080;
      location / { root /usr/share/nginx/html; }
    }
---
apiVersion: v1
kind: Pod
metadata: {name: web, labels: {app: web}}
spec:
  containers:
  - name: nginx
    image: nginx:1.27
    readinessProbe: {httpGet: {path: /, port: 8080}}
    volumeMounts: [{name: conf, mountPath: /etc/nginx/conf.d}]
  - {name: second, image: nginx:1.27}
  volumes: [{name: conf, configMap: {name: conf}}]
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{name: a, port: 8080}, {name: b, port: 80}]
`;
    const run = (line: string) => runCommand(sim, line, { files: { 'web.yaml': manifest } });
    expect(run('kubectl apply -f web.yaml').exit).toBe(0);
    sim.runUntil(30_000);
    expect(run('kubectl get pod web').out).toMatch(/^web +2\/2 +Running +0 /m);
    // 8080 is the configured nginx's, 80 the second's (the image's own config).
    expect(run('kubeplay curl -i http://web:8080/').out).toMatch(/^HTTP\/1\.1 200 OK\n(?:.*\n)*x-kubeplay-pod: web\n/);
    expect(run('kubeplay curl http://web/').exit).toBe(0);
  });
});

describe('an nginx whose mounted configuration has a syntax error', () => {
  it('stops at once with its [emerg] message and crash-loops; the entrypoint says it cannot edit the read-only default.conf', () => {
    const sim = createCluster({ seed: 2, nodes: [{ name: 'worker-1' }] });
    const manifest = `apiVersion: v1
kind: ConfigMap
metadata: {name: bad}
data:
  default.conf: |
    server {
      listen 8082
      location / { return 200; }
    }
---
apiVersion: v1
kind: Pod
metadata: {name: bad}
spec:
  containers:
  - {name: nginx, image: nginx:1.27, volumeMounts: [{name: c, mountPath: /etc/nginx/conf.d}]}
  volumes: [{name: c, configMap: {name: bad}}]
`;
    const run = (line: string) => runCommand(sim, line, { files: { 'bad.yaml': manifest } });
    expect(run('kubectl apply -f bad.yaml').exit).toBe(0);
    sim.runUntil(40_000);
    expect(run('kubectl get pod bad').out).toMatch(/^bad +0\/1 +CrashLoopBackOff +\d/m);
    const log = run('kubectl logs bad').out.split('\n');
    expect(log).toContain('10-listen-on-ipv6-by-default.sh: info: can not modify /etc/nginx/conf.d/default.conf (read-only file system?)');
    expect(log.at(-2)).toBe('nginx: [emerg] directive "listen" is not terminated by ";" in /etc/nginx/conf.d/default.conf:3');
    expect(log.at(-3)).toMatch(/^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d \[emerg\] 1#1: directive "listen" is not terminated by ";" in \/etc\/nginx\/conf\.d\/default\.conf:3$/);
  });
});
