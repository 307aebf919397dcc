/**
 * parseYamlDocuments is the yaml library's parseAllDocuments with its duplicate-key check replaced: the
 * library compares each key with every earlier one of its map, so a mapping of 80,000 keys (750 KB,
 * well inside the size limit) took a minute to parse and froze the tab. Keys are checked here with one
 * Set per map instead, and a repeated one is the same error the library gives (DUPLICATE_KEY, "Map keys
 * must be unique", at the repeated key), as sigs.k8s.io/yaml refuses a key set twice.
 */
import { isScalar, LineCounter, parseAllDocuments, visit, YAMLParseError, type Document, type DocumentOptions, type ParseOptions, type SchemaOptions } from 'yaml';

export type YamlOptions = ParseOptions & DocumentOptions & SchemaOptions;

export function parseYamlDocuments(text: string, options: YamlOptions = {}): Document.Parsed[] {
  const lineCounter = options.lineCounter ?? new LineCounter();
  const docs = parseAllDocuments(text, { ...options, lineCounter, uniqueKeys: false }) as Document.Parsed[];
  for (const doc of docs) {
    visit(doc, {
      Map(_key, map) {
        const seen = new Set<string>();
        for (const pair of map.items) {
          const k = pair.key;
          if (!isScalar(k)) continue;
          // A merge key (`<<`, a symbol once merging is on) may repeat.
          if (typeof k.value === 'symbol' || (k.value === '<<' && options.merge)) continue;
          const id = `${typeof k.value}\u0000${String(k.value)}`;
          if (!seen.has(id)) {
            seen.add(id);
            continue;
          }
          const range = k.range ?? [0, 0, 0];
          const err = new YAMLParseError([range[0], range[0] + 1], 'DUPLICATE_KEY', 'Map keys must be unique');
          if (options.prettyErrors !== false) {
            // The first line of the library's pretty message (its source excerpt is left out).
            err.linePos = [lineCounter.linePos(range[0]), lineCounter.linePos(range[0] + 1)];
            err.message += ` at line ${err.linePos[0].line}, column ${err.linePos[0].col}:`;
          }
          doc.errors.push(err);
        }
      },
    });
  }
  return docs;
}
