import { expect, test } from 'vitest';
import { createCluster } from '../cluster.ts';
import { runCommand } from '../kubectl/index.ts';
import type { ApiServer } from './server.ts';
import { createError as apiCreateError } from './testutil.ts';
import type { KubeObject } from './types.ts';
import { validateObject } from './validate.ts';

/** The docs' "Services without selectors" Endpoints (my-service → 192.0.2.42:9376), changed by mut. */
function endpoints(mut: (subsets: any[]) => void = () => {}, name = 'ep'): KubeObject {
  const subsets: any[] = [{ addresses: [{ ip: '192.0.2.42' }], ports: [{ port: 9376 }] }];
  mut(subsets);
  return { apiVersion: 'v1', kind: 'Endpoints', metadata: { name }, subsets };
}
const withAddress = (a: Record<string, unknown>) => endpoints((s) => (s[0].addresses = [a]));
const withIP = (ip: string) => withAddress({ ip });
const withPorts = (...ports: unknown[]) => endpoints((s) => (s[0].ports = ports));

function createError(obj: KubeObject): string {
  return apiCreateError(createCluster({ seed: 1, nodes: [] } as never).service<ApiServer>('api'), obj);
}

const IS = 'The Endpoints "ep" is invalid: ';
const IP_SYNTAX = 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)';
const LOOPBACK = 'may not be in the loopback range (127.0.0.0/8, ::1/128)';
const LINK_LOCAL = 'may not be in the link-local range (169.254.0.0/16, fe80::/10)';
const LL_MULTICAST = 'may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)';
const LABEL = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const SUBDOMAIN =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const a0 = 'subsets[0].addresses[0]';
const p0 = 'subsets[0].ports[0]';

test.each<[string, KubeObject, string]>([
  // ValidateNonSpecialIP (after validation.IsValidIP)
  ['a loopback address', withIP('127.0.0.1'), `${IS}${a0}.ip: Invalid value: "127.0.0.1": ${LOOPBACK}`],
  ['anywhere in 127.0.0.0/8', withIP('127.10.0.3'), `${IS}${a0}.ip: Invalid value: "127.10.0.3": ${LOOPBACK}`],
  ['the IPv6 loopback', withIP('::1'), `${IS}${a0}.ip: Invalid value: "::1": ${LOOPBACK}`],
  ['an IPv4-mapped loopback (judged as IPv4)', withIP('::ffff:127.0.0.1'), `${IS}${a0}.ip: Invalid value: "::ffff:127.0.0.1": ${LOOPBACK}`],
  ['the unspecified IPv4 address', withIP('0.0.0.0'), `${IS}${a0}.ip: Invalid value: "0.0.0.0": may not be unspecified (0.0.0.0)`],
  ['the unspecified IPv6 address', withIP('::'), `${IS}${a0}.ip: Invalid value: "::": may not be unspecified (::)`],
  ['a link-local address', withIP('169.254.169.254'), `${IS}${a0}.ip: Invalid value: "169.254.169.254": ${LINK_LOCAL}`],
  ['an IPv6 link-local address', withIP('fe80::1'), `${IS}${a0}.ip: Invalid value: "fe80::1": ${LINK_LOCAL}`],
  ['a link-local multicast address', withIP('224.0.0.251'), `${IS}${a0}.ip: Invalid value: "224.0.0.251": ${LL_MULTICAST}`],
  ['an IPv6 link-local multicast address', withIP('ff02::fb'), `${IS}${a0}.ip: Invalid value: "ff02::fb": ${LL_MULTICAST}`],
  // An address that does not parse fails IsValidIP and ValidateNonSpecialIP, each in its words.
  ['a host name for an IP', withIP('db.example.com'), `${IS}[${a0}.ip: Invalid value: "db.example.com": ${IP_SYNTAX}, ${a0}.ip: Invalid value: "db.example.com": must be a valid IP address]`],
  ['an address with a port', withIP('10.0.0.1:80'), `${IS}[${a0}.ip: Invalid value: "10.0.0.1:80": ${IP_SYNTAX}, ${a0}.ip: Invalid value: "10.0.0.1:80": must be a valid IP address]`],
  ['an octet past 255', withIP('10.0.0.256'), `${IS}[${a0}.ip: Invalid value: "10.0.0.256": ${IP_SYNTAX}, ${a0}.ip: Invalid value: "10.0.0.256": must be a valid IP address]`],
  ['an address without an ip', withAddress({ hostname: 'web-0' }), `${IS}[${a0}.ip: Invalid value: "": ${IP_SYNTAX}, ${a0}.ip: Invalid value: "": must be a valid IP address]`],
  ['a not-ready loopback address', endpoints((s) => (s[0].notReadyAddresses = [{ ip: '127.0.0.1' }])), `${IS}subsets[0].notReadyAddresses[0].ip: Invalid value: "127.0.0.1": ${LOOPBACK}`],
  // hostname (a DNS-1123 label), nodeName (a DNS-1123 subdomain, checked whenever set)
  ['a hostname with dots', withAddress({ ip: '10.244.1.5', hostname: 'web.0' }), `${IS}${a0}.hostname: Invalid value: "web.0": ${LABEL}`],
  ['a nodeName in capitals', withAddress({ ip: '10.244.1.5', nodeName: 'Node_1' }), `${IS}${a0}.nodeName: Invalid value: "Node_1": ${SUBDOMAIN}`],
  ['an empty nodeName (a set pointer)', withAddress({ ip: '10.244.1.5', nodeName: '' }), `${IS}${a0}.nodeName: Invalid value: "": ${SUBDOMAIN}`],
  // validateEndpointSubsets
  ['a subset without addresses', endpoints((s) => (s[0].addresses = [])), `${IS}subsets[0]: Required value: must specify \`addresses\` or \`notReadyAddresses\``],
  ['an empty subset', endpoints((s) => s.push({})), `${IS}subsets[1]: Required value: must specify \`addresses\` or \`notReadyAddresses\``],
  // validateEndpointPort
  ['two ports, one unnamed', withPorts({ name: 'http', port: 80 }, { port: 443 }), `${IS}subsets[0].ports[1].name: Required value`],
  ['a port name in capitals', withPorts({ name: 'HTTP', port: 80 }), `${IS}${p0}.name: Invalid value: "HTTP": ${LABEL}`],
  ['port 0', withPorts({ port: 0 }), `${IS}${p0}.port: Invalid value: 0: must be between 1 and 65535, inclusive`],
  ['a port without a number', withPorts({ name: 'http' }), `${IS}${p0}.port: Invalid value: 0: must be between 1 and 65535, inclusive`],
  ['port 65536', withPorts({ port: 65536 }), `${IS}${p0}.port: Invalid value: 65536: must be between 1 and 65535, inclusive`],
  ['an unknown protocol', withPorts({ port: 80, protocol: 'HTTP' }), `${IS}${p0}.protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"`],
  ['a protocol in lower case', withPorts({ port: 53, protocol: 'udp' }), `${IS}${p0}.protocol: Unsupported value: "udp": supported values: "SCTP", "TCP", "UDP"`],
  [
    'an appProtocol that is not a qualified name',
    withPorts({ port: 80, appProtocol: 'my proto' }),
    `${IS}${p0}.appProtocol: Invalid value: "my proto": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
  ],
  // ValidateObjectMeta with ValidateEndpointsName (a DNS-1123 subdomain)
  ['a name with an underscore', endpoints(() => {}, 'my_service'), `The Endpoints "my_service" is invalid: metadata.name: Invalid value: "my_service": ${SUBDOMAIN}`],
  // Guards: a value of the wrong type is refused, never a crash.
  ['an ip that is a number', withAddress({ ip: 10 }), `${IS}${a0}.ip: Invalid value: 10: must be a string`],
  ['subsets that are not a list', { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'ep' }, subsets: { addresses: [] } } as KubeObject, `${IS}subsets: Invalid value: {"addresses":[]}: must be a list`],
])('%s is refused', (_name, obj, want) => {
  expect(createError(obj)).toBe(want);
});

test.each<[string, KubeObject]>([
  ["the docs' my-service", endpoints()],
  ['Endpoints with no subsets', endpoints((s) => s.splice(0))],
  ["a headless Service's addresses without ports", endpoints((s) => delete s[0].ports)],
  ['only not-ready addresses', endpoints((s) => ((s[0].notReadyAddresses = s[0].addresses), delete s[0].addresses))],
  ['an IPv6 address', withIP('2001:db8::1')],
  ['IPv4 octets with leading zeros (ParseIPSloppy reads them as decimal)', withIP('010.001.002.003')],
  ['what the endpoints controller writes', withAddress({ ip: '10.244.1.5', hostname: 'web-0', nodeName: 'node-1', targetRef: { kind: 'Pod', name: 'web-0', namespace: 'default', uid: 'u' } })],
  ['named ports of every protocol', withPorts({ name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53, protocol: 'TCP' }, { name: 'sig', port: 9999, protocol: 'SCTP' })],
  ['an appProtocol with a prefix', withPorts({ port: 80, appProtocol: 'kubernetes.io/h2c' })],
  ['a null nodeName (no pointer)', withAddress({ ip: '10.244.1.5', nodeName: null })],
])('%s is valid', (_name, obj) => {
  expect(createError(obj)).toBe('no error');
});

test("a port's protocol defaults to TCP (SetDefaults_Endpoints)", () => {
  const api = createCluster({ seed: 1, nodes: [] } as never).service<ApiServer>('api');
  const created = api.create(withPorts({ name: 'a', port: 9376 }, { name: 'b', port: 1, protocol: '' }));
  expect(created.subsets[0].ports).toEqual([
    { name: 'a', port: 9376, protocol: 'TCP' },
    { name: 'b', port: 1, protocol: 'TCP' },
  ]);
});

test('an update is validated as a create is (ValidateEndpointsUpdate)', () => {
  const api = createCluster({ seed: 1, nodes: [] } as never).service<ApiServer>('api');
  api.create(endpoints());
  const ep = api.get('Endpoints', 'default', 'ep');
  ep.subsets[0].addresses[0].ip = '127.0.0.1';
  expect(() => api.update(ep)).toThrow(`${IS}${a0}.ip: Invalid value: "127.0.0.1": ${LOOPBACK}`);
  expect(api.get('Endpoints', 'default', 'ep').subsets[0].addresses[0].ip).toBe('192.0.2.42');
});

const BAD = `apiVersion: v1
kind: Endpoints
metadata: {name: bad}
subsets:
- addresses: [{ip: 127.0.0.1}, {ip: not-an-ip}, {ip: 169.254.1.1}]
  ports: [{port: 0}, {port: 80, protocol: FOO}]
`;
const BAD_CAUSES = [
  `subsets[0].addresses[0].ip: Invalid value: "127.0.0.1": ${LOOPBACK}`,
  `subsets[0].addresses[1].ip: Invalid value: "not-an-ip": ${IP_SYNTAX}`,
  'subsets[0].addresses[1].ip: Invalid value: "not-an-ip": must be a valid IP address',
  `subsets[0].addresses[2].ip: Invalid value: "169.254.1.1": ${LINK_LOCAL}`,
  'subsets[0].ports[0].name: Required value',
  'subsets[0].ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive',
  'subsets[0].ports[1].name: Required value',
  'subsets[0].ports[1].protocol: Unsupported value: "FOO": supported values: "SCTP", "TCP", "UDP"',
];

test("the API server's message lists every cause in brackets", () => {
  const sim = createCluster({ seed: 1, nodes: [] } as never);
  const obj = { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'bad' }, subsets: [{ addresses: [{ ip: '127.0.0.1' }, { ip: 'not-an-ip' }, { ip: '169.254.1.1' }], ports: [{ port: 0 }, { port: 80, protocol: 'FOO' }] }] };
  expect(apiCreateError(sim.service<ApiServer>('api'), obj as KubeObject)).toBe(`The Endpoints "bad" is invalid: [${BAD_CAUSES.join(', ')}]`);
});

test('kubectl apply, create -f and replace refuse invalid Endpoints as kubectl prints it', () => {
  const sim = createCluster({ seed: 1, nodes: [{ name: 'node-1' }] } as never);
  const good = 'apiVersion: v1\nkind: Endpoints\nmetadata: {name: bad}\nsubsets:\n- addresses: [{ip: 192.0.2.42}]\n  ports: [{port: 9376}]\n';
  const run = (line: string) => runCommand(sim, line, { files: { 'bad.yaml': BAD, 'good.yaml': good } });
  const printed = `The Endpoints "bad" is invalid: \n${BAD_CAUSES.map((c) => `* ${c}\n`).join('')}`;
  expect(run('kubectl apply -f bad.yaml')).toEqual({ exit: 1, out: printed });
  expect(run('kubectl create -f bad.yaml')).toEqual({ exit: 1, out: printed });
  expect(run('kubectl get endpoints bad').exit).toBe(1);
  expect(run('kubectl apply -f good.yaml').out).toBe('endpoints/bad created\n');
  expect(run('kubectl replace -f bad.yaml')).toEqual({ exit: 1, out: printed });
  expect(run('kubectl apply -f bad.yaml')).toEqual({ exit: 1, out: printed });
  expect(run('kubectl get endpoints bad').out).toMatch(/^bad\s+192\.0\.2\.42:9376\s/m);
});

test("the controllers' own Endpoints (the endpoints controller's, the API server's kubernetes) are valid", () => {
  const sim = createCluster({ seed: 1, nodes: [{ name: 'node-1' }, { name: 'node-2' }] } as never);
  const web = `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: web}
spec:
  serviceName: web
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: nginx, ports: [{containerPort: 80, name: http}], readinessProbe: {httpGet: {path: /, port: 80}}}]
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  clusterIP: None
  selector: {app: web}
  ports: [{name: http, port: 80}, {name: metrics, port: 9100, protocol: TCP}]
`;
  expect(runCommand(sim, 'kubectl apply -f web.yaml', { files: { 'web.yaml': web } }).exit).toBe(0);
  sim.runUntil(sim.now() + 60_000);
  const all = sim.store.list('Endpoints');
  expect(all.map((e) => e.metadata.name).sort()).toEqual(['kubernetes', 'web']);
  expect(all.find((e) => e.metadata.name === 'web')!.subsets?.[0]?.addresses?.length).toBe(2);
  for (const ep of all) expect(validateObject(structuredClone(ep), true)).toEqual([]);
});
