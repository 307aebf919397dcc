import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../scenario/parse.ts';
import { runScenario } from '../scenario/run.ts';

function play(file: string) {
  const text = readFileSync(new URL(`../../../scenarios/${file}`, import.meta.url), 'utf8');
  const parsed = parseScenario(text, `scenarios/${file}`);
  const res = runScenario(parsed);
  expect(res.errors).toEqual([]);
  return Object.fromEntries(res.steps.map((s, i) => [`${i}`, s])) as Record<string, { cmd: string; out: string; exit: number }>;
}

describe('scenarios/service-discovery.yaml', () => {
  it('resolves names and reaches the pods', () => {
    const steps = Object.values(play('service-discovery.yaml'));
    const by = (cmd: string) => steps.filter((s) => s.cmd === cmd);
    const ns = by('kubeplay nslookup my-nginx')[0];
    expect(ns.exit).toBe(0);
    expect(ns.out).toMatch(/^Server:\t\t10\.96\.0\.10\nAddress:\t10\.96\.0\.10#53\n\nName:\tmy-nginx\.default\.svc\.cluster\.local\nAddress: 10\.\d+\.\d+\.\d+\n$/);
    expect(by('kubeplay nslookup my-nginx-headless')[0].out.match(/Name:/g)).toHaveLength(2);
    expect(by('kubeplay nslookup db')[0].out).toContain('db.default.svc.cluster.local\tcanonical name = my.database.example.com.');
    expect(by('kubeplay nslookup nope')[0].exit).toBe(1);
    const curl = by('kubeplay curl -i --from client http://my-nginx/')[0];
    expect(curl.exit).toBe(0);
    expect(curl.out).toMatch(/^HTTP\/1\.1 200 OK\n/);
    expect(curl.out).toContain('x-kubeplay-service: default/my-nginx\n');
    expect(by('kubeplay curl --from client http://db/')[0]).toMatchObject({ exit: 6, out: 'curl: (6) Could not resolve host: db\n' });
  });
});

describe('scenarios/network-policy.yaml', () => {
  it('denies by default, allows by label and port, and shows default-deny egress stopping DNS', () => {
    const steps = Object.values(play('network-policy.yaml')).filter((s) => s.cmd.startsWith('kubectl exec'));
    const TIMED_OUT = 'wget: download timed out\ncommand terminated with exit code 1\n';
    expect(steps.map((s) => [s.cmd.replace(/ --.*/, ''), s.exit === 0 ? 'ok' : s.out.split('\n')[0]])).toEqual([
      ['kubectl exec frontend', 'ok'],
      ['kubectl exec other', 'ok'],
      // default-deny-ingress
      ['kubectl exec frontend', 'wget: download timed out'],
      // api-allow-frontend
      ['kubectl exec frontend', 'ok'],
      ['kubectl exec other', 'wget: download timed out'],
      // default-deny-egress: the name does not resolve
      ['kubectl exec frontend', ';; connection timed out; no servers could be reached'],
      ['kubectl exec frontend', "wget: bad address 'api'"],
      // allow-dns: it resolves, the connection is still denied
      ['kubectl exec frontend', 'ok'],
      ['kubectl exec frontend', 'wget: download timed out'],
      // frontend-to-api
      ['kubectl exec frontend', 'ok'],
    ]);
    expect(steps[2].out).toBe(TIMED_OUT);
  });
});

describe('scenarios/ingress-fanout.yaml', () => {
  it('routes hosts and paths', () => {
    const steps = Object.values(play('ingress-fanout.yaml'));
    const out = (cmd: string, i = 0) => steps.filter((s) => s.cmd === cmd)[i]?.out ?? `(no step ${cmd})`;
    expect(out("kubeplay curl -i -H 'Host: shop.example.com' http://203.0.113.2/")).toContain('x-kubeplay-service: default/web');
    expect(out("kubeplay curl -H 'Host: shop.example.com' http://203.0.113.2/api/orders")).toMatch(/^GET \/api\/orders served by api-/);
    expect(out("kubeplay curl -H 'Host: shop.example.com' http://203.0.113.2/apiary")).toMatch(/^GET \/apiary served by web-/);
    expect(out("kubeplay curl -H 'Host: shop.example.com' http://203.0.113.2/healthz")).toMatch(/served by health-/);
    expect(out("kubeplay curl -i -H 'Host: shop.example.com' http://203.0.113.2/healthz/")).toContain('x-kubeplay-service: default/web');
    expect(out('kubeplay curl -i http://admin.example.com/')).toMatch(/^HTTP\/1\.1 503 Service Temporarily Unavailable\n/);
    expect(out('kubeplay curl -i http://admin.example.com/', 1)).toMatch(/^HTTP\/1\.1 200 OK\n/);
    expect(out('kubeplay curl -i http://unknown.example.com/')).toMatch(/^HTTP\/1\.1 404 Not Found\n/);
    // 20 + 10 rps for the last minute: about 1,800 requests, a third of them to the api
    const stats = out('kubeplay traffic stats');
    const api = Number(/shop\/api:1\.0 +(\d+)/.exec(stats)?.[1]);
    expect(api).toBeGreaterThan(500);
    expect(api).toBeLessThan(700);
    expect(out("kubeplay promql 'sum by (service, status) (increase(nginx_ingress_controller_requests[1m]))'")).toContain('{service="web", status="200"} => ');
  });
});
