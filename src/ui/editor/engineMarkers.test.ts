import { describe, expect, it } from 'vitest';
import { createCluster } from '../../engine/cluster.ts';
import { runCommand } from '../../engine/kubectl/index.ts';
import { engineMarkers, fieldPath, problems } from './engineMarkers.ts';

const TEXT = `apiVersion: v1
kind: ConfigMap
metadata: {name: ok}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: bad
spec:
  replicas: -1
  selector: {matchLabels: {app: x}}
  template:
    metadata:
      labels: {app: y}
    spec:
      containers:
        - name: c
`;

describe('fieldPath', () => {
  it.each([
    ['spec.replicas', ['spec', 'replicas']],
    ['spec.template.spec.containers[0].image', ['spec', 'template', 'spec', 'containers', 0, 'image']],
    ['metadata.labels[app.kubernetes.io/name]', ['metadata', 'labels', 'app.kubernetes.io/name']],
  ])('%s', (f, want) => expect(fieldPath(f)).toEqual(want));
});

describe('problems', () => {
  it('reads single and multi-field Invalid errors', () => {
    expect(problems('The Pod "p" is invalid: spec.containers[0].image: Required value\n')).toEqual([{ kind: 'Pod', name: 'p', field: 'spec.containers[0].image', message: 'spec.containers[0].image: Required value' }]);
    expect(problems('configmap/ok created\nThe Deployment "bad" is invalid: \n* spec.replicas: Invalid value: -1: must be greater than or equal to 0\n* spec.template.spec.containers[0].image: Required value\n').map((p) => p.field)).toEqual([
      'spec.replicas',
      'spec.template.spec.containers[0].image',
    ]);
    expect(problems('deployment.apps/web configured\n')).toEqual([]);
  });

  // Several failed objects: kubectl prints each as MultipleErrors does, the server's message after the source.
  it.each([
    ['Error from server (Invalid): error when creating "STDIN": Service "My_Svc" is invalid: metadata.name: Invalid value: "My_Svc": a DNS-1035 label', ['Service My_Svc metadata.name']],
    [
      'Error from server (Invalid): error when applying patch "STDIN": Deployment.apps "bad" is invalid: [spec.replicas: Invalid value: -1: must be greater than or equal to 0, spec.template.metadata.labels: Invalid value: map[string]string{"app":"y"}: `selector` does not match template `labels`, spec.strategy.type: Unsupported value: "Fast": supported values: "Recreate", "RollingUpdate"]',
      ['Deployment bad spec.replicas', 'Deployment bad spec.template.metadata.labels', 'Deployment bad spec.strategy.type'],
    ],
    ['Error from server (AlreadyExists): error when creating "STDIN": services "kubernetes" already exists', []],
  ])('%s', (out, want) => expect(problems(out).map((p) => `${p.kind} ${p.name} ${p.field}`)).toEqual(want));
});

describe('engineMarkers', () => {
  it('marks the API server’s errors on their lines, in the right document (the engine’s real output)', () => {
    const sim = createCluster({ seed: 1, nodes: [{ name: 'w' }] });
    const r = runCommand(sim, 'kubectl apply -f -', { stdin: TEXT });
    expect(r.exit).toBe(1);
    const m = engineMarkers(TEXT, r.out);
    // replicas: -1 (line 10), the template labels (line 14), the container without an image (line 17).
    expect(m.map((x) => [x.line, x.message.split(':')[0]])).toEqual([
      [10, 'spec.replicas'],
      [14, 'spec.template.metadata.labels'],
      [17, 'spec.template.spec.containers[0].image'],
    ]);
    expect(m[0]).toMatchObject({ line: 10, column: 13, endLine: 10, endColumn: 15 });
  });

  it('marks each document when several are invalid (kubectl prints them as an aggregate)', () => {
    const text = `${TEXT}---\napiVersion: v1\nkind: Service\nmetadata: {name: My_Svc}\nspec: {ports: [{port: 80}]}\n`;
    const r = runCommand(createCluster({ seed: 1, nodes: [{ name: 'w' }] }), 'kubectl apply -f -', { stdin: text });
    expect(r.out).toContain('Error from server (Invalid): error when creating "STDIN": Deployment.apps "bad" is invalid: [');
    expect(engineMarkers(text, r.out).map((x) => [x.line, x.message.split(':')[0]])).toEqual([
      [10, 'spec.replicas'],
      [14, 'spec.template.metadata.labels'],
      [17, 'spec.template.spec.containers[0].image'],
      [21, 'metadata.name'],
    ]);
  });

  it('a missing field marks its parent by its key (spec:), not the parent’s first field', () => {
    const text = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: nosel\nspec:\n  replicas: 1\n  template:\n    metadata:\n      labels: {app: x}\n    spec:\n      containers:\n        - {name: c, image: nginx}\n';
    const sim = createCluster({ seed: 1, nodes: [{ name: 'w' }] });
    const r = runCommand(sim, 'kubectl apply -f -', { stdin: text });
    const m = engineMarkers(text, r.out);
    expect(m.map((x) => [x.line, x.message])).toContainEqual([5, 'spec.selector: Required value']);
  });

  it('a misspelt kind is marked on its kind line, with the kind it likely meant', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ok}\n---\napiVersion: apps/v1\nkind: Deploymnet\nmetadata:\n  name: typo\n';
    const sim = createCluster({ seed: 1, nodes: [{ name: 'w' }] });
    const r = runCommand(sim, 'kubectl apply -f -', { stdin: text });
    expect(r.out).toContain('no matches for kind "Deploymnet" in version "apps/v1"');
    expect(engineMarkers(text, r.out).map((x) => [x.line, x.message])).toEqual([[6, 'no kind "Deploymnet" in apps/v1: is it Deployment?']]);
  });
});
