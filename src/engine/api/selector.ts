import type { LabelSelector, LabelSelectorRequirement } from './types.ts';

/**
 * Label selectors (k8s.io/apimachinery/pkg/labels). A selector is compiled once into a predicate;
 * matchLabels and matchExpressions are ANDed. An empty LabelSelector ({}) matches everything, a
 * missing one (undefined) matches nothing — as metav1.LabelSelectorAsSelector.
 */
export type LabelPredicate = (labels: Record<string, string> | undefined) => boolean;

export const matchNothing: LabelPredicate = () => false;

export function compileSelector(sel: LabelSelector | undefined | null): LabelPredicate {
  if (!sel) return matchNothing;
  const reqs: LabelSelectorRequirement[] = [];
  for (const [key, value] of Object.entries(sel.matchLabels ?? {})) reqs.push({ key, operator: 'In', values: [value] });
  for (const r of sel.matchExpressions ?? []) reqs.push(r);
  if (reqs.length === 0) return () => true;
  return (labels) => {
    const l = labels ?? {};
    for (const r of reqs) if (!matchRequirement(r, l)) return false;
    return true;
  };
}

/** compileMapSelector is for Service.spec.selector and nodeSelector: a plain map, every pair must match; empty matches nothing for services. */
export function compileMapSelector(sel: Record<string, string> | undefined | null, emptyMatchesAll = false): LabelPredicate {
  if (!sel) return emptyMatchesAll ? () => true : matchNothing;
  const entries = Object.entries(sel);
  if (entries.length === 0) return emptyMatchesAll ? () => true : matchNothing;
  return (labels) => {
    if (!labels) return false;
    for (const [k, v] of entries) if (labels[k] !== v) return false;
    return true;
  };
}

export function matchRequirement(r: LabelSelectorRequirement, labels: Record<string, string>): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, r.key);
  switch (r.operator) {
    case 'In':
      return has && (r.values ?? []).includes(labels[r.key]);
    case 'NotIn':
      return !has || !(r.values ?? []).includes(labels[r.key]);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    case 'Gt':
    case 'Lt': {
      if (!has) return false;
      const v = parseInt(labels[r.key], 10);
      const bound = parseInt((r.values ?? [])[0] ?? '', 10);
      if (Number.isNaN(v) || Number.isNaN(bound)) return false;
      return r.operator === 'Gt' ? v > bound : v < bound;
    }
    default:
      return false;
  }
}

/** formatSelector renders a selector as kubectl prints it: "app=web,tier in (a,b),!canary". */
export function formatSelector(sel: LabelSelector | undefined): string {
  if (!sel) return '<none>';
  const parts: string[] = [];
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) parts.push(`${k}=${v}`);
  for (const r of sel.matchExpressions ?? []) {
    const vals = [...(r.values ?? [])].sort().join(',');
    if (r.operator === 'In') parts.push(`${r.key} in (${vals})`);
    else if (r.operator === 'NotIn') parts.push(`${r.key} notin (${vals})`);
    else if (r.operator === 'Exists') parts.push(r.key);
    else if (r.operator === 'DoesNotExist') parts.push(`!${r.key}`);
  }
  return parts.length ? parts.join(',') : '<none>';
}

