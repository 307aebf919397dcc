import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../scenario/parse.ts';
import { startScenario } from '../../scenario/run.ts';
import { createCluster } from '../../cluster.ts';
import type { ApiServer } from '../../api/server.ts';
import { runCommand } from '../index.ts';

function at(file: string, seconds: number) {
  const text = readFileSync(new URL(`../../../../scenarios/${file}`, import.meta.url), 'utf8');
  const { sim } = startScenario(parseScenario(text, file));
  sim.runUntil(seconds * 1000);
  return (line: string) => runCommand(sim, line).out;
}

describe('describe for RBAC objects, service accounts, endpoints, disruption budgets, storage and priority classes', () => {
  const kubectl = at('rbac.yaml', 20);

  it('role: the rules broken down, compacted and sorted as kubectl sorts them', () => {
    expect(kubectl('kubectl describe role pod-reader -n team-a')).toBe(`Name:         pod-reader
Labels:       <none>
Annotations:  <none>
PolicyRule:
  Resources  Non-Resource URLs  Resource Names  Verbs
  ---------  -----------------  --------------  -----
  pods       []                 []              [get list watch]
`);
    // PolicyRule.String() order: a subresource ("pods/log") before its resource ("pods").
    const view = kubectl('kubectl describe clusterrole view');
    expect(view.indexOf('  pods/log ')).toBeLessThan(view.indexOf('  pods  '));
  });

  it('rolebinding and serviceaccount', () => {
    expect(kubectl('kubectl describe rolebinding deployer-reads-pods -n team-a')).toBe(`Name:         deployer-reads-pods
Labels:       <none>
Annotations:  <none>
Role:
  Kind:  Role
  Name:  pod-reader
Subjects:
  Kind            Name      Namespace
  ----            ----      ---------
  ServiceAccount  deployer  team-a
`);
    expect(kubectl('kubectl describe sa deployer -n team-a')).toBe(`Name:                deployer
Namespace:           team-a
Labels:              <none>
Annotations:         <none>
Image pull secrets:  <none>
Mountable secrets:   <none>
Tokens:              <none>
Events:              <none>
`);
  });

  it('endpoints and priorityclass', () => {
    expect(kubectl('kubectl describe ep kubernetes')).toContain('Subsets:\n  Addresses:          192.168.49.2\n  NotReadyAddresses:  <none>\n  Ports:\n    Name   Port  Protocol\n    ----   ----  --------\n    https  6443  TCP\n\nEvents:  <none>\n');
    expect(kubectl('kubectl describe priorityclass system-cluster-critical')).toContain('Value:             2000000000\nGlobalDefault:     false\nPreemptionPolicy:  PreemptLowerPriority\n');
  });

  it('poddisruptionbudget and storageclass', () => {
    const sim = createCluster({ seed: 2, nodes: [{ name: 'node-1' }] });
    const api = sim.service<ApiServer>('api');
    api.create({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'web', namespace: 'default' }, spec: { minAvailable: 2, selector: { matchLabels: { app: 'web' } } } } as never);
    api.create({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'fast', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } }, provisioner: 'rancher.io/local-path', reclaimPolicy: 'Delete', volumeBindingMode: 'WaitForFirstConsumer' } as never);
    sim.settle();
    expect(runCommand(sim, 'kubectl describe pdb web').out).toBe(`Name:           web
Namespace:      default
Min available:  2
Selector:       app=web
Status:
    Allowed disruptions:  0
    Current:              0
    Desired:              2
    Total:                0
Events:                   <none>
`);
    expect(runCommand(sim, 'kubectl describe storageclass fast').out).toBe(`Name:                  fast
IsDefaultClass:        Yes
Annotations:           storageclass.kubernetes.io/is-default-class=true
Provisioner:           rancher.io/local-path
Parameters:            <none>
AllowVolumeExpansion:  <unset>
MountOptions:          <none>
ReclaimPolicy:         Delete
VolumeBindingMode:     WaitForFirstConsumer
Events:                <none>
`);
  });

  it('networkpolicy: the selected pods and, per direction, the ports and peers allowed', () => {
    const sim = createCluster({ seed: 2, nodes: [{ name: 'node-1' }] });
    const api = sim.service<ApiServer>('api');
    api.create({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'db', namespace: 'default' }, spec: { podSelector: { matchLabels: { app: 'db' } }, ingress: [{ from: [{ podSelector: { matchLabels: { role: 'api' } } }], ports: [{ port: 5432 }] }, { from: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }] }] } } as never);
    sim.settle();
    expect(runCommand(sim, 'kubectl describe netpol db').out).toBe(`Name:         db
Namespace:    default
Created on:   2025-01-01 00:00:00 +0000 UTC
Labels:       <none>
Annotations:  <none>
Spec:
  PodSelector:     app=db
  Allowing ingress traffic:
    To Port: 5432/TCP
    From:
      PodSelector: role=api
    ----------
    To Port: <any> (traffic allowed to all ports)
    From:
      IPBlock:
        CIDR: 10.0.0.0/8
        Except: 10.1.0.0/16
  Not affecting egress traffic
  Policy Types: Ingress
Events:  <none>
`);
  });

  it('ingressclass and endpointslice', () => {
    const k = at('ingress-fanout.yaml', 30);
    expect(k('kubectl describe ingressclass nginx')).toBe('Name:         nginx\nLabels:       <none>\nAnnotations:  ingressclass.kubernetes.io/is-default-class: true\nController:   k8s.io/ingress-nginx\nEvents:       <none>\n');
    const slice = k('kubectl describe endpointslice -l kubernetes.io/service-name=api');
    expect(slice).toContain('AddressType:  IPv4\nPorts:\n  Name  Port  Protocol\n  ----  ----  --------\n  http  8080  TCP\nEndpoints:\n  - Addresses:  10.244.');
    expect(slice).toMatch(/\n {4}Conditions:\n {6}Ready: {4}true\n {4}Hostname: {3}<unset>\n {4}TargetRef: {2}Pod\/api-[a-z0-9]+-[a-z0-9]{5}\n {4}NodeName: {3}worker-\d\n {4}Zone: {7}<unset>\n/);
  });
});
