/**
 * The external manifest corpus (../shared/corpus: upstream Kubernetes and Argo Rollouts examples, unchanged)
 * run through the same code path as `kubeplay run FILE --until 60s`. Every file must load without an
 * internal error, and every document must either be accepted or be refused with a message that names
 * the file, the line, the document (index and kind/name) and why. Then every object the accepted
 * documents leave in the cluster is described and every kind listed, as a learner would inspect them.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseScenario } from '../src/engine/scenario/parse.ts';
import { runScenario, startScenario } from '../src/engine/scenario/run.ts';
import { describeObject } from '../src/engine/kubectl/describe/index.ts';
import { runCommand } from '../src/engine/kubectl/index.ts';
import { formatDiagnostic, type Diagnostic } from '../src/engine/scenario/types.ts';

const corpus = resolve(process.cwd(), '../shared/corpus');
const present = existsSync(join(corpus, 'INDEX.tsv'));
if (!present) console.warn('../shared/corpus not found: corpus test skipped');

interface FileOutcome {
  path: string;
  documents: number;
  accepted: number;
  refused: Diagnostic[];
  internal?: string;
}

/** checkFile runs one corpus file as `kubeplay run FILE --until 60s` does, and sorts its documents. */
function checkFile(path: string, documents: number): FileOutcome {
  const outcome: FileOutcome = { path, documents, accepted: 0, refused: [] };
  try {
    const parsed = parseScenario(readFileSync(join(corpus, path), 'utf8'), path);
    if (parsed.errors.length > 0) {
      outcome.refused = parsed.errors;
      return outcome;
    }
    const result = runScenario(parsed, { until: 60_000 });
    outcome.refused = result.errors;
    const refusedDocs = new Set(result.errors.map((e) => e.doc));
    outcome.accepted = parsed.manifests.filter((m) => !refusedDocs.has(m.doc)).length;
  } catch (e) {
    outcome.internal = e instanceof Error ? `${e.message}\n${e.stack?.split('\n').slice(1, 4).join('\n')}` : String(e);
  }
  return outcome;
}

describe.skipIf(!present)('external manifest corpus', () => {
  it('every document is accepted or refused with a message naming file, line, document and why', () => {
    const index = readFileSync(join(corpus, 'INDEX.tsv'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => l.split('\t'))
      .map(([path, , n]) => ({ path, documents: Number(n) }));
    expect(index.length).toBeGreaterThan(100);

    const outcomes = index.map((f) => checkFile(f.path, f.documents));
    const internal = outcomes.filter((o) => o.internal).map((o) => `${o.path}: ${o.internal}`);
    expect(internal, 'internal errors').toEqual([]);

    const vague: string[] = [];
    for (const o of outcomes) {
      for (const d of o.refused) {
        // A clear refusal: the file, a line, the document's index and its kind (name when it has one), a reason.
        if (d.file !== o.path || !d.line || !d.doc || !d.message.trim() || (o.documents > 0 && d.what === undefined && !/apiVersion not set|kind not set|not a Kubernetes object/.test(d.message))) {
          vague.push(formatDiagnostic(d));
        }
      }
      // Every document is accounted for: accepted, or refused (a YAML error refuses the whole file).
      const refusedDocs = new Set(o.refused.map((d) => d.doc));
      if (o.refused.length === 0 || o.accepted > 0) expect(o.accepted + refusedDocs.size, o.path).toBe(o.documents);
    }
    expect(vague, 'refusals without file/line/document/kind').toEqual([]);

    const accepted = outcomes.reduce((n, o) => n + o.accepted, 0);
    const refused = outcomes.reduce((n, o) => n + new Set(o.refused.map((d) => d.doc)).size, 0);
    const reasons = new Map<string, number>();
    for (const o of outcomes) for (const d of o.refused) {
      const why = d.message.split('\n')[0].replace(/"[^"]*"/g, '"…"').slice(0, 90);
      reasons.set(why, (reasons.get(why) ?? 0) + 1);
    }
    const top = [...reasons].sort((a, b) => b[1] - a[1]).slice(0, 12).map(([why, n]) => `  ${String(n).padStart(4)}  ${why}`);
    console.log(`corpus: ${outcomes.length} files, ${accepted} documents accepted, ${refused} refused with a message\n${top.join('\n')}`);
    expect(accepted).toBeGreaterThan(0);
  });

  it('every object the corpus creates can be described, and every kind listed with -o wide, without an internal error', () => {
    const paths = readFileSync(join(corpus, 'INDEX.tsv'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => l.split('\t')[0]);
    const failures: string[] = [];
    let described = 0;
    for (const path of paths) {
      const parsed = parseScenario(readFileSync(join(corpus, path), 'utf8'), path);
      if (parsed.errors.length > 0) continue;
      const { sim } = startScenario(parsed);
      sim.runUntil(60_000);
      for (const kind of sim.store.kinds()) {
        for (const obj of sim.store.list(kind)) {
          described++;
          try {
            describeObject(sim, obj);
          } catch (e) {
            failures.push(`${path}: describe ${kind}/${obj.metadata.name}: ${(e as Error).message}`);
          }
        }
        const r = runCommand(sim, `kubectl get ${kind === 'Event' ? 'events' : kind.toLowerCase()} -A -o wide`);
        if (r.exit !== 0 && !/doesn't have a resource type|No resources found/.test(r.out)) failures.push(`${path}: get ${kind}: ${r.out.slice(0, 200)}`);
      }
    }
    expect(failures).toEqual([]);
    expect(described).toBeGreaterThan(1000);
  });
});
