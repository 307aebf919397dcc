import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../scenario/parse.ts';
import { runScenario } from '../../scenario/run.ts';

function play() {
  const text = readFileSync(new URL('../../../../scenarios/vpa.yaml', import.meta.url), 'utf8');
  const res = runScenario(parseScenario(text, 'scenarios/vpa.yaml'));
  expect(res.errors).toEqual([]);
  expect(res.warnings).toEqual([]);
  return res.steps.map((s) => ({ t: s.t, cmd: s.cmd, out: s.out, exit: s.exit }));
}

describe('scenarios/vpa.yaml', () => {
  it('is refused before the add-on, recommends in Off, evicts one pod a minute in Auto', () => {
    const steps = play();
    const at = (t: number, cmd: string) => steps.find((s) => s.t === t && s.cmd.startsWith(cmd))!;
    expect(steps[0].exit).toBe(1);
    expect(steps[0].out).toContain('no matches for kind "VerticalPodAutoscaler" in version "autoscaling.k8s.io/v1"');
    expect(at(2, 'kubeplay addons enable').exit).toBe(0);
    expect(at(3, 'kubectl apply').out).toBe('verticalpodautoscaler.autoscaling.k8s.io/web created\n');
    expect(at(300, 'kubectl get vpa').out).toMatch(/^NAME +MODE +CPU +MEM +PROVIDED +AGE\nweb +Off +163m +262144k +True +4m57s\n$/);
    const rec = JSON.parse(at(300, 'kubectl get vpa web -o jsonpath').out);
    // p90 of ~130m, +15 %; memory raised to the 250Mi minimum; the upper bound capped at maxAllowed as written.
    expect(rec).toEqual({ containerName: 'web', target: { cpu: '163m', memory: '262144k' }, lowerBound: { cpu: '88m', memory: '262144k' }, upperBound: { cpu: '1', memory: '1Gi' }, uncappedTarget: { cpu: '163m', memory: '262144k' } });
    // Auto: the first eviction at the updater's next pass (5m30s), then one a minute.
    expect(at(340, 'kubectl get events').out.split('\n').filter((l) => l.includes('EvictedByVPA'))).toHaveLength(1);
    const pods = at(540, 'kubectl get pods').out.split('\n').slice(1, -1);
    expect(pods).toHaveLength(3);
    for (const p of pods) expect(p.split(/ +/).slice(1)).toEqual(['163m', '262144k', '524288k']);
    expect(at(540, 'kubectl get events').out.match(/EvictedPod/g)).toHaveLength(3);
    // kubectl's generic describer for a custom resource.
    const d = at(540, 'kubectl describe vpa web').out;
    expect(d).toContain('API Version:  autoscaling.k8s.io/v1\nKind:         VerticalPodAutoscaler\n');
    expect(d).toContain('  Update Policy:\n    Update Mode:  Auto\n');
    expect(d).toContain('      Target:\n        Cpu:     163m\n        Memory:  262144k\n');
  });

  it('prints the same bytes twice', () => {
    expect(play()).toEqual(play());
  });
});
