import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../scenario/parse.ts';
import { runScenario } from '../scenario/run.ts';

function play() {
  const text = readFileSync(new URL('../../../scenarios/shadow-traffic.yaml', import.meta.url), 'utf8');
  const parsed = parseScenario(text, 'scenarios/shadow-traffic.yaml');
  expect(parsed.spec.title).toBe('Shadow traffic to a failing version');
  const res = runScenario(parsed);
  expect(res.errors).toEqual([]);
  expect(res.warnings).toEqual([]);
  const at = (t: number, prefix: string) => {
    const s = res.steps.find((x) => x.t === t && x.cmd.startsWith(prefix));
    if (!s) throw new Error(`no step ${prefix} at ${t}s`);
    expect(s.exit, s.cmd).toBe(0);
    return s.out;
  };
  return { at, sim: res.sim! };
}

/** value reads `{labels} => v @[t]` lines into label-set → value. */
const values = (out: string) => Object.fromEntries(out.trim().split('\n').map((l) => /^(\{.*\}) => (\S+) @/.exec(l)!).map((m) => [m[1], Number(m[2])]));

describe('scenarios/shadow-traffic.yaml', () => {
  it('the shadow fails every request while clients see no error', () => {
    const { at } = play();
    expect(at(15, 'kubectl get pods').match(/Running/g)).toHaveLength(5);
    expect(at(15, 'kubectl get ingress shop')).toContain('"nginx.ingress.kubernetes.io/mirror-target":"http://shop-shadow.default.svc.cluster.local$request_uri"');
    const curl = at(30, 'kubeplay curl');
    expect(curl).toMatch(/^HTTP\/1\.1 200 OK\n/);
    expect(curl).toContain('x-kubeplay-service: default/shop\n');
    expect(curl).toMatch(/\(shop:v1\)/);
    // Client-visible error ratio: exactly 0.
    expect(values(at(120, "kubeplay promql '1 - sum(rate(nginx_ingress_controller_requests"))).toEqual({ '{}': 0 });
    // The shadow's error ratio: every answer was a 500.
    expect(values(at(120, "kubeplay promql 'sum(rate(http_requests_total{service=\"shop-shadow\""))).toEqual({ '{}': 1 });
    // Both Services served every request of the minute (50 rps ≈ 3,000; increase() extrapolates).
    const by = values(at(120, "kubeplay promql 'sum by (service, code)"));
    expect(Object.keys(by).sort()).toEqual(['{code="200", service="shop"}', '{code="500", service="shop-shadow"}']);
    expect(by['{code="500", service="shop-shadow"}']).toBe(by['{code="200", service="shop"}']);
    expect(by['{code="200", service="shop"}']).toBeGreaterThan(2700);
    expect(by['{code="200", service="shop"}']).toBeLessThan(3400);
  });
});
