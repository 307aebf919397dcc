import { describe, expect, it } from 'vitest';
import { printerFor } from '../kubectl/printers/index.ts';
import type { Sim } from '../sim.ts';

const ctx = { now: Date.UTC(2025, 0, 1, 1, 0, 0) - Date.UTC(2025, 0, 1), sim: undefined as unknown as Sim };
const meta = { name: 'x', namespace: 'dev', creationTimestamp: '2025-01-01T00:00:00Z' };

describe('RBAC table printers (printers.go)', () => {
  it.each([
    ['Role', { metadata: meta }, ['NAME', 'CREATED AT'], ['x', '2025-01-01T00:00:00Z']],
    ['ClusterRole', { metadata: meta }, ['NAME', 'CREATED AT'], ['x', '2025-01-01T00:00:00Z']],
    ['RoleBinding', { metadata: meta, roleRef: { kind: 'ClusterRole', name: 'view' } }, ['NAME', 'ROLE', 'AGE'], ['x', 'ClusterRole/view', '60m']],
    ['ClusterRoleBinding', { metadata: meta, roleRef: { kind: 'ClusterRole', name: 'cluster-admin' } }, ['NAME', 'ROLE', 'AGE'], ['x', 'ClusterRole/cluster-admin', '60m']],
    ['CustomResourceDefinition', { metadata: { ...meta, name: 'widgets.example.com' } }, ['NAME', 'CREATED AT'], ['widgets.example.com', '2025-01-01T00:00:00Z']],
  ])('%s', (kind, obj, header, row) => {
    const p = printerFor(kind);
    expect(p.columns).toEqual(header);
    expect(p.row({ kind, ...obj }, ctx)).toEqual(row);
  });

  it('bindings list their subjects under -o wide', () => {
    const p = printerFor('RoleBinding');
    const b = { subjects: [{ kind: 'User', name: 'a' }, { kind: 'User', name: 'b' }, { kind: 'Group', name: 'g' }, { kind: 'ServiceAccount', name: 's', namespace: 'n' }] };
    expect(p.wide).toEqual(['USERS', 'GROUPS', 'SERVICEACCOUNTS']);
    expect(p.wideRow!(b, ctx)).toEqual(['a, b', 'g', 'n/s']);
  });
});
