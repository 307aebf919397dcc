import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileIngresses, matchesHost, routeIngress, routeToCanary, selectPath, servedByNginx, type CanaryPolicy, type PathType } from './ingress.ts';
import type { KubeObject } from '../api/types.ts';

const oracle = JSON.parse(readFileSync(new URL('../../../test/fixtures/oracles/ingress-paths.json', import.meta.url), 'utf8'));

function ingressFrom(spec: any, name = 'conformance'): KubeObject {
  const svc = (name: string) => ({ service: { name, port: { number: 80 } } });
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name, namespace: 'default' },
    spec: {
      tls: spec.tls,
      defaultBackend: spec.defaultBackend ? svc(spec.defaultBackend) : undefined,
      rules: (spec.rules ?? []).map((r: any) => ({
        host: r.host,
        http: { paths: r.paths.map((p: any) => ({ path: p.path, pathType: p.pathType, backend: svc(p.backend) })) },
      })),
    },
  };
}

describe('ingress-paths oracle', () => {
  for (const c of oracle.cases) {
    it(c.name, () => {
      const inp = c.input;
      if (inp.paths) {
        const got = selectPath(inp.paths as { path: string; pathType: PathType }[], inp.requestPath);
        if (c.expect.matches) expect(got).toEqual(c.expect.matchedPath);
        else expect(got).toBeUndefined();
      } else if (inp.ruleHost) {
        expect(matchesHost(inp.ruleHost, inp.requestHost)).toBe(c.expect.matches);
      } else {
        const table = compileIngresses([ingressFrom(inp.ingress)]);
        const r = routeIngress(table, inp.request.host, inp.request.path);
        if (c.expect.status === 404) expect(r.kind).toBe('none');
        else {
          expect(r.kind).not.toBe('none');
          const svc = r.kind === 'path' ? r.match.backend.service : r.kind === 'default' ? r.backend.service : '';
          expect(svc).toBe(c.expect.servedBy);
        }
      }
    });
  }
  it('covers all 51 cases', () => expect(oracle.cases.length).toBe(51));
});

describe('compileIngresses', () => {
  it('the oldest Ingress wins the same host and path', () => {
    const a = ingressFrom({ rules: [{ host: 'h', paths: [{ path: '/', pathType: 'Prefix', backend: 'old' }] }] }, 'a');
    const b = ingressFrom({ rules: [{ host: 'h', paths: [{ path: '/', pathType: 'Prefix', backend: 'new' }] }] }, 'b');
    const r = routeIngress(compileIngresses([a, b]), 'h', '/x');
    expect(r.kind === 'path' && r.match.backend.service).toBe('old');
  });
  it('a host with no matching path falls to the default backend, else none', () => {
    const a = ingressFrom({ defaultBackend: 'fallback', rules: [{ host: 'h', paths: [{ path: '/api', pathType: 'Prefix', backend: 'api' }] }] });
    expect(routeIngress(compileIngresses([a]), 'h', '/web')).toMatchObject({ kind: 'default', backend: { service: 'fallback' } });
    const b = ingressFrom({ rules: [{ host: 'h', paths: [{ path: '/api', pathType: 'Prefix', backend: 'api' }] }] });
    expect(routeIngress(compileIngresses([b]), 'h:8080', '/web').kind).toBe('none');
  });
  it("an Ingress with rules lends its default backend to its own hosts only; one without rules is the catch-all", () => {
    const a = ingressFrom({ defaultBackend: 'fallback', rules: [{ host: 'a', paths: [{ path: '/api', pathType: 'Prefix', backend: 'api' }] }] }, 'a');
    const b = ingressFrom({ rules: [{ host: 'b', paths: [{ path: '/x', pathType: 'Prefix', backend: 'x' }] }] }, 'b');
    let t = compileIngresses([a, b]);
    expect(routeIngress(t, 'a', '/web')).toMatchObject({ kind: 'default', backend: { service: 'fallback' } });
    expect(routeIngress(t, 'other', '/').kind).toBe('none');
    expect(routeIngress(t, 'b', '/y').kind).toBe('none');
    const catchAll = ingressFrom({ defaultBackend: 'catchall' }, 'c');
    delete catchAll.spec.rules;
    t = compileIngresses([a, b, catchAll]);
    expect(routeIngress(t, 'other', '/')).toMatchObject({ kind: 'default', backend: { service: 'catchall' } });
    // A host an Ingress names keeps its own server: the catch-all does not answer for it.
    expect(routeIngress(t, 'b', '/y').kind).toBe('none');
  });
  it('refuses resource backends with a message', () => {
    const ing = ingressFrom({ rules: [] });
    ing.spec.rules = [{ host: 'h', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { resource: { kind: 'StorageBucket', name: 'b' } } }] } }];
    const t = compileIngresses([ing]);
    expect(t.problems[0].message).toBe(
      'spec.rules[0].http.paths[0].backend.resource: resource backends are not supported by the ingress-nginx controller; use a service backend',
    );
    expect(routeIngress(t, 'h', '/').kind).toBe('none');
  });
  it('attaches a canary Ingress to the main location', () => {
    const main = ingressFrom({ rules: [{ host: 'h', paths: [{ path: '/', pathType: 'Prefix', backend: 'stable' }] }] }, 'main');
    const can = ingressFrom({ rules: [{ host: 'h', paths: [{ path: '/', pathType: 'Prefix', backend: 'canary' }] }] }, 'main-canary');
    can.metadata.annotations = { 'nginx.ingress.kubernetes.io/canary': 'true', 'nginx.ingress.kubernetes.io/canary-weight': '20' };
    const r = routeIngress(compileIngresses([main, can]), 'h', '/');
    expect(r.kind === 'path' && r.match.canary).toMatchObject({ weight: 20, weightTotal: 100, backend: { service: 'canary' } });
  });
  it('serves class-less Ingresses and class nginx, not other controllers', () => {
    const ing = ingressFrom({ rules: [] });
    expect(servedByNginx(ing, [])).toBe(true);
    ing.spec.ingressClassName = 'traefik';
    expect(servedByNginx(ing, [])).toBe(false);
    expect(servedByNginx(ing, [{ apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: { name: 'traefik' }, spec: { controller: 'k8s.io/ingress-nginx' } }])).toBe(true);
  });
});

describe('routeToCanary (balancer.lua route_to_alternative_balancer)', () => {
  const base: CanaryPolicy = { ingress: 'default/c', backend: { namespace: 'default', service: 'c', port: 80 }, weight: 0, weightTotal: 100 };
  const never = () => 0.999999;
  const rows: [string, Partial<CanaryPolicy>, Record<string, string> | undefined, Record<string, string> | undefined, boolean][] = [
    ['header always', { header: 'X-Canary' }, { 'x-canary': 'always' }, undefined, true],
    ['header never beats weight 100', { header: 'X-Canary', weight: 100 }, { 'X-Canary': 'never' }, undefined, false],
    ['other header value falls through to weight 0', { header: 'X-Canary' }, { 'X-Canary': 'yes' }, undefined, false],
    ['header value match', { header: 'X-Canary', headerValue: 'v2' }, { 'X-Canary': 'v2' }, undefined, true],
    ['header value mismatch falls to cookie', { header: 'X-Canary', headerValue: 'v2', cookie: 'c' }, { 'X-Canary': 'always' }, { c: 'always' }, true],
    ['header pattern', { header: 'X-Canary', headerPattern: '^v[2-3]$' }, { 'X-Canary': 'v3' }, undefined, true],
    ['cookie never', { cookie: 'c', weight: 100 }, undefined, { c: 'never' }, false],
    ['weight 100 of 100', { weight: 100 }, undefined, undefined, true],
    ['weight 0', { weight: 0 }, undefined, undefined, false],
  ];
  for (const [name, p, h, c, want] of rows) it(name, () => expect(routeToCanary({ ...base, ...p }, h, c, never)).toBe(want));
});
