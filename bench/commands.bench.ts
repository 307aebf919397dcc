/**
 * Container command lines at scale: a Deployment of 1,000 busybox replicas whose containers run a
 * shell loop, on 20 nodes, for 60 simulated seconds. Each container's start plans its exit by
 * running its command line in the simulated shell (kubelet/command.ts), so this measures what that
 * costs when many pods start at once:
 *   - a loop that prints a constant: one run shared by every replica (the memo by what it read);
 *   - a loop that prints $HOSTNAME and the time: one run per pod, stopped at its steady state.
 * Then `kubectl logs` of one pod after a simulated day, which replays the loop to now.
 *
 * Prints wall time per case. No target in an issue; the guard is that neither is seconds per pod.
 */
import { createCluster } from '../src/engine/cluster.ts';
import { runCommand } from '../src/engine/kubectl/index.ts';

const LOOPS = {
  constant: 'while true; do echo hello; sleep 10; done',
  'per pod': 'while true; do echo "$HOSTNAME $(date +%T)"; sleep 10; done',
};

for (const [name, script] of Object.entries(LOOPS)) {
  const sim = createCluster({ seed: 1, nodes: Array.from({ length: 20 }, (_, i) => ({ name: `w-${i}`, capacity: { cpu: '64', memory: '256Gi', pods: '110' } })) });
  const t0 = performance.now();
  runCommand(sim, `kubectl create deployment loop --image=busybox --replicas=1000 -- sh -c '${script}'`);
  sim.runFor(60_000);
  const ready = runCommand(sim, 'kubectl get deploy loop -o jsonpath={.status.readyReplicas}').out;
  const startMs = performance.now() - t0;
  sim.runFor(86_400_000 - 60_000);
  const pod = runCommand(sim, 'kubectl get pods -o jsonpath={.items[0].metadata.name}').out;
  const t1 = performance.now();
  const lines = runCommand(sim, `kubectl logs ${pod}`).out.split('\n').length - 1;
  const logsMs = performance.now() - t1;
  console.log(`${name.padEnd(9)} 1,000 replicas ready: ${ready}, ${startMs.toFixed(0)} ms wall; kubectl logs after a day: ${lines} lines in ${logsMs.toFixed(0)} ms`);
}
