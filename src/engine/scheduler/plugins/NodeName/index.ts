import type { Pod } from '../../../api/types.ts';
import { unresolvable, type Plugin, type QuickFilter } from '../../framework/types.ts';

/** Name is the plugin's registry name. */
export const Name = 'NodeName';
/** ErrReason is the Filter reason when spec.nodeName names another node. */
export const ErrReason = "node(s) didn't match the requested node name";

const ANY_NODE: QuickFilter = Object.freeze({});

export function newNodeName(): Plugin {
  return {
    name: Name,
    filter(_s, pod: Pod, node) {
      const want = pod.spec.nodeName;
      return !want || want === node.name ? null : unresolvable(ErrReason);
    },
    // Without spec.nodeName every node passes.
    quickFilter: (_s, pod: Pod) => (pod.spec.nodeName ? null : ANY_NODE),
  };
}
