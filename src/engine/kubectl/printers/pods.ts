import type { Pod } from '../../api/types.ts';
import { podColumns } from '../podstatus.ts';
import { objAge, type TablePrinter } from './types.ts';

/** podPrinter is printPod: NAME READY STATUS RESTARTS AGE; wide adds IP NODE NOMINATED NODE READINESS GATES. */
export const podPrinter: TablePrinter = {
  columns: ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE'],
  wide: ['IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES'],
  row(pod: Pod, ctx) {
    const c = podColumns(pod, ctx.now);
    return [pod.metadata.name, c.ready, c.status, c.restarts, objAge(pod, ctx.now)];
  },
  wideRow(pod: Pod) {
    const ip = pod.status?.podIP || '<none>';
    const node = pod.spec?.nodeName || '<none>';
    const nominated = pod.status?.nominatedNodeName || '<none>';
    const gates = (pod.spec?.readinessGates ?? []) as { conditionType: string }[];
    let gatesStr = '<none>';
    if (gates.length) {
      const trueCount = gates.filter((g) => (pod.status?.conditions ?? []).some((c) => c.type === g.conditionType && c.status === 'True')).length;
      gatesStr = `${trueCount}/${gates.length}`;
    }
    return [ip, node, nominated, gatesStr];
  },
};
