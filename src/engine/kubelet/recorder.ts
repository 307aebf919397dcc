import type { Sim } from '../sim.ts';
import type { Container, Pod } from '../api/types.ts';
import type { ContainerRun } from './runtime.ts';

/**
 * The kubelet's event recorder for pods and their containers (recordContainerEvent): the
 * container's field path as involvedObject.fieldPath, messages interned across replicas.
 */

const COMPONENT = 'kubelet';

/** specOf is the container of the pod's spec a run is of (a loop, not find() with a closure: asked on every pod write of a running kubelet). */
export function specOf(pod: Pod, c: { name: string; init: boolean }): Container | undefined {
  const specs = (c.init ? pod.spec.initContainers : pod.spec.containers) ?? [];
  for (let i = 0; i < specs.length; i++) if (specs[i].name === c.name) return specs[i];
  return undefined;
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

/**
 * worded makes a message from a template and one word (a container's name, an image) once per word:
 * "Created container: web" comes with every replica, and building it again for each would leave
 * a string to hash, intern and throw away per event. Templates are module constants (their identity is the key).
 */
export function worded(template: (word: string) => string, word: string): string {
  let byWord = wordedMessages.get(template);
  if (!byWord) wordedMessages.set(template, (byWord = new Map()));
  let m = byWord.get(word);
  if (m === undefined) {
    if (byWord.size >= 1024) byWord.clear();
    byWord.set(word, (m = intern(template(word))));
  }
  return m;
}

const wordedMessages = new Map<(word: string) => string, Map<string, string>>();

export function event(sim: Sim, pod: Pod, type: 'Normal' | 'Warning', reason: string, message: string, c?: ContainerRun): void {
  sim.recordEvent(pod, type, reason, intern(message), COMPONENT, pod.spec.nodeName, c && fieldPathOf(c));
}
