import type { Sim } from '../sim.ts';
import type { Container, Pod } from '../api/types.ts';
import type { ContainerRun } from './runtime.ts';

/**
 * The kubelet's event recorder for pods and their containers (recordContainerEvent): the
 * container's field path as involvedObject.fieldPath, messages interned across replicas.
 */

const COMPONENT = 'kubelet';

export function specOf(pod: Pod, c: ContainerRun): Container | undefined {
  return (c.init ? pod.spec.initContainers : pod.spec.containers)?.find((s) => s.name === c.name);
}

/** fieldPaths interns "spec.containers{web}": one string for the ~5 events of each of 10,000 pods. */
const fieldPaths = new Map<string, string>();

function fieldPathOf(c: ContainerRun): string {
  const k = (c.init ? 'i' : 'c') + c.name;
  let fp = fieldPaths.get(k);
  if (fp === undefined) {
    fp = `spec.${c.init ? 'initContainers' : 'containers'}{${c.name}}`;
    if (fieldPaths.size > 1024) fieldPaths.clear();
    fieldPaths.set(k, fp);
  }
  return fp;
}

/**
 * messages interns event messages: most ("Created container: web", "Pulling image …") are the same
 * for every replica, and each of a rollout's ~100,000 kubelet Events would otherwise keep its own copy.
 */
const messages = new Map<string, string>();

function intern(message: string): string {
  const m = messages.get(message);
  if (m !== undefined) return m;
  if (messages.size >= 4096) messages.clear();
  messages.set(message, message);
  return message;
}

export function event(sim: Sim, pod: Pod, type: 'Normal' | 'Warning', reason: string, message: string, c?: ContainerRun): void {
  sim.recordEvent(pod, type, reason, intern(message), COMPONENT, pod.spec.nodeName, c && fieldPathOf(c));
}
