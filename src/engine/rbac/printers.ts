/**
 * printers: `kubectl get` columns of the RBAC kinds (printers.go roleColumnDefinitions,
 * roleBindingColumnDefinitions): roles print NAME and CREATED AT, bindings NAME, ROLE (Kind/name)
 * and AGE, with USERS, GROUPS and SERVICEACCOUNTS under -o wide.
 */
import type { KubeObject } from '../api/types.ts';
import { objAge, type TablePrinter } from '../kubectl/printers/types.ts';

const rolePrinter: TablePrinter = {
  columns: ['NAME', 'CREATED AT'],
  row: (o: KubeObject) => [o.metadata.name, o.metadata.creationTimestamp ?? ''],
};

interface Subject {
  kind?: string;
  name?: string;
  namespace?: string;
}

const subjects = (o: KubeObject, kind: string): string =>
  (Array.isArray(o.subjects) ? (o.subjects as Subject[]) : [])
    .filter((s) => s?.kind === kind)
    .map((s) => (kind === 'ServiceAccount' ? `${s.namespace ?? ''}/${s.name}` : String(s.name)))
    .join(', ');

const bindingPrinter: TablePrinter = {
  columns: ['NAME', 'ROLE', 'AGE'],
  wide: ['USERS', 'GROUPS', 'SERVICEACCOUNTS'],
  row: (o: KubeObject, ctx) => [o.metadata.name, `${o.roleRef?.kind ?? ''}/${o.roleRef?.name ?? ''}`, objAge(o, ctx.now)],
  wideRow: (o: KubeObject) => [subjects(o, 'User'), subjects(o, 'Group'), subjects(o, 'ServiceAccount')],
};

export const RBAC_PRINTERS: Record<string, TablePrinter> = {
  Role: rolePrinter,
  ClusterRole: rolePrinter,
  RoleBinding: bindingPrinter,
  ClusterRoleBinding: bindingPrinter,
};
