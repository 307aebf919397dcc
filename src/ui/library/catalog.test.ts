import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildCatalog, catalogEntry, firstSentence } from './catalog.ts';

const root = new URL('../../../scenarios/', import.meta.url).pathname;
function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? walk(join(dir, f)) : f.endsWith('.yaml') ? [join(dir, f)] : []));
}

describe('catalog', () => {
  it('firstSentence', () => {
    expect(firstSentence('A Deployment of four pods.\nWith maxSurge 1 …')).toBe('A Deployment of four pods.');
    expect(firstSentence('v1.25 is live')).toBe('v1.25 is live');
    expect(firstSentence('x'.repeat(300))).toHaveLength(200);
  });

  it('reads title, summary, concepts, level and lesson', () => {
    const e = catalogEntry('lessons/pods-self-healing.yaml', readFileSync(join(root, 'lessons/pods-self-healing.yaml'), 'utf8'));
    expect(e).toMatchObject({ file: 'pods-self-healing.yaml', title: 'Lesson 2: pods and self-healing', summary: 'Delete a pod and watch the ReplicaSet replace it; scale the Deployment; see that a bare pod is not replaced.', level: 'beginner', lesson: true });
    expect(e.concepts).toContain('self-healing');
  });

  it('a broken or plain file lists by name', () => {
    expect(catalogEntry('x.yaml', '{{{')).toMatchObject({ title: 'x', lesson: false, concepts: [] });
    expect(catalogEntry('y.yaml', 'kind: Pod\n')).toMatchObject({ title: 'y', lesson: false });
  });

  it('every built-in scenario has a title, a description, concepts and a level', () => {
    const files = Object.fromEntries(walk(root).map((p) => [p, readFileSync(p, 'utf8')]));
    const cat = buildCatalog(files);
    expect(cat.length).toBeGreaterThanOrEqual(7);
    expect(cat.slice(0, 3).every((e) => e.lesson)).toBe(true);
    // Lessons in the course's order: their numbers.
    expect(cat.filter((e) => e.lesson).map((e) => e.title.split(':')[0])).toEqual(['Lesson 1', 'Lesson 2', 'Lesson 3', 'Lesson 4']);
    for (const e of cat.filter((x) => x.path.startsWith('lessons/'))) {
      expect(e.title, e.path).not.toBe(e.file.replace('.yaml', ''));
      expect(e.summary, e.path).not.toBe('');
      expect(e.concepts.length, e.path).toBeGreaterThan(0);
      expect(e.level, e.path).toBeDefined();
    }
  });
});
