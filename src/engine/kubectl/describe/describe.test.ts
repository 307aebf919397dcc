import { describe, expect, it } from 'vitest';
import { runCommand } from '../index.ts';
import { deployment, fakeSim, node, pod } from '../testutil/fixtures.ts';
import { rfc1123z } from './writer.ts';
import { createCluster } from '../../cluster.ts';
import type { Pod } from '../../api/types.ts';

function cluster() {
  const sim = fakeSim();
  sim.store.create(node('worker-1'));
  const d = sim.store.create(deployment('web'));
  const p = sim.store.create(pod('web-x1', { node: 'worker-1', ip: '10.244.1.2', owner: d }));
  sim.clock.set(10_000);
  sim.recordEvent(p, 'Normal', 'Scheduled', 'Successfully assigned default/web-x1 to worker-1', 'default-scheduler');
  sim.recordEvent(p, 'Warning', 'Unhealthy', 'Readiness probe failed: HTTP probe failed with statuscode: 503', 'kubelet', 'worker-1');
  sim.clock.set(40_000);
  sim.recordEvent(p, 'Warning', 'Unhealthy', 'Readiness probe failed: HTTP probe failed with statuscode: 503', 'kubelet', 'worker-1');
  sim.clock.set(75_000);
  return sim;
}

describe('describe', () => {
  it('rfc1123z', () => expect(rfc1123z('2025-01-01T00:00:10Z')).toBe('Wed, 01 Jan 2025 00:00:10 +0000'));

  it('pod', () => {
    expect(runCommand(cluster(), 'kubectl describe pod web-x1')).toEqual({
      exit: 0,
      out: `Name:             web-x1
Namespace:        default
Priority:         0
Service Account:  default
Node:             worker-1/10.0.0.2
Labels:           app=web
Annotations:      <none>
Status:           Running
IP:               10.244.1.2
IPs:
  IP:           10.244.1.2
Controlled By:  Deployment/web
Containers:
  web:
    Container ID:   
    Image:          nginx:1.25
    Image ID:       
    Port:           <none>
    Host Port:      <none>
    State:          Running
      Started:      Wed, 01 Jan 2025 00:00:00 +0000
    Ready:          True
    Restart Count:  0
    Environment:    <none>
    Mounts:         <none>
Conditions:
  Type           Status
  Ready          True 
Volumes:         <none>
QoS Class:       BestEffort
Node-Selectors:  <none>
Tolerations:     <none>
Events:
  Type     Reason     Age                From               Message
  ----     ------     ----               ----               -------
  Normal   Scheduled  65s                default-scheduler  Successfully assigned default/web-x1 to worker-1
  Warning  Unhealthy  35s (x2 over 65s)  kubelet            Readiness probe failed: HTTP probe failed with statuscode: 503
`,
    });
  });

  it('deployment', () => {
    expect(runCommand(cluster(), 'kubectl describe deployment web').out).toBe(`Name:                   web
Namespace:              default
CreationTimestamp:      Wed, 01 Jan 2025 00:00:00 +0000
Labels:                 app=web
Annotations:            <none>
Selector:               app=web
Replicas:               3 desired | 3 updated | 3 total | 3 available | 0 unavailable
StrategyType:           RollingUpdate
MinReadySeconds:        0
RollingUpdateStrategy:  25% max unavailable, 25% max surge
Pod Template:
  Labels:  app=web
  Containers:
   web:
    Image:         nginx:1.25
    Port:          <none>
    Host Port:     <none>
    Environment:   <none>
    Mounts:        <none>
  Volumes:         <none>
  Node-Selectors:  <none>
  Tolerations:     <none>
OldReplicaSets:    <none>
NewReplicaSet:     <none>
Events:            <none>
`);
  });

  it('node lists its pods and allocated resources', () => {
    const out = runCommand(cluster(), 'kubectl describe node worker-1').out;
    expect(out).toContain('Non-terminated Pods:          (1 in total)\n');
    // kubectl's empty column after Name: four spaces after the longest name.
    expect(out).toContain('  Namespace                   Name      CPU Requests  CPU Limits  Memory Requests  Memory Limits  Age\n');
    expect(out).toContain('  default                     web-x1    0 (0%)        0 (0%)      0 (0%)           0 (0%)         75s\n');
    expect(out).toContain('Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n');
    expect(out).toContain('  cpu                0 (0%)    0 (0%)\n  memory             0 (0%)    0 (0%)\n  ephemeral-storage  0 (0%)    0 (0%)\n');
  });

  it('configmap: each value as it is, binary data by size, then events', () => {
    const sim = fakeSim();
    sim.store.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'app', namespace: 'default' }, data: { greeting: 'hi', 'app.properties': 'color=blue\nworkers=4\n' }, binaryData: { 'logo.png': 'iVBORw0KGgo=' } });
    expect(runCommand(sim, 'kubectl describe configmap app').out).toBe(`Name:         app
Namespace:    default
Labels:       <none>
Annotations:  <none>

Data
====
greeting:
----
hi
app.properties:
----
color=blue
workers=4


BinaryData
====
logo.png: 8 bytes

Events:  <none>
`);
  });

  it('secret: the type and each key\'s size, aligned, and no events', () => {
    const sim = fakeSim();
    sim.store.create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'default' }, type: 'Opaque', data: { password: btoa('s3cret!'), 'username.long': btoa('admin') } });
    expect(runCommand(sim, 'kubectl describe secret db').out).toBe(`Name:         db
Namespace:    default
Labels:       <none>
Annotations:  <none>

Type:  Opaque

Data
====
password:       7 bytes
username.long:  5 bytes
`);
  });

  it('node: its Lease, renewed every 10 s until the kubelet stops', () => {
    const sim = createCluster({ seed: 1, nodes: [{ name: 'worker-1' }] });
    const lease = () => {
      const out = runCommand(sim, 'kubectl describe node worker-1').out;
      return out.slice(out.indexOf('Lease:'), out.indexOf('Conditions:'));
    };
    sim.runUntil(25_000);
    expect(lease()).toBe('Lease:\n  HolderIdentity:  worker-1\n  AcquireTime:     <unset>\n  RenewTime:       Wed, 01 Jan 2025 00:00:20 +0000\n');
    runCommand(sim, 'kubeplay node fail worker-1');
    sim.runUntil(60_000);
    expect(lease()).toContain('RenewTime:       Wed, 01 Jan 2025 00:00:20 +0000\n');
  });

  it('service: a Local LoadBalancer shows its health-check node port after the traffic policy', () => {
    const sim = createCluster({ seed: 1, nodes: [{ name: 'worker-1' }] });
    runCommand(sim, 'kubectl create deployment web --image=nginx');
    expect(runCommand(sim, 'kubectl expose deployment web --type=LoadBalancer --port=80').exit).toBe(0);
    expect(runCommand(sim, 'kubectl describe svc web').out).not.toContain('HealthCheck NodePort:');
    expect(runCommand(sim, `kubectl patch svc web -p '{"spec":{"externalTrafficPolicy":"Local"}}'`).exit).toBe(0);
    const hc = runCommand(sim, `kubectl get svc web -o jsonpath='{.spec.healthCheckNodePort}'`).out;
    expect(Number(hc)).toBeGreaterThanOrEqual(30000);
    expect(runCommand(sim, 'kubectl describe svc web').out).toContain(
      `External Traffic Policy:  Local\nHealthCheck NodePort:     ${hc}\nInternal Traffic Policy:  Cluster\n`,
    );
  });

  // A pod without status.qosClass (a status written whole through the API): describe classes it as
  // the API server does (qos.GetPodQOS): cpu and memory only, zero is nothing, quantities by value, init containers too.
  it.each([
    ['only ephemeral-storage requested', { requests: { 'ephemeral-storage': '1Gi' } }, undefined, 'BestEffort'],
    ['a zero cpu request', { requests: { cpu: '0' } }, undefined, 'BestEffort'],
    ['limits equal to requests written differently', { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '1000m', memory: '1024Mi' } }, undefined, 'Guaranteed'],
    ['an init container without limits', { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } }, { requests: { cpu: '100m' } }, 'Burstable'],
  ])('QoS Class without status.qosClass: %s', (_name, resources, initResources, want) => {
    const sim = fakeSim();
    const p = pod('web-q') as Pod;
    p.spec.containers[0].resources = resources;
    if (initResources) p.spec.initContainers = [{ name: 'init', image: 'busybox', resources: initResources }];
    sim.store.create(p);
    const out = runCommand(sim, 'kubectl describe pod web-q').out;
    expect(out).toMatch(new RegExp(`^QoS Class: +${want}$`, 'm'));
  });

  it('pod waiting for a node: no container status lines', () => {
    const sim = createCluster({ seed: 1, nodes: [{ name: 'worker-1', capacity: { cpu: '2' } }] });
    expect(runCommand(sim, `kubectl run big --image=nginx --overrides='{"spec":{"containers":[{"name":"big","image":"nginx","resources":{"requests":{"cpu":"3"}}}]}}'`).exit).toBe(0);
    sim.runUntil(10_000);
    const out = runCommand(sim, 'kubectl describe pod big').out;
    expect(out).toContain('Containers:\n  big:\n    Image:      nginx\n    Port:       <none>\n    Host Port:  <none>\n    Requests:\n');
    expect(out).not.toMatch(/Container ID:|Image ID:|State:|Ready:|Restart Count:/);
  });

  it('falls back to a name prefix and reports missing names', () => {
    const sim = cluster();
    expect(runCommand(sim, 'kubectl describe pod web').out).toContain('Name:             web-x1\n');
    expect(runCommand(sim, 'kubectl describe pod nope')).toEqual({ exit: 1, out: 'Error from server (NotFound): pods "nope" not found\n' });
  });
});

describe('describe shows a multi-line script line by line at one indent (describeContainerCommand)', () => {
  it('splits command and args on newlines', () => {
    const sim = createCluster({ seed: 1, nodes: [{ name: 'worker-1' }] });
    runCommand(sim, 'kubectl apply -f -', {
      stdin: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n    image: busybox:1.36\n    command: [sh, -c]\n    args:\n    - |\n      set -ex\n      sleep 3600\n',
    });
    expect(runCommand(sim, 'kubectl describe pod p').out).toContain('    Command:\n      sh\n      -c\n    Args:\n      set -ex\n      sleep 3600\n      \n');
  });
});
