import { compileSelector, type LabelPredicate } from '../../../api/selector.ts';
import type { Pod } from '../../../api/types.ts';

/**
 * AffinityTerm is framework.AffinityTerm: a compiled pod (anti-)affinity term. With neither
 * namespaces nor namespaceSelector the term is about the owning pod's namespace; an empty
 * namespaceSelector ({}) means every namespace.
 */
export interface AffinityTerm {
  namespaces: Set<string>;
  nsSelector: LabelPredicate | null;
  selector: LabelPredicate;
  topologyKey: string;
}

export interface WeightedAffinityTerm extends AffinityTerm {
  weight: number;
}

export function compileTerm(owner: Pod, t: any): AffinityTerm {
  const namespaces = new Set<string>(t.namespaces ?? []);
  if (namespaces.size === 0 && !t.namespaceSelector) namespaces.add(owner.metadata.namespace ?? 'default');
  return {
    namespaces,
    nsSelector: t.namespaceSelector ? compileSelector(t.namespaceSelector) : null,
    selector: compileSelector(t.labelSelector),
    topologyKey: t.topologyKey ?? '',
  };
}

/** termMatches is AffinityTerm.Matches: the pod's namespace is covered, then the label selector. */
export function termMatches(t: AffinityTerm, pod: Pod, nsLabels: Record<string, string> | undefined): boolean {
  const ns = pod.metadata.namespace ?? 'default';
  if (!t.namespaces.has(ns) && !(t.nsSelector && nsLabels && t.nsSelector(nsLabels))) return false;
  return t.selector(pod.metadata.labels);
}

/** podTerms compiles one of a pod's four term lists. */
export function requiredTerms(pod: Pod, kind: 'podAffinity' | 'podAntiAffinity'): AffinityTerm[] {
  const list = pod.spec.affinity?.[kind]?.requiredDuringSchedulingIgnoredDuringExecution ?? [];
  return list.map((t: any) => compileTerm(pod, t));
}

export function preferredTerms(pod: Pod, kind: 'podAffinity' | 'podAntiAffinity'): WeightedAffinityTerm[] {
  const list = pod.spec.affinity?.[kind]?.preferredDuringSchedulingIgnoredDuringExecution ?? [];
  return list.map((w: any) => ({ ...compileTerm(pod, w.podAffinityTerm ?? {}), weight: w.weight ?? 0 }));
}

/** podMatchesAllAffinityTerms: false for no terms, else every term matches. */
export function podMatchesAllTerms(terms: AffinityTerm[], pod: Pod, nsLabels: Record<string, string> | undefined): boolean {
  if (terms.length === 0) return false;
  for (const t of terms) if (!termMatches(t, pod, nsLabels)) return false;
  return true;
}
