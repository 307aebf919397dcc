import type { KubeObject } from '../../api/types.ts';
import { objAge, type TablePrinter } from './types.ts';

const str = (q: unknown): string => (q === undefined || q === null ? '' : String(q));

/**
 * formatHPAMetrics is kubectl's formatHPAMetrics: "cpu: 45%/50%" per Resource metric, `<unknown>`
 * until a reading exists, "(avg)" for AverageValue Object/External targets, at most two then
 * "+ N more...". An autoscaling/v1 object reads as its one cpu metric.
 */
export function formatHPAMetrics(hpa: KubeObject): string {
  let specs: any[] = Array.isArray(hpa.spec?.metrics) ? hpa.spec.metrics : [];
  let statuses: any[] = Array.isArray(hpa.status?.currentMetrics) ? hpa.status.currentMetrics : [];
  if (hpa.apiVersion === 'autoscaling/v1') {
    const pct = hpa.spec?.targetCPUUtilizationPercentage;
    specs = [{ type: 'Resource', resource: { name: 'cpu', target: pct === undefined ? {} : { averageUtilization: pct } } }];
    const cur = hpa.status?.currentCPUUtilizationPercentage;
    statuses = cur === undefined ? [] : [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: cur } } }];
  }
  if (specs.length === 0) return '<none>';
  const list: string[] = [];
  specs.forEach((spec, i) => {
    const st = statuses[i] ?? {};
    const unknown = '<unknown>';
    switch (spec?.type) {
      case 'External':
      case 'Object': {
        const src = spec.type === 'External' ? spec.external : spec.object;
        const cur = spec.type === 'External' ? st.external : st.object;
        if (src?.target?.averageValue !== undefined) list.push(`${cur?.current?.averageValue !== undefined ? str(cur.current.averageValue) : unknown}/${str(src.target.averageValue)} (avg)`);
        else list.push(`${cur ? str(cur.current?.value) : unknown}/${str(src?.target?.value)}`);
        break;
      }
      case 'Pods':
        list.push(`${st.pods ? str(st.pods.current?.averageValue) : unknown}/${str(spec.pods?.target?.averageValue)}`);
        break;
      case 'Resource':
      case 'ContainerResource': {
        const src = spec.type === 'Resource' ? spec.resource : spec.containerResource;
        const cur = spec.type === 'Resource' ? st.resource : st.containerResource;
        if (src?.target?.averageValue !== undefined) {
          list.push(`${str(src.name)}: ${cur ? str(cur.current?.averageValue) : unknown}/${str(src.target.averageValue)}`);
        } else {
          const current = cur?.current?.averageUtilization !== undefined ? `${cur.current.averageUtilization}%` : unknown;
          const target = src?.target?.averageUtilization !== undefined ? `${src.target.averageUtilization}%` : '<auto>';
          list.push(`${str(src?.name)}: ${current}/${target}`);
        }
        break;
      }
      default:
        list.push('<unknown type>');
    }
  });
  if (list.length > 2) return `${list.slice(0, 2).join(', ')} + ${list.length - 2} more...`;
  return list.join(', ');
}

/** horizontalPodAutoscalerPrinter is printHorizontalPodAutoscaler: MINPODS `<unset>` when minReplicas is. */
export const horizontalPodAutoscalerPrinter: TablePrinter = {
  columns: ['NAME', 'REFERENCE', 'TARGETS', 'MINPODS', 'MAXPODS', 'REPLICAS', 'AGE'],
  row(hpa: KubeObject, ctx) {
    const ref = hpa.spec?.scaleTargetRef ?? {};
    const min = hpa.spec?.minReplicas;
    return [
      hpa.metadata.name,
      `${str(ref.kind)}/${str(ref.name)}`,
      formatHPAMetrics(hpa),
      min === undefined || min === null ? '<unset>' : String(min),
      String(hpa.spec?.maxReplicas ?? 0),
      String(hpa.status?.currentReplicas ?? 0),
      objAge(hpa, ctx.now),
    ];
  },
};
