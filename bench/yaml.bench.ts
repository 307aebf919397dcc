/**
 * Parsing strangers' YAML: one ConfigMap of many short keys (80,000 keys are ~750 KB, well inside the
 * 2 MiB scenario limit). The yaml library's own duplicate-key check compares each key with every
 * earlier one of its map (quadratic); parseYamlDocuments checks with a Set. Prints both, the library's
 * at sizes it finishes in reasonable time.
 *
 * No issue target; the guard is that no document inside the size limit freezes the tab for seconds.
 */
import { parseAllDocuments } from 'yaml';
import { parseYamlDocuments } from '../src/engine/scenario/yamlparse.ts';

const configMap = (keys: number) => 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: many\ndata:\n' + Array.from({ length: keys }, (_, i) => `  k${i}: v\n`).join('');

function time(f: () => unknown): number {
  const t0 = performance.now();
  f();
  return performance.now() - t0;
}

for (const keys of [10_000, 20_000, 80_000]) {
  const text = configMap(keys);
  const ours = time(() => parseYamlDocuments(text));
  const lib = keys <= 20_000 ? `${(time(() => parseAllDocuments(text)) / 1000).toFixed(2)} s` : 'not run (about a minute)';
  console.log(`${String(keys).padStart(6)} keys (${Math.round(text.length / 1024)} KB): parseYamlDocuments ${(ours / 1000).toFixed(2)} s; the library's own unique-key check ${lib}`);
}
