import { Clock, EPOCH_MS, isoTime, microTime } from './clock.ts';
import { hexInto, Rng } from './rng.ts';
import { Store } from './api/store.ts';
import { ApiError } from './api/errors.ts';
import { TimerQueue } from './timers.ts';
import type { EventObject, KubeObject } from './api/types.ts';
import { correlate, newCorrelatorState, type Correlated, type CorrelatorState, type EventInput, type EventLog } from './eventcorrelator.ts';
import { newSeriesState, nextTick, observe, tick, type Isomorphic, type SeriesInput } from './eventseries.ts';

/**
 * ImageBehavior is how an image in the simulated registry behaves (DESIGN.md, "Image behaviour fields").
 * Times are in seconds.
 */
export interface ImageBehavior {
  startupSeconds?: number;
  pullSeconds?: number;
  pullError?: boolean;
  crashAfterSeconds?: number;
  exitCode?: number;
  runSeconds?: number;
  shutdownSeconds?: number;
  memory?: string;
  cpu?: string;
  cpuPerRps?: string;
  memoryPerRps?: string;
  errorRate?: number;
  latencyMs?: number;
  latencyJitterMs?: number;
  /** readinessFailAfterSeconds/livenessFailAfterSeconds: probes start failing that long after start. */
  readinessFailAfterSeconds?: number;
  livenessFailAfterSeconds?: number;
  /** logs: lines the container prints at start (simulated container logs). */
  logs?: string[];
}

/** TrafficSpec is one entry of the Scenario's spec.traffic: a stream of requests from outside the cluster. */
export interface TrafficSpec {
  host?: string;
  path?: string;
  rps: number;
  method?: string;
  headers?: Record<string, string>;
  cookie?: string;
  clients?: number;
  scheme?: 'http' | 'https';
}

/** NetworkOptions are cluster-wide network settings (kube-proxy mode and IPVS scheduler). */
export interface NetworkOptions {
  kubeProxyMode?: 'iptables' | 'ipvs';
  ipvsScheduler?: 'rr' | 'lc' | 'wlc' | 'wrr' | 'sh';
}

export interface SimOptions {
  seed?: number | string;
  images?: Record<string, ImageBehavior>;
  traffic?: TrafficSpec[];
  network?: NetworkOptions;
}

/** Controller is one reconcile loop: a name, and a sync of one key taken from its work queue. */
export interface Controller {
  readonly name: string;
  sync(key: string): void;
}

export type TimerHandler = (key: string) => void;

/** TIMER_EVENT_SERIES is the events.k8s.io/v1 recorder's cache tick (eventseries.ts). */
const TIMER_EVENT_SERIES = 'events/series';

/** The most settle rounds in one instant before the engine reports a livelock instead of freezing. */
const MAX_SETTLE_ROUNDS = 10_000;

/**
 * EVENT_OF keeps, on an event correlator's log, the Event it made (a symbol: structuredClone leaves it
 * out of snapshots, so a restored log looks its Event up again).
 */
const EVENT_OF = Symbol('the Event this log made');
type Logged = EventLog & { [EVENT_OF]?: EventObject };

/** asDict gives a table (a plain object keyed by strings) without a prototype: see Sim.moduleState. */
function asDict<V>(table: V): V {
  if (table === null || typeof table !== 'object' || Object.getPrototypeOf(table) === null) return table;
  return Object.assign(Object.create(null), table) as V;
}

/**
 * Sim is the cluster: virtual clock, PRNG, store, timers and the controllers that react to changes.
 *
 * Time moves only in step()/runUntil(): each step jumps to the next timer, fires every timer due at
 * that instant, then lets the controllers settle (drain their work queues until none has work).
 * All mutable state lives in the store, the timer queue, the PRNG and `state` (plain JSON per module),
 * so snapshot() captures everything and restore() brings it back.
 */
export class Sim {
  readonly clock = new Clock();
  readonly rng: Rng;
  readonly store: Store;
  readonly timers = new TimerQueue();
  readonly images: Record<string, ImageBehavior>;
  /** state holds each module's serializable state, by module name. */
  state: Record<string, any> = {};
  private handlers = new Map<string, TimerHandler>();
  private controllers: Controller[] = [];
  private queues = new Map<string, Set<string>>();
  private pending = 0;
  /** services holds module singletons (the api server, the scheduler, …) by name, for cross-module calls. */
  readonly services = new Map<string, unknown>();
  /** warnings collects engine-level problems (e.g. a livelock) that the UI and runner report. */
  readonly warnings: string[] = [];

  constructor(readonly options: SimOptions = {}) {
    this.rng = new Rng(options.seed ?? 1);
    this.store = new Store(this.clock, this.rng);
    this.images = { ...(options.images ?? {}) };
    this.onTimer(TIMER_EVENT_SERIES, this.seriesTick);
  }

  now(): number {
    return this.clock.now();
  }

  nowIso(): string {
    return isoTime(this.clock.now());
  }

  /**
   * moduleState returns (creating it on first use) the serializable state of one module. dicts names
   * its fields that are tables keyed by uids or names: they are kept as objects without a prototype,
   * which V8 stores as hash tables from the start. A plain {} that takes a key and gives it back, pod
   * after pod (the scheduling queue's entries), goes through a new hidden class per key, and each
   * lookup of a key it lacks is a call into the runtime: together ~7% of a 10,000-pod rollout in
   * Node. A restored snapshot's tables (structuredClone makes plain objects) are made so again on
   * their module's first use.
   */
  moduleState<T extends object>(name: string, init: () => T, dicts?: readonly (keyof T & string)[]): T {
    const st = (this.state[name] ??= init()) as T;
    if (dicts !== undefined && !this.dictsMade.has(name)) {
      for (const f of dicts) st[f] = asDict(st[f]);
      this.dictsMade.add(name);
    }
    return st;
  }

  /** dictsMade: the modules whose tables moduleState has made dictionaries since the last restore. */
  private dictsMade = new Set<string>();

  service<T>(name: string): T {
    const s = this.services.get(name);
    if (!s) throw new Error(`engine service ${name} is not registered`);
    return s as T;
  }

  // ---- controllers and work queues ----

  addController(c: Controller): void {
    this.controllers.push(c);
    this.queues.set(c.name, new Set());
  }

  /** enqueue asks a controller to sync a key at this instant (deduplicated, as a workqueue). */
  enqueue(controller: string, key: string): void {
    const q = this.queues.get(controller);
    if (!q) throw new Error(`unknown controller ${controller}`);
    if (!q.has(key)) {
      q.add(key);
      this.pending++;
    }
  }

  /**
   * settle runs controllers until no work queue has work. Controllers run in registration order;
   * each round takes a controller's whole queue, so a change it makes for another controller is
   * seen in the same instant.
   */
  settle(): void {
    let rounds = 0;
    while (this.pending > 0) {
      if (++rounds > MAX_SETTLE_ROUNDS) {
        this.warnings.push(`controllers did not settle at t=${this.clock.seconds()}s; dropped pending work`);
        for (const q of this.queues.values()) q.clear();
        this.pending = 0;
        return;
      }
      for (const c of this.controllers) {
        const q = this.queues.get(c.name)!;
        if (q.size === 0) continue;
        const keys = [...q];
        q.clear();
        this.pending -= keys.length;
        for (const key of keys) c.sync(key);
      }
    }
  }

  // ---- timers ----

  onTimer(type: string, handler: TimerHandler): void {
    this.handlers.set(type, handler);
  }

  /** after schedules a timer delayMs from now (rounded to whole ms). */
  after(delayMs: number, type: string, key: string): void {
    this.timers.push(this.clock.now() + Math.max(0, Math.round(delayMs)), type, key);
  }

  /** at schedules a timer at an absolute simulated time (not before now). */
  at(timeMs: number, type: string, key: string): void {
    this.timers.push(Math.max(this.clock.now(), Math.round(timeMs)), type, key);
  }

  /** nextTimerAt is when the next timer fires, or undefined when the cluster is idle. */
  nextTimerAt(): number | undefined {
    return this.timers.peek()?.at;
  }

  /**
   * step advances to the next instant with timers (not past limitMs), fires them and settles.
   * Returns false when there was nothing to do before limitMs.
   */
  step(limitMs = Infinity): boolean {
    this.settle();
    const next = this.timers.peek();
    if (!next || next.at > limitMs) return false;
    this.clock.set(next.at);
    // Fire every timer due at this instant, then let the controllers react once: they see the
    // cluster as a watch would after all of that instant's changes. Reacting after each timer
    // instead would make a 10,000-pod rollout quadratic (each pod turning Ready would re-rank every
    // pod of its ReplicaSet); timers set for this same instant by the handlers still fire here.
    while (this.timers.peek()?.at === next.at) {
      const t = this.timers.pop()!;
      const h = this.handlers.get(t.type);
      if (!h) throw new Error(`no handler for timer ${t.type}`);
      h(t.key);
    }
    this.settle();
    return true;
  }

  /**
   * runUntil steps until the clock reaches timeMs (the clock ends exactly at timeMs). The clock counts
   * whole milliseconds (Event names and timestamps are derived from it), so a fractional target is
   * rounded down; callers moving time by wall-clock fractions carry the remainder themselves.
   */
  runUntil(timeMs: number): void {
    timeMs = Math.floor(timeMs);
    while (this.step(timeMs)) {
      /* keep stepping */
    }
    if (this.clock.now() < timeMs) this.clock.set(timeMs);
    this.settle();
  }

  /** runFor advances the clock by ms. */
  runFor(ms: number): void {
    this.runUntil(this.clock.now() + ms);
  }

  // ---- events ----

  /**
   * recordEvent writes a core/v1 Event as client-go's recorder does: through the event correlator
   * (eventcorrelator.ts: an exact repeat bumps the count of its Event; from the 10th distinct message
   * for one object and reason in 10 minutes they are "(combined from similar events)"; past 25 events
   * a source and object get one every 5 minutes). Returns the Event written, or undefined when the
   * spam filter dropped it. fieldPath names the container an event is about (kubelet).
   */
  recordEvent(
    obj: KubeObject,
    type: 'Normal' | 'Warning',
    reason: string,
    message: string,
    component: string,
    host?: string,
    fieldPath?: string,
  ): EventObject | undefined {
    const ns = obj.metadata.namespace ?? 'default';
    const st = this.moduleState('events', newCorrelatorState);
    const now = this.nowIso();
    const ms = this.clock.now();
    // The correlator's input, its answer and the namer are kept for the next event: a rollout
    // records ~100,000, and three objects apiece were that much more for the young generation.
    const input = this.eventIn;
    input.uid = obj.metadata.uid ?? '';
    input.type = type;
    input.reason = reason;
    input.message = message;
    input.component = component;
    input.host = host;
    input.fieldPath = fieldPath;
    this.naming.st = st;
    this.naming.name = obj.metadata.name;
    this.naming.ms = ms;
    // c is read before the Event is written (writing tells watchers, which may record events in turn).
    const c = correlate(st, input, ms, now, this.newEventName, this.eventOut);
    if (c.skip) return undefined;
    // A new log has a name just made: no Event of that name exists, so no lookup (a key to build
    // and hash for each of a rollout's ~100,000 events). A repeat finds the Event its log made on the
    // log itself while the store still holds it (a lookup would file every Event made since: Store.unfiled).
    const log = c.log as Logged;
    const made = c.created ? undefined : log[EVENT_OF];
    const known = made && this.store.stillStored(made) ? made : undefined;
    const existing = c.created ? undefined : (known ?? this.store.get<EventObject>('Event', ns, c.log.name));
    if (existing) {
      existing.count = c.log.count;
      existing.lastTimestamp = now;
      existing.message = c.message;
      this.store.update(existing, { stored: existing === known });
      log[EVENT_OF] = existing;
      return existing;
    }
    // Not there: a first occurrence, or one whose earlier occurrences the spam filter dropped (the
    // recorder then creates it with the count so far, as recordToSink does when its patch finds nothing).
    const ev: EventObject = {
      apiVersion: 'v1',
      kind: 'Event',
      // uid, resourceVersion and creationTimestamp are the store's to set (in this order, as
      // before): declaring them here keeps them in the object instead of a separate property
      // array (~50 bytes of the ~1 KB each of a rollout's ~130,000 Events holds).
      metadata: { name: c.log.name, namespace: ns, uid: undefined, resourceVersion: undefined, creationTimestamp: undefined },
      involvedObject: this.involvedObject(obj, fieldPath),
      reason,
      message: c.message,
      type,
      count: c.log.count,
      firstTimestamp: c.log.first,
      lastTimestamp: now,
      source: this.eventSource(component, host),
      // The legacy recorder's makeEvent reports its source (the API prints an unset eventTime as null).
      eventTime: null,
      reportingComponent: component,
      reportingInstance: host ?? '',
    };
    // The recorder's names are new by construction (the nanoseconds are the millisecond and a
    // sequence under a million), so the store need not look each one up.
    try {
      if (st.seq < 1_000_000) this.store.createFresh(ev);
      else this.store.create(ev);
      log[EVENT_OF] = ev;
    } catch (e) {
      // An Event of that name made through the API: the server rejects the recorder's, which drops
      // it ("Server rejected event (will not retry!)", recordToSink).
      if (e instanceof ApiError && e.reason === 'AlreadyExists') return undefined;
      throw e;
    }
    return ev;
  }

  /**
   * recordEventV1 writes an Event as client-go's events.k8s.io/v1 recorder does (tools/events, the
   * scheduler's): eventTime, action, reporting controller and instance, the regarding object's
   * reference with its resourceVersion, and a related object's; repeats become a series, written on
   * the second occurrence and then every 30 minutes (eventseries.ts). The API server shows it as a
   * core/v1 Event with null first and last timestamps, no count and an empty source. Returns the Event
   * written, or undefined when nothing was (a repeat past the second only counts).
   */
  recordEventV1(regarding: KubeObject, related: KubeObject | undefined, type: 'Normal' | 'Warning', reason: string, action: string, note: string, controller: string, host: string): EventObject | undefined {
    const st = this.moduleState('events.v1', newSeriesState);
    const ms = this.clock.now();
    const instance = `${controller}-${host}`;
    const ref = this.reference(regarding);
    const rel = related ? this.reference(related) : undefined;
    const namespace = regarding.metadata.namespace || 'default';
    const input: SeriesInput = { controller, instance, type, reason, action, uid: ref.uid ?? '', rv: ref.resourceVersion ?? '', fieldPath: '', related: rel?.uid ?? '' };
    // Named as the legacy recorder's Events are, on the same per-millisecond sequence.
    const corr = this.moduleState('events', newCorrelatorState);
    this.naming.st = corr;
    this.naming.name = regarding.metadata.name;
    this.naming.ms = ms;
    const seen = observe(st, input, namespace, ms, this.newEventName);
    if (st.tickAt === undefined) {
      st.tickAt = nextTick(ms);
      this.at(st.tickAt, TIMER_EVENT_SERIES, '');
    }
    if (seen.write === 'none') return undefined;
    if (seen.write === 'series') return this.writeSeries(seen.event);
    const ev: EventObject = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: seen.event.name, namespace, uid: undefined, resourceVersion: undefined, creationTimestamp: undefined },
      involvedObject: ref,
      reason,
      message: note,
      type,
      firstTimestamp: null,
      lastTimestamp: null,
      eventTime: microTime(ms),
      action,
      source: {},
      reportingComponent: controller,
      reportingInstance: instance,
    };
    // Set after the literal (a conditional spread in it defines keys through the runtime, per Event).
    if (rel) ev.related = rel;
    try {
      // As recordEvent's: the names are new by construction.
      if (corr.seq < 1_000_000) this.store.createFresh(ev);
      else this.store.create(ev);
    } catch (e) {
      if (e instanceof ApiError && e.reason === 'AlreadyExists') return undefined;
      throw e;
    }
    return ev;
  }

  /**
   * writeSeries writes a cached Event's series (recordEvent's patch): its count and last observation,
   * unless the stored Event already says so; an Event no longer stored is not made again here (its
   * series is written when it next occurs).
   */
  private writeSeries(e: Isomorphic): EventObject | undefined {
    const ev = this.store.get<EventObject>('Event', e.namespace, e.name);
    if (!ev) return undefined;
    const lastObservedTime = microTime(e.last);
    if (ev.series?.count === e.count && ev.series.lastObservedTime === lastObservedTime) return ev;
    ev.series = { count: e.count, lastObservedTime };
    this.store.update(ev);
    return ev;
  }

  /** reference is GetReference: the object's kind, namespace, name, uid, apiVersion and resourceVersion. */
  private reference(obj: KubeObject): EventObject['involvedObject'] {
    const m = obj.metadata;
    return { kind: obj.kind, namespace: m.namespace, name: m.name, uid: m.uid, apiVersion: obj.apiVersion, resourceVersion: m.resourceVersion };
  }

  /** seriesTick is the events.k8s.io/v1 cache's tick: finishSeries every 6 minutes, refreshExistingEventSeries every 30. */
  private readonly seriesTick = (): void => {
    const st = this.moduleState('events.v1', newSeriesState);
    st.tickAt = undefined;
    if (!tick(st, this.clock.now(), (e) => this.writeSeries(e))) return;
    st.tickAt = nextTick(this.clock.now());
    this.at(st.tickAt, TIMER_EVENT_SERIES, '');
  };

  /**
   * eventName is "<name>.<(EPOCH_MS + ms) * 1e6 + seq in hex>": the object's name and one flat suffix
   * (two strings, the name shared with the object, not a copy of it). The BigInt product is made once
   * per millisecond (a 10,000-pod rollout records ~130,000 events in a few hundred instants); the
   * sequence is added to its low 32 bits as a plain number, whose eight hex digits are written into
   * the suffix's char codes, falling back to BigInt on a carry. (A join of the parts, even from one
   * reused array, took four times as long.)
   */
  private eventName(name: string, ms: number, seq: number): string {
    if (this.nanosMs !== ms) {
      const base = BigInt(EPOCH_MS + ms) * 1_000_000n;
      this.nanosMs = ms;
      this.nanosBase = base;
      this.nanosHi = (base >> 32n).toString(16);
      this.nanosLo = Number(base & 0xffffffffn);
      this.suffixCodes = Array.from(`.${this.nanosHi}00000000`, (c) => c.charCodeAt(0));
    }
    const lo = this.nanosLo + seq;
    if (lo > 0xffffffff) return [name, '.', (this.nanosBase + BigInt(seq)).toString(16)].join('');
    const codes = this.suffixCodes;
    hexInto(codes, codes.length - 8, lo, 8);
    return name + String.fromCharCode.apply(null, codes);
  }

  /** suffixCodes: the char codes of ".<nanosHi><eight low digits>", the low ones rewritten per name. */
  private suffixCodes: number[] = [];

  /**
   * eventSource is the Event's source, one shared object per component and host: a 500-node
   * rollout's 130,000 Events have ~500 distinct sources. Events are read-only to everyone but
   * recordEvent, which only bumps count and lastTimestamp.
   */
  private eventSource(component: string, host: string | undefined): EventObject['source'] {
    // By component, then host: two lookups by strings whose hashes are already known, no key to build.
    let byHost = this.sources.get(component);
    if (!byHost) {
      if (this.sources.size >= 64) this.sources.clear();
      this.sources.set(component, (byHost = new Map()));
    }
    const h = host ?? '';
    let src = byHost.get(h);
    if (!src) {
      src = host ? { component, host } : { component };
      if (byHost.size >= 4096) byHost.clear();
      byHost.set(h, src);
    }
    return src;
  }

  private sources = new Map<string, Map<string, NonNullable<EventObject['source']>>>();

  /**
   * involvedObject is the Event's reference to obj, shared by the Events about one object and
   * container (read-only, as source): a pod's five events in a row make one, not five.
   */
  private involvedObject(obj: KubeObject, fieldPath: string | undefined): EventObject['involvedObject'] {
    const uid = obj.metadata.uid;
    let ref = uid ? this.involved.get(uid) : undefined;
    if (ref && ref.fieldPath === fieldPath && ref.name === obj.metadata.name && ref.kind === obj.kind && ref.apiVersion === obj.apiVersion) return ref;
    ref = { kind: obj.kind, namespace: obj.metadata.namespace, name: obj.metadata.name, uid, apiVersion: obj.apiVersion, ...(fieldPath ? { fieldPath } : {}) };
    if (uid) {
      if (this.involved.size >= 4096) this.involved.clear();
      this.involved.set(uid, ref);
    }
    return ref;
  }

  private involved = new Map<string, EventObject['involvedObject']>();

  private readonly eventIn: EventInput = { uid: '', type: '', reason: '', message: '', component: '', host: undefined, fieldPath: undefined };
  private readonly eventOut: Correlated = { log: { name: '', count: 0, first: '' }, message: '', skip: false, created: false };
  private readonly naming: { st: CorrelatorState | undefined; name: string; ms: number } = { st: undefined, name: '', ms: 0 };
  /**
   * newEventName names a new Event "<object>.<hex of the time in nanoseconds>" as the recorder makes
   * them; the simulated clock has millisecond steps, so a per-millisecond sequence fills the nanoseconds.
   */
  private readonly newEventName = (): string => {
    const { st, name, ms } = this.naming;
    st!.seq = st!.lastMs === ms ? st!.seq + 1 : 0;
    st!.lastMs = ms;
    return this.eventName(name, ms, st!.seq);
  };

  private nanosMs = -1;
  private nanosBase = 0n;
  private nanosHi = '';
  private nanosLo = 0;

  /**
   * eventsFor lists the Events about one object, oldest first (for describe and the inspector): as
   * kubectl's Search asks, by kind and name, and by uid when the object has one, so a pod made again
   * under an old name does not show its predecessor's events.
   */
  eventsFor(obj: KubeObject): EventObject[] {
    const uid = obj.metadata.uid;
    return this.store
      .list<EventObject>('Event', obj.metadata.namespace ?? 'default')
      .filter((e) => e.involvedObject.kind === obj.kind && e.involvedObject.name === obj.metadata.name && (!uid || e.involvedObject.uid === uid));
  }

  // ---- snapshots ----

  snapshot(): SimSnapshot {
    return {
      version: 1,
      clock: this.clock.now(),
      rng: this.rng.getState(),
      store: this.store.dump(),
      timers: this.timers.dump(),
      state: structuredClone(this.state),
      images: structuredClone(this.images),
    };
  }

  /** restore loads a snapshot into this sim (which must have been built with the same options). */
  restore(s: SimSnapshot): void {
    this.clock.nowMs = s.clock;
    this.rng.setState(s.rng);
    this.store.load(s.store);
    this.timers.load(s.timers);
    this.state = structuredClone(s.state);
    this.dictsMade.clear();
    // Image behaviour can change at run time (`kubeplay image set`), so it is part of the snapshot.
    for (const k of Object.keys(this.images)) delete this.images[k];
    Object.assign(this.images, structuredClone(s.images ?? {}));
    for (const q of this.queues.values()) q.clear();
    this.pending = 0;
  }
}

export interface SimSnapshot {
  version: 1;
  clock: number;
  rng: [number, number, number, number];
  store: { rv: number; objects: KubeObject[] };
  timers: ReturnType<TimerQueue['dump']>;
  state: Record<string, any>;
  images?: Record<string, ImageBehavior>;
}
