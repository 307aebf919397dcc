import { Sim, type SimOptions } from './sim.ts';
import { installApiServer } from './api/server.ts';
import { FIELD_VALIDATION, type FieldValidation } from './api/options.ts';
import { dropUnknownFields, strictDecode, typeDecode } from './api/strict.ts';
import { installDeploymentController } from './controllers/deployment/index.ts';
import { installReplicaSetController, REPLICATION_CONTROLLER } from './controllers/replicaset.ts';
import { installScheduler } from './scheduler/index.ts';
import { installKubelets, addNode, type NodeSpec } from './kubelet/index.ts';
import { installEndpointsControllers } from './controllers/endpoints.ts';
import { installEndpointSliceMirroringController } from './controllers/endpointslicemirroring.ts';
import { installNetworking } from './network/index.ts';
import { installRolloutController } from './controllers/rollout/index.ts';
import { installStatefulSetController } from './controllers/statefulset.ts';
import { installDaemonSetController } from './controllers/daemonset.ts';
import { installJobController } from './controllers/job/index.ts';
import { installCronJobController } from './controllers/cronjob/index.ts';
import { installDisruptionController } from './controllers/disruption.ts';
import { installPodGarbageCollector } from './controllers/podgc.ts';
import { installMetricsServer } from './metrics/index.ts';
import { installAdmission } from './admission/controllerpods.ts';
import { installResourceQuotaController } from './controllers/resourcequota.ts';
import { installVolumeControllers } from './controllers/volume/index.ts';
import { installHorizontalPodAutoscalerController } from './controllers/podautoscaler/index.ts';
import { installClusterAutoscaler, type AutoscalerSpec } from './controllers/clusterautoscaler/index.ts';
import { installVerticalPodAutoscaler } from './controllers/vpa/index.ts';
import { installRbac } from './rbac/index.ts';
import { installApiextensions } from './apiextensions/index.ts';
import { controlPlaneNode, installControlPlane } from './controlplane.ts';

export interface ClusterOptions extends SimOptions {
  nodes?: NodeSpec[];
  /** autoscaler turns on the simulated cluster autoscaler (the Scenario's spec.cluster.autoscaler). */
  autoscaler?: AutoscalerSpec;
  /** controlPlane adds a kubeadm control-plane node of this name and its kube-system pods (spec.cluster.controlPlane). */
  controlPlane?: { name: string };
}

/**
 * createCluster builds a Sim with the control plane wired in. Controllers run, within one instant,
 * in the order installed here: API machinery (GC), deployment, rollout, replicaset, scheduler, kubelets,
 * endpoints, networking, endpointslice mirroring, then the other workload controllers, disruption budgets, metrics and autoscaling — the order a change flows through a real cluster.
 */
export function createCluster(options: ClusterOptions = {}): Sim {
  const sim = new Sim(options);
  installApiServer(sim);
  // kubectl's default --validate=strict: the API server refuses unknown fields (api/strict.ts).
  sim.services.set(FIELD_VALIDATION, { typeDecode, strictDecode, dropUnknownFields } satisfies FieldValidation);
  installAdmission(sim);
  installRbac(sim);
  installApiextensions(sim);
  installDeploymentController(sim);
  installRolloutController(sim);
  installReplicaSetController(sim);
  installReplicaSetController(sim, REPLICATION_CONTROLLER);
  installScheduler(sim);
  installKubelets(sim);
  installEndpointsControllers(sim);
  installNetworking(sim);
  // After networking, whose EndpointSlice index by Service it reads.
  installEndpointSliceMirroringController(sim);
  installStatefulSetController(sim);
  installDaemonSetController(sim);
  installJobController(sim);
  installCronJobController(sim);
  installDisruptionController(sim);
  installPodGarbageCollector(sim);
  installResourceQuotaController(sim);
  installVolumeControllers(sim);
  installMetricsServer(sim);
  installHorizontalPodAutoscalerController(sim);
  installVerticalPodAutoscaler(sim); // simulated add-on, off until `kubeplay addons enable vertical-pod-autoscaler`
  // The control-plane node registers first, as kubeadm init's does (it gets the first node address and pod CIDR).
  if (options.controlPlane) addNode(sim, controlPlaneNode(options.controlPlane.name));
  for (const n of options.nodes ?? []) addNode(sim, n);
  installClusterAutoscaler(sim, options.autoscaler);
  sim.settle();
  if (options.controlPlane) {
    installControlPlane(sim, options.controlPlane.name);
    sim.settle();
  }
  return sim;
}
