/**
 * installHandle puts `window.kubeplay` on the page: the automation handle the e2e tests drive.
 */
import { runLine } from '../terminal/run.ts';
import { getClient, type KubeplayHandle } from './client.ts';
import { useCluster } from './cluster.ts';
import { loadBuiltin } from './scenarios.ts';

export function installHandle(): void {
  const client = getClient();
  const handle: KubeplayHandle = {
    run: (line) => runLine(line),
    apply: (text) => client.apply(text),
    time: () => useCluster.getState().clock.t,
    pause: () => client.pause(),
    play: (speed) => client.play(speed),
    step: () => client.step(),
    advance: (ms) => client.advance(ms),
    load: (name) => loadBuiltin(name),
    ready: client.ready,
  };
  window.kubeplay = handle;
}
