import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCommand } from '../engine/kubectl/index.ts';
import type { Sim } from '../engine/sim.ts';
import { Session } from '../worker/session.ts';
import { decodeShare, encodeShare } from './codec.ts';
import { SHARE_VERSION, type ShareAction, type SharePayload } from './payload.ts';
import { replayShare } from './replay.ts';

const read = (p: string) => readFileSync(new URL(p, import.meta.url), 'utf8');

/** observe is what the e2e compares: every pod as JSON, the events, and the traffic counts. */
function observe(sim: Sim) {
  const net = sim.services.get('network') as { trafficSummary?: (since: number) => unknown } | undefined;
  return {
    t: sim.now(),
    pods: runCommand(sim, 'kubectl get pods -A -o json').out,
    events: runCommand(sim, 'kubectl get events -A').out,
    rs: runCommand(sim, 'kubectl get rs -o wide').out,
    traffic: JSON.stringify(net?.trafficSummary?.(0) ?? null),
    stats: runCommand(sim, 'kubeplay traffic stats').out,
  };
}

/**
 * playSession drives the page's worker Session as a person would: the clock advances in uneven
 * chunks (as the worker's ticks do) and commands land between them. It returns the actions as the
 * share recorder would have recorded them (the session's time when each ran).
 */
function playSession(file: string, text: string, script: { advance: number; run?: string; apply?: string }[]) {
  const s = new Session();
  expect(s.load(file, text)).toEqual([]);
  const actions: ShareAction[] = [];
  for (const step of script) {
    // 33 ms ticks at speed 10 are ~333 ms; uneven chunks prove chunking does not change the result.
    let left = step.advance;
    for (let chunk = 137; left > 0; chunk = (chunk * 7) % 1000 + 1) {
      s.advance(Math.min(chunk, left));
      left -= Math.min(chunk, left);
    }
    if (step.run) {
      s.run(step.run);
      actions.push({ t: s.time(), kind: 'run', text: step.run });
    }
    if (step.apply) {
      s.apply(step.apply);
      actions.push({ t: s.time(), kind: 'apply', text: step.apply });
    }
  }
  return { sim: s.sim, actions };
}

const service = `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports: [{port: 80}]
`;

describe('replayShare reproduces the original session', () => {
  const cases: { name: string; file: string; script: { advance: number; run?: string; apply?: string }[]; tail: number }[] = [
    {
      name: 'rolling update with scale, a node failure and an applied Service mid-rollout',
      file: '../../scenarios/rolling-update.yaml',
      script: [
        { advance: 12_345, run: 'kubectl scale deployment/web --replicas=6' },
        { advance: 0, run: 'kubectl get pods' },
        { advance: 20_100, apply: service },
        { advance: 1_001, run: 'kubeplay node fail worker-2' },
        { advance: 4_000, run: 'kubectl set image deployment/web nginx=nginx:1.27' },
        { advance: 15_500, run: 'kubectl rollout undo deployment/web' },
      ],
      tail: 9_999,
    },
    {
      name: 'the built-in canary demo shared mid-way, with traffic',
      file: '../../scenarios/canary-plain.yaml',
      script: [
        { advance: 35_000, run: 'kubectl scale deployment/canary-demo-canary --replicas=2' },
        { advance: 10_250, run: 'kubeplay traffic stats' },
      ],
      tail: 1_111,
    },
    {
      name: 'plain-Kubernetes canary with traffic, actions at a timeline step\'s instant',
      file: './testdata/k8s-canary.yaml',
      script: [
        { advance: 20_000, run: 'kubectl get pods -o wide' },
        { advance: 5_000, run: 'kubectl scale deployment/shop-v2 --replicas=4' },
        { advance: 15_000, run: 'kubectl delete pod -l track=stable' },
      ],
      tail: 30_000,
    },
  ];

  it.each(cases)('$name', ({ file, script, tail }) => {
    const text = read(file);
    const name = file.split('/').pop()!;
    const original = playSession(name, text, [...script, { advance: tail }]);
    const payload: SharePayload = { v: SHARE_VERSION, scenario: text, name, actions: original.actions, t: original.sim.now(), presentation: {} };

    // Through the link and back, as a fresh browser would open it.
    const enc = encodeShare(payload);
    expect(enc.ok).toBe(true);
    const dec = enc.ok ? decodeShare(`https://kubeplay.dev/${enc.fragment}`) : undefined;
    expect(dec?.ok).toBe(true);
    const replayed = replayShare(dec!.ok ? dec!.payload : payload);

    expect(replayed.errors).toEqual([]);
    const a = observe(original.sim);
    const b = observe(replayed.sim!);
    expect(JSON.parse(b.pods).items.length).toBeGreaterThan(0);
    expect(b).toEqual(a);
    if (file.includes('canary-plain')) expect(b.stats).toMatch(/requests: [1-9]/);
    expect(JSON.stringify(replayed.sim!.snapshot())).toBe(JSON.stringify(original.sim.snapshot()));
    expect(replayed.log.filter((l) => l.source === 'user').map((l) => l.cmd)).toEqual(original.actions.map((x) => (x.kind === 'run' ? x.text : 'kubectl apply -f -')));
  });

  it('a scenario with errors replays nothing and says why', () => {
    const r = replayShare({ v: SHARE_VERSION, scenario: 'kind: Scenario\napiVersion: kubeplay.dev/v1alpha1\nmetadata: {name: x}\nspec: {seed: -1}\n', name: 'x.yaml', actions: [], t: 0, presentation: {} });
    expect(r.sim).toBeUndefined();
    expect(r.errors.join('\n')).toMatch(/^x\.yaml:4: spec\.seed: Invalid value: -1/);
  });
});
