import { describe, expect, it } from 'vitest';
import { formatErrors, formatStepJson, formatStepText } from './format.ts';

describe('formatStepText', () => {
  const cases = [
    { step: { t: 30, cmd: 'kubectl get pods', exit: 0, out: 'No resources found in default namespace.\n' }, index: 0, want: '[  30.0s] $ kubectl get pods\nNo resources found in default namespace.\n' },
    { step: { t: 0.25, cmd: 'kubectl get rs', exit: 0, out: 'x' }, index: 1, want: '\n[   0.3s] $ kubectl get rs\nx\n' },
    { step: { t: 86400, cmd: 'a', exit: 1, out: '' }, index: 2, want: '\n[86400.0s] $ a\n' },
  ];
  for (const c of cases) it(JSON.stringify(c.step.t), () => expect(formatStepText(c.step, c.index)).toBe(c.want));
});

describe('formatStepJson', () => {
  it('prints one object per line with t, cmd, exit, out in that order', () => {
    const line = formatStepJson({ t: 31.5, cmd: 'kubectl get rs -o json', exit: 0, out: '{\n  "kind": "List"\n}\n' });
    expect(line).toBe('{"t":31.5,"cmd":"kubectl get rs -o json","exit":0,"out":"{\\n  \\"kind\\": \\"List\\"\\n}\\n"}\n');
    expect(JSON.parse(line)).toEqual({ t: 31.5, cmd: 'kubectl get rs -o json', exit: 0, out: '{\n  "kind": "List"\n}\n' });
  });
});

describe('formatErrors', () => {
  it('renders each diagnostic on its line', () => {
    expect(formatErrors([{ file: 'a.yaml', line: 3, col: 1, message: 'm' }, { file: 'a.yaml', line: 9, doc: 2, what: 'Pod "p"', message: 'n' }, { file: 'a.yaml', message: 'o' }])).toBe(
      'a.yaml:3:1: m\na.yaml:9 (document 2, Pod "p"): n\na.yaml: o\n',
    );
  });
});
