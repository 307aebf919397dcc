import type { Pod } from '../../../api/types.ts';
import { podHostPorts } from '../../framework/nodeinfo.ts';
import { SKIP, unschedulable, type Plugin } from '../../framework/types.ts';

/** Name is the plugin's registry name. */
export const Name = 'NodePorts';
/** ErrReason is the Filter reason when a requested hostPort is taken on the node. */
export const ErrReason = "node(s) didn't have free ports for the requested pod ports";

const KEY = 'PreFilter' + Name;

/** wildcardConflict: 0.0.0.0 conflicts with every IP of the same protocol and port, as HostPortInfo.CheckConflict. */
function conflicts(want: string, used: Map<string, number>): boolean {
  if (used.has(want)) return true;
  const [proto, ip, port] = want.split('/');
  for (const u of used.keys()) {
    const [p2, ip2, port2] = u.split('/');
    if (p2 === proto && port2 === port && (ip === '0.0.0.0' || ip2 === '0.0.0.0')) return true;
  }
  return false;
}

export function newNodePorts(): Plugin {
  return {
    name: Name,
    preFilter(state, pod: Pod) {
      const ports = podHostPorts(pod);
      if (ports.length === 0) return SKIP;
      state.set(KEY, ports);
      return null;
    },
    filter(state, _pod, node) {
      if (node.usedPorts.size === 0) return null;
      for (const p of state.get(KEY) as string[]) if (conflicts(p, node.usedPorts)) return unschedulable(ErrReason);
      return null;
    },
  };
}
