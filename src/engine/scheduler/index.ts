// STUB — being written by the scheduler helper. Contract in src/engine/README.md.
import type { Sim } from '../sim.ts';
export function installScheduler(_sim: Sim): void {}
