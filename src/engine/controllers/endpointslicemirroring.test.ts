import { describe, expect, it } from 'vitest';
import { createCluster } from '../cluster.ts';
import { runCommand } from '../kubectl/index.ts';
import type { KubeObject } from '../api/types.ts';
import { MIRRORING_MANAGED_BY } from './endpointslicemirroring.ts';

/** The docs' "Services without selectors" example: my-service, and Endpoints sending it to 192.0.2.42:9376. */
const MY_SERVICE = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'my-service' }, spec: { ports: [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 9376 }] } };

function endpoints(subsets: unknown[], meta: { labels?: Record<string, string>; annotations?: Record<string, string> } = {}) {
  return { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'my-service', ...meta }, subsets };
}

const addr = (ip: string, extra: Record<string, unknown> = {}) => ({ ip, ...extra });
const HTTP = [{ name: 'http', port: 9376, protocol: 'TCP' }];

function cluster() {
  const sim = createCluster({ seed: 1, nodes: [{ name: 'node-1' }] });
  const run = (line: string, stdin?: string) => {
    const r = runCommand(sim, line, { stdin });
    sim.settle();
    return r;
  };
  const apply = (...objs: unknown[]) => {
    for (const o of objs) expect(run('kubectl apply -f -', JSON.stringify(o)).out).toMatch(/created|configured|unchanged/);
  };
  /** stored puts Endpoints in the store as they are: the API server now refuses an address that is no IP,
   * but one stored before (or by a writer that skips validation) still reaches the controller. */
  const stored = (o: { metadata: object }) => {
    sim.store.create({ ...o, metadata: { namespace: 'default', ...o.metadata } } as KubeObject);
    sim.settle();
  };
  const mirrored = (name = 'my-service'): KubeObject[] =>
    sim.store.list('EndpointSlice', 'default').filter((s) => s.metadata.labels?.['endpointslice.kubernetes.io/managed-by'] === MIRRORING_MANAGED_BY && s.metadata.labels?.['kubernetes.io/service-name'] === name);
  const events = (reason: string) => sim.store.list('Event', 'default').filter((e: any) => e.reason === reason);
  return { sim, run, apply, stored, mirrored, events };
}

describe('which Endpoints are mirrored', () => {
  const table: { name: string; service?: object; endpoints: object; slices: number }[] = [
    { name: 'a Service without a selector: its Endpoints are mirrored', service: MY_SERVICE, endpoints: endpoints([{ addresses: [addr('192.0.2.42')], ports: HTTP }]), slices: 1 },
    {
      name: 'skip-mirror=true: not mirrored',
      service: MY_SERVICE,
      endpoints: endpoints([{ addresses: [addr('192.0.2.42')], ports: HTTP }], { labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } }),
      slices: 0,
    },
    {
      name: 'skip-mirror other than "true": mirrored',
      service: MY_SERVICE,
      endpoints: endpoints([{ addresses: [addr('192.0.2.42')], ports: HTTP }], { labels: { 'endpointslice.kubernetes.io/skip-mirror': 'false' } }),
      slices: 1,
    },
    {
      name: 'a leader-election lock: not mirrored',
      service: MY_SERVICE,
      endpoints: endpoints([{ addresses: [addr('192.0.2.42')], ports: HTTP }], { annotations: { 'control-plane.alpha.kubernetes.io/leader': '{}' } }),
      slices: 0,
    },
    { name: 'a Service with a selector: the endpoints controller owns its Endpoints', service: { ...MY_SERVICE, spec: { ...MY_SERVICE.spec, selector: { app: 'web' } } }, endpoints: endpoints([{ addresses: [addr('192.0.2.42')], ports: HTTP }]), slices: 0 },
    { name: 'no Service of that name: not mirrored', endpoints: endpoints([{ addresses: [addr('192.0.2.42')], ports: HTTP }]), slices: 0 },
    { name: 'no subsets: no slice (no placeholder, unlike the EndpointSlice controller)', service: MY_SERVICE, endpoints: endpoints([]), slices: 0 },
    { name: 'addresses without ports drop out when repacked', service: MY_SERVICE, endpoints: endpoints([{ addresses: [addr('192.0.2.42')] }]), slices: 0 },
    { name: 'two subsets, different ports: a slice each', service: MY_SERVICE, endpoints: endpoints([{ addresses: [addr('192.0.2.42')], ports: HTTP }, { addresses: [addr('192.0.2.43')], ports: [{ name: 'http', port: 8080 }] }]), slices: 2 },
    { name: 'two subsets, the same ports: repacked into one slice', service: MY_SERVICE, endpoints: endpoints([{ addresses: [addr('192.0.2.42')], ports: HTTP }, { addresses: [addr('192.0.2.43')], ports: HTTP }]), slices: 1 },
    { name: 'IPv4 and IPv6 addresses: a slice per family', service: MY_SERVICE, endpoints: endpoints([{ addresses: [addr('192.0.2.42'), addr('2001:db8::1')], ports: HTTP }]), slices: 2 },
  ];
  it.each(table)('$name', ({ service, endpoints: ep, slices }) => {
    const c = cluster();
    if (service) c.apply(service);
    c.apply(ep);
    expect(c.mirrored()).toHaveLength(slices);
    // The EndpointSlice controller's slice is there only for the Service with a selector.
    const all = c.sim.store.list('EndpointSlice', 'default').filter((s) => s.metadata.labels?.['kubernetes.io/service-name'] === 'my-service');
    expect(all).toHaveLength(slices + ((service as any)?.spec.selector ? 1 : 0));
  });
});

describe('a mirrored slice', () => {
  it('is named, labelled, annotated and owned as the mirroring controller makes it', () => {
    const c = cluster();
    c.apply(MY_SERVICE);
    c.apply(endpoints([{ addresses: [addr('192.0.2.42')], ports: HTTP }], { labels: { team: 'payments' }, annotations: { note: 'by hand', 'endpoints.kubernetes.io/last-change-trigger-time': '2025-01-01T00:00:00Z' } }));
    const ep = c.sim.store.get('Endpoints', 'default', 'my-service')!;
    const [s] = c.mirrored();
    expect(s.metadata.name).toMatch(/^my-service-[a-z0-9]{5}$/);
    expect(s.metadata.generateName).toBe('my-service-');
    expect(s.metadata.labels).toEqual({ team: 'payments', 'kubernetes.io/service-name': 'my-service', 'endpointslice.kubernetes.io/managed-by': 'endpointslicemirroring-controller.k8s.io' });
    // kubectl apply's last-applied-configuration and the trigger time stay on the Endpoints.
    expect(ep.metadata.annotations).toHaveProperty(['kubectl.kubernetes.io/last-applied-configuration']);
    expect(s.metadata.annotations).toEqual({ note: 'by hand' });
    expect(s.metadata.ownerReferences).toEqual([{ apiVersion: 'v1', kind: 'Endpoints', name: 'my-service', uid: ep.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    expect(s.addressType).toBe('IPv4');
    expect(s.ports).toEqual([{ name: 'http', port: 9376, protocol: 'TCP' }]);
    expect(s.endpoints).toEqual([{ addresses: ['192.0.2.42'], conditions: { ready: true } }]);
  });

  const table: { name: string; subsets: object[]; want: [string, boolean][]; stored?: boolean }[] = [
    { name: 'addresses are ready, notReadyAddresses not', subsets: [{ addresses: [addr('192.0.2.2'), addr('192.0.2.1')], notReadyAddresses: [addr('192.0.2.3')], ports: HTTP }], want: [['192.0.2.1', true], ['192.0.2.2', true], ['192.0.2.3', false]] },
    { name: 'listed both ways: not ready trumps ready', subsets: [{ addresses: [addr('192.0.2.1')], notReadyAddresses: [addr('192.0.2.1')], ports: HTTP }], want: [['192.0.2.1', false]] },
    { name: 'a sloppy address is printed canonically', subsets: [{ addresses: [addr('192.000.002.010')], ports: HTTP }], want: [['192.0.2.10', true]] },
    { name: 'an address that is no IP is skipped', subsets: [{ addresses: [addr('not-an-ip'), addr('192.0.2.1')], ports: HTTP }], want: [['192.0.2.1', true]], stored: true },
  ];
  it.each(table)('$name', ({ subsets, want, stored }) => {
    const c = cluster();
    c.apply(MY_SERVICE);
    if (stored) c.stored(endpoints(subsets));
    else c.apply(endpoints(subsets));
    const [s] = c.mirrored();
    expect(s.endpoints.map((e: any) => [e.addresses[0], e.conditions.ready])).toEqual(want);
  });

  it('keeps targetRef, nodeName and hostname', () => {
    const c = cluster();
    const targetRef = { kind: 'Pod', namespace: 'default', name: 'db-0', uid: 'u-1' };
    c.apply(MY_SERVICE, endpoints([{ addresses: [addr('10.244.0.99', { hostname: 'db-0', nodeName: 'node-1', targetRef })], ports: HTTP }]));
    expect(c.mirrored()[0].endpoints).toEqual([{ addresses: ['10.244.0.99'], conditions: { ready: true }, hostname: 'db-0', targetRef, nodeName: 'node-1' }]);
  });

  it('an invalid address is a Warning InvalidIPAddress on the Endpoints', () => {
    const c = cluster();
    c.apply(MY_SERVICE);
    c.stored(endpoints([{ addresses: [addr('not-an-ip'), addr('nor-this')], ports: HTTP }]));
    expect(c.mirrored()).toHaveLength(0);
    expect(c.events('InvalidIPAddress').map((e: any) => [e.type, e.message, e.involvedObject.kind, e.source.component])).toEqual([
      ['Warning', 'Skipped 2 invalid IP addresses when mirroring to EndpointSlices', 'Endpoints', 'endpoint-slice-mirroring-controller'],
    ]);
  });

  it('mirrors at most 1000 addresses of a subset, ready ones first, and says how many it skipped', () => {
    const c = cluster();
    const ips = (n: number, third: number) => Array.from({ length: n }, (_, i) => addr(`10.${third}.${i >> 8}.${i & 255}`));
    c.apply(MY_SERVICE, endpoints([{ addresses: ips(900, 1), notReadyAddresses: ips(200, 2), ports: HTTP }]));
    const [s] = c.mirrored();
    expect(s.endpoints).toHaveLength(1000);
    expect(s.endpoints.filter((e: any) => e.conditions.ready)).toHaveLength(900);
    expect(c.events('TooManyAddressesToMirror').map((e: any) => e.message)).toEqual(['A max of 1000 addresses can be mirrored to EndpointSlices per Endpoints subset. 100 addresses were skipped']);
    expect(c.events('InvalidIPAddress')).toHaveLength(0);
  });
});

describe('the mirror follows the Endpoints and the Service', () => {
  const table: { name: string; change: (c: ReturnType<typeof cluster>) => void; want: string[] | 'same' }[] = [
    { name: 'an address added: the same slice, updated', change: (c) => c.apply(endpoints([{ addresses: [addr('192.0.2.42'), addr('192.0.2.43')], ports: HTTP }])), want: ['192.0.2.42', '192.0.2.43'] },
    { name: 'the Endpoints deleted: the slice goes', change: (c) => expect(c.run('kubectl delete endpoints my-service').exit).toBe(0), want: [] },
    { name: 'the Service deleted: the slice goes', change: (c) => expect(c.run('kubectl delete service my-service').exit).toBe(0), want: [] },
    { name: 'the Service given a selector: the slice goes', change: (c) => c.apply({ ...MY_SERVICE, spec: { ...MY_SERVICE.spec, selector: { app: 'web' } } }), want: [] },
    { name: 'labelled skip-mirror=true later: the slice goes', change: (c) => expect(c.run('kubectl label endpoints my-service endpointslice.kubernetes.io/skip-mirror=true').exit).toBe(0), want: [] },
    { name: 'the slice deleted by hand: made again', change: (c) => expect(c.run(`kubectl delete endpointslice ${c.mirrored()[0].metadata.name}`).exit).toBe(0), want: ['192.0.2.42'] },
    { name: 'the Endpoints re-applied unchanged: no write', change: (c) => c.apply(endpoints([{ addresses: [addr('192.0.2.42')], ports: HTTP }])), want: 'same' },
  ];
  it.each(table)('$name', ({ change, want }) => {
    const c = cluster();
    c.apply(MY_SERVICE, endpoints([{ addresses: [addr('192.0.2.42')], ports: HTTP }]));
    const [before] = c.mirrored();
    const rv = before.metadata.resourceVersion;
    change(c);
    const after = c.mirrored();
    if (want === 'same') {
      expect(after).toHaveLength(1);
      expect(after[0].metadata.resourceVersion).toBe(rv);
      return;
    }
    expect(after.flatMap((s) => s.endpoints.map((e: any) => e.addresses[0]))).toEqual(want);
    if (want.length && want.length > 1) expect(after[0].metadata.name).toBe(before.metadata.name);
  });

  it('a label on the Endpoints is a label on the slice', () => {
    const c = cluster();
    c.apply(MY_SERVICE, endpoints([{ addresses: [addr('192.0.2.42')], ports: HTTP }]));
    expect(c.run('kubectl label endpoints my-service tier=db').exit).toBe(0);
    expect(c.mirrored()[0].metadata.labels).toMatchObject({ tier: 'db' });
  });

  it('a port set that changes reuses the slice (recycleSlices), its name kept', () => {
    const c = cluster();
    c.apply(MY_SERVICE, endpoints([{ addresses: [addr('192.0.2.42')], ports: HTTP }]));
    const name = c.mirrored()[0].metadata.name;
    c.apply(endpoints([{ addresses: [addr('192.0.2.42')], ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] }]));
    expect(c.mirrored().map((s) => [s.metadata.name, s.ports[0].port])).toEqual([[name, 8080]]);
  });
});

describe('traffic to a Service without a selector', () => {
  /** setup: a web pod (nginx on 80), a client pod, and my-service on port 80 to whatever the Endpoints list. */
  function setup() {
    const c = cluster();
    expect(c.run('kubectl run web --image=nginx:1.25').exit).toBe(0);
    expect(c.run('kubectl run client --image=busybox:1.28 --restart=Never -- sleep 3600').exit).toBe(0);
    c.sim.runFor(30_000);
    const webIP = c.sim.store.get('Pod', 'default', 'web')!.status.podIP as string;
    c.apply({ ...MY_SERVICE, spec: { ports: [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 80 }] } });
    return { ...c, webIP };
  }
  const HTTP80 = [{ name: 'http', port: 80, protocol: 'TCP' }];

  const table: { name: string; subsets: (webIP: string) => object[]; labels?: Record<string, string>; wget: RegExp; curl: RegExp }[] = [
    { name: "a pod's IP listed by hand: that pod serves", subsets: (ip) => [{ addresses: [addr(ip)], ports: HTTP80 }], wget: /^GET \/ served by web \(nginx:1\.25\) for my-service\n$/, curl: /^GET \/ served by web / },
    {
      name: 'an address outside the cluster (192.0.2.42): nothing answers, the connection times out',
      subsets: () => [{ addresses: [addr('192.0.2.42')], ports: HTTP80 }],
      wget: /^wget: download timed out\n/,
      curl: /^curl: \(28\) Failed to connect to my-service port 80 after \d+ ms: Timeout was reached\n$/,
    },
    { name: "the pod's IP only as not ready: no endpoint takes the connection (refused)", subsets: (ip) => [{ notReadyAddresses: [addr(ip)], ports: HTTP80 }], wget: /Connection refused/, curl: /^curl: \(7\) / },
    { name: 'skip-mirror=true: kube-proxy reads slices, and there are none (refused)', subsets: (ip) => [{ addresses: [addr(ip)], ports: HTTP80 }], labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' }, wget: /Connection refused/, curl: /^curl: \(7\) / },
  ];
  it.each(table)('$name', ({ subsets, labels, wget, curl }) => {
    const c = setup();
    c.apply(endpoints(subsets(c.webIP), { labels }));
    expect(c.run('kubectl exec client -- wget -q -O- http://my-service').out).toMatch(wget);
    expect(c.run('kubeplay curl --from client http://my-service/').out).toMatch(curl);
  });

  it('kubectl shows the mirrored slice as on a cluster', () => {
    const c = setup();
    c.apply(endpoints([{ addresses: [addr(c.webIP), addr('192.0.2.42')], ports: HTTP80 }]));
    const name = c.mirrored()[0].metadata.name;
    const [head, row] = c.run('kubectl get endpointslices -l kubernetes.io/service-name=my-service').out.trimEnd().split('\n');
    expect(head.split(/ +/)).toEqual(['NAME', 'ADDRESSTYPE', 'PORTS', 'ENDPOINTS', 'AGE']);
    expect(row.split(/ +/)).toEqual([name, 'IPv4', '80', `${c.webIP},192.0.2.42`, '0s']);
    expect(c.run('kubectl describe svc my-service').out).toMatch(new RegExp(`\nEndpoints: +${c.webIP.replace(/\./g, '\\.')}:80,192\\.0\\.2\\.42:80\n`));
    expect(c.run(`kubectl describe endpointslice ${name}`).out).toMatch(/Labels: +endpointslice\.kubernetes\.io\/managed-by=endpointslicemirroring-controller\.k8s\.io\n +kubernetes\.io\/service-name=my-service\n/);
  });
});
