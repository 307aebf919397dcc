import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../engine/scenario/index.ts';
import { workerText } from './strip.ts';

const dir = new URL('../../../scenarios/lessons/', import.meta.url);

describe('workerText', () => {
  it.each(readdirSync(dir).filter((f) => f.endsWith('.yaml')))('%s loads in the engine with the same cluster, minus the lesson', (f) => {
    const text = readFileSync(new URL(f, dir), 'utf8');
    const out = workerText(text, f);
    const p = parseScenario(out, f);
    expect(p.errors).toEqual([]);
    expect(p.manifests.map((m) => m.what)).toEqual(parseScenario(text, f).manifests.map((m) => m.what));
    expect(p.spec.seed).toBe(parseScenario(text, f).spec.seed);
    expect(p.spec.nodes.length).toBe(parseScenario(text, f).spec.nodes.length);
    // Before the scenario module validates spec.lesson the lesson is cut from the engine's copy; after, the text goes as is.
    const engineKnowsLessons = !parseScenario(text, f).errors.some((d) => d.message.startsWith('unknown field "spec.lesson"'));
    if (engineKnowsLessons) expect(out).toBe(text);
    else expect(out).not.toMatch(/^\s+lesson:/m);
  });
  it('leaves a scenario without a lesson untouched', () => {
    const text = readFileSync(new URL('../../../scenarios/rolling-update.yaml', import.meta.url), 'utf8');
    expect(workerText(text, 'rolling-update.yaml')).toBe(text);
  });
});
