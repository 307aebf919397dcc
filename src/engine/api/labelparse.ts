/**
 * labels.Parse, kubectl's -l syntax as the API server reads it, and metav1.ParseToLabelSelector (kubectl
 * create pdb --selector). Apart from selector.ts, whose matching the page's first download needs, so the
 * parser and the name checks it uses come only with kubectl.
 */
import { isQualifiedName, isValidLabelValue } from './names.ts';
import { matchRequirement, type LabelPredicate } from './selector.ts';
import type { LabelSelector, LabelSelectorRequirement } from './types.ts';

/** Tokens of the label selector lexer (labels/selector.go). */
type Tok = 'end' | ')' | ',' | '!' | '==' | '=' | '>' | 'in' | '<' | '!=' | 'notin' | '(' | 'id';

const LITERAL_TOKENS = new Set<string>([')', ',', '!', '==', '=', '>', 'in', '<', '!=', 'notin', '(']);
const SPECIAL = new Set(['=', '!', '(', ')', ',', '>', '<']);
const SPACE = new Set([' ', '\t', '\r', '\n']);

/** lex splits a selector as upstream's Lexer does: identifiers run to a space or an operator character. */
function lex(s: string): { tok: Tok; lit: string }[] {
  const out: { tok: Tok; lit: string }[] = [];
  let i = 0;
  for (;;) {
    while (i < s.length && SPACE.has(s[i])) i++;
    if (i >= s.length) {
      out.push({ tok: 'end', lit: '' });
      return out;
    }
    if (SPECIAL.has(s[i])) {
      // The longest run of operator characters that is a token ("!=", "=="), one at least.
      let lit = s[i++];
      if (i < s.length && LITERAL_TOKENS.has(lit + s[i])) lit += s[i++];
      out.push({ tok: lit as Tok, lit });
      continue;
    }
    const from = i;
    while (i < s.length && !SPECIAL.has(s[i]) && !SPACE.has(s[i])) i++;
    const lit = s.slice(from, i);
    out.push({ tok: LITERAL_TOKENS.has(lit) ? (lit as Tok) : 'id', lit });
  }
}

/** OPERATORS maps a binary operator token to the requirement it makes (selection.Operator). */
const OPERATORS: Partial<Record<Tok, string>> = { in: 'in', notin: 'notin', '=': '=', '==': '==', '!=': '!=', '>': 'gt', '<': 'lt' };
const BINARY_OPERATORS = 'in, notin, =, ==, !=, gt, lt';

/** ParsedRequirement is a labels.Requirement: a key, selection.Operator's string and its values. */
interface ParsedRequirement {
  key: string;
  op: string;
  values: string[];
}

/**
 * parseLabelSelector is labels.Parse: kubectl's -l syntax ("app=web,tier!=db,env in (a,b),!x,y,v>3")
 * read as the API server reads it, into requirements sorted by key, or the server's error text
 * ("unable to parse requirement: found '', expected: ',' or ')'"). Keys must be qualified names and
 * values label values; `x in ()` is the empty value, as upstream.
 */
export function parseLabelSelector(s: string): { reqs: SelectorRequirement[] } | { error: string } {
  const items = lex(s);
  let pos = 0;
  // In a value position, "in" and "notin" are identifiers (`x in (in)`).
  const look = (): { tok: Tok; lit: string } => (items[pos].tok === 'in' || items[pos].tok === 'notin' ? { tok: 'id', lit: items[pos].lit } : items[pos]);
  const take = (): { tok: Tok; lit: string } => {
    const it = look();
    pos++;
    return it;
  };
  const requirement = (): ParsedRequirement | string => {
    let { tok, lit } = take();
    let op: string | undefined;
    if (tok === '!') {
      op = '!';
      ({ tok, lit } = take());
    }
    if (tok !== 'id') return `found '${lit}', expected: identifier`;
    const keyErrs = isQualifiedName(lit);
    if (keyErrs.length) return fieldInvalid('', lit, keyErrs.join('; '));
    const key = lit;
    const next = look().tok;
    if (op === '!' || next === 'end' || next === ',') return newRequirement(key, op ?? 'exists', []);
    const o = items[pos++];
    op = OPERATORS[o.tok];
    if (!op) return `found '${o.lit}', expected: ${BINARY_OPERATORS}`;
    const values = op === 'in' || op === 'notin' ? setValues() : exactValue();
    return typeof values === 'string' ? values : newRequirement(key, op, values);
  };
  const setValues = (): string[] | string => {
    const open = take();
    if (open.tok !== '(') return `found '${open.lit}' expected: '('`;
    const first = look();
    if (first.tok === ')') {
      pos++;
      return [''];
    }
    if (first.tok !== 'id' && first.tok !== ',') return `found '${first.lit}', expected: ',', ')' or identifier`;
    const set = new Set<string>();
    for (;;) {
      const { tok, lit } = take();
      if (tok === 'id') {
        set.add(lit);
        const n = look();
        if (n.tok === ',') continue;
        if (n.tok === ')') break;
        return `found '${n.lit}', expected: ',' or ')'`;
      }
      if (tok !== ',') return `found '${lit}', expected: ',', or identifier`;
      // "(," ",)" and ",," stand for the empty value.
      if (set.size === 0) set.add('');
      const n = look().tok;
      if (n === ')') {
        set.add('');
        break;
      }
      if (n === ',') {
        pos++;
        set.add('');
      }
    }
    // The closing parenthesis (upstream names the list's first token when it is missing; it cannot be).
    if (take().tok !== ')') return `found '${first.lit}', expected: ')'`;
    return [...set].sort(compareCodeUnits);
  };
  const exactValue = (): string[] | string => {
    const n = look().tok;
    if (n === 'end' || n === ',') return [''];
    const { tok, lit } = take();
    return tok === 'id' ? [lit] : `found '${lit}', expected: identifier`;
  };
  const reqs: ParsedRequirement[] = [];
  for (;;) {
    const { tok, lit } = look();
    if (tok === 'end') break;
    if (tok !== 'id' && tok !== '!') return { error: `found '${lit}', expected: !, identifier, or 'end of string'` };
    const r = requirement();
    if (typeof r === 'string') return { error: `unable to parse requirement: ${r}` };
    reqs.push(r);
    const after = take();
    if (after.tok === 'end') break;
    if (after.tok !== ',') return { error: `found '${after.lit}', expected: ',' or 'end of string'` };
    const n = look();
    if (n.tok !== 'id' && n.tok !== '!') return { error: `found '${n.lit}', expected: identifier after ','` };
  }
  // sort.Sort(ByKey(items)): stable here, as Go's insertion sort is for the few requirements a selector has.
  reqs.sort((a, b) => compareCodeUnits(a.key, b.key));
  return { reqs: reqs.map(toRequirement) };
}

/** newRequirement is labels.NewRequirement's checks of the values (the key was checked by the parser). */
function newRequirement(key: string, op: string, values: string[]): ParsedRequirement | string {
  const errs: string[] = [];
  if (op === 'gt' || op === 'lt') {
    values.forEach((v, i) => {
      if (!isInt64(v)) errs.push(fieldInvalid(`values[${i}]`, v, "for 'Gt', 'Lt' operators, the value must be an integer"));
    });
  }
  values.forEach((v, i) => {
    const msgs = isValidLabelValue(v);
    if (msgs.length) errs.push(fieldInvalid(`values[${i}][${key}]`, v, msgs.join('; ')));
  });
  // field.ErrorList.ToAggregate: one error as itself, several in brackets.
  if (errs.length === 1) return errs[0];
  if (errs.length > 1) return `[${[...new Set(errs)].join(', ')}]`;
  return { key, op, values };
}

/** isInt64: strconv.ParseInt(v, 10, 64) succeeds. */
function isInt64(v: string): boolean {
  if (!/^[+-]?\d+$/.test(v)) return false;
  const n = BigInt(v);
  return n >= -(2n ** 63n) && n < 2n ** 63n;
}

function fieldInvalid(path: string, value: string, detail: string): string {
  return `${path}: Invalid value: ${JSON.stringify(value)}: ${detail}`;
}

function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const REQUIREMENT_OPERATORS: Record<string, string> = { in: 'In', '=': 'In', '==': 'In', notin: 'NotIn', '!=': 'NotIn', exists: 'Exists', '!': 'DoesNotExist', gt: 'Gt', lt: 'Lt' };

/** SelectorRequirement is a parsed requirement; exact marks `=` and `==` (ParseToLabelSelector's matchLabels). */
export interface SelectorRequirement extends LabelSelectorRequirement {
  exact?: boolean;
}

function toRequirement(r: ParsedRequirement): SelectorRequirement {
  const operator = REQUIREMENT_OPERATORS[r.op];
  if (operator === 'Exists' || operator === 'DoesNotExist') return { key: r.key, operator };
  return { key: r.key, operator, values: r.values, ...(r.op === '=' || r.op === '==' ? { exact: true } : {}) };
}

/**
 * parseSelectorString is metav1.ParseToLabelSelector: a -l string as a LabelSelector, equality in
 * matchLabels and the rest in matchExpressions (Gt and Lt have no place there), or the error text.
 */
export function parseSelectorString(s: string): LabelSelector | { error: string } {
  const parsed = parseLabelSelector(s);
  if ('error' in parsed) return { error: `couldn't parse the selector string "${s}": ${parsed.error}` };
  const sel: Required<LabelSelector> = { matchLabels: {}, matchExpressions: [] };
  for (const r of parsed.reqs) {
    if (r.exact) sel.matchLabels[r.key] = r.values![0];
    else if (r.operator === 'Gt' || r.operator === 'Lt') return { error: `"${r.operator === 'Gt' ? 'gt' : 'lt'}" isn't a valid label selector operator` };
    else sel.matchExpressions.push({ key: r.key, operator: r.operator, ...(r.values ? { values: r.values } : {}) });
  }
  return sel;
}

/** compileRequirements is a predicate for parsed -l requirements (all must match). */
export function compileRequirements(reqs: readonly LabelSelectorRequirement[]): LabelPredicate {
  return (labels) => {
    const l = labels ?? {};
    for (const r of reqs) if (!matchRequirement(r, l)) return false;
    return true;
  };
}
