// STUB — being written by the deployment helper. Contract in src/engine/README.md.
import type { Sim } from '../../sim.ts';
export function installDeploymentController(_sim: Sim): void {}
