import { kindInfo } from '../../api/kinds.ts';
import type { KubeObject } from '../../api/types.ts';
import { F, flag, type Command, type Ctx } from '../context.ts';
import { jsonpath, JsonPathError } from '../jsonpath.ts';
import { qualifiedName } from '../output.ts';
import { CmdError } from '../services.ts';
import { resolveTargets } from '../targets.ts';

/** Condition is a parsed --for: delete, create, condition=NAME[=VALUE], or jsonpath=EXPR[=VALUE]. */
type Condition = { type: 'delete' } | { type: 'create' } | { type: 'condition'; name: string; value: string } | { type: 'jsonpath'; expr: string; value?: string };

/** parseFor reads --for as wait.go's conditionFuncFor does (condition names and values compare case-insensitively). */
export function parseFor(v: string | undefined): Condition {
  const s = v ?? '';
  if (s.toLowerCase() === 'delete') return { type: 'delete' };
  if (s.toLowerCase() === 'create') return { type: 'create' };
  if (s.toLowerCase().startsWith('condition=')) {
    const rest = s.slice('condition='.length);
    const i = rest.indexOf('=');
    return i < 0 ? { type: 'condition', name: rest, value: 'true' } : { type: 'condition', name: rest.slice(0, i), value: rest.slice(i + 1) };
  }
  if (s.toLowerCase().startsWith('jsonpath=')) {
    const rest = s.slice('jsonpath='.length);
    // The `=` that separates expression and value is the first one after the expression's closing brace.
    const close = rest.lastIndexOf('}');
    const eq = rest.indexOf('=', close < 0 ? 0 : close);
    let expr = eq < 0 ? rest : rest.slice(0, eq);
    if (!expr.startsWith('{')) expr = `{${expr.startsWith('.') ? expr : '.' + expr}}`;
    if (expr === '{.}' || expr === '{}') throw new CmdError(`error: jsonpath expression cannot be empty`);
    return eq < 0 ? { type: 'jsonpath', expr } : { type: 'jsonpath', expr, value: rest.slice(eq + 1) };
  }
  throw new CmdError(`error: unrecognized condition: ${JSON.stringify(s)}`);
}

/**
 * conditionMet is ConditionalWait.checkCondition: the named condition's status equals the wanted value,
 * unless the condition (or the status) reports an observedGeneration older than metadata.generation —
 * then the controller has not looked at the latest spec yet and the answer is "not yet".
 */
export function conditionMet(obj: KubeObject, name: string, value: string): boolean {
  const conds = obj.status?.conditions;
  if (!Array.isArray(conds)) return false;
  for (const c of conds) {
    if (typeof c?.type !== 'string' || c.type.toLowerCase() !== name.toLowerCase() || typeof c.status !== 'string') continue;
    const gen = obj.metadata.generation;
    const observed = c.observedGeneration ?? obj.status?.observedGeneration;
    if (gen !== undefined && observed !== undefined && observed < gen) return false;
    return c.status.toLowerCase() === value.toLowerCase();
  }
  return false;
}

function jsonpathMet(obj: KubeObject, expr: string, value: string | undefined): boolean {
  let got: string;
  try {
    got = jsonpath(expr, obj);
  } catch (e) {
    if (e instanceof JsonPathError) throw new CmdError(`error: ${e.message}`);
    throw e;
  }
  return value === undefined ? got !== '' : got === value;
}

/**
 * waitCommand is `kubectl wait --for=… RESOURCE`. kubectl never advances simulated time, so (like
 * `rollout status`) it reports the truth at this instant: `deployment.apps/web condition met` (exit 0),
 * else kubectl's timeout error (exit 1) — a scenario that wants to wait runs it at a later `at:`.
 */
function run(ctx: Ctx): { exit: number; out: string } {
  const cond = parseFor(flag(ctx, 'for'));
  const targets = resolveTargets(ctx, 'wait', true);
  let out = '';
  let visited = 0;
  for (const t of targets) {
    if ('error' in t) {
      if (cond.type === 'delete') continue; // wait --for=delete ignores NotFound: already gone
      return { exit: 1, out: out + t.error + '\n' };
    }
    visited++;
    const o = t.obj;
    let met: boolean;
    if (cond.type === 'delete') met = false;
    else if (cond.type === 'create') met = true;
    else if (cond.type === 'condition') met = conditionMet(o, cond.name, cond.value);
    else met = jsonpathMet(o, cond.expr, cond.value);
    if (!met) return { exit: 1, out: out + `error: timed out waiting for the condition on ${kindInfo(o.kind)!.plural}/${o.metadata.name}\n` };
    out += `${qualifiedName(o)} condition met\n`;
  }
  if (visited === 0 && cond.type !== 'delete') return { exit: 1, out: 'error: no matching resources found\n' };
  return { exit: 0, out };
}

export const waitCommand: Command = {
  name: 'wait',
  short: 'Experimental: Wait for a specific condition on one or many resources',
  flags: [{ name: 'for' }, F.timeout, F.filename, F.selector, F.all, F.allNamespaces, F.output, F.fieldSelector, F.recursive, { name: 'local', bool: true }],
  run,
};
