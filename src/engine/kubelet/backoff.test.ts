import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { Backoff } from './backoff.ts';
import { kubeletSim, runPod } from './testutil.ts';
import type { Pod } from '../api/types.ts';
import { parseIsoTime } from '../clock.ts';

const oracle = JSON.parse(readFileSync(new URL('../../../test/fixtures/oracles/backoff.json', import.meta.url), 'utf8'));
const S = 1000;
const byName = (n: string) => oracle.cases.find((c: any) => c.name === n);

/** crashStarts returns the start times (s) of each incarnation of a crashing container and its finish times. */
function crashSchedule(images: Record<string, any>, restartPolicy: 'Always' | 'OnFailure' | 'Never', until: number) {
  const sim = kubeletSim(images);
  const starts: number[] = [];
  const finishes: number[] = [];
  const waiting = new Set<string>();
  sim.store.watch('Pod', (_t, obj) => {
    const cs = (obj as Pod).status.containerStatuses?.[0];
    if (!cs) return;
    if (cs.state.running && !starts.includes(parseIsoTime(cs.state.running.startedAt!))) starts.push(parseIsoTime(cs.state.running.startedAt!));
    for (const t of [cs.state.terminated, cs.lastState?.terminated]) {
      if (!t) continue;
      if (!starts.includes(parseIsoTime(t.startedAt!))) starts.push(parseIsoTime(t.startedAt!));
      if (!finishes.includes(parseIsoTime(t.finishedAt!))) finishes.push(parseIsoTime(t.finishedAt!));
    }
    if (cs.state.waiting?.reason) waiting.add(cs.state.waiting.reason);
  });
  runPod(sim, 'p', [{ image: 'crash:1' }], { restartPolicy });
  sim.runUntil(until);
  starts.sort((a, b) => a - b);
  finishes.sort((a, b) => a - b);
  return { starts, finishes, waiting, sim };
}

describe('Backoff (client-go flowcontrol semantics)', () => {
  test(byName('generic back-off sequence (step 1s, max 50s)').name, () => {
    const c = byName('generic back-off sequence (step 1s, max 50s)');
    const b = new Backoff({}, c.input.initialSeconds * S, c.input.maxSeconds * S);
    const got: number[] = [];
    for (let i = 0; i < c.input.events; i++) {
      got.push(b.get('x') / S);
      b.next('x', i * S, i * S);
    }
    expect(got).toEqual(c.expect.delayBeforeEachEventSeconds);
    b.reset('x');
    expect(b.get('x') / S).toBe(c.expect.afterResetSeconds);
  });

  test.each([byName('entry expires after 2x max without events (step 1s, max 5s)'), byName('high-water mark kept within 2x max (step 1s, max 5s)')])('$name', (c) => {
    const b = new Backoff({}, c.input.initialSeconds * S, c.input.maxSeconds * S);
    let t = 0;
    for (let i = 0; i < 10; i++) b.next('x', (t += S), t);
    expect(b.get('x')).toBe(c.input.maxSeconds * S);
    t += c.input.quietSeconds * S;
    if (c.expect.inBackOff !== undefined) expect(b.isInBackOffSince('x', t, t)).toBe(c.expect.inBackOff);
    if (c.input.thenRecordFailure) {
      b.next('x', t, t);
      expect(b.get('x') / S).toBe(c.expect.backoffSeconds);
    }
  });

  test('retry whenever not in back-off, 1s step, max 10s', () => {
    const c = byName('retry whenever not in back-off, 1s step, max 10s');
    const b = new Backoff({}, c.input.initialSeconds * S, c.input.maxSeconds * S);
    for (const row of c.expect.timeline) {
      const now = row.tick * S;
      const inBackOff = b.isInBackOffSinceUpdate('x', now);
      expect(inBackOff, `tick ${row.tick}`).toBe(row.inBackOff);
      if (inBackOff) expect(b.get('x') / S, `tick ${row.tick}`).toBe(row.backoffSeconds);
      else b.next('x', now, now);
    }
  });

  test('back-off resets after 10 minutes of clean running', () => {
    const c = byName('back-off resets after 10 minutes of clean running');
    const b = new Backoff({ x: { backoffMs: c.input.currentBackoffSeconds * S, lastUpdate: 0 } }, c.input.initialSeconds * S, c.input.maxSeconds * S);
    const t = c.input.ranCleanSeconds * S;
    expect(b.isInBackOffSince('x', t, t)).toBe(false);
    b.next('x', t, t);
    expect(b.get('x') / S).toBe(c.expect.nextDelaySeconds);
  });
});

describe('kubelet restarts (oracle timelines)', () => {
  test('crash-loop restart schedule of a container that exits immediately every time', () => {
    const c = byName('crash-loop restart schedule of a container that exits immediately every time');
    // crashAfterSeconds 0: the process exits as soon as it starts.
    const { starts, finishes, waiting } = crashSchedule({ 'crash:1': { crashAfterSeconds: 0, pullSeconds: 1 } }, 'Always', 1500 * S);
    const delays = finishes.slice(0, c.input.crashes).map((f, i) => (starts[i + 1] - f) / S);
    // The first restart waits only for the next PLEG relist (1 s); the back-off itself is 0 there.
    expect(delays[0]).toBe(1);
    expect(delays.slice(1)).toEqual(c.expect.delayBeforeRestartSeconds.slice(1));
    expect(waiting.has(c.expect.statusWhileWaiting)).toBe(true);
  });

  test('documented container restart back-off: 10s, 20s, 40s … capped at 300s, reset after 10 min clean', () => {
    const c = byName('documented container restart back-off');
    const { starts, finishes } = crashSchedule({ 'crash:1': { crashAfterSeconds: 2, pullSeconds: 1 } }, 'Always', 2000 * S);
    const delays = finishes.map((f, i) => (starts[i + 1] - f) / S).filter((d) => !Number.isNaN(d));
    expect(delays.slice(1, 4)).toEqual(c.expect.delaysSeconds);
    expect(Math.max(...delays)).toBe(c.expect.capSeconds);
    // A container that runs 601 s between crashes restarts with the back-off started over.
    const long = crashSchedule({ 'crash:1': { crashAfterSeconds: c.expect.resetAfterCleanRunSeconds + 1, pullSeconds: 1 } }, 'Always', 3000 * S);
    const d2 = long.finishes.map((f, i) => (long.starts[i + 1] - f) / S).filter((d) => !Number.isNaN(d));
    expect(d2.every((d) => d === 1)).toBe(true);
    // Just under 10 minutes is not clean long enough: the back-off keeps doubling.
    const under = crashSchedule({ 'crash:1': { crashAfterSeconds: c.expect.resetAfterCleanRunSeconds - 20, pullSeconds: 1 } }, 'Always', 3000 * S);
    const d3 = under.finishes.map((f, i) => (under.starts[i + 1] - f) / S).filter((d) => !Number.isNaN(d));
    expect(d3.slice(1, 4)).toEqual(c.expect.delaysSeconds);
  });

  test.each<any>(oracle.cases.filter((c: any) => c.input.restartPolicy && c.input.exitCode !== undefined))('$name', (c: any) => {
    const images = { 'crash:1': c.input.exitCode === 0 ? { runSeconds: 5, pullSeconds: 1 } : { crashAfterSeconds: 5, exitCode: c.input.exitCode, pullSeconds: 1 } };
    const { starts, sim } = crashSchedule(images, c.input.restartPolicy, 60 * S);
    expect(starts.length > 1).toBe(c.expect.restarted);
    const phase = sim.store.get<Pod>('Pod', 'default', 'p')!.status.phase;
    if (!c.expect.restarted) expect(phase).toBe(c.input.exitCode === 0 ? 'Succeeded' : 'Failed');
  });

  test('image pull failure sequence', () => {
    const c = byName('image pull failure sequence');
    const sim = kubeletSim({ 'bad:1': { pullError: true, pullSeconds: 0 } });
    const reasons: [number, string][] = [];
    sim.store.watch('Pod', (_t, obj) => {
      const r = (obj as Pod).status.containerStatuses?.[0]?.state.waiting?.reason;
      if (r && reasons[reasons.length - 1]?.[1] !== r) reasons.push([sim.clock.seconds(), r]);
    });
    runPod(sim, 'p', [{ image: 'bad:1' }]);
    sim.runUntil(1200 * S);
    const pulls = sim.store.list('Event').filter((e: any) => e.reason === 'Pulling');
    expect(pulls[0].count).toBeGreaterThanOrEqual(c.input.pullFailures);
    const failures = reasons.filter(([, r]) => r === c.expect.waitingReasonOnFailedAttempt).map(([t]) => t);
    const gaps = failures.slice(0, c.input.pullFailures).map((t, i) => (i === 0 ? 0 : t - failures[i - 1]));
    expect(gaps).toEqual(c.expect.delayBeforeEachPullSeconds);
    expect(reasons.some(([, r]) => r === c.expect.waitingReasonWhileBackingOff)).toBe(true);
  });
});

describe('kubelet back-off constants', () => {
  test('kubelet back-off constants and the image pull back-off cap', async () => {
    const { BACKOFF_INITIAL_MS, BACKOFF_MAX_MS } = await import('./backoff.ts');
    const c = byName('kubelet back-off constants');
    expect(BACKOFF_INITIAL_MS / S).toBe(c.expect.initialSeconds);
    expect(BACKOFF_MAX_MS / S).toBe(c.expect.maxSeconds);
    const pull = byName('documented image pull back-off cap');
    const sim = kubeletSim({ 'bad:1': { pullError: true, pullSeconds: 0 } });
    runPod(sim, 'p', [{ image: 'bad:1' }]);
    sim.runUntil(3600 * S);
    const entry = Object.entries(sim.state.kubelet.backoff as Record<string, { backoffMs: number }>).find(([k]) => k.endsWith('_bad:1'))!;
    expect(entry[1].backoffMs / S).toBe(pull.expect.capSeconds);
    expect(sim.store.get<Pod>('Pod', 'default', 'p')!.status.containerStatuses![0].state.waiting!.reason).toBe(pull.expect.waitingReason);
  });
});
