/** testutil.ts: builders for oracle-table tests (plain objects, no Sim). Used only by *.test.ts. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Deployment, ReplicaSet } from '../../api/types.ts';
import { isoTime } from '../../clock.ts';
import type { DeploymentIO } from './io.ts';
import { MAX_REPLICAS_ANNOTATION, rsReplicas } from './util.ts';

export interface OracleCase {
  name: string;
  input: Record<string, any>;
  expect: Record<string, any>;
}

export function loadOracle(name: string): OracleCase[] {
  return JSON.parse(readFileSync(resolve(process.cwd(), 'test/fixtures/oracles', `${name}.json`), 'utf8')).cases;
}

export function deployment(opts: {
  replicas?: number;
  maxSurge?: number | string | null;
  maxUnavailable?: number | string | null;
  strategy?: 'RollingUpdate' | 'Recreate';
  statusReplicas?: number;
}): Deployment {
  const rolling = (opts.strategy ?? 'RollingUpdate') === 'RollingUpdate';
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'foo', namespace: 'default', uid: 'd-uid', generation: 1 },
    spec: {
      replicas: opts.replicas ?? 0,
      selector: { matchLabels: { app: 'foo' } },
      template: { metadata: { labels: { app: 'foo' } }, spec: { containers: [{ name: 'c', image: 'img' }] } },
      strategy: rolling
        ? { type: 'RollingUpdate', rollingUpdate: { maxSurge: opts.maxSurge ?? 0, maxUnavailable: opts.maxUnavailable ?? 0 } }
        : { type: 'Recreate' },
    },
    status: { replicas: opts.statusReplicas },
  } as Deployment;
}

let seq = 0;
/** rs builds a ReplicaSet; ageSeconds sets creationTimestamp (larger = older). */
export function rs(name: string, replicas: number, available = 0, opts: { ageSeconds?: number; maxReplicas?: number | string | null } = {}): ReplicaSet {
  const annotations: Record<string, string> = {};
  if (opts.maxReplicas !== undefined && opts.maxReplicas !== null) annotations[MAX_REPLICAS_ANNOTATION] = String(opts.maxReplicas);
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name, namespace: 'default', uid: `uid-${name}-${++seq}`, annotations, creationTimestamp: isoTime(1_000_000 - (opts.ageSeconds ?? 0) * 1000) },
    spec: { replicas, selector: { matchLabels: { app: 'foo' } }, template: { spec: { containers: [] } } },
    status: { replicas, availableReplicas: available },
  } as ReplicaSet;
}

/** fakeIO scales objects in memory and remembers the calls. */
export function fakeIO(): DeploymentIO & { calls: { name: string; from: number; to: number }[] } {
  const calls: { name: string; from: number; to: number }[] = [];
  return {
    calls,
    scaleReplicaSet(r, newScale) {
      const from = rsReplicas(r);
      r.spec.replicas = newScale;
      if (from === newScale) return false;
      calls.push({ name: r.metadata.name, from, to: newScale });
      return true;
    },
  };
}
