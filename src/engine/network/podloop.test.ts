import { describe, expect, it } from 'vitest';
import { createCluster } from '../cluster.ts';
import { runCommand } from '../kubectl/index.ts';
import type { NetworkApi } from './index.ts';

/** The HorizontalPodAutoscaler walkthrough's php-apache (application/php-apache.yaml). */
const PHP_APACHE = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: php-apache
spec:
  selector:
    matchLabels:
      run: php-apache
  template:
    metadata:
      labels:
        run: php-apache
    spec:
      containers:
      - name: php-apache
        image: registry.k8s.io/hpa-example
        ports:
        - containerPort: 80
        resources:
          limits:
            cpu: 500m
          requests:
            cpu: 200m
---
apiVersion: v1
kind: Service
metadata:
  name: php-apache
  labels:
    run: php-apache
spec:
  ports:
  - port: 80
  selector:
    run: php-apache
`;

/** The walkthrough's load generator, as the docs run it. */
const LOAD = 'kubectl run -i --tty load-generator --rm --image=busybox:1.28 --restart=Never -- /bin/sh -c "while sleep 0.01; do wget -q -O- http://php-apache; done"';

function walkthrough() {
  const sim = createCluster({ seed: 1, nodes: [{ name: 'worker-1', capacity: { cpu: '8', memory: '16Gi', pods: '110' } }, { name: 'worker-2', capacity: { cpu: '8', memory: '16Gi', pods: '110' } }] });
  const run = (line: string) => runCommand(sim, line, { files: { 'php-apache.yaml': PHP_APACHE } });
  const after = (seconds: number) => sim.runUntil(sim.now() + seconds * 1000);
  run('kubectl apply -f php-apache.yaml');
  after(30);
  run('kubectl autoscale deployment php-apache --cpu-percent=50 --min=1 --max=10');
  after(30);
  return { sim, run, after };
}

describe("a pod's loop of requests is steady traffic from that pod (the HPA walkthrough's load generator)", () => {
  it('drives php-apache past its target, the HPA scales out, and back in once the generator is gone', () => {
    const { sim, run, after } = walkthrough();
    expect(run(LOAD).exit).toBe(0);
    after(60);
    // One client, one request at a time: php-apache's CPU hits its 500m limit (250% of the 200m request).
    expect(run('kubectl get hpa php-apache').out).toMatch(/cpu: 250%\/50% +1 +10 +[2-9] /);
    // What each request gets: php-apache's index.php prints OK!.
    expect(run('kubectl run probe --image=busybox:1.28 --restart=Never -- sleep 3600').exit).toBe(0);
    after(10);
    expect(run('kubectl exec probe -- wget -q -O- http://php-apache').out).toBe('OK!\n');
    // That request is the probe pod's too, not the Internet's.
    const net = sim.services.get('network') as NetworkApi;
    const edges = net.trafficSummary(sim.now() - 1000).edges.filter((e) => e.to === 'service:default/php-apache');
    expect(edges.map((e) => e.from).sort()).toContain('pod:default/probe');
    expect(edges.map((e) => e.from)).not.toContain('client');
    expect(run('kubeplay traffic list').out).toMatch(/^NAME +HOST +PATH +RPS +CLIENTS +HEADERS\npod\/load-generator +php-apache +\/ +\d+ +1 +<none>\n$/);
    expect(run('kubectl logs load-generator').out).toBe(
      "kubeplay: from here on `wget -q -O- http://php-apache` is sent again and again as steady traffic from this pod, each request 10ms after the last one's answer (kubeplay traffic list shows it); what the requests print is not kept\n",
    );
    after(120);
    const scaled = Number(/php-apache +(\d+)\/\d+/.exec(run('kubectl get deployment php-apache').out)![1]);
    expect(scaled).toBeGreaterThanOrEqual(4);
    expect(run('kubectl get hpa php-apache').out).toMatch(/cpu: (4\d|5\d)%\/50%/);
    // Deleting the generator stops its requests (busybox's sh ignores SIGTERM: they go on until the kill at 30 s).
    run('kubectl delete pod load-generator --wait=false');
    after(60);
    expect(run('kubeplay traffic list').out).toBe('No traffic sources.\n');
    expect(run('kubectl get hpa php-apache').out).toMatch(/cpu: 0%\/50%/);
    // The scale-down stabilization window (5 minutes) passes, then the HPA goes back to one replica.
    after(360);
    expect(run('kubectl get deployment php-apache').out).toMatch(/php-apache +1\/1 /);
  });

  it('is held to NetworkPolicy as the pod: a denied request times out, and the loop waits for it', () => {
    const { sim, after } = walkthrough();
    const policy = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: only-frontend}\nspec:\n  podSelector: {matchLabels: {run: php-apache}}\n  ingress:\n  - from:\n    - podSelector: {matchLabels: {role: frontend}}\n';
    const run = (line: string) => runCommand(sim, line, { files: { 'policy.yaml': policy } });
    expect(run('kubectl apply -f policy.yaml').exit).toBe(0);
    expect(run(LOAD).exit).toBe(0);
    after(90);
    expect(run('kubectl get hpa php-apache').out).toMatch(/cpu: 0%\/50% +1 +10 +1 /);
    // The same loop from a pod the policy lets in drives the CPU up.
    expect(run(LOAD.replace('load-generator', 'frontend --labels=role=frontend')).exit).toBe(0);
    after(60);
    expect(run('kubectl get hpa php-apache').out).toMatch(/cpu: 250%\/50%/);
  });

  // Which command lines are a load generator: the same request again and again at a steady pace.
  it.each([
    ['a wget loop that sleeps after each request', 'busybox:1.36', 'while true; do wget -q -O- http://php-apache; sleep 1; done', '0.99'],
    ['a curl loop', 'curlimages/curl:8.10.1', 'while true; do curl -s http://php-apache/; sleep 0.5; done', '1.96'],
    ['one request, then sleep', 'busybox:1.36', 'wget -q -O- http://php-apache; sleep 3600', undefined],
    ['three requests', 'busybox:1.36', 'for i in 1 2 3; do wget -q -O- http://php-apache; sleep 1; done; sleep 3600', undefined],
    ['two URLs in turn', 'busybox:1.36', 'while true; do wget -q -O- http://php-apache; wget -q -O- http://other; sleep 1; done', undefined],
  ])('%s', (_name, image, script, rps) => {
    const { run, after } = walkthrough();
    expect(run(`kubectl run gen --image=${image} --restart=Never --command -- sh -c '${script}'`).exit).toBe(0);
    after(20);
    const list = run('kubeplay traffic list').out;
    if (rps === undefined) expect(list).toBe('No traffic sources.\n');
    else expect(list).toMatch(new RegExp(`^NAME +HOST +PATH +RPS +CLIENTS +HEADERS\npod/gen +php-apache +/ +${rps} +1 +<none>\n$`));
  });

  it("a loop to a name the cluster's DNS does not know: its log says every request fails", () => {
    const { run, after } = walkthrough();
    expect(run('kubectl create namespace load').exit).toBe(0);
    expect(run(LOAD.replace('load-generator', '-n load gen')).exit).toBe(0);
    after(20);
    expect(run('kubectl logs -n load gen').out).toBe(
      "kubeplay: from here on `wget -q -O- http://php-apache` is sent again and again as steady traffic from this pod, each request 10ms after the last one's answer (kubeplay traffic list shows it); each fails at once: wget: bad address 'php-apache'; what the requests print is not kept\n",
    );
    expect(run('kubectl get hpa php-apache').out).toMatch(/cpu: 0%\/50%/);
  });

  it('kubeplay traffic --help prints the usage and succeeds', () => {
    const { run } = walkthrough();
    const r = run('kubeplay traffic --help');
    expect(r.exit).toBe(0);
    expect(r.out).toMatch(/^Usage:\n {2}kubeplay traffic set \[NAME\] --rps N/);
  });

  it('kubeplay traffic set says at once when its requests reach no pod: without --host they go to the ingress controller', () => {
    const { run } = walkthrough();
    expect(run('kubeplay traffic set php-apache --rps 20')).toEqual({
      exit: 0,
      out: 'traffic "php-apache" set: 20 rps to */\nnote: traffic "php-apache": no Ingress rule matches host "*" and path / (the ingress controller answers 404); to send them to the Service php-apache, add --host php-apache\n',
    });
    expect(run('kubeplay traffic set users --rps 20 --host nope').out).toBe(
      'traffic "users" set: 20 rps to nope/\nnote: traffic "users": could not resolve host "nope": no Service of that name in default (traffic reaches a Service by its name, or an Ingress by its rules\' host)\n',
    );
    expect(run('kubeplay traffic set load --rps 20 --host php-apache').out).toBe('traffic "load" set: 20 rps to php-apache/\n');
  });
});
