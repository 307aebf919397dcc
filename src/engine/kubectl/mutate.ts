import type { KubeObject } from '../api/types.ts';
import type { Sim } from '../sim.ts';
import { api } from './services.ts';

/**
 * mutate changes a copy of a stored object and sends it through the API server's update, so a change
 * the server refuses (validation) leaves the stored object untouched — as a kubectl patch would.
 * One object per command: the JSON copy is fine here (never per pod per tick). With --dry-run (dryRun, the
 * flag's value) nothing is stored: `client` returns the changed copy as kubectl would send it, `server` lets
 * the API server validate and default it. warn receives the server's warnings for the update (a pod
 * template's, when the change bumps the generation), for the command to print as kubectl does.
 */
export function mutate<T extends KubeObject>(sim: Sim, obj: T, fn: (copy: T) => void, dryRun?: string, warn?: (message: string) => void): T {
  const copy = JSON.parse(JSON.stringify(obj)) as T;
  fn(copy);
  if (dryRun === 'client') return copy;
  return api(sim).update(copy, { dryRun: dryRun === 'server', ...(warn ? { warn } : {}) }) as T;
}

