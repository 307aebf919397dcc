/**
 * podfailurepolicy.ts: matchPodFailurePolicy (pkg/controller/job/pod_failure_policy.go).
 * Rules are tried in order; the first that matches a Failed pod decides: FailJob (count it and
 * fail the Job with a message), Ignore (do not count it against backoffLimit), Count (the default).
 */
import type { Pod } from '../../api/types.ts';

export interface PodFailurePolicyRule {
  action: 'FailJob' | 'Ignore' | 'Count' | 'FailIndex';
  onExitCodes?: { containerName?: string; operator: 'In' | 'NotIn'; values: number[] };
  onPodConditions?: { type: string; status?: string }[];
}

export interface PodFailurePolicy {
  rules: PodFailurePolicyRule[];
}

export interface PolicyMatch {
  /** message is set for FailJob: the Job's failure message. */
  message?: string;
  /** countFailed: whether the failure counts against backoffLimit. */
  countFailed: boolean;
  action?: PodFailurePolicyRule['action'];
}

/** matchPodFailurePolicy returns how a Failed pod counts under the policy (no rule matches: counted). */
export function matchPodFailurePolicy(policy: PodFailurePolicy | undefined, pod: Pod): PolicyMatch {
  if (!policy) return { countFailed: true };
  const rules = policy.rules ?? [];
  for (let index = 0; index < rules.length; index++) {
    const rule = rules[index];
    if (rule.onExitCodes) {
      const cs = matchingContainer(pod, rule.onExitCodes);
      if (!cs) continue;
      if (rule.action === 'Ignore') return { countFailed: false, action: 'Ignore' };
      if (rule.action === 'Count' || rule.action === 'FailIndex') return { countFailed: true, action: rule.action };
      return {
        countFailed: true,
        action: 'FailJob',
        message: `Container ${cs.name} for pod ${pod.metadata.namespace}/${pod.metadata.name} failed with exit code ${cs.exitCode} matching ${rule.action} rule at index ${index}`,
      };
    }
    if (rule.onPodConditions) {
      const cond = rule.onPodConditions.find((pc) => (pod.status?.conditions ?? []).some((c) => c.type === pc.type && c.status === (pc.status ?? 'True')));
      if (!cond) continue;
      if (rule.action === 'Ignore') return { countFailed: false, action: 'Ignore' };
      if (rule.action === 'Count' || rule.action === 'FailIndex') return { countFailed: true, action: rule.action };
      return {
        countFailed: true,
        action: 'FailJob',
        message: `Pod ${pod.metadata.namespace}/${pod.metadata.name} has condition ${cond.type} matching ${rule.action} rule at index ${index}`,
      };
    }
  }
  return { countFailed: true };
}

/**
 * matchingContainer is getMatchingContainerFromList over init then app containers: a terminated
 * container (of the named one, if given) with a non-zero exit code the operator accepts.
 */
function matchingContainer(pod: Pod, req: NonNullable<PodFailurePolicyRule['onExitCodes']>): { name: string; exitCode: number } | undefined {
  for (const list of [pod.status?.initContainerStatuses ?? [], pod.status?.containerStatuses ?? []]) {
    for (const cs of list) {
      const t = cs.state?.terminated;
      if (!t) continue;
      if (req.containerName && req.containerName !== cs.name) continue;
      if (t.exitCode === 0) continue;
      const inValues = (req.values ?? []).includes(t.exitCode);
      if (req.operator === 'In' ? inValues : !inValues) return { name: cs.name, exitCode: t.exitCode };
    }
  }
  return undefined;
}
