/**
 * migrate turns any supported wire version of a share payload into the current SharePayload, checking
 * every field on the way (a link is untrusted input: nothing is assumed about its shape).
 *
 * Wire versions:
 * - v1 `{v: 1, scenario, actions: [{t, kind, text}], t}`: the first links (no presentation options).
 * - v2 `{v: 2, s, n?, a: [[t, "r" | "a", text], …], t, p?: {th?, pr?, pa?, pl?, ro?}}`: short keys and
 *   tuple actions (a 40-action session is ~600 bytes shorter before compression), plus presentation.
 * A new version adds a case to migrateToCurrent and keeps the old ones: old links must keep opening.
 */
import { SHARE_LIMITS, SHARE_VERSION, type Presentation, type ShareAction, type SharePayload } from './payload.ts';

export type Result<T> = { ok: true; value: T } | { ok: false; message: string };

const fail = (message: string): { ok: false; message: string } => ({ ok: false, message });

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** migrateToCurrent reads a parsed JSON value of any supported version. */
export function migrateToCurrent(raw: unknown): Result<SharePayload> {
  if (!isRecord(raw)) return fail('the link does not hold a share payload (expected a JSON object)');
  const v = raw.v;
  if (v === 1) return fromV1(raw);
  if (v === 2) return fromV2(raw);
  if (v === undefined) return fail('the link does not say which format it is in (no "v" field): it was not made by Kubeplay\'s Share button');
  const shown = typeof v === 'number' || typeof v === 'string' ? JSON.stringify(v).slice(0, 20) : typeof v;
  return fail(`the link's format version ${shown} is not supported: this Kubeplay reads versions 1 to ${SHARE_VERSION}`);
}

function fromV1(raw: Record<string, unknown>): Result<SharePayload> {
  const list = raw.actions;
  if (list !== undefined && !Array.isArray(list)) return fail('actions: must be a list');
  const tuples: unknown[] = [];
  for (const a of (list as unknown[] | undefined) ?? []) {
    if (!isRecord(a)) return fail('actions: each action must be an object {t, kind, text}');
    tuples.push([a.t, a.kind === 'run' ? 'r' : a.kind === 'apply' ? 'a' : a.kind, a.text]);
  }
  return fromV2({ v: 2, s: raw.scenario, n: raw.name, a: tuples, t: raw.t });
}

function fromV2(raw: Record<string, unknown>): Result<SharePayload> {
  const scenario = raw.s;
  if (typeof scenario !== 'string') return fail('the link has no scenario text');
  if (scenario.length > SHARE_LIMITS.scenarioChars) {
    return fail(`the scenario is ${scenario.length} characters; the limit is ${SHARE_LIMITS.scenarioChars} (2 MiB)`);
  }
  let name: string | undefined;
  if (raw.n !== undefined && raw.n !== null) {
    if (typeof raw.n !== 'string' || raw.n.length > SHARE_LIMITS.nameChars) return fail(`name: must be a string of at most ${SHARE_LIMITS.nameChars} characters`);
    name = raw.n;
  }
  const t = checkTime(raw.t ?? 0, 't');
  if (!t.ok) return t;

  const list = raw.a ?? [];
  if (!Array.isArray(list)) return fail('actions: must be a list');
  if (list.length > SHARE_LIMITS.actions) return fail(`the link has ${list.length} actions; the limit is ${SHARE_LIMITS.actions}`);
  const actions: ShareAction[] = [];
  for (let i = 0; i < list.length; i++) {
    const a = checkAction(list[i], i);
    if (!a.ok) return a;
    const prev = actions[i - 1];
    if (prev && a.value.t < prev.t) return fail(`actions[${i}]: t ${a.value.t} is before the previous action's ${prev.t}: actions must be in time order`);
    if (a.value.t > t.value) return fail(`actions[${i}]: t ${a.value.t} is after the link's time ${t.value}`);
    actions.push(a.value);
  }

  const p = checkPresentation(raw.p);
  if (!p.ok) return p;
  const payload: SharePayload = { v: SHARE_VERSION, scenario, actions, t: t.value, presentation: p.value };
  if (name !== undefined) payload.name = name;
  return { ok: true, value: payload };
}

function checkTime(v: unknown, field: string): Result<number> {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) return fail(`${field}: must be a whole number of milliseconds ≥ 0`);
  if (v > SHARE_LIMITS.timeMs) return fail(`${field}: ${v} ms is past the limit of ${SHARE_LIMITS.timeMs} ms (30 days) of simulated time`);
  return { ok: true, value: v };
}

function checkAction(v: unknown, i: number): Result<ShareAction> {
  if (!Array.isArray(v) || v.length !== 3) return fail(`actions[${i}]: must be [t, "r" | "a", text]`);
  const t = checkTime(v[0], `actions[${i}].t`);
  if (!t.ok) return t;
  const kind = v[1] === 'r' ? 'run' : v[1] === 'a' ? 'apply' : undefined;
  if (!kind) return fail(`actions[${i}].kind: must be run or apply`);
  const text = v[2];
  if (typeof text !== 'string') return fail(`actions[${i}].text: must be a string`);
  const max = kind === 'run' ? SHARE_LIMITS.runChars : SHARE_LIMITS.applyChars;
  if (text.length > max) return fail(`actions[${i}].text: is ${text.length} characters; the limit for ${kind} is ${max}`);
  if (kind === 'run' && /[\r\n]/.test(text)) return fail(`actions[${i}].text: a run action is one line`);
  return { ok: true, value: { t: t.value, kind, text } };
}

function checkPresentation(v: unknown): Result<Presentation> {
  if (v === undefined || v === null) return { ok: true, value: {} };
  if (!isRecord(v)) return fail('presentation: must be an object');
  const out: Presentation = {};
  if (v.th !== undefined) {
    if (v.th !== 'light' && v.th !== 'dark') return fail('presentation.theme: must be light or dark');
    out.theme = v.th;
  }
  for (const [k, name] of [['pr', 'presenter'], ['pl', 'playing'], ['ro', 'readOnly']] as const) {
    if (v[k] === undefined) continue;
    if (typeof v[k] !== 'boolean') return fail(`presentation.${name}: must be true or false`);
    out[name] = v[k];
  }
  if (v.pa !== undefined) {
    // A panel id is a short identifier; anything else (markup, script) is refused, never shown.
    if (typeof v.pa !== 'string' || !/^[a-z][a-z0-9-]{0,63}$/.test(v.pa)) return fail(`presentation.panel: must be a panel id (lowercase letters, digits and -, at most ${SHARE_LIMITS.panelChars})`);
    out.panel = v.pa;
  }
  if (v.gv !== undefined) {
    if (v.gv !== 'cluster' && v.gv !== 'traffic') return fail('presentation.view: must be cluster or traffic');
    out.view = v.gv;
  }
  return { ok: true, value: out };
}

/** toWire renders a payload in the current wire version (short keys; absent options omitted). */
export function toWire(p: SharePayload): Record<string, unknown> {
  const wire: Record<string, unknown> = { v: SHARE_VERSION, s: p.scenario };
  if (p.name !== undefined) wire.n = p.name;
  if (p.actions.length) wire.a = p.actions.map((a) => [a.t, a.kind === 'run' ? 'r' : 'a', a.text]);
  wire.t = p.t;
  const pr: Record<string, unknown> = {};
  const q = p.presentation;
  if (q.theme !== undefined) pr.th = q.theme;
  if (q.presenter !== undefined) pr.pr = q.presenter;
  if (q.panel !== undefined) pr.pa = q.panel;
  if (q.playing !== undefined) pr.pl = q.playing;
  if (q.readOnly !== undefined) pr.ro = q.readOnly;
  if (q.view !== undefined) pr.gv = q.view;
  if (Object.keys(pr).length) wire.p = pr;
  return wire;
}
