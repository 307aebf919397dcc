import { deploymentPrinter, replicaSetPrinter, replicationControllerPrinter } from './apps.ts';
import {
  componentStatusPrinter,
  configMapPrinter,
  endpointSlicePrinter,
  endpointsPrinter,
  eventPrinter,
  genericPrinter,
  namespacePrinter,
  nodePrinter,
  secretPrinter,
  serviceAccountPrinter,
  servicePrinter,
} from './core.ts';
import { podPrinter } from './pods.ts';
import { cronJobPrinter, jobPrinter } from './batch.ts';
import { daemonSetPrinter, podDisruptionBudgetPrinter, statefulSetPrinter, controllerRevisionPrinter } from './workloads.ts';
import { ingressClassPrinter, ingressPrinter, networkPolicyPrinter } from './networking.ts';
import { analysisRunPrinter, rolloutPrinter } from './argo.ts';
import { horizontalPodAutoscalerPrinter } from './autoscaling.ts';
import { STORAGE_PRINTERS } from './storage.ts';
import { leasePrinter, priorityClassPrinter } from './scheduling.ts';
import type { TablePrinter } from './types.ts';
import { customPrinterFor } from '../../apiextensions/printer.ts';

const PRINTERS: Record<string, TablePrinter> = {
  Pod: podPrinter,
  Deployment: deploymentPrinter,
  ReplicaSet: replicaSetPrinter,
  ReplicationController: replicationControllerPrinter,
  Service: servicePrinter,
  Node: nodePrinter,
  Endpoints: endpointsPrinter,
  EndpointSlice: endpointSlicePrinter,
  Namespace: namespacePrinter,
  ConfigMap: configMapPrinter,
  Secret: secretPrinter,
  ServiceAccount: serviceAccountPrinter,
  Event: eventPrinter,
  ComponentStatus: componentStatusPrinter,
  Job: jobPrinter,
  CronJob: cronJobPrinter,
  DaemonSet: daemonSetPrinter,
  StatefulSet: statefulSetPrinter,
  ControllerRevision: controllerRevisionPrinter,
  PodDisruptionBudget: podDisruptionBudgetPrinter,
  Ingress: ingressPrinter,
  IngressClass: ingressClassPrinter,
  NetworkPolicy: networkPolicyPrinter,
  Rollout: rolloutPrinter,
  AnalysisRun: analysisRunPrinter,
  HorizontalPodAutoscaler: horizontalPodAutoscalerPrinter,
  PriorityClass: priorityClassPrinter,
  Lease: leasePrinter,
  ...STORAGE_PRINTERS,
};

/** printerFor returns the kind's table printer, or the NAME AGE fallback. */
export function printerFor(kind: string): TablePrinter {
  return PRINTERS[kind] ?? customPrinterFor(kind) ?? genericPrinter;
}

export type { TablePrinter, PrintContext } from './types.ts';
