/**
 * The Argo Rollouts examples of ../shared/corpus/argo-rollouts (upstream examples/ and
 * docs/getting-started/, unchanged), each run as `kubeplay run FILE --until 60s`: none may throw or
 * livelock, and every Rollout must either progress or say, in its status message, what Kubeplay
 * cannot run (an unsupported traffic router, an experiment step, a missing Service).
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseScenario } from '../../scenario/parse.ts';
import { runScenario } from '../../scenario/run.ts';


const corpus = resolve(process.cwd(), '../shared/corpus');
const present = existsSync(join(corpus, 'INDEX.tsv'));
const files = present
  ? readFileSync(join(corpus, 'INDEX.tsv'), 'utf8').trim().split('\n').map((l) => l.split('\t')[0]).filter((p) => p.startsWith('argo-rollouts/'))
  : [];

describe.skipIf(!present)('Argo Rollouts corpus', () => {
  it.each(files)('%s', (path) => {
    const parsed = parseScenario(readFileSync(join(corpus, path), 'utf8'), path);
    if (parsed.errors.length) return; // refused at load with a located message (checked by test/corpus.test.ts)
    const res = runScenario(parsed, { until: 60_000 });
    expect(res.warnings).toEqual([]);
    for (const ro of res.sim!.store.list('Rollout')) {
      const st = ro.status ?? {};
      expect(['Progressing', 'Paused', 'Healthy', 'Degraded'], `${ro.metadata.name}: ${JSON.stringify(st)}`).toContain(st.phase);
      if (st.phase === 'Degraded') expect(st.message).toMatch(/^(InvalidSpec|RolloutAborted): ./);
    }
  });
});
