import { describe, expect, it } from 'vitest';
import { createCluster } from '../cluster.ts';
import type { ApiServer } from '../api/server.ts';
import type { ApiError } from '../api/errors.ts';
import type { Pod } from '../api/types.ts';
import type { PriorityClass } from './priority.ts';

function cluster() {
  const sim = createCluster({ seed: 1 });
  return { sim, api: sim.service<ApiServer>('api') };
}

const pc = (name: string, value: number, extra: Partial<PriorityClass> = {}): PriorityClass =>
  ({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name }, value, ...extra }) as PriorityClass;

const pod = (name: string, spec: Record<string, unknown> = {}): Pod =>
  ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'nginx' }], ...spec } }) as Pod;

function errorOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return (e as ApiError).message;
  }
  return '';
}

describe('PriorityClass', () => {
  it('the system classes exist at startup with upstream values', () => {
    const { sim } = cluster();
    const got = sim.store.list<PriorityClass>('PriorityClass').map((c) => [c.metadata.name, c.value, c.globalDefault, c.preemptionPolicy]);
    expect(got).toEqual([
      ['system-node-critical', 2000001000, false, 'PreemptLowerPriority'],
      ['system-cluster-critical', 2000000000, false, 'PreemptLowerPriority'],
    ]);
  });

  it('creating the system classes draws nothing from the PRNG', () => {
    const a = cluster().sim.rng.getState();
    const sim = createCluster({ seed: 1 });
    expect(a).toEqual(sim.rng.getState());
  });

  it.each([
    ['a user value above 1e9', pc('huge', 1_000_000_001), 'The PriorityClass "huge" is invalid: value: Forbidden: maximum allowed value of a user defined priority is 1000000000'],
    [
      'an unknown system- name',
      pc('system-foo', 10),
      "The PriorityClass \"system-foo\" is invalid: metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: system-foo is not a known system priority class",
    ],
    ['a missing value', { ...pc('novalue', 0), value: undefined } as any, 'The PriorityClass "novalue" is invalid: value: Required value'],
    [
      'an unknown preemptionPolicy',
      pc('p', 1, { preemptionPolicy: 'Sometimes' as any }),
      'The PriorityClass "p" is invalid: preemptionPolicy: Unsupported value: "Sometimes": supported values: "Never", "PreemptLowerPriority"',
    ],
  ])('refuses %s', (_name, obj, msg) => {
    const { api } = cluster();
    expect(errorOf(() => api.create(obj))).toBe(msg);
  });

  it('allows exactly 1e9 and defaults preemptionPolicy', () => {
    const { api } = cluster();
    const got = api.create(pc('top', 1_000_000_000));
    expect(got.preemptionPolicy).toBe('PreemptLowerPriority');
  });

  it('allows only one globalDefault', () => {
    const { api } = cluster();
    api.create(pc('default-one', 10, { globalDefault: true }));
    expect(errorOf(() => api.create(pc('default-two', 20, { globalDefault: true })))).toBe(
      'priorityclasses.scheduling.k8s.io "default-two" is forbidden: PriorityClass default-one is already marked as default. Only one default can exist',
    );
  });
});

describe('Priority admission', () => {
  it.each([
    ['no class and no default: priority 0', [], {}, 0, 'PreemptLowerPriority', undefined],
    ['a named class', [pc('high', 1000)], { priorityClassName: 'high' }, 1000, 'PreemptLowerPriority', 'high'],
    ['a Never class', [pc('batch', 500, { preemptionPolicy: 'Never' })], { priorityClassName: 'batch' }, 500, 'Never', 'batch'],
    ['the globalDefault when none is named', [pc('dflt', 7, { globalDefault: true })], {}, 7, 'PreemptLowerPriority', 'dflt'],
    ['a negative class (pause pods)', [pc('overprovisioning', -10)], { priorityClassName: 'overprovisioning' }, -10, 'PreemptLowerPriority', 'overprovisioning'],
    ['a system class', [], { priorityClassName: 'system-node-critical' }, 2000001000, 'PreemptLowerPriority', 'system-node-critical'],
  ])('%s', (_name, classes, spec, priority, policy, className) => {
    const { api } = cluster();
    for (const c of classes) api.create(c);
    const got = api.create(pod('p', spec));
    expect(got.spec.priority).toBe(priority);
    expect(got.spec.preemptionPolicy).toBe(policy);
    expect(got.spec.priorityClassName).toBe(className);
  });

  it('refuses a pod naming a missing class with upstream message', () => {
    const { api } = cluster();
    expect(errorOf(() => api.create(pod('x', { priorityClassName: 'foo' })))).toBe('pods "x" is forbidden: no PriorityClass with name foo was found');
  });

  it('refuses a priority that disagrees with the class', () => {
    const { api } = cluster();
    api.create(pc('high', 1000));
    expect(errorOf(() => api.create(pod('x', { priorityClassName: 'high', priority: 5 })))).toBe(
      'pods "x" is forbidden: the integer value of priority (5) must not be provided in pod spec; priority admission controller computed 1000 from the given PriorityClass name',
    );
  });

  it('Deployment pods get their priority through the ReplicaSet controller; a missing class is FailedCreate', () => {
    const { sim, api } = cluster();
    const dep = (name: string, cls: string) => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace: 'default' },
      spec: { replicas: 1, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { priorityClassName: cls, containers: [{ name: 'c', image: 'nginx' }] } } },
    });
    api.create(pc('high', 1000));
    api.create(dep('good', 'high'));
    api.create(dep('bad', 'nope'));
    sim.settle();
    const pods = sim.store.list<Pod>('Pod');
    expect(pods.map((p) => [p.metadata.labels?.app, p.spec.priority])).toEqual([['good', 1000]]);
    const ev = sim.store.list<any>('Event').find((e) => e.reason === 'FailedCreate');
    expect(ev?.message).toMatch(/^Error creating: pods "bad-[a-z0-9]+-" is forbidden: no PriorityClass with name nope was found$/);
  });
});
