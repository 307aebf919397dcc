import { describe, expect, it } from 'vitest';
import { createCluster } from '../cluster.ts';
import { runCommand } from '../kubectl/index.ts';

/**
 * The cluster's DNS is a server pods must reach: CoreDNS behind the kube-dns Service when the cluster
 * has it (spec.cluster.controlPlane), the simulation itself otherwise. Names stop resolving when no
 * CoreDNS pod is ready, or when a NetworkPolicy stops a pod's queries (UDP port 53).
 */

const DENY_EGRESS = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny-egress}
spec:
  podSelector: {}
  policyTypes: [Egress]
`;

/** allowDns is an egress rule for DNS, to the CoreDNS pods or (to omitted) anywhere, on the given protocols. */
function allowDns(to: string, protocols: string[]): string {
  const ports = protocols.map((p) => `    - {protocol: ${p}, port: 53}`).join('\n');
  return `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-dns}
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress:
  - ${to ? `to:\n${to}\n    ports:` : 'ports:'}
${ports}
`;
}

const TO_COREDNS = `    - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}
      podSelector: {matchLabels: {k8s-app: kube-dns}}`;

function cluster(controlPlane: boolean) {
  const sim = createCluster({ seed: 3, nodes: [{ name: 'worker-1' }, { name: 'worker-2' }], ...(controlPlane ? { controlPlane: { name: 'control-plane' } } : {}) });
  const run = (line: string, files: Record<string, string> = {}) => runCommand(sim, line, { files });
  const after = (seconds: number) => sim.runUntil(sim.now() + seconds * 1000);
  run('kubectl create deployment web --image=nginx --replicas=2');
  run('kubectl expose deployment web --port=80');
  run('kubectl run client --image=busybox:1.36 -- sleep 3600');
  after(30);
  return { sim, run, after };
}

const TIMED_OUT = ';; connection timed out; no servers could be reached\n\n';
/** IN_POD_TIMED_OUT is the same through kubectl exec, which adds the exit status. */
const IN_POD_TIMED_OUT = `${TIMED_OUT}command terminated with exit code 1\n`;
const EXEC_FAILED = 'command terminated with exit code 1\n';

describe('lookups need a DNS server that answers', () => {
  it('CoreDNS scaled to 0: no name resolves, in a pod or with kubeplay nslookup; back once a CoreDNS pod is ready', () => {
    const { run, after } = cluster(true);
    expect(run('kubectl exec client -- nslookup web').out).toMatch(/^Server:\t\t10\.96\.0\.10\n.*Name:\tweb\.default\.svc\.cluster\.local\n/s);
    expect(run('kubectl exec client -- wget -qO- http://web').exit).toBe(0);
    run('kubectl scale deployment coredns -n kube-system --replicas=0');
    after(40);
    expect(run('kubectl get endpoints kube-dns -n kube-system').out).toMatch(/kube-dns +<none>/);
    expect(run('kubectl exec client -- nslookup web')).toEqual({ exit: 1, out: IN_POD_TIMED_OUT });
    expect(run('kubectl exec client -- wget -qO- http://web').out).toBe(`wget: bad address 'web'\n${EXEC_FAILED}`);
    expect(run('kubeplay nslookup web').out).toBe(TIMED_OUT);
    // An address needs no lookup.
    const ip = /web +ClusterIP +(\S+)/.exec(run('kubectl get svc web').out)![1];
    expect(run(`kubectl exec client -- wget -qO- http://${ip}`).exit).toBe(0);
    run('kubectl scale deployment coredns -n kube-system --replicas=2');
    after(30);
    expect(run('kubectl exec client -- nslookup web').exit).toBe(0);
  });

  // The classic: a default-deny egress policy stops DNS too, until a rule lets the queries out.
  it.each([
    { cp: false, to: 'the CoreDNS pods', protocols: ['UDP', 'TCP'], resolves: true },
    { cp: true, to: 'the CoreDNS pods', protocols: ['UDP', 'TCP'], resolves: true },
    { cp: false, to: 'anywhere', protocols: ['UDP'], resolves: true },
    { cp: true, to: 'anywhere', protocols: ['UDP'], resolves: true },
    // Resolvers ask over UDP: a rule for TCP alone does not let them through.
    { cp: false, to: 'the CoreDNS pods', protocols: ['TCP'], resolves: false },
    { cp: true, to: 'the CoreDNS pods', protocols: ['TCP'], resolves: false },
  ])('default-deny egress (control plane: $cp), then DNS allowed to $to over $protocols: resolves $resolves', ({ cp, to, protocols, resolves }) => {
    const allow = allowDns(to === 'anywhere' ? '' : TO_COREDNS, protocols);
    const { run } = cluster(cp);
    expect(run('kubectl apply -f deny.yaml', { 'deny.yaml': DENY_EGRESS }).exit).toBe(0);
    expect(run('kubectl exec client -- nslookup web').out).toBe(IN_POD_TIMED_OUT);
    // The deny applies to the pod's own queries only: from outside a pod the name resolves.
    expect(run('kubeplay nslookup web').exit).toBe(0);
    expect(run('kubectl apply -f allow.yaml', { 'allow.yaml': allow }).exit).toBe(0);
    expect(run('kubectl exec client -- nslookup web').exit).toBe(resolves ? 0 : 1);
    // The name resolves, but the connection to web is still denied: it times out.
    if (resolves) expect(run('kubectl exec client -- wget -qO- -T 2 http://web').out).toBe(`wget: download timed out\n${EXEC_FAILED}`);
  });

  it('an ingress policy in kube-system that shuts CoreDNS off stops every pod’s lookups', () => {
    const { run } = cluster(true);
    const deny = DENY_EGRESS.replace('default-deny-egress}', 'deny-in, namespace: kube-system}').replace('[Egress]', '[Ingress]');
    expect(run('kubectl apply -f deny.yaml', { 'deny.yaml': deny }).exit).toBe(0);
    expect(run('kubectl exec client -- nslookup web').out).toBe(IN_POD_TIMED_OUT);
  });

  it("a pod's loop of requests says why its name does not resolve", () => {
    const { run, after } = cluster(true);
    run('kubectl scale deployment coredns -n kube-system --replicas=0');
    after(40);
    run('kubectl run load --image=busybox:1.36 -- /bin/sh -c "while sleep 0.1; do wget -q -O- http://web; done"');
    after(20);
    expect(run('kubectl logs load').out).toMatch(/each fails after the resolver times out: wget: bad address 'web'/);
    expect(run('kubeplay traffic stats').out).toMatch(/could not resolve host "web": no DNS server answers \(the kube-dns Service in kube-system has no ready endpoints/);
  });

  it('an address in the Service or pod range that nothing has is unreachable: the client times out', () => {
    const { run } = cluster(false);
    expect(run('kubectl exec client -- wget -qO- -T 2 http://10.96.200.200').out).toBe(`wget: download timed out\n${EXEC_FAILED}`);
    expect(run('kubectl exec client -- wget -qO- -T 2 http://10.244.7.99').out).toBe(`wget: download timed out\n${EXEC_FAILED}`);
  });
});

describe('the kube-dns Service deleted', () => {
  it('nothing answers at 10.96.0.10 any more: lookups time out', () => {
    const { run } = cluster(true);
    expect(run('kubectl delete service kube-dns -n kube-system').exit).toBe(0);
    expect(run('kubectl exec client -- nslookup web').out).toBe(IN_POD_TIMED_OUT);
  });
});
