import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../scenario/parse.ts';
import { runScenario } from '../../scenario/run.ts';


describe('scenarios/hpa.yaml', () => {
  it('scales out with traffic and back in after the stabilization window', () => {
    const text = readFileSync(new URL('../../../../scenarios/hpa.yaml', import.meta.url), 'utf8');
    const parsed = parseScenario(text, 'scenarios/hpa.yaml');
    const res = runScenario(parsed, { until: 600_000 });
    expect(res.errors).toEqual([]);
    if (process.env.HPA_DUMP) for (const s of res.steps) console.log(`--- ${s.t}s ${s.cmd}\n${s.out}`);
    const at = (t: number, cmd: string) => res.steps.find((s) => s.t === t && s.cmd === cmd)!;
    const row = (t: number) => at(t, 'kubectl get hpa').out.split('\n')[1];
    expect(at(10, 'kubectl get hpa').out).toMatch(/^NAME +REFERENCE +TARGETS +MINPODS +MAXPODS +REPLICAS +AGE\nphp-apache +Deployment\/php-apache +cpu: <unknown>\/50% +1 +10 +1 +10s\n$/);
    expect(at(30, 'kubeplay traffic set load --rps 200 --host php-apache').exit).toBe(0);
    // One pod at ~400m of 200m: 200 % → 4 replicas.
    expect(row(60)).toMatch(/cpu: 0%\/50% +1 +10 +1 /);
    expect(row(90)).toMatch(/cpu: \d+%\/50% +1 +10 +4 /);
    expect(at(90, 'kubectl get deployment php-apache').out).toMatch(/php-apache +\d\/4 +4 +\d/);
    // Four pods at ~100m: about 50 %, within tolerance.
    const m = /cpu: (\d+)%\/50% +1 +10 +4 /.exec(row(120));
    expect(m).not.toBeNull();
    expect(Math.abs(Number(m![1]) - 50)).toBeLessThanOrEqual(5);
    expect(at(120, 'kubectl top pods').out.split('\n').filter((l) => l.startsWith('php-apache-'))).toHaveLength(4);
    // Idle, but held at 4 by the 300 s window.
    expect(row(300)).toMatch(/cpu: 0%\/50% +1 +10 +4 /);
    expect(row(560)).toMatch(/cpu: 0%\/50% +1 +10 +1 /);
    expect(at(560, 'kubectl get deployment php-apache').out).toMatch(/php-apache +1\/1 +1 +1 /);
    const events = res.sim!.store.list('Event', 'default').filter((e) => e.involvedObject.kind === 'HorizontalPodAutoscaler');
    expect(events.filter((e) => e.reason === 'SuccessfulRescale').map((e) => e.message)).toEqual(['New size: 4; reason: cpu resource utilization (percentage of request) above target', 'New size: 1; reason: All metrics below target']);
    // Before the first reading (as on a real cluster right after creating an HPA).
    expect(events.filter((e) => e.type === 'Warning').map((e) => e.reason)).toEqual(['FailedGetResourceMetric', 'FailedComputeMetricsReplicas']);
  });
});
