import { describe, expect, it } from 'vitest';
import { createCluster } from '../cluster.ts';
import { runCommand } from '../kubectl/index.ts';

describe("what an official image's own program listens on", () => {
  const cluster = () => {
    const sim = createCluster({ seed: 1, nodes: [{ name: 'worker-1' }] });
    const run = (line: string) => runCommand(sim, line);
    return { sim, run };
  };

  it('nginx listens on 80 only: a Service whose targetPort misses it is refused, as in a real cluster', () => {
    const { sim, run } = cluster();
    run('kubectl create deployment web --image=nginx:1.27 --replicas=2');
    run('kubectl expose deployment web --port=80 --target-port=8080');
    run('kubectl create deployment ok --image=nginx:1.27');
    run('kubectl expose deployment ok --port=80');
    sim.runUntil(30_000);
    expect(run('kubeplay curl web')).toEqual({ exit: 7, out: "curl: (7) Failed to connect to web port 80 after 0 ms: Couldn't connect to server\n" });
    expect(run('kubeplay curl ok').out).toMatch(/^GET \/ served by ok-/);
    // The endpoints still list the pods: the endpoints controller does not know what they listen on.
    expect(run('kubectl get endpoints web').out).toMatch(/10\.244\.0\.\d+:8080,10\.244\.0\.\d+:8080/);
  });

  it("declaring containerPort 8080 does not make nginx listen there (it is only informational): 8080 is refused, 80 answers", () => {
    const { sim, run } = cluster();
    run('kubectl create deployment web --image=nginx:1.25 --port=8080');
    run('kubectl expose deployment web --name=wrong --port=80 --target-port=8080');
    run('kubectl expose deployment web --name=right --port=80 --target-port=80');
    sim.runUntil(30_000);
    expect(run('kubeplay curl wrong')).toEqual({ exit: 7, out: "curl: (7) Failed to connect to wrong port 80 after 0 ms: Couldn't connect to server\n" });
    expect(run('kubeplay curl right').out).toMatch(/^GET \/ served by web-/);
  });

  it('a readiness probe on a port nginx does not listen on fails, and the pod stays out of the endpoints', () => {
    const { sim, run } = cluster();
    sim.service<{ create(o: unknown): unknown }>('api').create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', namespace: 'default', labels: { app: 'p' } },
      spec: { containers: [{ name: 'web', image: 'nginx:1.27', readinessProbe: { httpGet: { path: '/', port: 8080 }, periodSeconds: 5 } }] },
    });
    sim.runUntil(30_000);
    expect(run('kubectl get pod p').out).toMatch(/\np +0\/1 +Running /);
    expect(run('kubectl describe pod p').out).toContain('Readiness probe failed: Get "http://10.244.0.2:8080/": dial tcp 10.244.0.2:8080: connect: connection refused');
  });

  it('an image it does not know, or a container with its own command, may listen anywhere', () => {
    const { sim, run } = cluster();
    run('kubectl create deployment app --image=example.com/shop:v1');
    run('kubectl expose deployment app --port=80 --target-port=9000');
    sim.runUntil(30_000);
    expect(run('kubeplay curl app').out).toMatch(/^GET \/ served by app-/);
  });
});

describe("the tutorials' sample applications answer as their sources do", () => {
  it('kubernetes-bootcamp names its pod and version (v=2 after the rolling update), hello-app its version and hostname', () => {
    const sim = createCluster({ seed: 1, nodes: [{ name: 'minikube' }] });
    const run = (line: string) => runCommand(sim, line);
    run('kubectl create deployment kubernetes-bootcamp --image=gcr.io/google-samples/kubernetes-bootcamp:v1');
    run('kubectl expose deployment/kubernetes-bootcamp --type=NodePort --port 8080');
    run('kubectl create deployment hello --image=gcr.io/google-samples/hello-app:2.0');
    run('kubectl expose deployment/hello --port 80 --target-port 8080');
    sim.runUntil(30_000);
    const pod = (app: string) => run(`kubectl get pods -l app=${app} -o jsonpath={.items[0].metadata.name}`).out;
    expect(run('kubeplay curl http://kubernetes-bootcamp:8080').out).toBe(`Hello Kubernetes bootcamp! | Running on: ${pod('kubernetes-bootcamp')} | v=1\n`);
    expect(run('kubeplay curl hello').out).toBe(`Hello, world!\nVersion: 2.0.0\nHostname: ${pod('hello')}\n`);
    // Module 3's kubectl logs: the app's start line.
    expect(run(`kubectl logs ${pod('kubernetes-bootcamp')}`).out).toMatch(new RegExp(`^Kubernetes Bootcamp App Started At: 2025-01-01T00:00:0\\d\\.\\d{3}Z \\| Running On:  ${pod('kubernetes-bootcamp')} \\n\\n$`));
    run('kubectl set image deployments/kubernetes-bootcamp kubernetes-bootcamp=gcr.io/google-samples/kubernetes-bootcamp:v2');
    sim.runUntil(90_000);
    expect(run('kubeplay curl http://kubernetes-bootcamp:8080').out).toMatch(/^Hello Kubernetes bootcamp! \| Running on: kubernetes-bootcamp-\w+-\w+ \| v=2\n$/);
  });
});
