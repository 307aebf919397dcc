import { describe, expect, it } from 'vitest';
import { createCluster } from '../../cluster.ts';
import type { ApiServer } from '../../api/server.ts';
import { EPOCH_MS } from '../../clock.ts';
import { jobName, mostRecentScheduleTime, rfc1123z, type CronJob } from './index.ts';
import { nextActivation, parseSchedule } from './schedule.ts';

const at = (iso: string) => Date.parse(iso) - EPOCH_MS;
const iso = (sim: number) => new Date(sim + EPOCH_MS).toISOString().replace('.000Z', 'Z');

describe('parseSchedule + nextActivation (robfig/cron ParseStandard, UTC)', () => {
  const table: { spec: string; from: string; next: string[] }[] = [
    { spec: '*/5 * * * *', from: '2025-01-01T00:00:00Z', next: ['2025-01-01T00:05:00Z', '2025-01-01T00:10:00Z'] },
    { spec: '0 * * * *', from: '2025-01-01T00:00:00Z', next: ['2025-01-01T01:00:00Z', '2025-01-01T02:00:00Z'] },
    { spec: '@hourly', from: '2025-01-01T00:30:00Z', next: ['2025-01-01T01:00:00Z'] },
    { spec: '@daily', from: '2025-01-01T00:00:00Z', next: ['2025-01-02T00:00:00Z'] },
    { spec: '@midnight', from: '2025-01-01T12:00:00Z', next: ['2025-01-02T00:00:00Z'] },
    { spec: '@weekly', from: '2025-01-01T00:00:00Z', next: ['2025-01-05T00:00:00Z', '2025-01-12T00:00:00Z'] },
    { spec: '@monthly', from: '2025-01-15T00:00:00Z', next: ['2025-02-01T00:00:00Z', '2025-03-01T00:00:00Z'] },
    { spec: '@yearly', from: '2025-01-01T00:00:00Z', next: ['2026-01-01T00:00:00Z'] },
    { spec: '@annually', from: '2025-06-01T00:00:00Z', next: ['2026-01-01T00:00:00Z'] },
    { spec: '30 9 * * MON-FRI', from: '2025-01-03T10:00:00Z', next: ['2025-01-06T09:30:00Z', '2025-01-07T09:30:00Z'] },
    { spec: '0 0 1,15 * *', from: '2025-01-01T00:00:00Z', next: ['2025-01-15T00:00:00Z', '2025-02-01T00:00:00Z'] },
    { spec: '0 0 * JAN,jul *', from: '2025-01-31T00:00:00Z', next: ['2025-07-01T00:00:00Z'] },
    // Both day fields restricted: either matches (1st of the month or a Sunday).
    { spec: '0 0 1 * 0', from: '2025-01-01T00:00:00Z', next: ['2025-01-05T00:00:00Z', '2025-01-12T00:00:00Z'] },
    { spec: '15-45/15 10 * * *', from: '2025-01-01T10:20:00Z', next: ['2025-01-01T10:30:00Z', '2025-01-01T10:45:00Z', '2025-01-02T10:15:00Z'] },
    { spec: '50/5 * * * *', from: '2025-01-01T00:00:00Z', next: ['2025-01-01T00:50:00Z', '2025-01-01T00:55:00Z', '2025-01-01T01:50:00Z'] },
    { spec: '0 0 29 2 *', from: '2025-01-01T00:00:00Z', next: ['2028-02-29T00:00:00Z'] },
    { spec: '@every 90s', from: '2025-01-01T00:00:10Z', next: ['2025-01-01T00:01:40Z', '2025-01-01T00:03:10Z'] },
    { spec: '0 0 * * ?', from: '2025-01-01T00:00:00Z', next: ['2025-01-02T00:00:00Z'] },
  ];
  it.each(table)('$spec from $from', ({ spec, from, next }) => {
    const s = parseSchedule(spec);
    let t = at(from);
    for (const want of next) {
      t = nextActivation(s, t)!;
      expect(iso(t)).toBe(want);
    }
  });
  const bad: [string, string][] = [
    ['* * * *', 'expected exactly 5 fields, found 4: * * * *'],
    ['60 * * * *', 'end of range (60) above maximum (59): 60'],
    ['* * 0 * *', 'beginning of range (0) below minimum (1): 0'],
    ['5-1 * * * *', 'beginning of range (5) beyond end of range (1): 5-1'],
    ['@fortnightly', 'unrecognized descriptor: @fortnightly'],
    ['* * * * 7', 'end of range (7) above maximum (6): 7'],
    ['', 'empty spec string'],
    ['TZ=UTC * * * * *', 'CRON_TZ or TZ used in schedule is not supported, please use timeZone instead'],
  ];
  it.each(bad)('rejects %j', (spec, msg) => {
    expect(() => parseSchedule(spec)).toThrow(msg);
  });
});

describe('helpers', () => {
  it('jobName is minutes since the Unix epoch', () => {
    expect(jobName('hello', at('2025-01-01T00:05:00Z'))).toBe(`hello-${Date.UTC(2025, 0, 1, 0, 5) / 60000}`);
  });
  it('rfc1123z', () => {
    expect(rfc1123z(at('2025-01-06T09:30:00Z'))).toBe('Mon, 06 Jan 2025 09:30:00 +0000');
  });
  it('mostRecentScheduleTime counts missed times', () => {
    const cj = { metadata: { creationTimestamp: '2025-01-01T00:00:00Z' }, spec: { schedule: '* * * * *' }, status: {} } as CronJob;
    const s = parseSchedule('* * * * *');
    expect(mostRecentScheduleTime(cj, s, at('2025-01-01T00:00:30Z'))).toEqual({ missed: 'none' });
    expect(mostRecentScheduleTime(cj, s, at('2025-01-01T00:01:30Z'))).toEqual({ time: at('2025-01-01T00:01:00Z'), missed: 'few' });
    expect(mostRecentScheduleTime(cj, s, at('2025-01-01T03:00:30Z'))).toEqual({ time: at('2025-01-01T03:00:00Z'), missed: 'many' });
    cj.spec.startingDeadlineSeconds = 200;
    expect(mostRecentScheduleTime(cj, s, at('2025-01-01T03:00:30Z')).missed).toBe('few');
  });
});

function setup(spec: Partial<CronJob['spec']>, images = { 'job:1': { runSeconds: 30 } }) {
  const sim = createCluster({ seed: 13, images, nodes: [{ name: 'node-1' }] });
  sim.service<ApiServer>('api').create({
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: 'tick', namespace: 'default' },
    spec: { schedule: '* * * * *', jobTemplate: { spec: { template: { spec: { containers: [{ name: 'c', image: 'job:1' }], restartPolicy: 'Never' } } } }, ...spec },
  });
  sim.settle();
  const get = () => sim.store.get<CronJob>('CronJob', 'default', 'tick')!;
  const jobs = () => sim.store.list('Job', 'default').map((j) => j.metadata.name);
  return { sim, get, jobs };
}

describe('CronJob controller', () => {
  it('creates a Job each minute and keeps 3 successful ones', () => {
    const { sim, get, jobs } = setup({});
    expect(jobs()).toEqual([]);
    sim.runFor(60_200);
    expect(jobs()).toEqual([jobName('tick', 60_000)]);
    const j = sim.store.get('Job', 'default', jobName('tick', 60_000))!;
    expect(j.metadata.annotations!['batch.kubernetes.io/cronjob-scheduled-timestamp']).toBe('2025-01-01T00:01:00Z');
    expect(get().status.active?.length).toBe(1);
    expect(get().status.lastScheduleTime).toBe('2025-01-01T00:01:00Z');
    sim.runFor(6 * 60_000);
    expect(jobs().length).toBe(4); // 3 finished kept + 1 running
    expect(get().status.lastSuccessfulTime).toBeDefined();
    const reasons = sim.eventsFor(get()).map((e) => e.reason);
    expect(reasons).toContain('SawCompletedJob');
    expect(reasons).toContain('SuccessfulDelete');
  });

  it('Forbid skips a run while one is active; Replace replaces it', () => {
    const long = { 'job:1': { runSeconds: 150 } };
    const f = setup({ concurrencyPolicy: 'Forbid' }, long);
    f.sim.runFor(3 * 60_000 + 500);
    // 00:01 runs until about 00:03:30, so 00:02 and 00:03 are not started on time.
    expect(f.jobs().length).toBe(1);
    expect(f.sim.eventsFor(f.get()).map((e) => e.reason)).toContain('JobAlreadyActive');
    // When it finishes, the most recent missed time (00:03) starts late, as upstream does without startingDeadlineSeconds.
    f.sim.runFor(60_000);
    expect(f.jobs()).toEqual([jobName('tick', 60_000), jobName('tick', 180_000)]);
    const r = setup({ concurrencyPolicy: 'Replace' }, long);
    r.sim.runFor(2 * 60_000 + 500);
    expect(r.get().status.active!.map((a) => a.name)).toEqual([jobName('tick', 120_000)]);
  });

  it('suspend stops scheduling', () => {
    const { sim, jobs } = setup({ suspend: true });
    sim.runFor(5 * 60_000);
    expect(jobs()).toEqual([]);
  });
});
