import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import type { Node as FlowNode } from '@xyflow/react';
import { Session } from '../../worker/session.ts';
import { applyDiff, type ObjectsByKind } from '../state/cluster.ts';
import { buildGraph } from './useGraphNodes.ts';
import { graphInputOf } from './testutil.ts';
import { headStat, subLine, type ControllerCardData } from './controllerModel.ts';
import type { KubeObject } from '../../engine/api/types.ts';

const EMPTY = new Map();
const scenario = (name: string) => readFileSync(new URL(`../../../scenarios/${name}`, import.meta.url), 'utf8');

/** at loads a scenario, runs it to t ms (or runs the commands), and returns the page's objects. */
function at(file: string, t: number, commands: string[] = []): ObjectsByKind {
  const s = new Session();
  s.load(file, scenario(file));
  s.advance(t);
  for (const c of commands) s.run(c);
  if (commands.length) s.advance(30_000);
  return applyDiff({}, structuredClone(s.takeDiff()!));
}

const graph = (o: ObjectsByKind) => buildGraph(graphInputOf(o), new Map<string, FlowNode>(), () => {}, true);

const cards = (nodes: FlowNode[]) => nodes.filter((n) => n.type === 'controller').map((n) => n.data as ControllerCardData);

describe('controller cards', () => {
  test('a StatefulSet mid partitioned update: a row per revision with its pods, current and update', () => {
    const o = at('statefulset.yaml', 150_000);
    const g = graph(o);
    const [sts] = cards(g.nodes);
    expect(sts.object.kind).toBe('StatefulSet');
    expect(headStat(sts.object)).toBe('2/2');
    expect(subLine(sts.object)).toBe('1/2 updated · partition 1');
    expect(sts.rows.map((r) => r.revision)).toEqual([1, 2]);
    expect(sts.rows.map((r) => r.metadata.name)).toEqual([sts.object.status.currentRevision, sts.object.status.updateRevision]);
    expect(sts.total).toEqual([1, 1]);
    expect(sts.ready).toEqual([1, 1]);
    // One ownership edge per pod, each from its revision's row.
    const edges = g.edges.filter((e) => e.source.startsWith('sts/'));
    expect(edges.map((e) => e.sourceHandle).sort()).toEqual(sts.rows.map((r) => `rev/${r.metadata.name}`).sort());
  });

  test("a DaemonSet's pods carry the hash alone and are counted on their revision's row", () => {
    const o = at('daemonset.yaml', 60_000);
    const [ds] = cards(graph(o).nodes);
    expect(ds.object.kind).toBe('DaemonSet');
    expect(headStat(ds.object)).toBe('4/4');
    expect(subLine(ds.object)).toBe('4/4 updated · RollingUpdate');
    expect(ds.rows).toHaveLength(1);
    expect(ds.total).toEqual([4]);
  });

  test('a CronJob lists the Jobs it keeps; other Jobs get cards of their own, with edges to their pods', () => {
    const o = at('job-batch.yaml', 200_000);
    const g = graph(o);
    const cs = cards(g.nodes);
    const cron = cs.find((c) => c.object.kind === 'CronJob')!;
    expect(cron.rows.length).toBeGreaterThan(0);
    expect(cron.rows.every((j) => j.kind === 'Job' && j.metadata.ownerReferences?.[0]?.kind === 'CronJob')).toBe(true);
    const jobs = cs.filter((c) => c.object.kind === 'Job').map((c) => c.object.metadata.name);
    expect(jobs.sort()).toEqual(['flaky', 'pi', 'shards']);
    expect(jobs.some((n) => cron.rows.some((r) => r.metadata.name === n))).toBe(false);
    const pi = cs.find((c) => c.object.metadata.name === 'pi')!;
    expect(headStat(pi.object)).toBe('4/4');
    expect(subLine(pi.object)).toBe('Complete');
    const piPods = [...(o.Pod ?? EMPTY).values()].filter((p: KubeObject) => p.metadata.labels?.['job-name'] === 'pi');
    expect(g.edges.filter((e) => e.source === 'job/default/pi')).toHaveLength(piPods.length);
    // A CronJob's Jobs' pods hang off the Job's row.
    const cronEdges = g.edges.filter((e) => e.source.startsWith('cronjob/'));
    expect(cronEdges.length).toBeGreaterThan(0);
    expect(cronEdges.every((e) => cron.rows.some((r) => e.sourceHandle === `job/${r.metadata.name}`))).toBe(true);
  });

  test('an HorizontalPodAutoscaler: kubectl TARGETS and REFERENCE, its replicas within their bounds, no ownership edges', () => {
    const o = at('hpa.yaml', 120_000);
    const g = graph(o);
    const hpa = cards(g.nodes).find((c) => c.object.kind === 'HorizontalPodAutoscaler')!;
    expect(headStat(hpa.object)).toMatch(/^\d+ \(1–\d+\)$/);
    expect(subLine(hpa.object)).toMatch(/^cpu: (\d+%|<unknown>)\/\d+% · Deployment\/\S+$/);
    expect(g.edges.filter((e) => e.source.startsWith('hpa/'))).toHaveLength(0);
  });
});
