import { describe, expect, it } from 'vitest';
import { runCommand } from '../index.ts';
import { deployment, fakeSim, node, pod } from '../testutil/fixtures.ts';
import { rfc1123z } from './writer.ts';

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
    expect(out).toContain('  default                     web-x1  0 (0%)        0 (0%)      0 (0%)           0 (0%)         75s\n');
    expect(out).toContain('Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n');
  });

  it('falls back to a name prefix and reports missing names', () => {
    const sim = cluster();
    expect(runCommand(sim, 'kubectl describe pod web').out).toContain('Name:             web-x1\n');
    expect(runCommand(sim, 'kubectl describe pod nope')).toEqual({ exit: 1, out: 'Error from server (NotFound): pods "nope" not found\n' });
  });
});
