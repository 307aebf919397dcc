/**
 * Namespaces with their ResourceQuotas and LimitRanges (kubectl's NamespaceDescriber,
 * ResourceQuotaDescriber, LimitRangeDescriber).
 */
import type { KubeObject } from '../../api/types.ts';
import type { Sim } from '../../sim.ts';
import { labelsAndAnnotations, PrefixWriter } from './writer.ts';

const byName = (a: KubeObject, b: KubeObject) => (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0);
const sorted = (m: Record<string, unknown> | undefined) => Object.keys(m ?? {}).sort();

/** SCOPE_HELP is helpTextForResourceQuotaScope. */
const SCOPE_HELP: Record<string, string> = {
  Terminating: 'Matches all pods that have an active deadline. These pods have a limited lifespan on a node before being actively terminated by the system.',
  NotTerminating: 'Matches all pods that do not have an active deadline. These pods usually include long running pods whose container command is not expected to terminate.',
  BestEffort: 'Matches all pods that do not have resource requirements set. These pods have a best effort quality of service.',
  NotBestEffort: 'Matches all pods that have at least one resource requirement set. These pods have a burstable or guaranteed quality of service.',
};

function scopes(w: PrefixWriter, q: KubeObject, level: number, bullet: string): void {
  const list = [...((q.spec?.scopes ?? []) as string[])].sort();
  if (list.length === 0) return;
  w.line(level, 'Scopes:', list.join(', '));
  for (const s of list) if (SCOPE_HELP[s]) w.write(level, `${bullet}${SCOPE_HELP[s]}\n`);
}

/** limitRows is describeLimitRangeSpec: one row per limit type and resource, "-" where nothing is set. */
function limitRows(w: PrefixWriter, lr: KubeObject, prefix: string): void {
  for (const item of (lr.spec?.limits ?? []) as any[]) {
    const fields = [item.min, item.max, item.defaultRequest, item.default, item.maxLimitRequestRatio] as (Record<string, unknown> | undefined)[];
    const resources = [...new Set(fields.flatMap((f) => sorted(f)))].sort();
    for (const r of resources) w.line(0, `${prefix}${item.type}`, r, ...fields.map((f) => (f?.[r] === undefined ? '-' : String(f[r]))));
  }
}

const LIMIT_HEADER = ['Type', 'Resource', 'Min', 'Max', 'Default Request', 'Default Limit', 'Max Limit/Request Ratio'];
const LIMIT_RULE = ['----', '--------', '---', '---', '---------------', '-------------', '-----------------------'];

/** describeNamespace: status, then the namespace's quotas (used against hard) and limit ranges. */
export function describeNamespace(sim: Sim, ns: KubeObject): string {
  const w = new PrefixWriter();
  const name = ns.metadata.name;
  w.line(0, 'Name:', name);
  labelsAndAnnotations(w, ns);
  w.line(0, 'Status:', ns.status?.phase ?? 'Active');
  const conds = (ns.status?.conditions ?? []) as any[];
  if (conds.length) {
    w.write(0, 'Conditions:\n');
    w.line(1, 'Type', 'Status', 'LastTransitionTime', 'Reason', 'Message');
    w.line(1, '----', '------', '------------------', '------', '-------');
    for (const c of conds) w.line(1, c.type, c.status, c.lastTransitionTime ?? '', c.reason ?? '', c.message ?? '');
  }
  w.write(0, '\n');
  const quotas = sim.store.list('ResourceQuota', name).sort(byName);
  if (quotas.length === 0) w.write(0, 'No resource quota.\n');
  else {
    w.write(0, 'Resource Quotas\n');
    for (const q of quotas) {
      w.line(1, 'Name:', q.metadata.name);
      scopes(w, q, 1, '* ');
      w.line(1, 'Resource', 'Used', 'Hard');
      w.line(1, '--------', '---', '---');
      for (const r of sorted(q.status?.hard)) w.line(1, r, String(q.status?.used?.[r] ?? '0'), String(q.status.hard[r]));
    }
  }
  w.write(0, '\n');
  const ranges = sim.store.list('LimitRange', name).sort(byName);
  if (ranges.length === 0) w.write(0, 'No LimitRange resource.\n');
  else {
    w.write(0, 'Resource Limits\n');
    w.line(0, ` ${LIMIT_HEADER[0]}`, ...LIMIT_HEADER.slice(1));
    w.line(0, ` ${LIMIT_RULE[0]}`, ...LIMIT_RULE.slice(1));
    for (const lr of ranges) limitRows(w, lr, ' ');
  }
  return w.toString();
}

/** describeResourceQuota: each resource of the quota's hard limits with what is used (no events, as kubectl). */
export function describeResourceQuota(q: KubeObject): string {
  const w = new PrefixWriter();
  w.line(0, 'Name:', q.metadata.name);
  w.line(0, 'Namespace:', q.metadata.namespace ?? '');
  scopes(w, q, 0, ' * ');
  w.line(0, 'Resource', 'Used', 'Hard');
  w.line(0, '--------', '----', '----');
  for (const r of sorted(q.spec?.hard)) w.line(0, r, String(q.status?.used?.[r] ?? '0'), String(q.status?.hard?.[r] ?? ''));
  return w.toString();
}

/** describeLimitRange: the table of limits (no labels or events, as kubectl). */
export function describeLimitRange(lr: KubeObject): string {
  const w = new PrefixWriter();
  w.line(0, 'Name:', lr.metadata.name);
  w.line(0, 'Namespace:', lr.metadata.namespace ?? '');
  w.line(0, ...LIMIT_HEADER);
  w.line(0, ...LIMIT_RULE);
  limitRows(w, lr, '');
  return w.toString();
}
