import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../api/types.ts';
import { Sim } from '../../sim.ts';
import { printerFor } from './index.ts';
import { formatEndpoints } from './core.ts';

const sim = new Sim();
const ctx = { now: 3_600_000, sim };
const meta = (name: string, extra: Record<string, unknown> = {}) => ({ name, namespace: 'default', creationTimestamp: '2025-01-01T00:00:00Z', ...extra });

/** Each row: an object, the header kubectl prints for its kind, its row, and (optionally) the -o wide extras. */
const cases: { name: string; obj: KubeObject; header: string[]; row: string[]; wideHeader?: string[]; wideRow?: string[] }[] = [
  {
    name: 'pod',
    obj: {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: meta('web-1'),
      spec: { containers: [{ name: 'a', image: 'x' }], nodeName: 'n1' },
      status: { phase: 'Running', podIP: '10.244.0.5', containerStatuses: [{ name: 'a', image: 'x', ready: true, restartCount: 0, state: { running: {} } }] },
    },
    header: ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE'],
    row: ['web-1', '1/1', 'Running', '0', '60m'],
    wideHeader: ['IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES'],
    wideRow: ['10.244.0.5', 'n1', '<none>', '<none>'],
  },
  {
    name: 'deployment',
    obj: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: meta('web'),
      spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: { spec: { containers: [{ name: 'web', image: 'nginx:1.25' }, { name: 'log', image: 'fluentbit' }] } } },
      status: { readyReplicas: 2, updatedReplicas: 1, availableReplicas: 2 },
    },
    header: ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE'],
    row: ['web', '2/3', '1', '2', '60m'],
    wideHeader: ['CONTAINERS', 'IMAGES', 'SELECTOR'],
    wideRow: ['web,log', 'nginx:1.25,fluentbit', 'app=web'],
  },
  {
    name: 'replicaset',
    obj: {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: meta('web-5d4f'),
      spec: { replicas: 3, selector: { matchLabels: { app: 'web', 'pod-template-hash': '5d4f' } }, template: { spec: { containers: [{ name: 'web', image: 'nginx' }] } } },
      status: { replicas: 2, readyReplicas: 1 },
    },
    header: ['NAME', 'DESIRED', 'CURRENT', 'READY', 'AGE'],
    row: ['web-5d4f', '3', '2', '1', '60m'],
    wideHeader: ['CONTAINERS', 'IMAGES', 'SELECTOR'],
    wideRow: ['web', 'nginx', 'app=web,pod-template-hash=5d4f'],
  },
  {
    name: 'service ClusterIP',
    obj: { apiVersion: 'v1', kind: 'Service', metadata: meta('web'), spec: { type: 'ClusterIP', clusterIP: '10.96.12.7', selector: { app: 'web' }, ports: [{ port: 80, protocol: 'TCP' }, { port: 443, protocol: 'TCP' }] } },
    header: ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE'],
    row: ['web', 'ClusterIP', '10.96.12.7', '<none>', '80/TCP,443/TCP', '60m'],
    wideHeader: ['SELECTOR'],
    wideRow: ['app=web'],
  },
  {
    name: 'service NodePort',
    obj: { apiVersion: 'v1', kind: 'Service', metadata: meta('np'), spec: { type: 'NodePort', clusterIP: '10.96.0.20', ports: [{ port: 80, nodePort: 30080, protocol: 'TCP' }] } },
    header: ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE'],
    row: ['np', 'NodePort', '10.96.0.20', '<none>', '80:30080/TCP', '60m'],
  },
  {
    name: 'service LoadBalancer pending',
    obj: { apiVersion: 'v1', kind: 'Service', metadata: meta('lb'), spec: { type: 'LoadBalancer', clusterIP: '10.96.0.21', ports: [{ port: 80, nodePort: 31000, protocol: 'TCP' }] } },
    header: ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE'],
    row: ['lb', 'LoadBalancer', '10.96.0.21', '<pending>', '80:31000/TCP', '60m'],
  },
  {
    name: 'node cordoned control-plane',
    obj: {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'cp-1', creationTimestamp: '2025-01-01T00:00:00Z', labels: { 'node-role.kubernetes.io/control-plane': '' } },
      spec: { unschedulable: true },
      status: { capacity: {}, allocatable: {}, conditions: [{ type: 'Ready', status: 'True' }], nodeInfo: { kubeletVersion: 'v1.31.4' }, addresses: [{ type: 'InternalIP', address: '10.0.0.1' }] },
    },
    header: ['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION'],
    row: ['cp-1', 'Ready,SchedulingDisabled', 'control-plane', '60m', 'v1.31.4'],
    wideHeader: ['INTERNAL-IP', 'EXTERNAL-IP', 'OS-IMAGE', 'KERNEL-VERSION', 'CONTAINER-RUNTIME'],
    wideRow: ['10.0.0.1', '<none>', '<unknown>', '<unknown>', '<unknown>'],
  },
  {
    name: 'node not ready (Ready=Unknown prints NotReady)',
    obj: { apiVersion: 'v1', kind: 'Node', metadata: { name: 'w', creationTimestamp: '2025-01-01T00:00:00Z' }, spec: {}, status: { capacity: {}, allocatable: {}, conditions: [{ type: 'Ready', status: 'Unknown' }] } },
    header: ['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION'],
    row: ['w', 'NotReady', '<none>', '60m', ''],
  },
  {
    name: 'endpoints (3 shown, rest counted)',
    obj: {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: meta('web'),
      subsets: [{ addresses: [{ ip: '10.244.0.1' }, { ip: '10.244.0.2' }, { ip: '10.244.0.3' }, { ip: '10.244.0.4' }], ports: [{ port: 8080 }] }],
    },
    header: ['NAME', 'ENDPOINTS', 'AGE'],
    row: ['web', '10.244.0.1:8080,10.244.0.2:8080,10.244.0.3:8080 + 1 more...', '60m'],
  },
  {
    name: 'endpoints empty',
    obj: { apiVersion: 'v1', kind: 'Endpoints', metadata: meta('none') },
    header: ['NAME', 'ENDPOINTS', 'AGE'],
    row: ['none', '<none>', '60m'],
  },
  {
    name: 'endpointslice',
    obj: { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: meta('web-abcde'), addressType: 'IPv4', ports: [{ port: 8080 }], endpoints: [{ addresses: ['10.244.0.1'] }, { addresses: ['10.244.0.2'] }] },
    header: ['NAME', 'ADDRESSTYPE', 'PORTS', 'ENDPOINTS', 'AGE'],
    row: ['web-abcde', 'IPv4', '8080', '10.244.0.1,10.244.0.2', '60m'],
  },
  {
    name: 'namespace',
    obj: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'dev', creationTimestamp: '2025-01-01T00:00:00Z' }, status: { phase: 'Active' } },
    header: ['NAME', 'STATUS', 'AGE'],
    row: ['dev', 'Active', '60m'],
  },
  {
    name: 'configmap',
    obj: { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta('cfg'), data: { a: '1', b: '2' } },
    header: ['NAME', 'DATA', 'AGE'],
    row: ['cfg', '2', '60m'],
  },
  {
    name: 'secret',
    obj: { apiVersion: 'v1', kind: 'Secret', metadata: meta('s'), type: 'Opaque', data: { pw: 'aHVudGVyMg==' } },
    header: ['NAME', 'TYPE', 'DATA', 'AGE'],
    row: ['s', 'Opaque', '1', '60m'],
  },
  {
    name: 'event repeated',
    obj: {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: meta('web-1.abc'),
      involvedObject: { kind: 'Pod', name: 'web-1' },
      reason: 'BackOff',
      message: 'Back-off restarting failed container',
      type: 'Warning',
      count: 5,
      firstTimestamp: '2025-01-01T00:10:00Z',
      lastTimestamp: '2025-01-01T00:58:00Z',
      source: { component: 'kubelet' },
    },
    header: ['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE'],
    row: ['2m', 'Warning', 'BackOff', 'pod/web-1', 'Back-off restarting failed container'],
  },
  {
    name: 'generic fallback',
    obj: { apiVersion: 'example.com/v1', kind: 'Widget', metadata: meta('j') },
    header: ['NAME', 'AGE'],
    row: ['j', '60m'],
  },
];

describe('table printers', () => {
  for (const c of cases) {
    it(c.name, () => {
      const p = printerFor(c.obj.kind);
      expect(p.columns).toEqual(c.header);
      expect(p.row(c.obj, ctx)).toEqual(c.row);
      if (c.wideHeader) {
        expect(p.wide).toEqual(c.wideHeader);
        expect(p.wideRow!(c.obj, ctx)).toEqual(c.wideRow);
      }
    });
  }
  it('event -o wide: SUBOBJECT and SOURCE before MESSAGE, FIRST SEEN, COUNT and NAME after it', () => {
    const ev = cases.find((c) => c.name === 'event repeated')!.obj;
    const wide = printerFor('Event').wideTable!;
    expect(wide.columns).toEqual(['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'SUBOBJECT', 'SOURCE', 'MESSAGE', 'FIRST SEEN', 'COUNT', 'NAME']);
    expect(wide.row(ev, ctx)).toEqual(['2m', 'Warning', 'BackOff', 'pod/web-1', '', 'kubelet', 'Back-off restarting failed container', '50m', '5', 'web-1.abc']);
  });
});

describe('formatEndpoints (printers.go)', () => {
  const ep = (subsets: unknown) => ({ apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'e' }, subsets }) as KubeObject;
  const two = [{ ip: '10.244.0.2' }, { ip: '10.244.1.3' }];
  it.each<[string, unknown, string]>([
    ['no subsets', undefined, '<none>'],
    ['port by port, then address', [{ addresses: two, ports: [{ name: 'a', port: 80 }, { name: 'b', port: 81 }] }], '10.244.0.2:80,10.244.1.3:80,10.244.0.2:81 + 1 more...'],
    ['only not-ready addresses: blank', [{ notReadyAddresses: two, ports: [{ port: 80 }] }], ''],
    ['a headless subset without ports: bare IPs', [{ addresses: two }], '10.244.0.2,10.244.1.3'],
  ])('%s', (_name, subsets, want) => expect(formatEndpoints(ep(subsets))).toBe(want));
});
