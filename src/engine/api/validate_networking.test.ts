import { expect, test } from 'vitest';
import { createCluster } from '../cluster.ts';
import type { ApiServer } from './server.ts';
import type { KubeObject } from './types.ts';
import { runCommand } from '../kubectl/index.ts';
import { createError as apiCreateError } from './testutil.ts';

const backend = { service: { name: 'web', port: { number: 80 } } };

function ingress(mut: (spec: any) => void = () => {}): KubeObject {
  const spec: any = { rules: [{ host: 'shop.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: structuredClone(backend) }] } }] };
  mut(spec);
  return { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'i' }, spec };
}

function policy(mut: (spec: any) => void = () => {}): KubeObject {
  const spec: any = { podSelector: {}, ingress: [{ from: [{ podSelector: { matchLabels: { role: 'fe' } } }], ports: [{ port: 80 }] }] };
  mut(spec);
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'np' }, spec };
}

function createError(obj: KubeObject): string {
  return apiCreateError(createCluster({ seed: 1, nodes: [] } as never).service<ApiServer>('api'), obj);
}

const path0 = 'spec.rules[0].http.paths[0]';

test.each<[string, KubeObject, string]>([
  // validateHTTPIngressPath
  ['a path without a pathType', ingress((s) => delete s.rules[0].http.paths[0].pathType), `The Ingress "i" is invalid: ${path0}.pathType: Required value: pathType must be specified`],
  ['a null path (an empty one)', ingress((s) => (s.rules[0].http.paths = [null])), `The Ingress "i" is invalid: ${path0}.pathType: Required value: pathType must be specified`],
  ['a relative Prefix path', ingress((s) => (s.rules[0].http.paths[0].path = 'foo')), `The Ingress "i" is invalid: ${path0}.path: Invalid value: "foo": must be an absolute path`],
  ['a path with //', ingress((s) => (s.rules[0].http.paths[0].path = '/a//b')), `The Ingress "i" is invalid: ${path0}.path: Invalid value: "/a//b": must not contain '//'`],
  ['an Exact path ending in /..', ingress((s) => Object.assign(s.rules[0].http.paths[0], { path: '/a/..', pathType: 'Exact' })), `The Ingress "i" is invalid: ${path0}.path: Invalid value: "/a/..": cannot end with '/..'`],
  ['an unknown pathType', ingress((s) => (s.rules[0].http.paths[0].pathType = 'Regex')), `The Ingress "i" is invalid: ${path0}.pathType: Unsupported value: "Regex": supported values: "Exact", "ImplementationSpecific", "Prefix"`],
  ['no paths', ingress((s) => (s.rules[0].http.paths = [])), 'The Ingress "i" is invalid: spec.rules[0].http.paths: Required value'],
  // validateIngressBackend
  ['a backend without a port', ingress((s) => delete s.rules[0].http.paths[0].backend.service.port), `The Ingress "i" is invalid: ${path0}.backend.service.port: Required value: port name or number is required`],
  ['a backend with a port name and number', ingress((s) => (s.rules[0].http.paths[0].backend.service.port = { name: 'http', number: 80 })), `The Ingress "i" is invalid: ${path0}.backend.service.port: Invalid value: "": cannot set both port name & port number`],
  ['a backend with no service', ingress((s) => (s.rules[0].http.paths[0].backend = {})), `The Ingress "i" is invalid: ${path0}.backend: Invalid value: "": resource or service backend is required`],
  // hosts
  ['an IP address as host', ingress((s) => (s.rules[0].host = '10.1.2.3')), 'The Ingress "i" is invalid: spec.rules[0].host: Invalid value: "10.1.2.3": must be a DNS name, not an IP address'],
  [
    'a wildcard not in front',
    ingress((s) => (s.rules[0].host = 'a.*.example.com')),
    `The Ingress "i" is invalid: spec.rules[0].host: Invalid value: "a.*.example.com": a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character (e.g. '*.example.com', regex used for validation is '\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
  ],
  ['neither rules nor a default backend', ingress((s) => delete s.rules), 'The Ingress "i" is invalid: spec: Invalid value: []networking.IngressRule(nil): either `defaultBackend` or `rules` must be specified'],
  // spec is a struct: left out, it is an empty one, judged as such
  ['no spec at all', { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'i' } }, 'The Ingress "i" is invalid: spec: Invalid value: []networking.IngressRule(nil): either `defaultBackend` or `rules` must be specified'],
  // NetworkPolicy
  ['a selector with an unknown operator', policy((s) => (s.podSelector = { matchExpressions: [{ key: 'a', operator: 'Bogus', values: ['b'] }] })), 'The NetworkPolicy "np" is invalid: spec.podSelector.matchExpressions[0].operator: Invalid value: "Bogus": not a valid selector operator'],
  ['an ipBlock that is not a CIDR', policy((s) => (s.ingress[0].from = [{ ipBlock: { cidr: 'not-a-cidr' } }])), 'The NetworkPolicy "np" is invalid: spec.ingress[0].from[0].ipBlock.cidr: Invalid value: "not-a-cidr": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)'],
  ['an except outside the cidr', policy((s) => (s.ingress[0].from = [{ ipBlock: { cidr: '10.0.0.0/16', except: ['10.1.0.0/24'] } }])), 'The NetworkPolicy "np" is invalid: spec.ingress[0].from[0].ipBlock.except[0]: Invalid value: "10.1.0.0/24": must be a strict subset of `cidr`'],
  ['an endPort below the port', policy((s) => (s.ingress[0].ports = [{ port: 80, endPort: 70 }])), 'The NetworkPolicy "np" is invalid: spec.ingress[0].ports[0].endPort: Invalid value: 70: must be greater than or equal to `port`'],
  ['an empty peer', policy((s) => (s.ingress[0].from = [{}])), 'The NetworkPolicy "np" is invalid: spec.ingress[0].from[0]: Required value: must specify a peer'],
  ['an ipBlock with a pod selector', policy((s) => (s.ingress[0].from = [{ ipBlock: { cidr: '10.0.0.0/8' }, podSelector: {} }])), 'The NetworkPolicy "np" is invalid: spec.ingress[0].from[0]: Forbidden: may not specify both ipBlock and another peer'],
  ['an unknown policy type', policy((s) => (s.policyTypes = ['Sideways'])), 'The NetworkPolicy "np" is invalid: spec.policyTypes[0]: Unsupported value: "Sideways": supported values: "Ingress", "Egress"'],
])('%s is refused', (_name, obj, want) => {
  expect(createError(obj)).toBe(want);
});

test.each<[string, KubeObject]>([
  ['an Ingress', ingress()],
  ['an Ingress with a wildcard host and TLS', ingress((s) => ((s.rules[0].host = '*.example.com'), (s.tls = [{ hosts: ['*.example.com'], secretName: 'tls' }])))],
  ['an Ingress with only a default backend', ingress((s) => ((s.defaultBackend = structuredClone(backend)), delete s.rules))],
  ['an Ingress with a null rule (an empty one)', ingress((s) => s.rules.push(null))],
  ['an ImplementationSpecific path without a path', ingress((s) => Object.assign(s.rules[0].http.paths[0], { pathType: 'ImplementationSpecific', path: undefined }))],
  ['a NetworkPolicy', policy()],
  ['a NetworkPolicy with a port range and an ipBlock', policy((s) => ((s.ingress[0].ports = [{ port: 32000, endPort: 32768 }]), (s.ingress[0].from = [{ ipBlock: { cidr: '172.17.0.0/16', except: ['172.17.1.0/24'] } }])))],
])('%s that is valid is created', (_name, obj) => {
  expect(createError(obj)).toBe('no error');
});

test('an Ingress with a null rule is listed and described like any other', () => {
  const sim = createCluster({ seed: 1, nodes: [{ name: 'node-1' }] } as never);
  sim.service<ApiServer>('api').create(ingress((s) => s.rules.unshift(null)));
  expect(runCommand(sim, 'kubectl get ingress').out).toMatch(/^i\s+<none>\s+shop\.example\.com\s/m);
  expect(runCommand(sim, 'kubectl describe ingress i').exit).toBe(0);
});

test('a NetworkPolicy without a spec is stored with the empty one (podSelector {}: every pod; policyTypes Ingress)', () => {
  const sim = createCluster({ seed: 1, nodes: [] } as never);
  const np = sim.service<ApiServer>('api').create({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'np', namespace: 'default' } } as KubeObject);
  expect(np.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress'] });
});
