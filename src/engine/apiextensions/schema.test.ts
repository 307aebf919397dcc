import { describe, expect, it } from 'vitest';
import { formatFieldError } from '../api/errors.ts';
import { applyDefaults, prune, validate, type JSONSchemaProps } from './schema.ts';

const S: JSONSchemaProps = {
  type: 'object',
  required: ['spec'],
  properties: {
    spec: {
      type: 'object',
      required: ['size'],
      properties: {
        size: { type: 'integer', minimum: 1, maximum: 10 },
        ratio: { type: 'number', exclusiveMaximum: true, maximum: 1 },
        colour: { type: 'string', enum: ['red', 'blue'], default: 'red' },
        name: { type: 'string', minLength: 2, maxLength: 5, pattern: '^[a-z]+$' },
        tags: { type: 'array', maxItems: 2, items: { type: 'string' } },
        labels: { type: 'object', additionalProperties: { type: 'string' } },
        port: { 'x-kubernetes-int-or-string': true },
        extra: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
        opt: { type: 'string', nullable: true },
      },
    },
  },
};

const errs = (spec: unknown) => validate({ apiVersion: 'x/v1', kind: 'W', metadata: { name: 'w' }, spec }, S).map(formatFieldError);

describe('validate (kube-openapi wording, apiextensions validation_test.go)', () => {
  it.each([
    ['valid', { size: 3 }, []],
    ['type', { size: 'big' }, ['spec.size: Invalid value: "string": spec.size in body must be of type integer: "string"']],
    ['number for integer', { size: 1.5 }, ['spec.size: Invalid value: "number": spec.size in body must be of type integer: "number"']],
    ['integer is a number', { size: 1, ratio: 0 }, []],
    ['required', {}, ['spec.size: Required value']],
    ['maximum', { size: 11 }, ['spec.size: Invalid value: 11: spec.size in body should be less than or equal to 10']],
    ['minimum', { size: 0 }, ['spec.size: Invalid value: 0: spec.size in body should be greater than or equal to 1']],
    ['exclusiveMaximum', { size: 1, ratio: 1 }, ['spec.ratio: Invalid value: 1: spec.ratio in body should be less than 1']],
    ['enum', { size: 1, colour: 'green' }, ['spec.colour: Unsupported value: "green": supported values: "red", "blue"']],
    ['enum and type', { size: 1, colour: true }, ['spec.colour: Invalid value: "boolean": spec.colour in body must be of type string: "boolean"', 'spec.colour: Unsupported value: true: supported values: "red", "blue"']],
    ['maxLength', { size: 1, name: 'abcdef' }, ['spec.name: Too long: may not be more than 5 bytes']],
    ['minLength', { size: 1, name: 'a' }, ['spec.name: Invalid value: "a": spec.name in body should be at least 2 chars long']],
    ['pattern', { size: 1, name: 'AB' }, ["spec.name: Invalid value: \"AB\": spec.name in body should match '^[a-z]+$'"]],
    ['maxItems', { size: 1, tags: ['a', 'b', 'c'] }, ['spec.tags: Too many: 3: must have at most 2 items']],
    ['items', { size: 1, tags: ['a', 2] }, ['spec.tags[1]: Invalid value: "integer": spec.tags[1] in body must be of type string: "integer"']],
    ['additionalProperties', { size: 1, labels: { a: 'x', b: 1 } }, ['spec.labels.b: Invalid value: "integer": spec.labels.b in body must be of type string: "integer"']],
    ['int-or-string', { size: 1, port: true }, ['spec.port: Invalid value: "boolean": spec.port in body must be of type integer,string: "boolean"']],
    ['int-or-string ok', { size: 1, port: 'http' }, []],
    ['nullable', { size: 1, opt: null }, []],
    ['not nullable', { size: null }, ['spec.size: Invalid value: "null": spec.size in body must be of type integer: "null"']],
  ] as [string, unknown, string[]][])('%s', (_n, spec, want) => {
    expect(errs(spec)).toEqual(want);
  });

  it("a pattern matches with Go's regexp (RE2): linear in the value, whatever the CRD's author wrote", () => {
    const slow: JSONSchemaProps = { type: 'object', properties: { spec: { type: 'object', properties: { v: { type: 'string', pattern: '^(a+)+$|a*a*a*a*b' } } } } };
    const v = 'a'.repeat(20_000) + '!';
    expect(validate({ apiVersion: 'x/v1', kind: 'W', metadata: { name: 'w' }, spec: { v } }, slow).map((e) => e.field)).toEqual(['spec.v']);
  });

  it('a missing required root field', () => {
    expect(validate({ apiVersion: 'x/v1', kind: 'W', metadata: { name: 'w' } }, S).map(formatFieldError)).toEqual(['spec: Required value']);
  });
});

describe('prune and defaults', () => {
  it('drops unknown fields, keeps preserved and additionalProperties, never touches apiVersion/kind/metadata', () => {
    const o = { apiVersion: 'x/v1', kind: 'W', metadata: { name: 'w', whatever: 1 }, status: { x: 1 }, spec: { size: 1, bogus: 2, labels: { any: 'x' }, extra: { free: { deep: 1 } }, tags: ['a'] } };
    expect(prune(o, S)).toEqual(['status', 'spec.bogus']);
    expect(o).toEqual({ apiVersion: 'x/v1', kind: 'W', metadata: { name: 'w', whatever: 1 }, spec: { size: 1, labels: { any: 'x' }, extra: { free: { deep: 1 } }, tags: ['a'] } });
  });

  it('prunes inside arrays of objects', () => {
    const s: JSONSchemaProps = { type: 'object', properties: { items: { type: 'array', items: { type: 'object', properties: { a: { type: 'string' } } } } } };
    const o = { items: [{ a: 'x', b: 1 }, { c: 2 }] };
    expect(prune(o, s)).toEqual(['items[0].b', 'items[1].c']);
    expect(o).toEqual({ items: [{ a: 'x' }, {}] });
  });

  it('fills defaults of absent fields only', () => {
    const a = { spec: { size: 1 } };
    applyDefaults(a, S);
    expect(a.spec).toEqual({ size: 1, colour: 'red' });
    const b = { spec: { size: 1, colour: 'blue' } };
    applyDefaults(b, S);
    expect(b.spec.colour).toBe('blue');
  });
});
