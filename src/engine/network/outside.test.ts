import { describe, expect, it } from 'vitest';
import { createCluster } from '../cluster.ts';
import { runCommand } from '../kubectl/index.ts';

/**
 * Hosts outside the cluster, from a pod: the simulated cluster has no route to the Internet. The
 * ingress controller is reached at its address or by a name an Ingress rule serves; a pod's egress
 * policies apply to that connection (to the controller pod, where kube-proxy sends it).
 */
const INGRESS = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web}
spec:
  rules:
  - host: shop.example.com
    http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}
`;
const DENY_BUT_DNS = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny-egress}
spec: {podSelector: {}, policyTypes: [Egress], egress: [{ports: [{port: 53, protocol: UDP}]}]}
`;
const TO_INGRESS = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: to-ingress}
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress: [{to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: ingress-nginx}}}]}]
`;

describe('hosts outside the cluster, from a pod', () => {
  function cluster() {
    const sim = createCluster({ seed: 4, nodes: [{ name: 'worker-1' }] });
    const run = (line: string) => runCommand(sim, line, { files: { 'ingress.yaml': INGRESS, 'deny.yaml': DENY_BUT_DNS, 'to-ingress.yaml': TO_INGRESS } });
    run('kubectl run bb --image=busybox:1.36 -- sleep 3600');
    run('kubectl create deployment web --image=nginx');
    run('kubectl expose deployment web --port=80');
    run('kubectl apply -f ingress.yaml');
    sim.runUntil(20_000);
    const wget = (url: string) => {
      const r = run(`kubectl exec bb -- wget -qO- -T 2 ${url}`);
      return r.exit === 0 ? 'served' : r.out.split('\n')[0];
    };
    return { run, wget };
  }

  it.each([
    { url: 'http://93.184.216.34/', outcome: 'wget: download timed out' },
    { url: 'http://example.com/', outcome: "wget: bad address 'example.com'" },
    { url: 'http://shop.example.com/', outcome: 'served' },
    // The controller's own address: its default server answers a host no rule names.
    { url: 'http://203.0.113.2/', outcome: 'wget: server returned error: HTTP/1.1 404 Not Found' },
  ])('$url: $outcome', ({ url, outcome }) => {
    expect(cluster().wget(url)).toBe(outcome);
  });

  it('egress policies apply on the way to the ingress controller', () => {
    const { run, wget } = cluster();
    run('kubectl apply -f deny.yaml');
    expect(wget('http://shop.example.com/')).toBe('wget: download timed out');
    run('kubectl apply -f to-ingress.yaml');
    expect(wget('http://shop.example.com/')).toBe('served');
  });

  it('from outside, any name still reaches the ingress controller (a client points it there)', () => {
    const { run } = cluster();
    expect(run('kubeplay curl -i http://example.com/').out).toMatch(/^HTTP\/1\.1 404 Not Found\n/);
  });
});

describe("a pod's loop to its own loopback address", () => {
  it('reaches a container of the same pod (a sidecar polling localhost), not the ingress controller', () => {
    const sim = createCluster({ seed: 4, nodes: [{ name: 'worker-1' }] });
    const pod = 'apiVersion: v1\nkind: Pod\nmetadata: {name: side}\nspec:\n  containers:\n  - {name: web, image: nginx:1.27}\n  - name: poller\n    image: busybox:1.36\n    command: [sh, -c, "while sleep 0.5; do wget -q -O- http://localhost; done"]\n';
    const run = (line: string) => runCommand(sim, line, { files: { 'side.yaml': pod } });
    run('kubectl apply -f side.yaml');
    sim.runUntil(30_000);
    expect(run('kubeplay traffic stats').out).toMatch(/requests: \d+ {2}errors: 0 {2}statuses: 200=\d+/);
  });
});
