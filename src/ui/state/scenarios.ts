/**
 * The built-in scenarios the page can load, bundled as text (no request leaves the page's origin).
 */
const files = import.meta.glob<string>('../../../scenarios/*.yaml', { query: '?raw', import: 'default', eager: true });

import { getClient } from './client.ts';
import { useUi } from './ui.ts';

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

/** builtinScenarios maps a scenario's file name (without .yaml) to its text. */
export function builtinScenarios(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [path, text] of Object.entries(files)) {
    const name = path.replace(/^.*\//, '').replace(/\.yaml$/, '');
    out[name] = text;
  }
  return out;
}

/** defaultScenario is scenarios/default.yaml, or a small web Deployment on three nodes. */
export function defaultScenario(): { name: string; text: string } {
  const text = builtinScenarios().default;
  return { name: 'default.yaml', text: text ?? FALLBACK_SCENARIO };
}

/**
 * loadBuiltin replaces the cluster with a built-in scenario, clearing the selection and the terminal.
 * A scenario with errors leaves the running cluster as it was (the errors are shown).
 */
export async function loadBuiltin(name: string): Promise<string[]> {
  const text = name === 'default' ? defaultScenario().text : builtinScenarios()[name];
  if (text === undefined) return [`no built-in scenario named "${name}"`];
  const errors = await getClient().load(`${name}.yaml`, text);
  if (errors.length === 0) {
    useUi.getState().select(undefined);
    useUi.getState().clearTerminal();
  }
  return errors;
}
