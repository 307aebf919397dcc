/// <reference lib="webworker" />
/**
 * The module worker that runs the engine off the page's thread. It is a thin shell around Session:
 * it turns messages into Session calls, drives play with a timer, and posts diffs at most once per
 * tick (TICK_MS), so the page never receives more than it can draw.
 */
import { Session } from './session.ts';
import { createHistoryPump } from './historyPump.ts'; // history
import { PAGE_EVENTS, PROTOCOL_VERSION, refKey, refOf, type ClockState, type Diff, type FromWorker, type ObjectRef, type ToWorker } from './protocol.ts';
import { newestEvents, splitDiff } from './chunk.ts';
import { summarizeAll } from './summary.ts';
import { packPods } from './traffic.ts';
import defaultScenarioText from '../../scenarios/default.yaml?raw';

/** TICK_MS: 30 ticks a second; each advances speed × 33 ms of simulated time. */
const TICK_MS = 33;
/** BUDGET_MS: the most engine work per tick, so the worker keeps answering commands. */
const BUDGET_MS = 25;

const scope = self as unknown as DedicatedWorkerGlobalScope;
const session = new Session({ wallNow: () => performance.now(), budgetMs: BUDGET_MS });
let loaded = false;
let playing = false;
/** pauseAtNotes: Play stops at each timeline step with a note (the page's Presenter mode). */
let pauseAtNotes = false;
let speed = 1;
let timer: ReturnType<typeof setInterval> | undefined;
let lastTick = 0;
const pumpHistory = createHistoryPump(() => (loaded ? session.charts : undefined), (m) => post({ v: PROTOCOL_VERSION, type: 'history', ...m })); // history

function post(msg: FromWorker): void {
  try {
    scope.postMessage(msg);
  } catch (e) {
    // An object the structured clone cannot copy (a function or class instance in a trace): send it as JSON data.
    try {
      scope.postMessage(JSON.parse(JSON.stringify(msg)));
    } catch {
      scope.postMessage({ v: PROTOCOL_VERSION, type: 'error', message: `could not send ${msg.type} to the page: ${(e as Error).message}` });
    }
  }
}

function clock(): ClockState {
  const t = loaded ? session.time() : 0;
  return { t, playing, speed, behind: session.behind, start: 0, end: loaded ? Math.max(session.end, t) : 0 };
}

/** watched: the object the page shows whole (its Inspector), and whether the page has it as of now */
let watched: { ref: ObjectRef; key: string; sent: boolean } | undefined;
/**
 * eventsOn: the page shows Events (see the `events` message); eventsResync: it turned them on and needs the
 * newest PAGE_EVENTS. A 1,000-pod rolling update records ~3,500 Events a simulated second: about half of
 * what the page had to read, for a list nobody was looking at.
 */
let eventsOn = true;
let eventsResync = false;

/**
 * pageDiff is the diff as the page receives it: summaries for SUMMARY_KINDS, the traffic view's pod rates
 * packed (packPods), and the watched object whole when the page does not have it yet, on a reset, or when
 * the diff touches it.
 */
function pageDiff(diff: Diff | undefined): Diff | undefined {
  let touched = false;
  if (diff) {
    const key = watched?.key;
    if (key) touched = diff.reset === true || diff.upserted.some((o) => refKey(refOf(o)) === key) || diff.removed.some((r) => refKey(r) === key);
    const upserted = eventsOn ? diff.upserted : diff.upserted.filter((o) => o.kind !== 'Event');
    diff = { ...diff, upserted: summarizeAll(upserted), removed: eventsOn ? diff.removed : diff.removed.filter((r) => r.kind !== 'Event') };
    if (diff.traffic) diff.traffic = packPods(diff.traffic);
  }
  if (eventsOn && eventsResync && session.sim) {
    diff ??= { t: session.time(), upserted: [], removed: [] };
    diff.upserted = [...diff.upserted.filter((o) => o.kind !== 'Event'), ...newestEvents(session.sim.store.list('Event'), PAGE_EVENTS)];
    diff.eventsReset = true;
    eventsResync = false;
  }
  if (watched && (touched || !watched.sent)) {
    const { kind, namespace, name } = watched.ref;
    const obj = session.sim?.store.get(kind, namespace || undefined, name);
    diff ??= { t: session.time(), upserted: [], removed: [] };
    diff.watched = obj ? { ref: watched.ref, obj } : { ref: watched.ref };
    watched.sent = true;
  }
  return diff;
}

/** flush posts the pending diff (if any, in parts when big: see splitDiff) and the timeline's terminal output. */
function flush(): void {
  if (!loaded) return;
  const diff = pageDiff(session.takeDiff());
  // Markers first: a clock whose end moved finds its markers already there.
  const markers = session.takeMarkers();
  if (markers) post({ v: PROTOCOL_VERSION, type: 'markers', keep: markers.keep, add: markers.add });
  if (diff) {
    const now = clock();
    for (const part of splitDiff(diff)) post({ v: PROTOCOL_VERSION, type: 'diff', diff: part, clock: now });
  } else post({ v: PROTOCOL_VERSION, type: 'clock', clock: clock() });
  for (const entry of session.takeLog()) {
    post({ v: PROTOCOL_VERSION, type: 'log', t: entry.t, line: entry.line, exit: entry.exit, out: entry.out, ...(entry.note ? { note: entry.note } : {}) });
  }
  pumpHistory(); // history
}

/** guard runs engine work; an exception pauses the simulation and is reported, never thrown. */
function guard<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch (e) {
    setPlaying(false);
    const err = e as Error;
    post({ v: PROTOCOL_VERSION, type: 'error', message: `${err.name ?? 'Error'}: ${err.message ?? String(e)}` });
    return undefined;
  }
}

function tick(): void {
  const now = performance.now();
  const wall = Math.min(now - lastTick, 200);
  lastTick = now;
  if (playing) guard(() => session.advance(wall * speed, pauseAtNotes));
  if (playing && session.takeNoteStop()) setPlaying(false);
  flush();
}

/**
 * advanceTo runs the clock to a target in budgeted chunks, one per macrotask, so commands and pauses
 * still get through while a long jump runs; it answers the request when the target is reached.
 */
function advanceTo(target: number, id: number): void {
  const ok = guard(() => {
    session.advance(target - session.time());
    return true;
  });
  flush();
  if (ok && session.time() < target) {
    setTimeout(() => advanceTo(target, id), 0);
    return;
  }
  post({ v: PROTOCOL_VERSION, type: 'result', id, exit: ok ? 0 : 1, out: '' });
}

function setPlaying(p: boolean): void {
  playing = p;
  if (p && !timer) {
    lastTick = performance.now();
    timer = setInterval(tick, TICK_MS);
  } else if (!p && timer) {
    clearInterval(timer);
    timer = undefined;
  }
}

function handle(msg: ToWorker): void {
  switch (msg.type) {
    case 'load': {
      setPlaying(false);
      const errors = guard(() => session.load(msg.name, msg.text));
      loaded ||= errors !== undefined && session.sim !== undefined;
      // The new cluster's reset diff goes first, so `loaded` finds it drawn.
      flush();
      post({ v: PROTOCOL_VERSION, type: 'loaded', name: session.name || msg.name, ...(session.title ? { title: session.title } : {}), t: loaded ? session.time() : 0, errors: errors ?? ['the scenario could not be loaded'], ...(session.kept ? { kept: true } : {}) });
      return;
    }
    case 'play':
      if (msg.speed) speed = msg.speed;
      setPlaying(true);
      flush();
      return;
    case 'pause':
      setPlaying(false);
      flush();
      return;
    case 'speed':
      speed = msg.speed;
      flush();
      return;
    case 'pauseAtNotes':
      pauseAtNotes = msg.on;
      return;
    case 'step': {
      const moved = guard(() => session.step());
      flush();
      const out = !moved ? 'nothing scheduled: the cluster is idle' : session.lastStepQuiet ? 'a quiet minute: nothing on screen changed' : '';
      post({ v: PROTOCOL_VERSION, type: 'result', id: msg.id, exit: moved ? 0 : 1, out });
      return;
    }
    case 'advance':
      advanceTo(session.time() + Math.max(0, msg.ms), msg.id);
      return;
    case 'seek': {
      // The whole seek runs at once (at most one snapshot interval of replay back, or the run forward).
      const ok = loaded ? guard(() => (session.seek(Math.max(0, msg.t)), true)) : undefined;
      lastTick = performance.now(); // a long seek is not time the playing clock should catch up on
      flush();
      post({ v: PROTOCOL_VERSION, type: 'result', id: msg.id, exit: ok ? 0 : 1, out: ok ? '' : 'error: could not seek' });
      return;
    }
    case 'recover': {
      const ok = loaded ? guard(() => session.recover()) : undefined;
      flush();
      post({ v: PROTOCOL_VERSION, type: 'result', id: msg.id, exit: ok ? 0 : 1, out: ok ? '' : 'error: there is no snapshot to reload' });
      return;
    }
    case 'command':
    case 'apply':
    case 'kubectlDiff': {
      const r = loaded ? guard(() => (msg.type === 'command' ? session.run(msg.line) : msg.type === 'apply' ? session.apply(msg.text) : session.diff(msg.text))) : undefined;
      flush();
      // kubectl diff's own errors exit 2 (1 means differences found).
      post({ v: PROTOCOL_VERSION, type: 'result', id: msg.id, exit: r?.exit ?? (msg.type === 'kubectlDiff' ? 2 : 1), out: r?.out ?? 'error: the command failed inside the simulator (see the message above)' });
      return;
    }
    case 'events':
      if (msg.on && !eventsOn) eventsResync = true;
      eventsOn = msg.on;
      if (eventsResync) flush();
      return;
    case 'watch':
      watched = msg.ref ? { ref: msg.ref, key: refKey(msg.ref), sent: false } : undefined;
      if (watched) flush();
      return;
    case 'trace': {
      const trace = guard(() => session.trace(msg.podUid));
      post({ v: PROTOCOL_VERSION, type: 'trace', id: msg.id, trace: trace ?? null });
      return;
    }
    // completion
    case 'complete': {
      const c = loaded ? guard(() => session.complete(msg.line, msg.cursor)) : undefined;
      post({ v: PROTOCOL_VERSION, type: 'completion', id: msg.id, replaceFrom: c?.replaceFrom ?? msg.cursor, candidates: c?.candidates ?? [] });
      return;
    }
  }
}

scope.onmessage = (e: MessageEvent<ToWorker>) => {
  const msg = e.data;
  if (!msg || msg.v !== PROTOCOL_VERSION) return;
  guard(() => handle(msg));
};

post({ v: PROTOCOL_VERSION, type: 'ready' });

/**
 * A worker started as `worker-….js?load=default` (index.html starts it so, see earlyWorker in
 * vite.config.ts) loads the default scenario at once: a message from the page reaches a new worker only
 * once the page's thread is free again, and on a first load it is busy running the app's scripts for the
 * next ~300 ms. The page's Client knows (preloaded) and does not send the load itself.
 */
if (new URLSearchParams(scope.location.search).get('load') === 'default') {
  guard(() => handle({ v: PROTOCOL_VERSION, type: 'load', name: 'default.yaml', text: defaultScenarioText }));
}
