/**
 * catalogEntry reads what the scenario picker shows from a scenario file: spec.title, description
 * (first sentence), concepts, level, and whether it is a lesson. Pure (tested in Node); the picker
 * feeds it the built-in files bundled by Vite.
 */
import { parseYamlDocuments } from '../../engine/scenario/yamlparse.ts';
import { isScenarioDocument } from '../../engine/scenario/validate.ts';

export type Level = 'beginner' | 'intermediate' | 'advanced';

export interface CatalogEntry {
  /** path is the file's path under scenarios/ (`lessons/pods-self-healing.yaml`). */
  path: string;
  /** file is the base name (`pods-self-healing.yaml`), as the page names a loaded scenario. */
  file: string;
  title: string;
  /** summary is the description's first sentence (one line in the picker). */
  summary: string;
  concepts: string[];
  level?: Level;
  lesson: boolean;
  text: string;
}

const LEVEL_ORDER: Record<string, number> = { beginner: 0, intermediate: 1, advanced: 2 };

/** firstSentence cuts a description at its first sentence end (". " / "? " / "! "), at most 200 characters. */
export function firstSentence(s: string): string {
  const flat = s.replace(/\s+/g, ' ').trim();
  const m = /^.*?[.!?](?=\s|$)/.exec(flat);
  const out = m ? m[0] : flat;
  return out.length > 200 ? `${out.slice(0, 199)}…` : out;
}

export function catalogEntry(path: string, text: string): CatalogEntry {
  const file = path.split('/').pop() ?? path;
  const entry: CatalogEntry = { path, file, title: file.replace(/\.ya?ml$/, ''), summary: '', concepts: [], lesson: false, text };
  try {
    const docs = parseYamlDocuments(text);
    for (const d of Array.isArray(docs) ? docs : [docs]) {
      const v = d.toJS({ maxAliasCount: 100 }) as { spec?: Record<string, unknown> } | null;
      if (!isScenarioDocument(v)) continue;
      const spec = v?.spec ?? {};
      if (typeof spec.title === 'string') entry.title = spec.title;
      if (typeof spec.description === 'string') entry.summary = firstSentence(spec.description);
      if (Array.isArray(spec.concepts)) entry.concepts = spec.concepts.filter((c): c is string => typeof c === 'string');
      if (typeof spec.level === 'string' && spec.level in LEVEL_ORDER) entry.level = spec.level as Level;
      entry.lesson = typeof spec.lesson === 'object' && spec.lesson !== null;
      break;
    }
  } catch {
    /* a broken built-in still lists by its file name; loading it shows the errors */
  }
  return entry;
}

/** buildCatalog lists files by lessons first, then level, then title (numbers in order: Lesson 2 before Lesson 10). */
export function buildCatalog(files: Record<string, string>): CatalogEntry[] {
  return Object.entries(files)
    .map(([path, text]) => catalogEntry(path.replace(/^.*?scenarios\//, ''), text))
    .sort((a, b) => Number(b.lesson) - Number(a.lesson) || (LEVEL_ORDER[a.level ?? ''] ?? 3) - (LEVEL_ORDER[b.level ?? ''] ?? 3) || a.title.localeCompare(b.title, 'en', { numeric: true }));
}
