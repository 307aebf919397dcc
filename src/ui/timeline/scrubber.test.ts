import { describe, expect, it } from 'vitest';
import { formatMss, groupTicks } from './Scrubber.tsx';
import { applyMarkers } from './markerStore.ts';
import { isScenarioYaml, scenarioFileName } from '../state/handle.ts';
import { isPureCommand } from '../../share/pure.ts';
import type { TimeMarker } from '../../worker/protocol.ts';

describe('scrubber helpers', () => {
  it.each([
    [0, '0:00'],
    [999, '0:00'],
    [61_000, '1:01'],
    [3_600_000, '60:00'],
    [-5, '0:00'],
  ])('formatMss(%i) = %s', (ms, s) => expect(formatMss(ms)).toBe(s));

  it('groups markers closer than a few pixels into one tick', () => {
    const m = (t: number, text: string): TimeMarker => ({ t, kind: 'event', text });
    const ticks = groupTicks([m(0, 'a'), m(100, 'b'), m(50_000, 'c'), m(100_000, 'd'), m(200_000, 'outside')], 0, 100_000, 1000);
    expect(ticks.map((k) => [k.x, k.markers.map((x) => x.text).join('')])).toEqual([
      [0, 'ab'],
      [500, 'c'],
      [1000, 'd'],
    ]);
  });

  it('markers: keep a prefix, append the rest', () => {
    const a: TimeMarker = { t: 1, kind: 'run', text: 'a' };
    const b: TimeMarker = { t: 2, kind: 'step', text: 'b' };
    const c: TimeMarker = { t: 3, kind: 'apply', text: 'c' };
    const prev = [a, b];
    expect(applyMarkers(prev, 2, [])).toBe(prev);
    expect(applyMarkers(prev, 2, [c])).toEqual([a, b, c]);
    expect(applyMarkers(prev, 1, [c])).toEqual([a, c]);
    expect(applyMarkers(prev, 0, [])).toEqual([]);
  });
});

describe('window.kubeplay.load: a name or scenario YAML', () => {
  it.each([
    ['rolling-update', false],
    ['canary-plain', false],
    ['apiVersion: kubeplay.dev/v1alpha1', true],
    ['kind: Scenario', true],
    ['x\ny', true],
  ])('%j is YAML: %s', (s, yaml) => expect(isScenarioYaml(s)).toBe(yaml));

  it('names a YAML scenario by its metadata.name', () => {
    expect(scenarioFileName('apiVersion: kubeplay.dev/v1alpha1\nkind: Scenario\nmetadata:\n  name: my-demo\nspec: {}\n')).toBe('my-demo.yaml');
    expect(scenarioFileName('kind: Scenario\nmetadata: {name: flow}\n')).toBe('flow.yaml');
    expect(scenarioFileName('kind: Scenario\n')).toBe('scenario.yaml');
  });
});

describe('isPureCommand: lines the history does not record', () => {
  it.each([
    ['kubectl get pods -o wide', true],
    ['k describe deployment web', true],
    ['kubectl rollout status deployment/web', true],
    ['kubectl rollout undo deployment/web', false],
    ['kubectl diff -f web.yaml', true],
    ['kubectl argo rollouts get rollout shop', true],
    ['kubectl argo rollouts promote shop', false],
    ['kubectl scale deployment/web --replicas=3', false],
    ['kubectl exec web-1 -- env', false],
    ['kubeplay curl http://web', false],
    ['kubeplay traffic stats', true],
    ['kubeplay node fail worker-1', false],
    ['kubectl get pods -o name | xargs kubectl delete', false],
    ['kubectl get pods -o name | xargs -I{} kubectl get {}', true],
    ['kubectl get pods | sed 1d', true],
  ])('%s → %s', (line, pure) => expect(isPureCommand(line)).toBe(pure));
});
