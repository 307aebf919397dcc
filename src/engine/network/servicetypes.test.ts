import { describe, expect, it } from 'vitest';
import { addIngress, addPod, addService, netSim, syncSlice } from './testutil.ts';
import { formatNslookup, resolve, searchList } from './dns.ts';
import { allocateLoadBalancerIP, resolveTargetPort } from './servicetypes.ts';
import { allowed, INGRESS_NGINX_PEER } from './netpol.ts';
import type { KubeObject, Service } from '../api/types.ts';

describe('LoadBalancer', () => {
  it('gets an external IP from 203.0.113.0/24 after provisioning, with events', () => {
    const { sim, net } = netSim();
    const pods = [addPod(sim, 'web-1', { labels: { app: 'web' } })];
    const svc = addService(sim, 'web', { type: 'LoadBalancer', selector: { app: 'web' }, clusterIP: '10.96.0.40', ports: [{ port: 80, targetPort: 8080, nodePort: 30080 }] });
    syncSlice(sim, svc, pods);
    sim.settle();
    expect(svc.status?.loadBalancer?.ingress).toBeUndefined();
    sim.runFor(2000);
    expect(svc.status.loadBalancer.ingress).toEqual([{ ip: '203.0.113.10', ipMode: 'VIP' }]);
    expect(sim.eventsFor(svc).map((e) => e.reason)).toEqual(['EnsuringLoadBalancer', 'EnsuredLoadBalancer']);
    expect(net.request({ url: 'http://203.0.113.10/' })).toMatchObject({ status: 200, pod: 'default/web-1', via: 'service' });
    // a second one takes the next address; loadBalancerIP is honoured when free
    const b = addService(sim, 'b', { type: 'LoadBalancer', clusterIP: '10.96.0.41' });
    const c = addService(sim, 'c', { type: 'LoadBalancer', clusterIP: '10.96.0.42', loadBalancerIP: '203.0.113.77' });
    sim.runFor(2000);
    expect(b.status.loadBalancer.ingress[0].ip).toBe('203.0.113.11');
    expect(c.status.loadBalancer.ingress[0].ip).toBe('203.0.113.77');
    // changing the type away releases it
    svc.spec.type = 'ClusterIP';
    sim.store.update(svc);
    sim.settle();
    expect(svc.status.loadBalancer).toEqual({});
    expect(allocateLoadBalancerIP(sim, addService(sim, 'd', { type: 'LoadBalancer' }))).toBe('203.0.113.10');
  });

  it('NodePort on a node address, externalTrafficPolicy Local only to local endpoints', () => {
    const { sim, net } = netSim();
    for (const [name, ip] of [['n1', '172.18.0.2'], ['n2', '172.18.0.3']]) {
      sim.store.create({ apiVersion: 'v1', kind: 'Node', metadata: { name }, spec: {}, status: { conditions: [{ type: 'Ready', status: 'True' }], addresses: [{ type: 'InternalIP', address: ip }] } });
    }
    const pods = [addPod(sim, 'web-1', { labels: { app: 'web' }, node: 'n1' })];
    const svc = addService(sim, 'web', { type: 'NodePort', selector: { app: 'web' }, clusterIP: '10.96.0.50', ports: [{ port: 80, targetPort: 8080, nodePort: 30080 }] });
    syncSlice(sim, svc, pods);
    expect(net.request({ url: 'http://172.18.0.3:30080/' })).toMatchObject({ status: 200, pod: 'default/web-1' });
    svc.spec.externalTrafficPolicy = 'Local';
    sim.store.update(svc);
    // A node without a local endpoint DROPs the packet (proxier.go externalTrafficFilterTarget): the client times out.
    expect(net.request({ url: 'http://172.18.0.3:30080/' })).toMatchObject({ status: 0, error: 'timeout' });
    expect(net.request({ url: 'http://172.18.0.2:30080/' })).toMatchObject({ status: 200 });
  });

  it('targetPort by number or by the container port name', () => {
    const { sim } = netSim();
    const pod = addPod(sim, 'p', { port: 9376, portName: 'http-web' });
    expect(resolveTargetPort({ port: 80, targetPort: 'http-web' }, pod)).toBe(9376);
    expect(resolveTargetPort({ port: 80, targetPort: 8080 }, pod)).toBe(8080);
    expect(resolveTargetPort({ port: 80 }, pod)).toBe(80);
    expect(resolveTargetPort({ port: 80, targetPort: 'nope' }, pod)).toBeUndefined();
  });
});

describe('DNS', () => {
  function cluster() {
    const { sim, net } = netSim();
    const web = [addPod(sim, 'web-1', { labels: { app: 'web' }, ip: '10.244.1.5' })];
    syncSlice(sim, addService(sim, 'web', { selector: { app: 'web' }, clusterIP: '10.96.0.11' }), web);
    const db = [0, 1].map((i) => {
      const p = addPod(sim, `db-${i}`, { labels: { app: 'db' }, ip: `10.244.2.${10 + i}` });
      p.spec.hostname = `db-${i}`;
      p.spec.subdomain = 'db';
      return p;
    });
    syncSlice(sim, addService(sim, 'db', { selector: { app: 'db' }, clusterIP: 'None' }), db);
    addService(sim, 'ext', { type: 'ExternalName', externalName: 'my.database.example.com', ports: [] });
    addService(sim, 'api', { clusterIP: '10.96.0.12' }, 'prod');
    return { sim, net };
  }
  it('search path with ndots:5', () => {
    expect(searchList('web', 'default')).toEqual(['web.default.svc.cluster.local', 'web.svc.cluster.local', 'web.cluster.local', 'web']);
    expect(searchList('web.default.svc.cluster.local.', 'x')).toEqual(['web.default.svc.cluster.local']);
  });
  const rows: [string, string, string[] | string | undefined][] = [
    ['web', 'default', ['10.96.0.11']],
    ['web.default', 'prod', ['10.96.0.11']],
    ['web.default.svc.cluster.local', 'prod', ['10.96.0.11']],
    ['api', 'default', undefined],
    ['api.prod', 'default', ['10.96.0.12']],
    ['db', 'default', ['10.244.2.10', '10.244.2.11']],
    ['db-1.db.default.svc.cluster.local', 'default', ['10.244.2.11']],
    ['10-244-1-5.default.pod.cluster.local', 'default', ['10.244.1.5']],
    ['ext', 'default', 'CNAME my.database.example.com'],
    ['nope', 'default', undefined],
  ];
  for (const [name, ns, want] of rows) {
    it(`${name} from ${ns}`, () => {
      const { sim } = cluster();
      const a = resolve(sim, name, ns);
      if (want === undefined) expect(a).toBeUndefined();
      else if (typeof want === 'string') expect(a?.type === 'CNAME' && `CNAME ${a.target}`).toBe(want);
      else expect(a?.type === 'A' && a.addresses).toEqual(want);
    });
  }
  it('nslookup prints like dnsutils', () => {
    const { sim } = cluster();
    expect(formatNslookup(sim, 'web').out).toBe('Server:\t\t10.96.0.10\nAddress:\t10.96.0.10#53\n\nName:\tweb.default.svc.cluster.local\nAddress: 10.96.0.11\n');
    expect(formatNslookup(sim, 'nope')).toEqual({ exit: 1, out: "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10#53\n\n** server can't find nope: NXDOMAIN\n" });
  });
  it('curl to a headless name reaches a pod directly; ExternalName does not resolve in the sandbox', () => {
    const { net } = cluster();
    expect(net.request({ url: 'http://db:8080/' })).toMatchObject({ via: 'pod', pod: 'default/db-0', status: 200 });
    expect(net.request({ url: 'http://ext/' })).toMatchObject({ error: 'unresolved' });
  });
  it('an ExternalName naming a cluster Service is followed to it, as CoreDNS follows an in-zone CNAME', () => {
    const { sim, net } = cluster();
    addService(sim, 'alias', { type: 'ExternalName', externalName: 'api.prod.svc.cluster.local', ports: [] });
    expect(formatNslookup(sim, 'alias')).toEqual({
      exit: 0,
      out: 'Server:\t\t10.96.0.10\nAddress:\t10.96.0.10#53\n\nalias.default.svc.cluster.local\tcanonical name = api.prod.svc.cluster.local.\nName:\tapi.prod.svc.cluster.local\nAddress: 10.96.0.12\n',
    });
    expect(net.request({ url: 'http://alias/' })).toMatchObject({ via: 'service', service: 'prod/api' });
  });
});

describe('NetworkPolicy', () => {
  function policy(spec: any, name = 'np', ns = 'default'): KubeObject {
    return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace: ns }, spec };
  }
  it('default deny, then allow by pod selector, namespace selector and port', () => {
    const { sim, net } = netSim();
    const db = addPod(sim, 'db', { labels: { app: 'db' }, port: 5432 });
    const api = addPod(sim, 'api', { labels: { app: 'api' } });
    const other = addPod(sim, 'other', { labels: { app: 'other' } });
    sim.store.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'monitoring', labels: { team: 'ops' } } });
    const prom = addPod(sim, 'prom', { ns: 'monitoring', labels: { app: 'prometheus' } });
    const all = (from: any) => allowed(sim, from, db, 5432, sim.store.list('NetworkPolicy'));
    expect(all({ kind: 'pod', pod: other })).toBe(true);
    sim.store.create(policy({ podSelector: {}, policyTypes: ['Ingress'] }, 'deny'));
    expect(all({ kind: 'pod', pod: api })).toBe(false);
    sim.store.create(policy({ podSelector: { matchLabels: { app: 'db' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'api' } } }], ports: [{ protocol: 'TCP', port: 5432 }] }] }, 'db'));
    expect(all({ kind: 'pod', pod: api })).toBe(true);
    expect(allowed(sim, { kind: 'pod', pod: api }, db, 5433)).toBe(false);
    expect(all({ kind: 'pod', pod: other })).toBe(false);
    expect(all({ kind: 'pod', pod: prom })).toBe(false);
    sim.store.create(policy({ podSelector: { matchLabels: { app: 'db' } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'ops' } } }] }] }, 'ops'));
    expect(all({ kind: 'pod', pod: prom })).toBe(true);
    expect(all({ kind: 'external', ip: '198.51.100.1' })).toBe(false);
    sim.store.create(policy({ podSelector: { matchLabels: { app: 'db' } }, ingress: [{ from: [{ ipBlock: { cidr: '198.51.100.0/24', except: ['198.51.100.128/25'] } }] }] }, 'ext'));
    expect(all({ kind: 'external', ip: '198.51.100.1' })).toBe(true);
    expect(all({ kind: 'external', ip: '198.51.100.200' })).toBe(false);
    // egress isolation of the source
    sim.store.create(policy({ podSelector: { matchLabels: { app: 'api' } }, policyTypes: ['Egress'], egress: [] }, 'api-egress'));
    expect(all({ kind: 'pod', pod: api })).toBe(false);
    void net;
  });

  it('a blocked request times out through the ingress and is counted', () => {
    const { sim, net } = netSim();
    const web = [addPod(sim, 'web-1', { labels: { app: 'web' } })];
    syncSlice(sim, addService(sim, 'web', { selector: { app: 'web' }, clusterIP: '10.96.0.60' }), web);
    sim.store.create({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'web', namespace: 'default' },
      spec: { rules: [{ host: 'web.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } }] },
    });
    sim.store.create(policy({ podSelector: {}, policyTypes: ['Ingress'] }, 'deny'));
    expect(net.request({ url: 'http://web.example.com/' })).toMatchObject({ status: 504, latencyMs: 5000 });
    expect(net.request({ url: 'http://web/' })).toMatchObject({ error: 'timeout' });
    sim.store.create(policy({ podSelector: { matchLabels: { app: 'web' } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }] }] }, 'from-ingress'));
    expect(net.request({ url: 'http://web.example.com/' }).status).toBe(200);
    expect(allowed(sim, INGRESS_NGINX_PEER, web[0], 8080)).toBe(true);
    const v = net.query('sum(nginx_ingress_controller_requests{status="504"})');
    expect(v.type === 'vector' && v.samples[0].v).toBe(1);
  });
});

describe('ingress-nginx controller status', () => {
  it('publishes its address on served Ingresses and warns about resource backends', () => {
    const { sim } = netSim();
    const ing: KubeObject = sim.store.create<KubeObject>({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'bucket', namespace: 'default' },
      spec: { rules: [{ host: 'h', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { resource: { apiGroup: 'k8s.example.com', kind: 'StorageBucket', name: 'static' } } }] } }] },
    });
    sim.settle();
    expect(ing.status.loadBalancer.ingress).toEqual([{ ip: '203.0.113.2' }]);
    expect(sim.eventsFor(ing).map((e) => `${e.type} ${e.reason} ${e.message}`)).toEqual([
      'Normal Sync Scheduled for sync',
      'Warning UnsupportedBackend spec.rules[0].http.paths[0].backend.resource: resource backends are not supported by the ingress-nginx controller; use a service backend',
    ]);
  });
  it('leaves Service types alone when not LoadBalancer', () => {
    const { sim } = netSim();
    const s: Service = addService(sim, 'x', { clusterIP: '10.96.0.70' });
    sim.runFor(5000);
    expect(s.status).toBeUndefined();
  });
});

describe('what listens in a pod', () => {
  /** two is a pod with a client container and an nginx sidecar, as the course's sidecar and ambassador patterns. */
  function twoContainers(clientPorts: number[]) {
    const { sim, net } = netSim();
    const pod = addPod(sim, 'two', { labels: { app: 'two' }, ip: '10.245.1.9' });
    pod.spec.containers = [
      { name: 'main', image: 'curlimages/curl:8.8.0', ports: clientPorts.map((containerPort) => ({ containerPort })) },
      { name: 'web', image: 'nginx:1.25', ports: [{ containerPort: 80 }] },
    ];
    pod.status.containerStatuses = pod.spec.containers.map((c) => ({ name: c.name, image: c.image, ready: true, restartCount: 0, state: { running: {} } }));
    sim.store.update(pod);
    return { sim, net, pod };
  }

  it.each([
    ['http://localhost/', { status: 200, image: 'nginx:1.25', via: 'pod' }],
    ['http://127.0.0.1:80/', { status: 200, image: 'nginx:1.25' }],
    ['http://[::1]/', { status: 200, image: 'nginx:1.25' }],
    ['http://localhost:9000/', { status: 200, image: 'curlimages/curl:8.8.0' }],
    // Every container declares its ports and none is 9999: nothing listens there.
    ['http://127.0.0.1:9999/', { status: 0, error: 'refused' }],
  ])('from inside the pod, %s reaches the pod itself: %o', (url, want) => {
    const { net } = twoContainers([9000]);
    expect(net.request({ url, from: 'default/two' })).toMatchObject({ pod: 'default/two', ...want });
  });

  it('from outside the cluster, localhost is still the ingress controller (a kind or minikube port mapping)', () => {
    const { net } = twoContainers([9000]);
    expect(net.request({ url: 'http://localhost/' })).toMatchObject({ via: 'ingress', status: 404 });
  });

  it('a container that declares no ports may listen on any; a Service whose targetPort no container declares is refused', () => {
    const { sim, net } = twoContainers([]);
    expect(net.request({ url: 'http://localhost:9999/', from: 'default/two' })).toMatchObject({ status: 200, image: 'curlimages/curl:8.8.0' });
    const only = addPod(sim, 'web-1', { labels: { app: 'web' }, port: 80 });
    const svc = addService(sim, 'web', { selector: { app: 'web' }, clusterIP: '10.96.0.60', ports: [{ port: 80, targetPort: 8080 }] });
    syncSlice(sim, svc, [only]);
    expect(net.request({ url: 'http://10.96.0.60/' })).toMatchObject({ status: 0, error: 'refused', pod: 'default/web-1' });
  });
});

describe('an Ingress backend port (ingress-nginx serviceEndpoints)', () => {
  it.each([
    { port: 80, reaches: true, why: "the Service's port" },
    { port: 8080, reaches: true, why: 'its targetPort' },
    { port: 9999, reaches: false, why: 'neither: 503' },
  ])('$port ($why)', ({ port, reaches }) => {
    const { sim, net } = netSim();
    const web = [addPod(sim, 'web-1', { labels: { app: 'web' } })];
    syncSlice(sim, addService(sim, 'web', { selector: { app: 'web' }, clusterIP: '10.96.0.61', ports: [{ port: 80, targetPort: 8080 }] }), web);
    addIngress(sim, 'web', [{ host: 'web.example.com', paths: [{ path: '/', service: 'web', port }] }]);
    expect(net.request({ url: 'http://web.example.com/' }).status).toBe(reaches ? 200 : 503);
  });
});
