/**
 * capping.ts: the resource policy applied to a recommendation (pkg/utils/vpa/capping.go
 * applyVPAPolicy): a container whose policy mode is Off gets none; every bound and the target are
 * raised to minAllowed and lowered to maxAllowed, per resource. uncappedTarget keeps the raw
 * target so `kubectl describe` shows what the policy changed.
 */
import { parseQuantity } from '../../api/quantity.ts';
import { canonical } from '../../admission/resources.ts';
import type { ContainerEstimate, Estimate } from './estimator.ts';
import type { ContainerResourcePolicy } from './types.ts';

/** toAmount reads a ResourceList quantity: millicores for cpu, bytes for memory. */
export function toAmount(resource: string, q: string | number | undefined): number | undefined {
  const m = parseQuantity(q as string);
  if (m === undefined) return undefined;
  return resource === 'cpu' ? m : Math.ceil(m / 1000);
}

/**
 * CappedEstimate is an estimate after the policy: `literal` holds, for a resource raised to
 * minAllowed or lowered to maxAllowed, the policy's own quantity, which capping.go copies into the
 * recommendation as written ("1Gi", not "1073741824").
 */
export interface CappedEstimate extends Estimate {
  literal?: Partial<Record<'cpu' | 'memory', string>>;
}

function capOne(e: Estimate, policy: ContainerResourcePolicy | undefined): CappedEstimate {
  const out: CappedEstimate = { ...e };
  for (const r of ['cpu', 'memory'] as const) {
    const min = toAmount(r, policy?.minAllowed?.[r]);
    const max = toAmount(r, policy?.maxAllowed?.[r]);
    if (min !== undefined && out[r] < min) {
      out[r] = min;
      (out.literal ??= {})[r] = canonical(policy!.minAllowed![r]);
    }
    if (max !== undefined && out[r] > max) {
      out[r] = max;
      (out.literal ??= {})[r] = canonical(policy!.maxAllowed![r]);
    }
  }
  return out;
}

/** applyPolicy caps target, lowerBound and upperBound; undefined when the container's mode is Off. */
export function applyPolicy(e: ContainerEstimate, policy: ContainerResourcePolicy | undefined): { target: CappedEstimate; lowerBound: CappedEstimate; upperBound: CappedEstimate } | undefined {
  if (policy?.mode === 'Off') return undefined;
  return { target: capOne(e.target, policy), lowerBound: capOne(e.lowerBound, policy), upperBound: capOne(e.upperBound, policy) };
}
