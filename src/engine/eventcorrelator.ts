/**
 * The event correlator of client-go's legacy recorder (tools/record/events_cache.go EventCorrelate),
 * which every kube-controller-manager controller, the kubelet and the Argo Rollouts controller run
 * before writing a core/v1 Event:
 *
 * 1. EventAggregator: events that differ only by message (same source, object, type and reason) are
 *    counted; from the 10th distinct message within 10 minutes (defaultAggregateMaxEvents,
 *    defaultAggregateIntervalInSeconds) they become one Event whose message is "(combined from
 *    similar events): <the latest message>" and whose count grows.
 * 2. eventLogger: an exact repeat (same key, message included) bumps the count of the Event it made.
 * 3. EventSourceObjectSpamFilter: a token bucket per source and object, 25 events of burst refilled at
 *    one every 5 minutes (defaultSpamBurst, defaultSpamQPS); an event past it is not written (its
 *    count is still kept, so the next one written carries every occurrence).
 *
 * The scheduler records through the events.k8s.io/v1 recorder instead (eventseries.ts).
 *
 * Every recorder has caches of its own: StartRecordingToSink makes a correlator per event broadcaster,
 * and each kubelet and each kube-controller-manager controller starts its own broadcaster. Upstream's
 * caches are LRUs of 4,096 keys (maxLruCacheEntries); here one LRU of 4,096 objects per recorder holds
 * all three (see SourceRecord and sourceRecord), so a kubelet's records of its own pods are not pushed
 * out by what other nodes' kubelets record. The state is plain Maps and objects (it lives in the Sim's
 * module state, so snapshots and rewinds carry it).
 */

import { appended } from './arrays.ts';

/** MAX_LRU is client-go's maxLruCacheEntries. */
export const MAX_LRU = 4096;
/** AGGREGATE_MAX_EVENTS / AGGREGATE_INTERVAL_MS: defaultAggregateMaxEvents, defaultAggregateIntervalInSeconds. */
export const AGGREGATE_MAX_EVENTS = 10;
export const AGGREGATE_INTERVAL_MS = 600_000;
/** SPAM_BURST / SPAM_REFILL_MS: defaultSpamBurst, and one token per 1/defaultSpamQPS seconds. */
export const SPAM_BURST = 25;
export const SPAM_REFILL_MS = 300_000;
/** AGGREGATE_PREFIX is EventAggregatorByReasonMessageFunc's prefix. */
export const AGGREGATE_PREFIX = '(combined from similar events): ';

/** EventLog is the eventLogger's record: the Event's name, how many times it occurred, since when. */
export interface EventLog {
  name: string;
  count: number;
  first: string;
}

/** LoggedEvent is one Event the logger made: its key's message and fieldPath, and its EventLog. */
interface LoggedEvent extends EventLog {
  fieldPath: string | undefined;
  /** message: the key's message; undefined for the aggregate of the type and reason */
  message: string | undefined;
}

/**
 * Entry is what one source has seen of one type and reason about one object: the aggregator's
 * distinct messages, and the logger's Events of that type and reason. The first Event is kept in
 * the entry itself, the others in `more`: most reasons (Scheduled, Pulled, Created, Started) come
 * once per object, and a 10,000-pod rollout records ~100,000 of them, so every object saved here
 * is one less to allocate, promote and collect.
 */
interface Entry extends LoggedEvent {
  type: string;
  reason: string;
  /** msgs: the distinct messages seen (at most AGGREGATE_MAX_EVENTS - 1 are kept); one string until a second */
  msgs: string | string[];
  /** aggLast: when the aggregator last saw this type and reason */
  aggLast: number;
  more: LoggedEvent[] | undefined;
}

/** MAX_LOGS_PER_SOURCE bounds one source-and-object record's types and reasons (the oldest is forgotten first). */
const MAX_LOGS_PER_SOURCE = 64;

/**
 * SourceRecord is everything one recorder's three caches hold about one object: the spam filter's
 * token bucket, and the aggregator's and logger's records by type and reason. Upstream keeps three
 * LRUs of 4,096 keys; here one LRU of 4,096 objects holds a record per object (a record's keys are
 * used together), with one lookup per event by the object's uid instead of three by long keys made
 * for each event.
 */
interface SourceRecord {
  tokens: number;
  last: number;
  entries: Entry[];
  /** used: the recorder's tick when the object was last moved to the LRU's recent end */
  used: number;
}

/** Recorder is one recorder's caches: the LRU of objects by uid (least recently used first, Map order). */
interface Recorder {
  objects: Map<string, SourceRecord>;
  /** tick counts the events this recorder correlated (the LRU's clock) */
  tick: number;
  /**
   * lastUid and lastRecord: the object of the recorder's last event and its record. An object's events
   * come in bursts (the kubelet's Pulled, Created and Started in one sync), and the last entry is never
   * the one evicted (an eviction comes with a new entry, which becomes the last), so a repeat needs no lookup.
   */
  lastUid: string | undefined;
  lastRecord: SourceRecord | undefined;
}

export interface CorrelatorState {
  /** recorders: by component, then host ('' for none) */
  recorders: Map<string, Map<string, Recorder>>;
  /** seq numbers the Events made in one millisecond (their names' nanoseconds) */
  seq: number;
  lastMs: number;
}

export function newCorrelatorState(): CorrelatorState {
  return { recorders: new Map(), seq: 0, lastMs: -1 };
}

/** recorder is the caches of the recorder of one component on one host, made on its first event. */
export function recorder(st: CorrelatorState, component: string, host: string | undefined): Recorder {
  let byHost = st.recorders.get(component);
  if (!byHost) st.recorders.set(component, (byHost = new Map()));
  const h = host ?? '';
  let r = byHost.get(h);
  if (!r) byHost.set(h, (r = { objects: new Map(), tick: 0, lastUid: undefined, lastRecord: undefined }));
  return r;
}

/**
 * Correlated is what to write: the Event's log (name, count, first time) and its message; skip when
 * the spam filter drops it; created when the log is new (no Event of that name can exist yet).
 */
export interface Correlated {
  log: EventLog;
  message: string;
  skip: boolean;
  created: boolean;
}

export interface EventInput {
  uid: string;
  type: string;
  reason: string;
  message: string;
  component: string;
  host?: string;
  fieldPath?: string;
}

/**
 * correlate runs one event through the correlator at nowMs (nowIso its time). newName makes the name
 * of an Event that is not a repeat (called only then, so the recorder's name sequence is as upstream's).
 * The answer is written into out when given (the recorder reuses one for its ~100,000 events).
 */
export function correlate(st: CorrelatorState, e: EventInput, nowMs: number, nowIso: string, newName: () => string, out?: Correlated): Correlated {
  const src = sourceRecord(st, e, nowMs);
  let entry: Entry | undefined;
  for (const x of src.entries) {
    if (x.reason === e.reason && x.type === e.type) {
      entry = x;
      break;
    }
  }
  let message = e.message;
  let fieldPath = e.fieldPath;
  let keyMessage: string | undefined = e.message;
  let log: LoggedEvent | undefined;
  if (!entry) {
    // A first event of this type and reason: a new entry holds its Event.
    entry = { type: e.type, reason: e.reason, msgs: e.message, aggLast: nowMs, more: undefined, fieldPath, message: keyMessage, name: newName(), count: 1, first: nowIso };
    // A new array at its length (appended): a record holds a handful of entries and lives until the
    // LRU drops it, long enough to be copied by the collector; grown by push it would hold room for 17.
    src.entries = src.entries.length < MAX_LOGS_PER_SOURCE ? appended(src.entries, entry) : appended(src.entries.slice(1), entry);
    return answer(out, entry, message, !allow(src, nowMs), true);
  }
  if (nowMs - entry.aggLast > AGGREGATE_INTERVAL_MS) entry.msgs = [];
  entry.aggLast = nowMs;
  let msgs = entry.msgs;
  if (typeof msgs === 'string') {
    if (msgs !== e.message) entry.msgs = msgs = [msgs, e.message];
  } else if (!msgs.includes(e.message)) msgs.push(e.message);
  if (typeof msgs !== 'string' && msgs.length >= AGGREGATE_MAX_EVENTS) {
    // Upstream pops an arbitrary key (Go map order) to stay under the limit; the oldest, here.
    msgs.shift();
    message = AGGREGATE_PREFIX + e.message;
    // The aggregate's key is its type and reason alone (upstream's aggregate key has no message or fieldPath).
    keyMessage = fieldPath = undefined;
  }
  if (entry.message === keyMessage && entry.fieldPath === fieldPath) log = entry;
  else for (const l of entry.more ?? []) if (l.message === keyMessage && l.fieldPath === fieldPath) log = l;
  const created = !log;
  if (log) log.count += 1;
  else (entry.more ??= []).push((log = { fieldPath, message: keyMessage, name: newName(), count: 1, first: nowIso }));
  return answer(out, log, message, !allow(src, nowMs), created);
}

function answer(out: Correlated | undefined, log: EventLog, message: string, skip: boolean, created: boolean): Correlated {
  if (!out) return { log, message, skip, created };
  out.log = log;
  out.message = message;
  out.skip = skip;
  out.created = created;
  return out;
}

/** allow is the spam filter's TryAccept on the token bucket of one source and object. */
function allow(rec: SourceRecord, nowMs: number): boolean {
  // A new bucket is full (rate.Limiter's first advance fills it).
  const tokens = Math.min(SPAM_BURST, rec.tokens + (nowMs - rec.last) / SPAM_REFILL_MS);
  const ok = tokens >= 1;
  // rate.Limiter keeps its state when it refuses: tokens go on accruing from the last accepted event.
  if (ok) {
    rec.tokens = tokens - 1;
    rec.last = nowMs;
  }
  return ok;
}

/** REFRESH_TICKS: an object seen again within this many of its recorder's events stays where it is in the LRU. */
const REFRESH_TICKS = MAX_LRU / 4;

/**
 * sourceRecord finds (or adds) the record of the event's recorder about its object. The object's LRU
 * entry becomes the most recently used, and the least recently used goes past MAX_LRU. Moving an
 * entry is a Map delete and insert; one moved within the last REFRESH_TICKS events is left in place
 * (it is still among the ~3,000 most recent, far from eviction), so the pod events that come in
 * bursts of five cost one move, not five.
 *
 * The oldest key comes from one long-lived iterator per map: a fresh keys().next() would walk over
 * every entry deleted since the Map last compacted (thousands, once each new key evicts one); an
 * iterator sees entries (re)inserted behind it, and every entry before it is gone, so its next key
 * is the oldest.
 */
function sourceRecord(st: CorrelatorState, e: EventInput, nowMs: number): SourceRecord {
  const r = recorder(st, e.component, e.host);
  const map = r.objects;
  const tick = ++r.tick;
  const known = r.lastRecord !== undefined && r.lastUid === e.uid ? r.lastRecord : map.get(e.uid);
  r.lastUid = e.uid;
  if (known) {
    r.lastRecord = known;
    if (tick - known.used >= REFRESH_TICKS) {
      map.delete(e.uid);
      known.used = tick;
      map.set(e.uid, known);
    }
    return known;
  }
  const rec: SourceRecord = { tokens: SPAM_BURST, last: nowMs, entries: NO_ENTRIES, used: tick };
  map.set(e.uid, rec);
  r.lastRecord = rec;
  if (map.size <= MAX_LRU) return rec;
  let it = oldest.get(map);
  if (!it) oldest.set(map, (it = map.keys()));
  let first = it.next();
  if (first.done) {
    oldest.set(map, (it = map.keys()));
    first = it.next();
  }
  map.delete(first.value as string);
  return rec;
}

/** NO_ENTRIES is a new record's entries: shared and never written (correlate replaces the array). */
const NO_ENTRIES: Entry[] = [];

const oldest = new WeakMap<Map<string, unknown>, Iterator<string>>();
