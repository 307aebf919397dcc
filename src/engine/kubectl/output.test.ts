import { describe, expect, it } from 'vitest';
import { jsonpath } from './jsonpath.ts';
import { asList, qualifiedName, toJson, toYaml } from './output.ts';

const pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web-1', namespace: 'default', labels: { app: 'web' }, resourceVersion: '42' },
  spec: { containers: [{ name: 'web', image: 'nginx:1.25', ports: [{ containerPort: 80 }] }] },
  status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }, { type: 'PodScheduled', status: 'True' }] },
};

describe('toJson', () => {
  it('sorts keys, indents 4 and escapes <>& as Go does', () => {
    expect(toJson({ kind: 'X', apiVersion: 'v1', note: '<none> & more' })).toBe('{\n    "apiVersion": "v1",\n    "kind": "X",\n    "note": "\\u003cnone\\u003e \\u0026 more"\n}\n');
  });
  it('wraps several objects in a List', () => {
    expect(JSON.parse(toJson(asList([pod as any])))).toEqual({ apiVersion: 'v1', items: [pod], kind: 'List', metadata: { resourceVersion: '' } });
  });
});

describe('toYaml', () => {
  it('prints like sigs.k8s.io/yaml: sorted keys, unindented sequences, quoted ambiguous strings', () => {
    expect(toYaml(pod)).toBe(
      [
        'apiVersion: v1',
        'kind: Pod',
        'metadata:',
        '  labels:',
        '    app: web',
        '  name: web-1',
        '  namespace: default',
        '  resourceVersion: "42"',
        'spec:',
        '  containers:',
        '  - image: nginx:1.25',
        '    name: web',
        '    ports:',
        '    - containerPort: 80',
        'status:',
        '  conditions:',
        '  - status: "True"',
        '    type: Ready',
        '  - status: "True"',
        '    type: PodScheduled',
        '  phase: Running',
        '',
      ].join('\n'),
    );
  });
  it('single-quotes strings that cannot be plain, as go-yaml v2', () => {
    expect(toYaml({ c: 'a: b', d: '- x', l: "it's", m: 'line1\nline2' })).toBe("c: 'a: b'\nd: '- x'\nl: it's\nm: |-\n  line1\n  line2\n");
  });
  it('quotes timestamps, empty strings, yes/no and numbers', () => {
    expect(toYaml({ a: '2025-01-01T00:00:00Z', b: '', c: 'yes', d: '1.5', e: 'plain', f: null, g: {} })).toBe('a: "2025-01-01T00:00:00Z"\nb: ""\nc: "yes"\nd: "1.5"\ne: plain\nf: null\ng: {}\n');
  });
});

describe('qualifiedName', () => {
  const cases: [string, string, string][] = [
    ['v1', 'Pod', 'pod/x'],
    ['apps/v1', 'Deployment', 'deployment.apps/x'],
    ['v1', 'Service', 'service/x'],
    ['discovery.k8s.io/v1', 'EndpointSlice', 'endpointslice.discovery.k8s.io/x'],
  ];
  for (const [apiVersion, kind, want] of cases) it(kind, () => expect(qualifiedName({ apiVersion, kind, metadata: { name: 'x' } })).toBe(want));
});

describe('jsonpath', () => {
  const list = asList([pod as any, { ...pod, metadata: { ...pod.metadata, name: 'web-2' } } as any]);
  const cases: [string, unknown, string][] = [
    ['{.metadata.name}', pod, 'web-1'],
    ['{.items[*].metadata.name}', list, 'web-1 web-2'],
    ['{.items[0].metadata.name}', list, 'web-1'],
    ['{.items[-1].metadata.name}', list, 'web-2'],
    ['{range .items[*]}{.metadata.name}{"\\n"}{end}', list, 'web-1\nweb-2\n'],
    ['{range .items[*]}{.metadata.name}{"\\t"}{.status.phase}{"\\n"}{end}', list, 'web-1\tRunning\nweb-2\tRunning\n'],
    ['{.status.conditions[?(@.type=="Ready")].status}', pod, 'True'],
    ["{.metadata.labels['app']}", pod, 'web'],
    ['{.metadata.labels}', pod, '{"app":"web"}'],
    ['{.spec.containers[*].ports[*].containerPort}', pod, '80'],
    ['{..image}', pod, 'nginx:1.25'],
    ['name: {.metadata.name}', pod, 'name: web-1'],
    ['{.metadata.missing}', pod, ''],
    // A field name runs to an unescaped terminator; a backslash escapes a dot (parser.go parseField).
    ['{.metadata.annotations.kubernetes\\.io/change-cause}', { metadata: { annotations: { 'kubernetes.io/change-cause': 'why' } } }, 'why'],
    ['{.metadata.labels.app\\.kubernetes\\.io/name}', { metadata: { labels: { 'app.kubernetes.io/name': 'shop' } } }, 'shop'],
  ];
  for (const [tpl, data, want] of cases) it(tpl, () => expect(jsonpath(tpl, data)).toBe(want));
});
