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
 * Upstream's caches are LRUs of 4,096 keys (maxLruCacheEntries); here one LRU of 4,096 records per source
 * and object holds all three (see SourceRecord). The state is plain Maps and objects (it lives in the
 * Sim's module state, so snapshots and rewinds carry it).
 */

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

/**
 * EVENTS_V1_COMPONENTS record through the events.k8s.io/v1 recorder (tools/events), which counts
 * repeats as a series but neither aggregates by reason nor drops by source and object.
 */
const EVENTS_V1_COMPONENTS = new Set(['default-scheduler']);

/** EventLog is the eventLogger's record: the Event's name, how many times it occurred, since when. */
export interface EventLog {
  name: string;
  count: number;
  first: string;
}

interface AggregateRecord {
  /** key: type and reason */
  key: string;
  /** messages: the distinct messages seen (at most AGGREGATE_MAX_EVENTS - 1 are kept) */
  messages: string[];
  last: number;
}

/** LoggedEvent is an EventLog under its key (source, object, fieldPath, type, reason and message). */
interface LoggedEvent extends EventLog {
  key: string;
}

/** MAX_LOGS_PER_SOURCE bounds one source-and-object record's Events (the oldest is forgotten first). */
const MAX_LOGS_PER_SOURCE = 64;

/**
 * SourceRecord is everything the three caches hold about one source (component and host) and one
 * object: the spam filter's token bucket, the aggregator's records by type and reason, the logger's
 * Events by key. Upstream keeps three LRUs of 4,096 keys; one LRU of 4,096 source-and-object records
 * holds the same (a record's keys are used together) with one lookup per event instead of three:
 * a 10,000-pod rollout records ~100,000 events.
 */
interface SourceRecord {
  tokens: number;
  last: number;
  // Short lists searched in order, not maps: an object hears of a few reasons, and an object's keys
  // (long, made per event) would otherwise be hashed and interned each time.
  aggs: AggregateRecord[];
  logs: LoggedEvent[];
}

export interface CorrelatorState {
  sources: Map<string, SourceRecord>;
  /** seq numbers the Events made in one millisecond (their names' nanoseconds) */
  seq: number;
  lastMs: number;
}

export function newCorrelatorState(): CorrelatorState {
  return { sources: new Map(), seq: 0, lastMs: -1 };
}

/** Correlated is what to write: the Event's log (name, count, first time) and its message; skip when the spam filter drops it. */
export interface Correlated {
  log: EventLog;
  message: string;
  skip: boolean;
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
 */
export function correlate(st: CorrelatorState, e: EventInput, nowMs: number, nowIso: string, newName: () => string): Correlated {
  const sourceKey = e.host ? [e.uid, e.component, e.host].join('|') : [e.uid, e.component].join('|');
  let src = st.sources.get(sourceKey);
  if (!src) src = { tokens: SPAM_BURST, last: nowMs, aggs: [], logs: [] };
  touch(st.sources, sourceKey, src);
  const legacy = !EVENTS_V1_COMPONENTS.has(e.component);
  let message = e.message;
  let key = `${e.fieldPath ?? ''}|${e.type}|${e.reason}|${e.message}`;
  if (legacy) {
    const aggKey = `${e.type}|${e.reason}`;
    let rec = src.aggs.find((a) => a.key === aggKey);
    if (!rec) src.aggs.push((rec = { key: aggKey, messages: [], last: nowMs }));
    else if (nowMs - rec.last > AGGREGATE_INTERVAL_MS) rec.messages = [];
    if (!rec.messages.includes(e.message)) rec.messages.push(e.message);
    rec.last = nowMs;
    if (rec.messages.length >= AGGREGATE_MAX_EVENTS) {
      // Upstream pops an arbitrary key (Go map order) to stay under the limit; the oldest, here.
      rec.messages.shift();
      message = AGGREGATE_PREFIX + e.message;
      key = `\u0000${aggKey}`; // the aggregate's key (no event key starts with NUL)
    }
  }
  let log = src.logs.find((l) => l.key === key);
  if (log) log.count += 1;
  else {
    src.logs.push((log = { key, name: newName(), count: 1, first: nowIso }));
    if (src.logs.length > MAX_LOGS_PER_SOURCE) src.logs.shift();
  }
  return { log, message, skip: legacy && !allow(src, nowMs) };
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

/**
 * touch makes key the most recently used entry and evicts the least recently used past MAX_LRU. The
 * oldest key comes from one long-lived iterator per map: a fresh keys().next() would walk over every
 * entry deleted since the Map last compacted (thousands, once each new key evicts one); an iterator
 * sees entries (re)inserted behind it, and every entry before it is gone, so its next key is the oldest.
 */
function touch<V>(map: Map<string, V>, key: string, value: V): void {
  if (map.has(key)) map.delete(key);
  map.set(key, value);
  if (map.size <= MAX_LRU) return;
  let it = oldest.get(map);
  if (!it) oldest.set(map, (it = map.keys()));
  let r = it.next();
  if (r.done) {
    oldest.set(map, (it = map.keys()));
    r = it.next();
  }
  map.delete(r.value as string);
}

const oldest = new WeakMap<Map<string, unknown>, Iterator<string>>();
