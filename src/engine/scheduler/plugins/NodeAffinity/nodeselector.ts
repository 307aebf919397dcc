import { matchRequirement } from '../../../api/selector.ts';
import type { LabelSelectorRequirement } from '../../../api/types.ts';

/** NodeSelectorTerm is a v1.NodeSelectorTerm: expressions on labels and fields, ANDed. */
export interface NodeSelectorTerm {
  matchExpressions?: LabelSelectorRequirement[];
  matchFields?: LabelSelectorRequirement[];
}

/**
 * termMatches is nodeaffinity's nodeSelectorTerm.match: every expression and every field must match;
 * a term with neither matches nothing ("an empty term is not a valid value and matches no objects").
 * matchFields supports only metadata.name with In/NotIn, as upstream.
 */
export function termMatches(term: NodeSelectorTerm | null | undefined, labels: Record<string, string>, nodeName: string): boolean {
  if (!term) return false;
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (exprs.length === 0 && fields.length === 0) return false;
  for (const r of exprs) if (!matchRequirement(r, labels)) return false;
  for (const f of fields) {
    if (f.key !== 'metadata.name') return false;
    const vals = f.values ?? [];
    if (f.operator === 'In') {
      if (vals.length !== 1 || vals[0] !== nodeName) return false;
    } else if (f.operator === 'NotIn') {
      if (vals.includes(nodeName)) return false;
    } else return false;
  }
  return true;
}

/** nodeSelectorMatches: terms are ORed (v1.NodeSelector). */
export function nodeSelectorMatches(terms: NodeSelectorTerm[], labels: Record<string, string>, nodeName: string): boolean {
  for (const t of terms) if (termMatches(t, labels, nodeName)) return true;
  return false;
}

/**
 * RequiredNodeAffinity is nodeaffinity.GetRequiredNodeAffinity: spec.nodeSelector (every pair must
 * be a node label) AND the required terms (if any).
 */
export interface RequiredNodeAffinity {
  nodeSelector?: Record<string, string>;
  terms?: NodeSelectorTerm[];
}

export function requiredNodeAffinityOf(spec: { nodeSelector?: Record<string, string>; affinity?: any }): RequiredNodeAffinity {
  const terms = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  return { nodeSelector: spec.nodeSelector, terms: terms ?? undefined };
}

export function requiredNodeAffinityMatches(r: RequiredNodeAffinity, labels: Record<string, string>, nodeName: string): boolean {
  if (r.nodeSelector) for (const k of Object.keys(r.nodeSelector)) if (labels[k] !== r.nodeSelector[k]) return false;
  if (r.terms) return nodeSelectorMatches(r.terms, labels, nodeName);
  return true;
}
