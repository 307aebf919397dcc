import { describe, expect, it } from 'vitest';
import { patchMetaFor, strategicMergePatch, StrategicPatchError } from './strategic.ts';

const deployment = () => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', finalizers: ['a'], labels: { app: 'web', tier: 'fe' } },
  spec: {
    replicas: 3,
    selector: { matchLabels: { app: 'web' } },
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: {
        containers: [
          {
            name: 'app',
            image: 'app:1',
            args: ['--a', '--b'],
            env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }],
            ports: [{ containerPort: 80, name: 'http' }, { containerPort: 9090, name: 'metrics' }],
            volumeMounts: [{ name: 'data', mountPath: '/data' }],
          },
          { name: 'sidecar', image: 'side:1' },
        ],
        volumes: [{ name: 'data', emptyDir: {} }, { name: 'cfg', configMap: { name: 'c' } }],
        tolerations: [{ key: 'a', operator: 'Exists' }, { key: 'b', operator: 'Exists' }],
      },
    },
  },
});

type D = ReturnType<typeof deployment>;
const tpl = (d: D) => d.spec.template.spec;

describe('strategicMergePatch (built-in kinds)', () => {
  const cases: [string, unknown, (d: D) => unknown, unknown][] = [
    ['maps merge; other keys stay', { spec: { replicas: 5 } }, (d) => [d.spec.replicas, d.spec.selector], [5, { matchLabels: { app: 'web' } }]],
    ['null deletes a key', { metadata: { labels: { tier: null } } }, (d) => d.metadata.labels, { app: 'web' }],
    ['containers merge by name: only the named one changes', { spec: { template: { spec: { containers: [{ name: 'sidecar', image: 'side:2' }] } } } }, (d) => tpl(d).containers.map((c) => `${c.name}=${c.image}`), ['app=app:1', 'sidecar=side:2']],
    ['a container with a new name is added after the others', { spec: { template: { spec: { containers: [{ name: 'new', image: 'n:1' }] } } } }, (d) => tpl(d).containers.map((c) => c.name), ['app', 'sidecar', 'new']],
    ['env merges by name', { spec: { template: { spec: { containers: [{ name: 'app', env: [{ name: 'B', value: '3' }, { name: 'C', value: '4' }] }] } } } }, (d) => tpl(d).containers[0].env, [{ name: 'A', value: '1' }, { name: 'B', value: '3' }, { name: 'C', value: '4' }]],
    ['ports merge by containerPort', { spec: { template: { spec: { containers: [{ name: 'app', ports: [{ containerPort: 9090, protocol: 'TCP' }] }] } } } }, (d) => tpl(d).containers[0].ports, [{ containerPort: 80, name: 'http' }, { containerPort: 9090, name: 'metrics', protocol: 'TCP' }]],
    ['volumeMounts merge by mountPath', { spec: { template: { spec: { containers: [{ name: 'app', volumeMounts: [{ mountPath: '/cfg', name: 'cfg' }] }] } } } }, (d) => tpl(d).containers[0].volumeMounts!.map((m) => m.mountPath), ['/data', '/cfg']],
    ['volumes merge by name', { spec: { template: { spec: { volumes: [{ name: 'cfg', configMap: { name: 'c2' } }] } } } }, (d) => tpl(d).volumes, [{ name: 'data', emptyDir: {} }, { name: 'cfg', configMap: { name: 'c2' } }]],
    ['tolerations have no merge strategy: replaced', { spec: { template: { spec: { tolerations: [{ key: 'c', operator: 'Exists' }] } } } }, (d) => tpl(d).tolerations, [{ key: 'c', operator: 'Exists' }]],
    ['args (a list without strategy) are replaced', { spec: { template: { spec: { containers: [{ name: 'app', args: ['--c'] }] } } } }, (d) => tpl(d).containers[0].args, ['--c']],
    ['$patch: delete removes the matching item', { spec: { template: { spec: { containers: [{ name: 'sidecar', $patch: 'delete' }] } } } }, (d) => tpl(d).containers.map((c) => c.name), ['app']],
    ['$patch: delete of an env var', { spec: { template: { spec: { containers: [{ name: 'app', env: [{ name: 'A', $patch: 'delete' }] }] } } } }, (d) => tpl(d).containers[0].env, [{ name: 'B', value: '2' }]],
    ['$patch: replace in a list replaces the list', { spec: { template: { spec: { containers: [{ $patch: 'replace' }, { name: 'only', image: 'o:1' }] } } } }, (d) => tpl(d).containers, [{ name: 'only', image: 'o:1' }]],
    ['$patch: replace in a map replaces the map', { metadata: { labels: { $patch: 'replace', x: 'y' } } }, (d) => d.metadata.labels, { x: 'y' }],
    ['$retainKeys drops the keys it does not list', { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } }, (d) => d.spec.strategy, { type: 'Recreate' }],
    ['$setElementOrder is accepted and ignored', { spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'app' }, { name: 'sidecar' }], containers: [{ name: 'app', image: 'app:2' }] } } } }, (d) => tpl(d).containers.map((c) => c.image), ['app:2', 'side:1']],
    ['finalizers merge as a set of strings, in the patch\'s order for the items it names', { metadata: { finalizers: ['b', 'a', 'c'] } }, (d) => d.metadata.finalizers, ['b', 'a', 'c']],
    ['$deleteFromPrimitiveList removes values', { metadata: { '$deleteFromPrimitiveList/finalizers': ['a'] } }, (d) => d.metadata.finalizers, []],
    ['no directive ends up in the object', { spec: { template: { spec: { containers: [{ name: 'x', image: 'x', env: [{ name: 'Q', $patch: 'delete' }] }] } } } }, (d) => JSON.stringify(d).includes('$patch'), false],
  ];
  for (const [name, patch, pick, want] of cases) {
    it(name, () => expect(pick(strategicMergePatch(deployment(), patch, 'Deployment'))).toEqual(want));
  }

  it('a new item lands after the live items that precede the next patched one (mergeSortedSlice)', () => {
    const live = { kind: 'Pod', spec: { containers: [{ name: 'a' }, { name: 'b' }, { name: 'c' }] } };
    const out = strategicMergePatch(live, { spec: { containers: [{ name: 'n' }, { name: 'c', image: 'c:2' }] } }, 'Pod');
    expect(out.spec.containers.map((c: { name: string }) => c.name)).toEqual(['a', 'b', 'n', 'c']);
  });

  it('does not modify its input', () => {
    const d = deployment();
    strategicMergePatch(d, { spec: { replicas: 1 } }, 'Deployment');
    expect(d.spec.replicas).toBe(3);
  });

  const errors: [string, unknown, string][] = [
    ['a list item without its merge key', { spec: { template: { spec: { containers: [{ image: 'nginx:1.26' }] } } } }, 'map: map[image:nginx:1.26] does not contain declared merge key: name'],
    ['an unknown $patch', { spec: { template: { spec: { containers: [{ name: 'app', $patch: 'frob' }] } } } }, 'Unknown patch type: frob in map: map[$patch:frob name:app]'],
    ['$patch: merge in a list', { spec: { template: { spec: { containers: [{ $patch: 'merge' }] } } } }, 'merging lists cannot yet be specified in the patch'],
    ['a patch that is not a map', [1], 'json: cannot unmarshal array into Go value of type map[string]interface {}'],
  ];
  for (const [name, patch, msg] of errors) {
    it(`error: ${name}`, () => {
      expect(() => strategicMergePatch(deployment(), patch, 'Deployment')).toThrow(StrategicPatchError);
      expect(() => strategicMergePatch(deployment(), patch, 'Deployment')).toThrow(msg);
    });
  }
});

describe('patchMetaFor', () => {
  const cases: [string, string, { merge: boolean; mergeKey?: string }][] = [
    ['Pod', 'spec.containers', { merge: true, mergeKey: 'name' }],
    ['Deployment', 'spec.template.spec.containers.env', { merge: true, mergeKey: 'name' }],
    ['CronJob', 'spec.jobTemplate.spec.template.spec.initContainers.ports', { merge: true, mergeKey: 'containerPort' }],
    ['StatefulSet', 'spec.template.spec.containers.volumeMounts', { merge: true, mergeKey: 'mountPath' }],
    ['Deployment', 'spec.template.spec.tolerations', { merge: false }],
    ['Service', 'spec.ports', { merge: true, mergeKey: 'port' }],
    ['Deployment', 'spec.template.metadata.finalizers', { merge: true }],
    ['Deployment', 'metadata.ownerReferences', { merge: true, mergeKey: 'uid' }],
    ['Deployment', 'status.conditions', { merge: true, mergeKey: 'type' }],
    ['Ingress', 'spec.rules', { merge: false }],
  ];
  for (const [kind, path, want] of cases) it(`${kind} ${path}`, () => expect(patchMetaFor(kind, path.split('.'))).toEqual(want));
});
