/**
 * status.ts renders the kube-system/cluster-autoscaler-status ConfigMap's `status` key in the YAML
 * layout of current releases (clusterWide and per nodeGroup health, scaleUp and scaleDown), minus
 * the probe timestamps (the simulator writes it only when something changed).
 */
import type { Sim } from '../../sim.ts';
import type { Node } from '../../api/types.ts';
import type { AutoscalerState } from './types.ts';

function ready(n: Node | undefined): boolean {
  return !!n && (n.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

export function statusText(sim: Sim, st: AutoscalerState, unneeded: Set<string>, scaledUp: boolean): string {
  const nodes = sim.store.list<Node>('Node');
  const provisioning = Object.keys(st.provisioning).length;
  const lines: string[] = [
    'autoscalerStatus: Running',
    'clusterWide:',
    '  health:',
    '    status: Healthy',
    '    nodeCounts:',
    '      registered:',
    `        total: ${nodes.length}`,
    `        ready: ${nodes.filter(ready).length}`,
    '        notStarted: 0',
    '      longUnregistered: 0',
    `      unregistered: ${provisioning}`,
    '  scaleUp:',
    `    status: ${provisioning > 0 || scaledUp ? 'InProgress' : 'NoActivity'}`,
    '  scaleDown:',
    `    status: ${unneeded.size > 0 ? 'CandidatesPresent' : 'NoCandidates'}`,
    `    candidates: ${unneeded.size}`,
    'nodeGroups:',
  ];
  for (const g of st.spec.nodeGroups) {
    const members = st.groups[g.name].nodes;
    const registered = members.filter((n) => !st.provisioning[n]);
    const up = members.length - registered.length;
    const cands = registered.filter((n) => unneeded.has(n)).length;
    lines.push(
      `- name: ${g.name}`,
      '  health:',
      '    status: Healthy',
      '    nodeCounts:',
      '      registered:',
      `        total: ${registered.length}`,
      `        ready: ${registered.filter((n) => ready(sim.store.get<Node>('Node', undefined, n))).length}`,
      '        notStarted: 0',
      `      unregistered: ${up}`,
      `    cloudProviderTarget: ${members.length}`,
      `    minSize: ${g.min}`,
      `    maxSize: ${g.max}`,
      '  scaleUp:',
      `    status: ${up > 0 ? 'InProgress' : 'NoActivity'}`,
      '  scaleDown:',
      `    status: ${cands > 0 ? 'CandidatesPresent' : 'NoCandidates'}`,
      `    candidates: ${cands}`,
    );
  }
  return lines.join('\n') + '\n';
}
