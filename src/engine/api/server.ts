// STUB — being written by the API-machinery helper. Contract in src/engine/README.md.
import type { Sim } from '../sim.ts';
export function installApiServer(_sim: Sim): void {}
