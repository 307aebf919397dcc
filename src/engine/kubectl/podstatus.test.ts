import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isoTime, parseDuration } from '../clock.ts';
import type { Pod } from '../api/types.ts';
import { podColumns } from './podstatus.ts';

const oracle = JSON.parse(readFileSync(new URL('../../../test/fixtures/oracles/pod-status.json', import.meta.url), 'utf8'));
const NOW = 100 * 24 * 3600 * 1000;

/** specContainers turns the oracle's "count or specs" into named containers. */
function specContainers(c: any, prefix: string): any[] {
  if (c === undefined) return [];
  if (typeof c === 'number') return Array.from({ length: c }, (_, i) => ({ name: `${prefix}${i}`, image: 'img' }));
  return c.map((x: any) => ({ image: 'img', ...x }));
}

function statuses(list: any[] | undefined, specs: any[]): any[] {
  return (list ?? []).map((s, i) => {
    const { lastTerminationFinishedAgo, ...rest } = s;
    const out: any = { name: specs[i]?.name, image: 'img', ...rest };
    if (lastTerminationFinishedAgo) {
      const ago = /^(\d+)d$/.exec(lastTerminationFinishedAgo);
      const ms = ago ? Number(ago[1]) * 86400000 : parseDuration(lastTerminationFinishedAgo)!;
      out.lastState = { terminated: { exitCode: 1, finishedAt: isoTime(NOW - ms) } };
    }
    return out;
  });
}

function buildPod(input: any): Pod {
  const containers = specContainers(input.containers, 'c');
  const initContainers = specContainers(input.initContainers, 'init');
  const conditions: any[] = [];
  for (const [k, v] of Object.entries(input.conditions ?? {})) {
    if (k.endsWith('Reason')) continue;
    conditions.push({ type: k, status: v, reason: input.conditions[`${k}Reason`] });
  }
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'default', deletionTimestamp: input.deletionTimestampSet ? isoTime(NOW) : undefined },
    spec: { containers, initContainers },
    status: {
      phase: input.phase,
      reason: input.reason,
      conditions,
      containerStatuses: statuses(input.containerStatuses, containers),
      initContainerStatuses: statuses(input.initContainerStatuses, initContainers),
    },
  } as Pod;
}

describe('podColumns (pod-status oracle)', () => {
  it('has 39 cases', () => expect(oracle.cases.length).toBe(39));
  for (const c of oracle.cases) {
    it(c.name, () => {
      const got = podColumns(buildPod(c.input), NOW);
      expect({ READY: got.ready, STATUS: got.status, RESTARTS: got.restarts }).toEqual(c.expect);
    });
  }
});
