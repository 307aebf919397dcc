/**
 * The HorizontalPodAutoscaler describer (kubectl's describeHorizontalPodAutoscalerV2): each metric as
 * "current / target", the replica bounds, any scaling behavior, the target's pods, conditions and events.
 */
import type { KubeObject } from '../../api/types.ts';
import type { Sim } from '../../sim.ts';
import { describeEvents, labelsAndAnnotations, PrefixWriter, rfc1123z } from './writer.ts';

const q = (v: unknown) => (v === undefined || v === null ? '' : String(v));

/** metricLine writes one spec metric with the status's current value at the same index. */
function metricLine(w: PrefixWriter, m: any, cur: any): void {
  switch (m?.type) {
    case 'External': {
      const byAverage = m.external?.target?.averageValue !== undefined;
      const current = cur?.external ? q(byAverage ? cur.external.current?.averageValue : cur.external.current?.value) || '<unknown>' : '<unknown>';
      w.line(1, `"${m.external?.metric?.name}" (target ${byAverage ? 'average value' : 'value'}):`, `${current} / ${q(byAverage ? m.external.target.averageValue : m.external?.target?.value)}`);
      return;
    }
    case 'Pods':
      w.line(1, `"${m.pods?.metric?.name}" on pods:`, `${cur?.pods ? q(cur.pods.current?.averageValue) : '<unknown>'} / ${q(m.pods?.target?.averageValue)}`);
      return;
    case 'Object': {
      const byAverage = m.object?.target?.type === 'AverageValue';
      const current = cur?.object ? q(byAverage ? cur.object.current?.averageValue : cur.object.current?.value) : '<unknown>';
      // kubectl writes the metric's name and object, then the target on the same line.
      w.write(1, `"${m.object?.metric?.name}" on ${m.object?.describedObject?.kind}/${m.object?.describedObject?.name} (target ${byAverage ? 'average value' : 'value'}):\t${current} / ${q(byAverage ? m.object.target.averageValue : m.object?.target?.value)}\n`);
      return;
    }
    case 'Resource':
    case 'ContainerResource': {
      const src = m.type === 'Resource' ? m.resource : m.containerResource;
      const now = m.type === 'Resource' ? cur?.resource : cur?.containerResource;
      const what = m.type === 'Resource' ? `resource ${src?.name} on pods` : `resource ${src?.name} of container "${src?.container}" on pods`;
      if (src?.target?.averageValue !== undefined) {
        w.write(1, `${what}:\t${now ? q(now.current?.averageValue) : '<unknown>'} / ${q(src.target.averageValue)}\n`);
        return;
      }
      const current = now?.current?.averageUtilization !== undefined ? `${now.current.averageUtilization}% (${q(now.current.averageValue)})` : '<unknown>';
      const target = src?.target?.averageUtilization !== undefined ? `${src.target.averageUtilization}%` : '<auto>';
      // "resource cpu on pods" and "(as a percentage of request):" are two writes on one line, the second indented again.
      w.write(1, what);
      w.write(1, `(as a percentage of request):\t${current} / ${target}\n`);
      return;
    }
    default:
      w.write(1, `<unknown metric type "${m?.type}">\n`);
  }
}

function behavior(w: PrefixWriter, direction: string, rules: any): void {
  if (!rules) return;
  w.write(1, `${direction}:\n`);
  if (rules.stabilizationWindowSeconds !== undefined) w.write(2, `Stabilization Window: ${rules.stabilizationWindowSeconds} seconds\n`);
  if (rules.policies?.length) {
    w.write(2, `Select Policy: ${rules.selectPolicy ?? 'Max'}\n`);
    w.write(2, 'Policies:\n');
    for (const p of rules.policies) w.write(3, `- Type: ${p.type}\tValue: ${p.value}\tPeriod: ${p.periodSeconds} seconds\n`);
  }
}

export function describeHorizontalPodAutoscaler(sim: Sim, hpa: KubeObject): string {
  const w = new PrefixWriter();
  const spec = hpa.spec ?? {};
  const st = hpa.status ?? {};
  w.line(0, 'Name:', hpa.metadata.name);
  w.line(0, 'Namespace:', hpa.metadata.namespace ?? '');
  labelsAndAnnotations(w, hpa);
  w.line(0, 'CreationTimestamp:', rfc1123z(hpa.metadata.creationTimestamp));
  w.line(0, 'Reference:', `${spec.scaleTargetRef?.kind}/${spec.scaleTargetRef?.name}`);
  w.line(0, 'Metrics:', '( current / target )');
  (spec.metrics ?? []).forEach((m: any, i: number) => metricLine(w, m, st.currentMetrics?.[i]));
  w.line(0, 'Min replicas:', spec.minReplicas === undefined ? '<unset>' : String(spec.minReplicas));
  w.line(0, 'Max replicas:', String(spec.maxReplicas ?? 0));
  if (spec.behavior) {
    w.write(0, 'Behavior:\n');
    behavior(w, 'Scale Up', spec.behavior.scaleUp);
    behavior(w, 'Scale Down', spec.behavior.scaleDown);
  }
  w.line(0, `${spec.scaleTargetRef?.kind} pods:`, `${st.currentReplicas ?? 0} current / ${st.desiredReplicas ?? 0} desired`);
  if (st.conditions?.length) {
    w.write(0, 'Conditions:\n');
    w.line(1, 'Type', 'Status', 'Reason', 'Message');
    w.line(1, '----', '------', '------', '-------');
    for (const c of st.conditions) w.line(1, c.type, c.status, c.reason ?? '', c.message ?? '');
  }
  describeEvents(w, sim, sim.eventsFor(hpa));
  return w.toString();
}
