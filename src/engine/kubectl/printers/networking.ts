import type { KubeObject } from '../../api/types.ts';
import { formatSelector } from '../../api/selector.ts';
import { objAge, type TablePrinter } from './types.ts';

/** loadBalancerWidth is printers.go's cap on the ADDRESS column outside -o wide. */
const LOAD_BALANCER_WIDTH = 16;

/** ingressAddress is loadBalancerStatusStringer: IPs or hostnames joined by commas, truncated unless wide. */
export function ingressAddress(ing: KubeObject, wide: boolean): string {
  const list = ((ing.status?.loadBalancer?.ingress ?? []) as { ip?: string; hostname?: string }[])
    .map((i) => i.ip || i.hostname || '')
    .filter(Boolean);
  const r = list.join(',');
  return !wide && r.length > LOAD_BALANCER_WIDTH ? `${r.slice(0, LOAD_BALANCER_WIDTH - 3)}...` : r;
}

/** formatHosts is printers.go's formatHosts: up to 3 hosts, then "+ N more...", "*" when none. */
export function formatHosts(rules: { host?: string }[] | undefined): string {
  const max = 3;
  const list: string[] = [];
  let more = false;
  for (const rule of rules ?? []) {
    if (list.length === max) more = true;
    if (!more && rule.host) list.push(rule.host);
  }
  if (list.length === 0) return '*';
  const ret = list.join(',');
  return more ? `${ret} + ${(rules ?? []).length - max} more...` : ret;
}

export const ingressPrinter: TablePrinter = {
  columns: ['NAME', 'CLASS', 'HOSTS', 'ADDRESS', 'PORTS', 'AGE'],
  row(ing: KubeObject, ctx) {
    return [
      ing.metadata.name,
      ing.spec?.ingressClassName || '<none>',
      formatHosts(ing.spec?.rules),
      ingressAddress(ing, false),
      (ing.spec?.tls ?? []).length ? '80, 443' : '80',
      objAge(ing, ctx.now),
    ];
  },
};

export const ingressClassPrinter: TablePrinter = {
  columns: ['NAME', 'CONTROLLER', 'PARAMETERS', 'AGE'],
  row(ic: KubeObject, ctx) {
    const p = ic.spec?.parameters;
    const params = p ? `${p.apiGroup ? `${p.kind}.${p.apiGroup}` : p.kind}/${p.name}` : '<none>';
    return [ic.metadata.name, ic.spec?.controller ?? '', params, objAge(ic, ctx.now)];
  },
};

export const networkPolicyPrinter: TablePrinter = {
  columns: ['NAME', 'POD-SELECTOR', 'AGE'],
  row(np: KubeObject, ctx) {
    return [np.metadata.name, formatSelector(np.spec?.podSelector ?? {}), objAge(np, ctx.now)];
  },
};
