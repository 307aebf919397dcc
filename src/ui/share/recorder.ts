/**
 * ShareRecorder remembers what a share link must carry: the scenario the page loaded and every
 * command and manifest the user sent since, each with the simulated time it ran at. It is plain data
 * (no DOM), so it is tested in Node; session.ts feeds it from the page's worker client.
 */
import { commandLines } from '../../engine/kubectl/pipeline.ts';
import { SHARE_LIMITS, SHARE_VERSION, type ActionKind, type Presentation, type ShareAction, type SharePayload } from '../../share/payload.ts';

export class ShareRecorder {
  name = 'default.yaml';
  scenario = '';
  actions: ShareAction[] = [];
  /** dropped counts actions past SHARE_LIMITS.actions (the link keeps the first ones and says so). */
  dropped = 0;
  /**
   * future holds the actions after the time the page rewound to (the worker's recorded future of that
   * branch): they come back as the clock passes them again, and are dropped by the next change.
   */
  future: ShareAction[] = [];

  /** reset starts over with a newly loaded scenario. */
  reset(name: string, text: string): void {
    this.name = name;
    this.scenario = text;
    this.actions = [];
    this.future = [];
    this.dropped = 0;
  }

  /** seek follows the page's clock to t (ms) on the history: actions after t leave the link. */
  seek(t: number): void {
    const all = this.future.length ? this.actions.concat(this.future) : this.actions;
    this.actions = all.filter((a) => a.t <= t);
    this.future = all.filter((a) => a.t > t);
  }

  /** advanceTo brings back the recorded future's actions the clock has passed again (the worker replays them). */
  advanceTo(t: number): void {
    let n = 0;
    while (n < this.future.length && this.future[n].t <= t) n++;
    if (n > 0) this.actions = this.actions.concat(this.future.splice(0, n));
  }

  /**
   * record adds an action at simulated time t (ms). Times never go backwards (the page clock may lag the
   * worker by a tick). An action that changes the cluster (pure false) after a rewind drops the
   * recorded future, as the worker does: a new branch.
   */
  record(kind: ActionKind, text: string, t: number, pure = false): void {
    if (!pure) this.future = [];
    if (this.actions.length >= SHARE_LIMITS.actions) {
      this.dropped++;
      return;
    }
    const last = this.actions.at(-1)?.t ?? 0;
    this.actions.push({ t: Math.max(last, Math.round(t)), kind, text });
  }

  /** payload is the share payload at simulated time t. */
  payload(t: number, presentation: Presentation = {}): SharePayload {
    const lastT = this.actions.at(-1)?.t ?? 0;
    return { v: SHARE_VERSION, scenario: this.scenario, name: this.name, actions: this.actions.slice(), t: Math.max(lastT, Math.round(t)), presentation };
  }
}

/**
 * READ_ONLY_KUBECTL are the kubectl verbs a read-only link still allows: they look, never change.
 * `rollout status|history` and `exec … env` read too.
 */
const READ_ONLY_KUBECTL = new Set(['get', 'describe', 'diff', 'logs', 'top', 'explain', 'api-resources', 'api-versions', 'version', 'cluster-info', 'events', 'help', 'config']);

/**
 * isReadOnlyCommand tells whether a terminal line only reads the cluster (allowed in a read-only link): every
 * command it runs, which for a pipeline includes what its xargs runs (`… -o name | xargs kubectl delete` does not).
 */
export function isReadOnlyCommand(line: string): boolean {
  return commandLines(line).every(readOnlyLine);
}

/** readOnlyLine: one command line only reads the cluster. */
function readOnlyLine(line: string): boolean {
  const w = line.trim().split(/\s+/);
  if (w[0] === 'kubectl' || w[0] === 'k') {
    if (w[1] === 'rollout') return w[2] === 'status' || w[2] === 'history';
    if (w[1] === 'argo' && w[2] === 'rollouts') return w[3] === 'get' || w[3] === 'list' || w[3] === 'status' || w[3] === 'version';
    if (w[1] === 'exec') return true; // containers are simulated: exec only prints the environment
    return READ_ONLY_KUBECTL.has(w[1] ?? '');
  }
  if (w[0] === 'kubeplay') return ['help', 'trace', 'promql', 'nslookup', 'curl'].includes(w[1] ?? '') || (w[1] === 'traffic' && (w[2] === undefined || w[2] === 'list' || w[2] === 'get'));
  return false;
}
