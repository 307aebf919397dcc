/**
 * The built-in scenarios the page can load, bundled as text (no request leaves the page's origin).
 * Only the default scenario is in the first download; the others are chunks of their own, fetched
 * when one is chosen (the initial JavaScript budget is 250 KB gzipped, and the scenario texts ~27 KB).
 */
import defaultText from '../../../scenarios/default.yaml?raw';

const loaders = import.meta.glob<string>('../../../scenarios/*.yaml', { query: '?raw', import: 'default' });

import { getClient } from './client.ts';
import { useUi } from './ui.ts';
import { beginScenario } from '../workspace/pageWorkspace.ts';

/** FALLBACK_SCENARIO is used only when the build has no scenarios/default.yaml. */
const FALLBACK_SCENARIO = `apiVersion: kubeplay.dev/v1alpha1
kind: Scenario
metadata:
  name: default
spec:
  seed: 1
  cluster:
    nodes:
      - {count: 3, namePrefix: worker-, capacity: {cpu: "4", memory: 8Gi, pods: "110"}}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 3
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: nginx:1.27
          resources:
            requests: {cpu: 250m, memory: 256Mi}
`;

const nameOf = (path: string) => path.replace(/^.*\//, '').replace(/\.yaml$/, '');

/** builtinNames lists the built-in scenarios' file names (without .yaml), default first. */
export function builtinNames(): string[] {
  return Object.keys(loaders)
    .map(nameOf)
    // Plain code-point order: file names are ASCII, and the first localeCompare builds an ICU collator (~40 ms on a first load).
    .sort((a, b) => (a === 'default' ? -1 : b === 'default' ? 1 : a < b ? -1 : a > b ? 1 : 0));
}

/** builtinText fetches a built-in scenario's text (its own chunk), or undefined when there is none. */
export async function builtinText(name: string): Promise<string | undefined> {
  if (name === 'default') return defaultScenario().text;
  const path = Object.keys(loaders).find((p) => nameOf(p) === name);
  return path ? loaders[path]() : undefined;
}

/** defaultScenario is scenarios/default.yaml, or a small web Deployment on three nodes. */
export function defaultScenario(): { name: string; text: string } {
  return { name: 'default.yaml', text: defaultText || FALLBACK_SCENARIO };
}

/**
 * loadBuiltin replaces the cluster with a built-in scenario, clearing the selection and the terminal.
 * A scenario with errors leaves the running cluster as it was (the errors are shown).
 */
export async function loadBuiltin(name: string): Promise<string[]> {
  const text = await builtinText(name);
  if (text === undefined) return [`no built-in scenario named "${name}"`];
  // The work in the current scenario stays in its workspace (see beginScenario).
  beginScenario(`${name}.yaml`);
  const errors = await getClient().load(`${name}.yaml`, text);
  if (errors.length === 0) {
    useUi.getState().select(undefined);
    useUi.getState().clearTerminal();
  }
  return errors;
}
