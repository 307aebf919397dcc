import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { plainYamlProblem } from './yamlWords.ts';

/** firstError is the yaml library's first message for a text, as the editor's YAML worker words it. */
const firstError = (text: string) => parseAllDocuments(text).flatMap((d) => ('errors' in d ? d.errors : []))[0]?.message.split(' at line')[0];

describe('plainYamlProblem', () => {
  const pod = (line8: string) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: web\n${line8}\n`;
  it.each([
    ['a second colon', pod('    image: nginx: latest'), /^A ':' where no new key can start: .* \(kubectl: mapping values are not allowed in this context\)$/],
    ['a key indented too far', 'apiVersion: apps/v1\nkind: Deployment\nspec:\n  replicas: 2\n   selector: {}\n', /indented further than the key above it/],
    ['a missing colon', pod('    image nginx\n    ports: []'), /^A key without its ':'/],
    ['a key out of line', 'metadata:\n  name: p\n labels: {}\n', /^This key is not lined up/],
    ['a tab', 'metadata:\n\tname: p\n', /^A tab in the indentation/],
    ['an unclosed quote', 'metadata:\n  name: "p\n', /^A quote that is never closed/],
  ])('%s', (_, text, plain) => {
    const message = firstError(text);
    expect(message).toBeDefined();
    expect(plainYamlProblem(message!)).toMatch(plain);
  });
  it('leaves schema messages alone', () => expect(plainYamlProblem('Property replica is not allowed.')).toBeUndefined());
});
