import { describe, expect, it } from 'vitest';
import { createCluster } from './cluster.ts';
import { runCommand } from './kubectl/index.ts';

/** The kube-system objects of a kubeadm control plane (cluster.controlPlane), as kubeadm 1.32 makes them. */
describe('kubeadm addons', () => {
  const sim = createCluster({ seed: 5, nodes: [{ name: 'worker-1' }, { name: 'worker-2' }], controlPlane: { name: 'control-plane' } });
  const run = (line: string) => runCommand(sim, line).out;
  sim.runUntil(20_000);

  it('their ServiceAccounts, and CoreDNS its RBAC', () => {
    expect(run('kubectl get serviceaccounts -n kube-system -o name')).toMatch(/serviceaccount\/coredns\n(?:.*\n)*serviceaccount\/kube-proxy\n/);
    expect(run("kubectl get clusterrolebinding system:coredns -o jsonpath='{.roleRef.name} {.subjects[0].name}'")).toBe('system:coredns coredns');
    expect(run('kubectl auth can-i list endpointslices.discovery.k8s.io --as=system:serviceaccount:kube-system:coredns')).toBe('yes\n');
  });

  it("CoreDNS runs as kubeadm's Deployment says: its account, the node's resolver, probed by its health and ready plugins", () => {
    const out = run('kubectl describe pods -n kube-system -l k8s-app=kube-dns');
    expect(out).toMatch(/\nService Account: +coredns\n/);
    expect(out).toContain('    Liveness:     http-get http://:8080/health delay=60s timeout=5s period=10s #success=1 #failure=5\n');
    expect(out).toContain('    Readiness:    http-get http://:8181/ready delay=0s timeout=1s period=10s #success=1 #failure=3\n');
    expect(run("kubectl get deploy coredns -n kube-system -o jsonpath='{.spec.template.spec.dnsPolicy}'")).toBe('Default');
    // The readiness probe passes: both are Ready, and names resolve.
    expect(run('kubectl get deploy coredns -n kube-system')).toMatch(/coredns +2\/2 /);
    expect(run('kubeplay nslookup kubernetes')).toContain('Name:\tkubernetes.default.svc.cluster.local\n');
  });

  it("kube-proxy's pods run as its account", () => {
    expect(run("kubectl get ds kube-proxy -n kube-system -o jsonpath='{.spec.template.spec.serviceAccountName}'")).toBe('kube-proxy');
  });
});
