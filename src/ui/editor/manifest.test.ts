import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createCluster } from '../../engine/cluster.ts';
import { runCommand } from '../../engine/kubectl/index.ts';
import type { Deployment } from '../../engine/api/types.ts';
import { editableManifest, stripForEdit } from './manifest.ts';

describe('stripForEdit', () => {
  it('drops status, server metadata and last-applied; keeps labels, other annotations and spec', () => {
    const obj = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        name: 'web',
        namespace: 'default',
        uid: 'u',
        resourceVersion: '7',
        creationTimestamp: '2024-01-01T00:00:00Z',
        generation: 3,
        managedFields: [],
        labels: { app: 'web' },
        annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}', 'deployment.kubernetes.io/revision': '2' },
      },
      spec: { replicas: 3 },
      status: { replicas: 3 },
    };
    expect(stripForEdit(obj)).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'default', labels: { app: 'web' }, annotations: { 'deployment.kubernetes.io/revision': '2' } },
      spec: { replicas: 3 },
    });
    // The live object is untouched.
    expect(obj.status).toEqual({ replicas: 3 });
    expect(stripForEdit({ ...obj, metadata: { ...obj.metadata, annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}' } } }).metadata.annotations).toBeUndefined();
  });
});

describe('editableManifest', () => {
  it('applies back unchanged, and a changed field changes only that field', () => {
    const sim = createCluster({ seed: 1, nodes: [{ name: 'worker-1' }] });
    expect(runCommand(sim, 'kubectl create deployment web --image=nginx:1.25 --replicas=2').exit).toBe(0);
    sim.settle();
    const live = () => sim.store.get<Deployment>('Deployment', 'default', 'web')!;
    const text = editableManifest(live());
    expect(text.split('\n').slice(0, 2)).toEqual(['# kubectl edit deployment.apps/web -n default', '# Change it, then Apply (Ctrl/⌘+Enter).']);
    expect(text).not.toMatch(/status:|uid:|resourceVersion:|creationTimestamp: "?20|generation:/);
    expect(parse(text).spec.replicas).toBe(2);
    const same = runCommand(sim, 'kubectl apply -f -', { stdin: text });
    expect(same.out).toContain('deployment.apps/web');
    const gen = live().metadata.generation;
    expect(live().spec.replicas).toBe(2);
    const changed = runCommand(sim, 'kubectl apply -f -', { stdin: text.replace('replicas: 2', 'replicas: 4') });
    expect(changed).toEqual({ exit: 0, out: 'deployment.apps/web configured\n' });
    expect(live().spec.replicas).toBe(4);
    expect(live().metadata.generation).toBe((gen ?? 0) + 1);
    expect(live().spec.template.spec.containers[0].image).toBe('nginx:1.25');
  });
});
