import { describe, expect, it } from 'vitest';
import { createCluster } from '../cluster.ts';
import { kindInfo, resolveResource } from '../api/kinds.ts';
import { runCommand } from '../kubectl/index.ts';
import { compareVersions, declaredKinds } from './crd.ts';

const CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  scope: Namespaced
  names: {plural: widgets, kind: Widget, shortNames: [wd]}
  versions:
  - name: v1beta1
    served: true
    storage: false
    schema:
      openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            required: [size]
            properties:
              size: {type: integer, minimum: 1}
              mode: {type: string, enum: [fast, slow], default: fast}
`;
const widget = (name: string, spec: string, ns = '', version = 'v1') => `apiVersion: example.com/${version}\nkind: Widget\nmetadata: {name: ${name}${ns ? `, namespace: ${ns}` : ''}}\nspec: ${spec}\n`;

function cluster() {
  const sim = createCluster({ seed: 2 });
  const run = (line: string, stdin?: string) => {
    const r = runCommand(sim, line, stdin === undefined ? {} : { stdin });
    sim.settle();
    return r;
  };
  return { sim, run };
}

describe('CustomResourceDefinition', () => {
  it('an object before its CRD is a mapping error; the CRD registers the kind once Established', () => {
    const { sim, run } = cluster();
    expect(run('kubectl apply -f -', widget('a', '{size: 1}'))).toEqual({
      exit: 1,
      out: 'error: resource mapping not found for name: "a" namespace: "" from "STDIN": no matches for kind "Widget" in version "example.com/v1"\nensure CRDs are installed first\n',
    });
    expect(run('kubectl apply -f -', CRD)).toEqual({ exit: 0, out: 'customresourcedefinition.apiextensions.k8s.io/widgets.example.com created\n' });
    const crd = sim.store.get('CustomResourceDefinition', undefined, 'widgets.example.com')!;
    expect(crd.status.conditions.map((c: { type: string; status: string }) => `${c.type}=${c.status}`)).toEqual(['NamesAccepted=True', 'Established=True']);
    expect(crd.status.acceptedNames).toEqual({ kind: 'Widget', listKind: 'WidgetList', plural: 'widgets', shortNames: ['wd'], singular: 'widget' });
    expect(crd.spec.names.singular).toBe('widget');
    expect(run('kubectl get crd').out).toBe('NAME                  CREATED AT\nwidgets.example.com   2025-01-01T00:00:00Z\n');
    expect(run('kubectl api-resources --api-group=example.com').out).toBe('NAME      SHORTNAMES   APIVERSION       NAMESPACED   KIND\nwidgets   wd           example.com/v1   true         Widget\n');
    // Outside a command's scope the engine's built-in discovery does not know the kind.
    expect(kindInfo('Widget')).toBeUndefined();
    expect(resolveResource('widgets')).toBeUndefined();
  });

  it('a CRD and its object in one apply: the object fails until the next apply, as kubectl does', () => {
    const { run } = cluster();
    const both = `${CRD}---\n${widget('w', '{size: 1}')}`;
    expect(run('kubectl apply -f -', both)).toEqual({
      exit: 1,
      out: 'customresourcedefinition.apiextensions.k8s.io/widgets.example.com created\nerror: resource mapping not found for name: "w" namespace: "" from "STDIN": no matches for kind "Widget" in version "example.com/v1"\nensure CRDs are installed first\n',
    });
    expect(run('kubectl apply -f -', both)).toEqual({ exit: 0, out: 'customresourcedefinition.apiextensions.k8s.io/widgets.example.com unchanged\nwidget.example.com/w created\n' });
  });

  it('lists by plural, singular and short name, with NAME AGE by default', () => {
    const { sim, run } = cluster();
    run('kubectl apply -f -', CRD);
    expect(run('kubectl apply -f -', widget('a', '{size: 2}')).out).toBe('widget.example.com/a created\n');
    expect(run('kubectl apply -f -', widget('b', '{size: 3}', '', 'v1beta1')).out).toBe('widget.example.com/b created\n');
    sim.runFor(30_000);
    for (const r of ['widgets', 'widget', 'wd', 'widgets.example.com']) expect(run(`kubectl get ${r}`).out).toBe('NAME   AGE\na      30s\nb      30s\n');
    expect(run('kubectl get wd a -o jsonpath={.spec.mode}').out).toBe('fast');
    expect(run('kubectl get widgets -A').out).toBe('NAMESPACE   NAME   AGE\ndefault     a      30s\ndefault     b      30s\n');
    expect(run('kubectl delete widget a').out).toBe('widget.example.com "a" deleted\n');
    expect(run('kubectl get widgets -o name').out).toBe('widget.example.com/b\n');
  });

  it('validates with the version schema, prunes unknown fields, keeps them in last-applied', () => {
    const { sim, run } = cluster();
    run('kubectl apply -f -', CRD);
    expect(run('kubectl apply -f -', widget('w', '{size: big}'))).toEqual({ exit: 1, out: 'The Widget "w" is invalid: spec.size: Invalid value: "string": spec.size in body must be of type integer: "string"\n' });
    expect(run('kubectl apply -f -', widget('w', '{mode: slow}'))).toEqual({ exit: 1, out: 'The Widget "w" is invalid: spec.size: Required value\n' });
    expect(run('kubectl apply -f -', widget('w', '{size: 0, mode: turbo}'))).toEqual({
      exit: 1,
      out: 'The Widget "w" is invalid: \n* spec.mode: Unsupported value: "turbo": supported values: "fast", "slow"\n* spec.size: Invalid value: 0: spec.size in body should be greater than or equal to 1\n',
    });
    // A field v1's schema does not know: refused under kubectl's default strict validation, as for built-in kinds …
    expect(run('kubectl apply -f -', widget('w', '{size: 1, colour: red}'))).toEqual({
      exit: 1,
      out: 'Error from server (BadRequest): error when creating "STDIN": Widget in version "v1" cannot be handled as a Widget: strict decoding error: unknown field "spec.colour"\n',
    });
    // … pruned (v1beta1 preserves unknown fields) when validation is off; last-applied keeps the manifest.
    expect(run('kubectl apply --validate=false -f -', widget('w', '{size: 1, colour: red}')).exit).toBe(0);
    const w = sim.store.get('Widget', 'default', 'w')!;
    expect(w.spec).toEqual({ size: 1, mode: 'fast' });
    expect(w.metadata.annotations!['kubectl.kubernetes.io/last-applied-configuration']).toContain('"colour":"red"');
    // An update is validated and pruned too; --validate=warn says what it drops.
    expect(run('kubectl apply -f -', widget('w', '{size: -1}'))).toEqual({ exit: 1, out: 'The Widget "w" is invalid: spec.size: Invalid value: -1: spec.size in body should be greater than or equal to 1\n' });
    expect(run('kubectl apply --validate=warn -f -', widget('w', '{size: 5, junk: 1}')).out).toBe('Warning: unknown field "spec.junk"\nwidget.example.com/w configured\n');
    expect(sim.store.get('Widget', 'default', 'w')!.spec).toEqual({ size: 5, mode: 'fast' });
    expect(run('kubectl apply -f -', widget('x', '{size: 1, colour: red}', '', 'v1beta1')).exit).toBe(0);
    expect(sim.store.get('Widget', 'default', 'x')!.spec.colour).toBe('red');
  });

  it('deleting the CRD deletes its objects; deleting a namespace deletes the objects in it', () => {
    const { sim, run } = cluster();
    run('kubectl apply -f -', CRD);
    run('kubectl create namespace team');
    run('kubectl apply -f -', widget('a', '{size: 1}'));
    run('kubectl apply -f -', widget('b', '{size: 1}', 'team'));
    run('kubectl delete namespace team');
    expect(sim.store.list('Widget').map((o) => o.metadata.name)).toEqual(['a']);
    expect(run('kubectl delete crd widgets.example.com').out).toBe('customresourcedefinition.apiextensions.k8s.io "widgets.example.com" deleted\n');
    expect(sim.store.list('Widget')).toEqual([]);
    expect(run('kubectl get widgets')).toEqual({ exit: 1, out: 'error: the server doesn\'t have a resource type "widgets"\n' });
  });

  it('refuses invalid CRDs with the API server wording', () => {
    const { run } = cluster();
    const bad = CRD.replace('name: widgets.example.com', 'name: widgets').replace('scope: Namespaced', 'scope: Global');
    expect(run('kubectl apply -f -', bad)).toEqual({
      exit: 1,
      out: 'The CustomResourceDefinition "widgets" is invalid: \n* metadata.name: Invalid value: "widgets": must be spec.names.plural+"."+spec.group\n* spec.scope: Unsupported value: "Global": supported values: "Cluster", "Namespaced"\n',
    });
    expect(run('kubectl apply -f -', CRD.replace('storage: true', 'storage: false')).out).toMatch(/^The CustomResourceDefinition "widgets.example.com" is invalid: spec.versions: Invalid value: .*: must have exactly one version marked as storage version\n$/);
    // A pattern Go's regexp does not compile (a look-behind JavaScript would take) is refused where it stands.
    expect(run('kubectl apply -f -', CRD.replace('size: {type: integer, minimum: 1}', "size: {type: integer, minimum: 1}\n              name: {type: string, pattern: '(?<=x)a'}"))).toEqual({
      exit: 1,
      out: 'The CustomResourceDefinition "widgets.example.com" is invalid: spec.versions[1].schema.openAPIV3Schema.properties[spec].properties[name].pattern: Invalid value: "(?<=x)a": must be a valid regular expression, but isn\'t: error parsing regexp: invalid named capture: `(?<=x)a`\n',
    });
  });

  // A schema Go cannot decode into JSONSchemaProps is a BadRequest from the decoder (encoding/json's
  // words: the path of JSON field names, no map keys, and the field of a value with its own UnmarshalJSON);
  // one that decodes but is not structural is Invalid at each path.
  const DECODE = 'Error from server (BadRequest): error when creating "STDIN": CustomResourceDefinition in version "v1" cannot be handled as a CustomResourceDefinition: ';
  const field = 'size: {type: integer, minimum: 1}';
  it.each([
    ['enum: abc', `${field}\n              tag: {type: string, enum: abc}`, `${DECODE}json: cannot unmarshal string into Go struct field JSONSchemaProps.spec.versions.schema.openAPIV3Schema.properties.properties.enum of type []v1.JSON\n`],
    ['type: [string]', `${field}\n              tag: {type: [string]}`, `${DECODE}json: cannot unmarshal array into Go struct field JSONSchemaProps.spec.versions.schema.openAPIV3Schema.properties.properties.type of type string\n`],
    ['minimum: "1"', 'size: {type: integer, minimum: "1"}', `${DECODE}json: cannot unmarshal string into Go struct field JSONSchemaProps.spec.versions.schema.openAPIV3Schema.properties.properties.minimum of type float64\n`],
    ['required: [size, 1]', `${field}\n              x: {type: object, required: [size, 1]}`, `${DECODE}json: cannot unmarshal number into Go struct field JSONSchemaProps.spec.versions.schema.openAPIV3Schema.properties.properties.required of type string\n`],
    ['inside items', `${field}\n              tags: {type: array, items: {type: string, maxLength: x}}`, `${DECODE}json: cannot unmarshal string into Go struct field JSONSchemaProps.spec.versions.schema.openAPIV3Schema.properties.properties.items of type int64\n`],
    ['additionalProperties: yes', `${field}\n              labels: {type: object, additionalProperties: "yes"}`, `${DECODE}boolean or JSON schema expected\n`],
    [
      'items: 5 (decoded as no items)',
      `${field}\n              tags: {type: array, items: 5}`,
      'The CustomResourceDefinition "widgets.example.com" is invalid: spec.versions[1].schema.openAPIV3Schema.properties[spec].properties[tags].items: Required value: must be specified\n',
    ],
    [
      'no type, an unknown type',
      `${field}\n              a: {description: untyped}\n              b: {type: str}`,
      'The CustomResourceDefinition "widgets.example.com" is invalid: \n* spec.versions[1].schema.openAPIV3Schema.properties[spec].properties[a].type: Required value: must not be empty for specified object fields\n* spec.versions[1].schema.openAPIV3Schema.properties[spec].properties[b].type: Unsupported value: "str": supported values: "array", "boolean", "integer", "number", "object", "string"\n',
    ],
    [
      'items as a list',
      `${field}\n              pair: {type: array, items: [{type: string}, {type: integer}]}`,
      'The CustomResourceDefinition "widgets.example.com" is invalid: spec.versions[1].schema.openAPIV3Schema.properties[spec].properties[pair].items: Forbidden: items must be a schema object and not an array\n',
    ],
  ])('refuses a schema with %s, as the API server does', (_name, replacement, out) => {
    const { run } = cluster();
    expect(run('kubectl apply -f -', CRD.replace(field, replacement))).toEqual({ exit: 1, out });
    expect(run('kubectl get crd').out).toBe('No resources found\n');
  });

  it('refuses a root that is not an object, and additionalProperties at the root', () => {
    const { run } = cluster();
    const root = CRD.replace('openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}', 'openAPIV3Schema: {type: string, additionalProperties: {type: string}}');
    expect(run('kubectl apply -f -', root).out).toBe(
      'The CustomResourceDefinition "widgets.example.com" is invalid: \n* spec.versions[0].schema.openAPIV3Schema.type: Invalid value: "string": must be object at the root\n* spec.versions[0].schema.openAPIV3Schema.additionalProperties: Forbidden: must not be used at the root\n',
    );
  });

  it('prints additionalPrinterColumns, cluster-scoped kinds, and survives snapshot/restore', () => {
    const { sim, run } = cluster();
    const crd = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: gadgets.toys.io}
spec:
  group: toys.io
  scope: Cluster
  names: {plural: gadgets, kind: Gadget}
  versions:
  - name: v1
    served: true
    storage: true
    additionalPrinterColumns:
    - {name: Power, type: integer, jsonPath: .spec.power}
    - {name: Owner, type: string, jsonPath: .spec.owner}
    - {name: Detail, type: string, jsonPath: .spec.detail, priority: 1}
    schema:
      openAPIV3Schema: {type: object, properties: {spec: {type: object, x-kubernetes-preserve-unknown-fields: true}}}
`;
    run('kubectl apply -f -', crd);
    const snap = sim.snapshot();
    expect(run('kubectl apply -f -', 'apiVersion: toys.io/v1\nkind: Gadget\nmetadata: {name: g, namespace: ignored}\nspec: {power: 9, detail: d}\n').out).toBe('gadget.toys.io/g created\n');
    expect(run('kubectl get gadgets').out).toBe('NAME   POWER   OWNER\ng      9       <none>\n');
    expect(run('kubectl get gadgets -o wide').out).toBe('NAME   POWER   OWNER    DETAIL\ng      9       <none>   d\n');
    sim.restore(snap);
    expect(run('kubectl get gadgets').out).toBe('No resources found\n');
  });
});

describe('helpers', () => {
  it('compareVersions orders as kube-aware sorting', () => {
    expect(['v1alpha1', 'v2beta1', 'v1', 'foo', 'v1beta2', 'v2', 'v1beta1'].sort(compareVersions)).toEqual(['v2', 'v1', 'v2beta1', 'v1beta2', 'v1beta1', 'v1alpha1', 'foo']);
  });

  it('declaredKinds reads the valid CRDs among manifests', () => {
    expect(declaredKinds([{ kind: 'Pod', metadata: {} }, { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'x' } }]).length).toBe(0);
  });
});
