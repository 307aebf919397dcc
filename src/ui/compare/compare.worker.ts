/**
 * compare.worker is the Compare dialog's module worker: it parses the loaded scenario and runs
 * src/engine/compare's strategies one after another, reporting progress before each.
 */
import { parseScenario } from '../../engine/scenario/parse.ts';
import { formatDiagnostic } from '../../engine/scenario/types.ts';
import { compareStrategies, DEFAULT_AT_MS, findWorkload, listWorkloads, planCompare } from '../../engine/compare/index.ts';
import type { ComparePlan, CompareReply, CompareRequest } from './protocol.ts';

const post = (m: CompareReply) => (self as unknown as Worker).postMessage(m);

self.onmessage = (e: MessageEvent<CompareRequest>) => {
  const m = e.data;
  try {
    const parsed = parseScenario(m.text, m.file);
    if (m.type === 'plan') {
      if (parsed.errors.length) return post({ type: 'plan', id: m.id, error: parsed.errors.map(formatDiagnostic).join('\n') });
      const workloads = listWorkloads(parsed);
      // Several workloads: the one asked for, else the first (the dialog offers the others).
      const name = m.workload ?? (workloads.length > 1 ? workloads[0] : undefined);
      const w = findWorkload(parsed, name);
      if (typeof w === 'string') return post({ type: 'plan', id: m.id, error: w });
      // The scenario's own change when it has one; else the user types the image.
      const p = planCompare(parsed, { workload: name });
      const target = 'error' in p ? undefined : p.target;
      const container = target?.container ?? w.container;
      const fromImage = (w.object.spec.template.spec.containers as { name: string; image: string }[]).find((c) => c.name === container)?.image ?? w.image;
      const plan: ComparePlan = {
        workloads,
        kind: w.kind,
        name: w.name,
        replicas: w.replicas,
        container,
        fromImage,
        toImage: target?.image ?? '',
        at: ('error' in p ? DEFAULT_AT_MS : p.atMs) / 1000,
        rps: parsed.spec.traffic.reduce((s, t) => s + t.rps, 0),
        seed: parsed.spec.seed,
      };
      return post({ type: 'plan', id: m.id, plan });
    }
    const r = compareStrategies(parsed, { workload: m.workload, image: m.image, strategies: m.strategies, onProgress: (strategy, i, n) => post({ type: 'progress', id: m.id, strategy, i, n }) });
    if ('error' in r) return post({ type: 'error', id: m.id, error: r.error });
    post({ type: 'result', id: m.id, result: r });
  } catch (err) {
    post({ type: 'error', id: m.id, error: `internal error: ${(err as Error)?.message ?? String(err)}` });
  }
};
