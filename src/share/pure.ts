import { commandLines } from '../engine/kubectl/pipeline.ts';

/**
 * isPureCommand tells whether a terminal line only looks at the cluster and changes nothing the
 * simulation depends on (no object, timer, counter or random draw). The worker's session does not
 * record such lines in its history (replaying them would change nothing), so typing `kubectl get pods`
 * after a rewind does not discard the recorded future; the share recorder uses the same rule.
 *
 * It is narrower than the read-only links' rule (isReadOnlyCommand): `kubeplay curl` and `nslookup`
 * only look, but a curl counts as traffic (the metrics and charts see it), so they are recorded.
 */
const PURE_KUBECTL = new Set(['get', 'describe', 'diff', 'logs', 'top', 'explain', 'api-resources', 'api-versions', 'version', 'cluster-info', 'events', 'help']);

export function isPureCommand(line: string): boolean {
  // A pipeline's xargs runs commands too: `kubectl get pods -o name | xargs kubectl delete` deletes.
  return commandLines(line).every(pureLine);
}

/** pureLine: one command line only looks. */
function pureLine(line: string): boolean {
  const w = line.trim().split(/\s+/);
  if (w[0] === 'kubectl' || w[0] === 'k') {
    if (w[1] === 'rollout') return w[2] === 'status' || w[2] === 'history';
    if (w[1] === 'argo' && w[2] === 'rollouts') return w[3] === 'get' || w[3] === 'list' || w[3] === 'status' || w[3] === 'version';
    // `get -w` / `--watch` would follow the future: still pure, the terminal prints what is there.
    return PURE_KUBECTL.has(w[1] ?? '');
  }
  if (w[0] === 'kubeplay') return w[1] === 'help' || w[1] === 'trace' || (w[1] === 'traffic' && (w[2] === undefined || w[2] === 'list' || w[2] === 'get' || w[2] === 'stats'));
  return false;
}
