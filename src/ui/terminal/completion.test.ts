import { describe, expect, it } from 'vitest';
import { applyCompletion, commonPrefix } from './completion.ts';

describe('commonPrefix', () => {
  it.each([
    [[], ''],
    [['pods'], 'pods'],
    [['kube-node-lease', 'kube-public', 'kube-system'], 'kube-'],
    [['json', 'jsonpath='], 'json'],
    [['a', 'b'], ''],
  ])('%j → %j', (items, want) => expect(commonPrefix(items)).toBe(want));
});

describe('applyCompletion', () => {
  it.each([
    // line, cursor, replaceFrom, candidates, second, → line, cursor, list
    ['kubectl get dep', 15, 12, ['deployments'], false, 'kubectl get deployments ', 24, undefined],
    ['kubectl get svc', 15, 12, ['services'], false, 'kubectl get services ', 21, undefined],
    ['kubectl scale deploy web --rep', 30, 25, ['--replicas='], false, 'kubectl scale deploy web --replicas=', 36, undefined],
    ['kubectl get deploy/', 19, 19, ['api', 'web'], false, 'kubectl get deploy/', 19, undefined],
    ['kubectl get deploy/', 19, 19, ['api', 'web'], true, 'kubectl get deploy/', 19, ['api', 'web']],
    ['kubectl get pods -n k', 21, 20, ['kube-node-lease', 'kube-public', 'kube-system'], false, 'kubectl get pods -n kube-', 25, undefined],
    ['kubectl get pods -n kube-', 25, 20, ['kube-node-lease', 'kube-public', 'kube-system'], true, 'kubectl get pods -n kube-', 25, ['kube-node-lease', 'kube-public', 'kube-system']],
    ['kubectl get dep web', 15, 12, ['deployments'], false, 'kubectl get deployments web', 24, undefined],
    ['kubectl get x', 13, 12, [], true, 'kubectl get x', 13, undefined],
  ])('%j at %i', (line, cursor, replaceFrom, candidates, second, wantLine, wantCursor, list) => {
    const r = applyCompletion(line as string, cursor as number, { replaceFrom: replaceFrom as number, candidates: candidates as string[] }, second as boolean);
    expect(r).toEqual(list ? { line: wantLine, cursor: wantCursor, list } : { line: wantLine, cursor: wantCursor });
  });
});
