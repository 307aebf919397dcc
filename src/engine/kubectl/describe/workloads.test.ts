import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../scenario/parse.ts';
import { startScenario } from '../../scenario/run.ts';
import { runCommand } from '../index.ts';

/** at starts a built-in scenario (its manifests, not its timeline) and runs its clock to `seconds`. */
function at(file: string, seconds: number) {
  const text = readFileSync(new URL(`../../../../scenarios/${file}`, import.meta.url), 'utf8');
  const { sim } = startScenario(parseScenario(text, file));
  sim.runUntil(seconds * 1000);
  return (line: string) => runCommand(sim, line).out;
}

/** section is the part of an output from one line's start up to (not including) another's. */
const section = (out: string, from: string, to: string) => out.slice(out.indexOf(from), out.indexOf(to, out.indexOf(from)));

describe('describe for StatefulSets, DaemonSets, Jobs, CronJobs, claims, volumes and Ingresses, as kubectl prints them', () => {
  it('statefulset: replicas, update strategy with its partition, pods, template and volume claim templates', () => {
    const out = at('statefulset.yaml', 30)('kubectl describe statefulset db');
    expect(section(out, 'Selector:', 'Pod Template:')).toBe(`Selector:           app=db
Labels:             <none>
Annotations:        <none>
Replicas:           3 desired | 3 total
Update Strategy:    RollingUpdate
  Partition:        0
Pods Status:        3 Running / 0 Waiting / 0 Succeeded / 0 Failed
`);
    expect(section(out, 'Volume Claims:', 'Events:')).toBe(`Volume Claims:
  Name:          data
  StorageClass:  
  Labels:        <none>
  Annotations:   <none>
  Capacity:      1Gi
  Access Modes:  [ReadWriteOnce]
`);
  });

  it('persistentvolumeclaim and persistentvolume: binding, the pod using the claim, node affinity and source', () => {
    const kubectl = at('statefulset.yaml', 30);
    const pvc = kubectl('kubectl describe pvc data-db-0');
    expect(pvc).toContain('StorageClass:  standard\nStatus:        Bound\nVolume:        pvc-');
    expect(section(pvc, 'Finalizers:', 'Events:')).toBe('Finalizers:    [kubernetes.io/pvc-protection]\nCapacity:      1Gi\nAccess Modes:  RWO\nVolumeMode:    Filesystem\nUsed By:       db-0\n');
    const name = pvc.slice(pvc.indexOf('Volume:        ') + 15, pvc.indexOf('\n', pvc.indexOf('Volume:        ')));
    const pv = kubectl(`kubectl describe pv ${name}`);
    expect(pv).toContain('Finalizers:        [kubernetes.io/pv-protection]\n');
    expect(pv).toContain('Claim:             default/data-db-0\nReclaim Policy:    Delete\nAccess Modes:      RWO\n');
    expect(section(pv, 'Node Affinity:', 'Message:')).toMatch(/^Node Affinity: {5}\n {2}Required Terms: {2}\n {4}Term 0: {8}kubernetes\.io\/hostname in \[worker-\d\]\n$/);
    expect(pv).toContain('Source:\n    Type:              CSI (a Container Storage Interface (CSI) volume source)\n    Driver:            rancher.io/local-path\n');
  });

  it('daemonset: the node counts, written without tabs as kubectl does', () => {
    const out = at('daemonset.yaml', 30)('kubectl describe daemonset');
    expect(out).toMatch(/Desired Number of Nodes Scheduled: \d+\nCurrent Number of Nodes Scheduled: \d+\nNumber of Nodes Scheduled with Up-to-date Pods: \d+\nNumber of Nodes Scheduled with Available Pods: \d+\nNumber of Nodes Misscheduled: 0\nPods Status: +\d+ Running \/ 0 Waiting \/ 0 Succeeded \/ 0 Failed\n/);
  });

  it('job and cronjob: completions, pod counts, duration; schedule, policy and history limits', () => {
    const kubectl = at('job-batch.yaml', 30);
    const job = kubectl('kubectl describe job pi');
    expect(section(job, 'Parallelism:', 'Pod Template:')).toBe(`Parallelism:      2
Completions:      4
Completion Mode:  NonIndexed
Suspend:          false
Backoff Limit:    6
Start Time:       Wed, 01 Jan 2025 00:00:00 +0000
Completed At:     Wed, 01 Jan 2025 00:00:19 +0000
Duration:         19s
Pods Statuses:    0 Active (0 Ready) / 4 Succeeded / 0 Failed
`);
    const cj = at('job-batch.yaml', 65)('kubectl describe cronjob report');
    expect(section(cj, 'Schedule:', 'Pod Template:')).toBe(`Schedule:                      * * * * *
Concurrency Policy:            Forbid
Suspend:                       False
Successful Job History Limit:  3
Failed Job History Limit:      1
Starting Deadline Seconds:     <unset>
Selector:                      <unset>
Parallelism:                   <unset>
Completions:                   <unset>
`);
    expect(cj).toMatch(/Last Schedule Time: {2}Wed, 01 Jan 2025 00:01:00 \+0000\nActive Jobs: {9}report-\d+\n/);
  });

  it('ingress: class, address and each rule\'s paths with the backend Service\'s endpoints', () => {
    const out = at('ingress-fanout.yaml', 30)('kubectl describe ingress shop');
    expect(out).toContain('Ingress Class:    nginx\nDefault backend:  <default>\nRules:\n  Host               Path  Backends\n  ----               ----  --------\n  shop.example.com   \n                     /          web:80 (');
    // admin's pod is still pulling its image: no ready endpoint, so no backend address (its requests get 503).
    expect(out).toMatch(/ {2}admin\.example\.com {2}\n {21}\/ {3}admin:http \(\)\n/);
    expect(at('ingress-fanout.yaml', 60)('kubectl describe ingress shop')).toMatch(/ {2}admin\.example\.com {2}\n {21}\/ {3}admin:http \(10\.244\.\d+\.\d+:8080\)\n/);
  });

  it("ingress: a backend's endpoints are its ready ones (formatEndpointSlices skips the rest)", () => {
    const text = `apiVersion: kubeplay.dev/v1alpha1
kind: Scenario
metadata: {name: starting}
spec:
  images: {slow:1: {startupSeconds: 100}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec: {replicas: 2, selector: {matchLabels: {app: web}}, template: {metadata: {labels: {app: web}}, spec: {containers: [
  {name: c, image: "slow:1", ports: [{containerPort: 80}], readinessProbe: {httpGet: {path: /, port: 80}}}]}}}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec: {selector: {app: web}, ports: [{port: 80}]}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web}
spec:
  rules:
  - http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
`;
    const { sim } = startScenario(parseScenario(text, 'starting.yaml'));
    sim.runUntil(20_000);
    expect(runCommand(sim, 'kubectl get pods').out).toMatch(/0\/1 {5}Running/);
    expect(runCommand(sim, 'kubectl describe ingress web').out).toContain('  *           \n              /   web:80 ()\n');
  });

  it('horizontalpodautoscaler: each metric as current / target in kubectl\'s wide alignment, the bounds and conditions', () => {
    const out = at('hpa.yaml', 120)('kubectl describe hpa php-apache');
    expect(out).toMatch(/^Name: {50}php-apache\n/);
    expect(out).toContain('Reference:                                             Deployment/php-apache\nMetrics:                                               ( current / target )\n  resource cpu on pods  (as a percentage of request):  ');
    expect(out).toMatch(/Min replicas: {42}1\nMax replicas: {42}10\nDeployment pods: {39}\d+ current \/ \d+ desired\nConditions:\n {2}Type {12}Status {2}Reason/);
  });

  it('namespace: its quotas (used against hard) and limit ranges, as the quota and limit range describers print them', () => {
    const kubectl = at('quota.yaml', 20);
    expect(kubectl('kubectl describe ns default')).toBe(`Name:         default
Labels:       kubernetes.io/metadata.name=default
Annotations:  <none>
Status:       Active

Resource Quotas
  Name:         compute
  Resource      Used  Hard
  --------      ---   ---
  limits.cpu    2     2
  pods          2     10
  requests.cpu  1     1

Resource Limits
 Type       Resource  Min  Max  Default Request  Default Limit  Max Limit/Request Ratio
 ----       --------  ---  ---  ---------------  -------------  -----------------------
 Container  cpu       -    2    500m             1              -
`);
    expect(kubectl('kubectl describe quota compute')).toBe('Name:         compute\nNamespace:    default\nResource      Used  Hard\n--------      ----  ----\nlimits.cpu    2     2\npods          2     10\nrequests.cpu  1     1\n');
    // The ReplicaSet the quota stops shows why, as kubectl prints a ReplicaSet's conditions (at 10 s: the
    // scale-down at 11 s is a sync with nothing refused, which drops the condition).
    expect(at('quota.yaml', 10)('kubectl describe rs')).toContain('Conditions:\n  Type             Status  Reason\n  ----             ------  ------\n  ReplicaFailure   True    FailedCreate\nEvents:\n');
    expect(kubectl('kubectl describe ns kube-system')).toContain('Status:       Active\n\nNo resource quota.\n\nNo LimitRange resource.\n');
  });
});
