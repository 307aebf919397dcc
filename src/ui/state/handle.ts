/**
 * installHandle puts `window.kubeplay` on the page: the automation handle teachers script demos with
 * from the console and the e2e tests drive (times in simulated seconds, see KubeplayHandle).
 */
import { markBranch, runLine } from '../terminal/run.ts';
import { getClient, type KubeplayHandle } from './client.ts';
import { useCluster } from './cluster.ts';
import { loadBuiltin } from './scenarios.ts';
import { useUi } from './ui.ts';

/** isScenarioYaml: load's argument is YAML (not a built-in's name) when it has a newline or starts like a document. */
export function isScenarioYaml(s: string): boolean {
  const t = s.trimStart();
  return s.includes('\n') || t.startsWith('apiVersion') || t.startsWith('kind') || t.startsWith('---');
}

/** scenarioFileName names a YAML scenario by its metadata.name (`NAME.yaml`), for messages and share links. */
export function scenarioFileName(yaml: string): string {
  const m = /^metadata:\s*(?:\{[^}]*\bname:\s*([\w.-]+)|\n(?:[ \t]+.*\n)*?[ \t]+name:\s*([\w.-]+))/m.exec(yaml);
  return `${m?.[1] ?? m?.[2] ?? 'scenario'}.yaml`;
}

async function loadYaml(text: string): Promise<string[]> {
  const errors = await getClient().load(scenarioFileName(text), text);
  if (errors.length === 0) {
    useUi.getState().select(undefined);
    useUi.getState().clearTerminal();
  }
  return errors;
}

export function installHandle(): void {
  const client = getClient();
  const handle: KubeplayHandle = {
    exec: (command) => runLine(command),
    run: (line) => runLine(line),
    apply: (text) => (markBranch(useCluster.getState().clock.t), client.apply(text)),
    time: () => useCluster.getState().clock.t / 1000,
    pause: () => client.pause(),
    play: (speed) => client.play(speed),
    seek: (seconds) => client.seek(seconds * 1000),
    step: () => client.step(),
    advance: (ms) => client.advance(ms),
    load: (nameOrYaml) => (isScenarioYaml(nameOrYaml) ? loadYaml(nameOrYaml) : loadBuiltin(nameOrYaml)),
    ready: client.ready,
  };
  window.kubeplay = handle;
}
