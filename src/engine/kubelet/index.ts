// STUB — being written by the kubelet helper. Contract in src/engine/README.md.
import type { Sim } from '../sim.ts';
export interface NodeSpec {
  name: string;
  capacity?: { cpu?: string; memory?: string; pods?: string; [resource: string]: string | undefined };
  labels?: Record<string, string>;
  taints?: { key: string; value?: string; effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute' }[];
  unschedulable?: boolean;
}
export function installKubelets(_sim: Sim): void {}
export function addNode(_sim: Sim, _spec: NodeSpec): void {}
