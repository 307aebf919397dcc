import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../api/types.ts';
import { Sim } from '../../sim.ts';
import { printerFor } from './index.ts';

const sim = new Sim();
const ctx = { now: 3_600_000, sim };
const meta = (name: string) => ({ name, namespace: 'default', creationTimestamp: '2025-01-01T00:00:00Z' });
const tmpl = { spec: { containers: [{ name: 'c', image: 'busybox:1' }] } };
const cond = (type: string) => ({ type, status: 'True' });

/** Each row: an object, the header kubectl prints for its kind, its row, and (optionally) the -o wide extras. */
const cases: { name: string; obj: KubeObject; header: string[]; row: string[]; wideHeader?: string[]; wideRow?: string[] }[] = [
  {
    name: 'job running',
    obj: { apiVersion: 'batch/v1', kind: 'Job', metadata: meta('pi'), spec: { completions: 4, parallelism: 2, template: tmpl, selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'u1' } } }, status: { startTime: '2025-01-01T00:00:10Z', succeeded: 1 } },
    header: ['NAME', 'STATUS', 'COMPLETIONS', 'DURATION', 'AGE'],
    row: ['pi', 'Running', '1/4', '59m', '60m'],
    wideHeader: ['CONTAINERS', 'IMAGES', 'SELECTOR'],
    wideRow: ['c', 'busybox:1', 'batch.kubernetes.io/controller-uid=u1'],
  },
  {
    name: 'job complete: duration start→completion',
    obj: { apiVersion: 'batch/v1', kind: 'Job', metadata: meta('pi'), spec: { completions: 1, parallelism: 1, template: tmpl }, status: { startTime: '2025-01-01T00:00:00Z', completionTime: '2025-01-01T00:00:19Z', succeeded: 1, conditions: [cond('SuccessCriteriaMet'), cond('Complete')] } },
    header: ['NAME', 'STATUS', 'COMPLETIONS', 'DURATION', 'AGE'],
    row: ['pi', 'Complete', '1/1', '19s', '60m'],
  },
  {
    name: 'job work queue (no completions, parallelism 3)',
    obj: { apiVersion: 'batch/v1', kind: 'Job', metadata: meta('q'), spec: { parallelism: 3, template: tmpl }, status: { conditions: [cond('FailureTarget')] } },
    header: ['NAME', 'STATUS', 'COMPLETIONS', 'DURATION', 'AGE'],
    row: ['q', 'FailureTarget', '0/1 of 3', '', '60m'],
  },
  {
    name: 'job suspended',
    obj: { apiVersion: 'batch/v1', kind: 'Job', metadata: meta('s'), spec: { completions: 2, parallelism: 1, template: tmpl }, status: { conditions: [cond('Suspended')] } },
    header: ['NAME', 'STATUS', 'COMPLETIONS', 'DURATION', 'AGE'],
    row: ['s', 'Suspended', '0/2', '', '60m'],
  },
  {
    name: 'cronjob',
    obj: { apiVersion: 'batch/v1', kind: 'CronJob', metadata: meta('report'), spec: { schedule: '*/5 * * * *', suspend: false, jobTemplate: { spec: { template: tmpl } } }, status: { active: [{ name: 'report-1' }], lastScheduleTime: '2025-01-01T00:55:00Z' } },
    header: ['NAME', 'SCHEDULE', 'TIMEZONE', 'SUSPEND', 'ACTIVE', 'LAST SCHEDULE', 'AGE'],
    row: ['report', '*/5 * * * *', '<none>', 'False', '1', '5m', '60m'],
    wideHeader: ['CONTAINERS', 'IMAGES', 'SELECTOR'],
    wideRow: ['c', 'busybox:1', '<none>'],
  },
  {
    name: 'cronjob never scheduled',
    obj: { apiVersion: 'batch/v1', kind: 'CronJob', metadata: meta('r'), spec: { schedule: '@daily', timeZone: 'Etc/UTC', suspend: true, jobTemplate: { spec: { template: tmpl } } }, status: {} },
    header: ['NAME', 'SCHEDULE', 'TIMEZONE', 'SUSPEND', 'ACTIVE', 'LAST SCHEDULE', 'AGE'],
    row: ['r', '@daily', 'Etc/UTC', 'True', '0', '<none>', '60m'],
  },
  {
    name: 'daemonset',
    obj: {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: meta('agent'),
      spec: { selector: { matchLabels: { app: 'agent' } }, template: { spec: { ...tmpl.spec, nodeSelector: { 'kubernetes.io/os': 'linux' } } } },
      status: { desiredNumberScheduled: 3, currentNumberScheduled: 3, numberReady: 2, updatedNumberScheduled: 1, numberAvailable: 2, numberMisscheduled: 0 },
    },
    header: ['NAME', 'DESIRED', 'CURRENT', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'NODE SELECTOR', 'AGE'],
    row: ['agent', '3', '3', '2', '1', '2', 'kubernetes.io/os=linux', '60m'],
    wideHeader: ['CONTAINERS', 'IMAGES', 'SELECTOR'],
    wideRow: ['c', 'busybox:1', 'app=agent'],
  },
  {
    name: 'statefulset',
    obj: { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: meta('db'), spec: { replicas: 3, template: tmpl }, status: { replicas: 3, readyReplicas: 2, availableReplicas: 2 } },
    header: ['NAME', 'READY', 'AGE'],
    row: ['db', '2/3', '60m'],
    wideHeader: ['CONTAINERS', 'IMAGES'],
    wideRow: ['c', 'busybox:1'],
  },
  {
    name: 'controllerrevision',
    obj: { apiVersion: 'apps/v1', kind: 'ControllerRevision', metadata: { ...meta('db-55788678f5'), ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db', uid: 'u1', controller: true }] }, revision: 2 },
    header: ['NAME', 'CONTROLLER', 'REVISION', 'AGE'],
    row: ['db-55788678f5', 'statefulset.apps/db', '2', '60m'],
  },
  {
    name: 'pdb minAvailable',
    obj: { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: meta('web'), spec: { minAvailable: 2 }, status: { disruptionsAllowed: 1 } },
    header: ['NAME', 'MIN AVAILABLE', 'MAX UNAVAILABLE', 'ALLOWED DISRUPTIONS', 'AGE'],
    row: ['web', '2', 'N/A', '1', '60m'],
  },
  {
    name: 'pdb maxUnavailable percent',
    obj: { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: meta('web'), spec: { maxUnavailable: '25%' }, status: { disruptionsAllowed: 0 } },
    header: ['NAME', 'MIN AVAILABLE', 'MAX UNAVAILABLE', 'ALLOWED DISRUPTIONS', 'AGE'],
    row: ['web', 'N/A', '25%', '0', '60m'],
  },
];

describe('workload table printers', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_n, c) => {
    const p = printerFor(c.obj.kind);
    expect(p.columns).toEqual(c.header);
    expect(p.row(c.obj, ctx)).toEqual(c.row);
    if (c.wideHeader) {
      expect(p.wide).toEqual(c.wideHeader);
      expect(p.wideRow!(c.obj, ctx)).toEqual(c.wideRow);
    }
  });
});
