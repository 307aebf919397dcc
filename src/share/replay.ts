/**
 * replayShare rebuilds the cluster a share link describes: it starts the scenario (startScenario),
 * then plays the scenario's timeline and the user's actions in time order up to payload.t, exactly as
 * the page's worker session interleaves them: at an instant, the timeline's due steps run first (the
 * session runs them as the clock reaches their time), then what the user typed at that instant.
 * Pure and deterministic: the same payload gives the same pods, names and events in Node and in the page.
 */
import type { Sim } from '../engine/sim.ts';
import { runCommand } from '../engine/kubectl/index.ts';
import { APPLY_STEP_COMMAND, formatDiagnostic, parseScenario, runTimelineStep, startScenario, type StepResult } from '../engine/scenario/index.ts';
import type { SharePayload } from './payload.ts';

export interface ReplayResult {
  /** sim is the cluster at payload.t (undefined when the scenario has errors: nothing ran). */
  sim?: Sim;
  /** errors are the scenario's problems (FILE:LINE: message), as the page shows them. */
  errors: string[];
  /** log is every timeline step and action run, in order, with its output. */
  log: (StepResult & { source: 'timeline' | 'user' })[];
}

/** replayShare replays a decoded payload in a fresh cluster. */
export function replayShare(payload: SharePayload): ReplayResult {
  const file = payload.name ?? 'shared.yaml';
  const parsed = parseScenario(payload.scenario, file);
  const errors = parsed.errors.map(formatDiagnostic);
  if (errors.length) return { errors, log: [] };
  const started = startScenario(parsed);
  const sim = started.sim;
  errors.push(...started.errors.map(formatDiagnostic));
  const log: ReplayResult['log'] = [];
  const timeline = parsed.spec.timeline;
  let next = 0;

  /** advanceTo moves the clock to t, running each timeline step as the clock reaches it (Session.advance). */
  const advanceTo = (t: number) => {
    for (;;) {
      const stepAt = timeline[next]?.at;
      const limit = stepAt !== undefined && stepAt <= t ? stepAt : t;
      sim.runUntil(Math.max(limit, sim.now()));
      while (next < timeline.length && timeline[next].at <= sim.now()) {
        const r = runTimelineStep(sim, timeline[next++], file, runCommand);
        sim.settle();
        log.push({ ...r, source: 'timeline' });
      }
      if (limit >= t) return;
    }
  };

  advanceTo(0);
  for (const a of payload.actions) {
    advanceTo(a.t);
    const r = a.kind === 'run' ? runCommand(sim, a.text) : runCommand(sim, APPLY_STEP_COMMAND, { stdin: a.text });
    sim.settle();
    log.push({ t: sim.now() / 1000, cmd: a.kind === 'run' ? a.text : APPLY_STEP_COMMAND, exit: r.exit, out: r.out, source: 'user' });
  }
  advanceTo(payload.t);
  return { sim, errors, log };
}
