// STUB — being written by the networking helper. Contract in src/engine/README.md.
import type { Sim } from '../sim.ts';
export function installNetworking(_sim: Sim): void {}
