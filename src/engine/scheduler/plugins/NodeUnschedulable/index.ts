import type { Pod } from '../../../api/types.ts';
import { unresolvable, type Plugin, type QuickFilter } from '../../framework/types.ts';
import { tolerationsTolerateTaint } from '../TaintToleration/index.ts';

/** Name is the plugin's registry name. */
export const Name = 'NodeUnschedulable';
/** ErrReasonUnschedulable is the Filter reason for a cordoned node (spec.unschedulable). */
export const ErrReasonUnschedulable = 'node(s) were unschedulable';

/** TAINT_NODE_UNSCHEDULABLE is the taint a cordoned node carries; tolerating it lets a pod land anyway. */
const UNSCHEDULABLE_TAINT = { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' as const };

const SCHEDULABLE: QuickFilter = Object.freeze({ schedulable: true });

export function newNodeUnschedulable(): Plugin {
  return {
    name: Name,
    filter(_s, pod: Pod, node) {
      if (!node.unschedulable) return null;
      if (tolerationsTolerateTaint(pod.spec.tolerations, UNSCHEDULABLE_TAINT)) return null;
      return unresolvable(ErrReasonUnschedulable);
    },
    quickFilter: () => SCHEDULABLE,
  };
}
