import { describe, expect, it } from 'vitest';
import { table, tabwrite } from './tabwriter.ts';

describe('tabwriter', () => {
  it('pads columns by 3 with minwidth 6, leaves the last column alone (kubectl get)', () => {
    expect(table([['NAME', 'READY', 'AGE'], ['web-abc', '1/1', '5s']])).toBe('NAME      READY   AGE\nweb-abc   1/1     5s\n');
  });
  it('applies minwidth 6 to narrow columns', () => {
    expect(table([['A', 'B'], ['x', 'y']])).toBe('A     B\nx     y\n');
  });
  it('aligns a column only over consecutive lines that have it (describe blocks)', () => {
    const text = 'Name:\tweb\nNamespace:\tdefault\nContainers:\n  web:\n    Image:\tnginx\n';
    expect(tabwrite(text, 0, 2)).toBe('Name:       web\nNamespace:  default\nContainers:\n  web:\n    Image:  nginx\n');
  });
  it('table matches the general tabwriter for uniform rows', () => {
    const rows = [['NAME', 'READY', 'STATUS', 'AGE'], ['a-very-long-pod-name', '1/1', 'CrashLoopBackOff', '5s'], ['b', '0/1', 'Pending', '10m']];
    expect(table(rows)).toBe(tabwrite(rows.map((r) => r.join('\t')).join('\n') + '\n', 6, 3));
  });
  it('nests blocks: a third column spans only the lines that have it', () => {
    const text = 'Port:\t<unset>\t80/TCP\nTargetPort:\t8080/TCP\n';
    expect(tabwrite(text, 0, 2)).toBe('Port:        <unset>  80/TCP\nTargetPort:  8080/TCP\n');
  });
});
