// STUB — being written by the kubelet helper. Contract in src/engine/README.md.
import type { Sim } from '../sim.ts';
export function installEndpointsControllers(_sim: Sim): void {}
