import { describe, expect, it } from 'vitest';
import { camelSplit, smartLabelFor } from './unstructured.ts';

describe('smartLabelFor (describe.go)', () => {
  it.each([
    ['apiVersion', 'API Version'],
    ['lastTransitionTime', 'Last Transition Time'],
    ['uid', 'UID'],
    ['containerName', 'Container Name'],
    ['cpu', 'Cpu'],
    ['targetRef', 'Target Ref'],
    ['imageURL', 'Image URL'],
    ['x509', 'x509'],
    ['with_underscore', 'with_underscore'],
  ])('%s → %s', (field, label) => expect(smartLabelFor(field)).toBe(label));
  it.each([
    ['HTTPServer', ['HTTP', 'Server']],
    ['lowerBound', ['lower', 'Bound']],
    ['BFG9000', ['BFG', '9000']],
  ])('camelSplit %s', (s, parts) => expect(camelSplit(s)).toEqual(parts));
});
