import { kindInfo } from '../../api/kinds.ts';
import { parseQuantity } from '../../api/quantity.ts';
import type { KubeObject } from '../../api/types.ts';
import { boolFlag, F, flag, flags, namespace, type Command, type Ctx } from '../context.ts';
import { goSprint, jsonpath, jsonpathResults, JsonPathError } from '../jsonpath.ts';
import { asList, dryRunSuffix, ordered, qualifiedKind, qualifiedName, toJson, toYaml } from '../output.ts';
import { printerFor } from '../printers/index.ts';
import { labelsString } from '../printers/types.ts';
import { COMPONENT_STATUS_WARNING } from '../../api/componentstatus.ts';
import { toEventsV1 } from '../../api/eventsconversion.ts';
import { fieldSelectorPredicate, findObject, isAllArg, listObjects, parseResourceArgs, selectorPredicate } from '../resources.ts';
import { resolveTargets } from '../targets.ts';
import { CmdError } from '../services.ts';
import { table } from '../tabwriter.ts';
import { pushAll } from '../../arrays.ts';

/** OutputFormat is -o: '' (table), wide, json, yaml, name, or jsonpath=TEMPLATE. */
export interface OutputFormat {
  kind: '' | 'wide' | 'json' | 'yaml' | 'name' | 'jsonpath' | 'custom-columns';
  template?: string;
  /** asJson: -o jsonpath-as-json (each expression's results as an indented JSON array) */
  asJson?: boolean;
  /** noHeaders: --no-headers (custom-columns prints no header row) */
  noHeaders?: boolean;
}

export function parseOutput(o: string | undefined, allowed = ['json', 'yaml', 'name', 'wide', 'jsonpath']): OutputFormat {
  if (!o) return { kind: '' };
  const m = /^(jsonpath|jsonpath-as-json)=(.*)$/s.exec(o);
  if (m) return { kind: 'jsonpath', template: m[2], asJson: m[1] === 'jsonpath-as-json' };
  const cc = /^custom-columns=(.*)$/s.exec(o);
  if (cc && allowed.includes('wide')) return { kind: 'custom-columns', template: cc[1] };
  if (allowed.includes(o) && o !== 'jsonpath') return { kind: o as OutputFormat['kind'] };
  // kubectl has Go templates; Kubeplay prints the same fields with jsonpath (one parser, the same {.field} paths).
  if (/^(go-template|go-template-file|template|templatefile)(=|$)/.test(o)) {
    throw new CmdError(`error: -o ${o.split('=')[0]} is not simulated in Kubeplay: use -o jsonpath=… (the same {.metadata.name} paths, with {range}) or -o custom-columns=…`);
  }
  throw new CmdError(
    `error: unable to match a printer suitable for the output format "${o}", allowed formats are: custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml`,
  );
}

/** printObjects renders objects in a non-table format; `single` prints one object rather than a List. */
export function printObjects(objs: KubeObject[], fmt: OutputFormat, single: boolean): string {
  switch (fmt.kind) {
    case 'json':
      return toJson(single ? ordered(objs[0]) : asList(objs));
    case 'yaml':
      return toYaml(single ? ordered(objs[0]) : asList(objs));
    case 'name':
      return objs.map((o) => qualifiedName(o) + '\n').join('');
    case 'custom-columns':
      return customColumns(objs, fmt.template ?? '', fmt.noHeaders);
    case 'jsonpath':
      try {
        return jsonpath(fmt.template ?? '', single ? objs[0] : asList(objs), fmt.asJson);
      } catch (e) {
        if (e instanceof JsonPathError) throw new CmdError(`error: error parsing jsonpath ${fmt.template}, ${e.message}`);
        throw e;
      }
    default:
      throw new Error(`printObjects: table format`);
  }
}

/** relaxed is kubectl's RelaxedJSONPathExpression: ".a.b" or "a.b" becomes "{.a.b}". */
function relaxed(expr: string): string {
  if (expr.startsWith('{')) return expr;
  return `{${expr.startsWith('.') ? expr : '.' + expr}}`;
}

/**
 * customColumns is -o custom-columns=HEADER:PATH,…: each value as fmt.Sprint prints it, several joined
 * with commas, a missing one <none> (customcolumn.go printOneObject); noHeaders leaves the header row out.
 */
export function customColumns(objs: KubeObject[], spec: string, noHeaders = false): string {
  if (spec === '') throw new CmdError('error: custom-columns format specified but no custom columns given');
  const cols = spec.split(',').map((c) => {
    const i = c.indexOf(':');
    if (i <= 0) throw new CmdError(`error: unexpected custom-columns spec: ${c}, expected <header>:<json-path-expr>`);
    return { header: c.slice(0, i), path: relaxed(c.slice(i + 1)) };
  });
  const rows = noHeaders ? [] : [cols.map((c) => c.header)];
  for (const o of objs) {
    rows.push(
      cols.map((c) => {
        try {
          const values = jsonpathResults(c.path, o);
          return values.length === 0 ? '<none>' : values.map(goSprint).join(',');
        } catch (e) {
          if (e instanceof JsonPathError) throw new CmdError(`error: ${e.message}`);
          throw e;
        }
      }),
    );
  }
  return table(rows);
}

/** sortBy is --sort-by: order by a JSONPath value, numbers numerically, missing values first (kubectl's RuntimeSort). */
export function sortBy(objs: KubeObject[], expr: string): KubeObject[] {
  const path = relaxed(expr);
  let keyed: { o: KubeObject; k: unknown }[];
  try {
    // The first value the path finds in each object (sorter.go's findJSONPathResults), unformatted.
    keyed = objs.map((o) => ({ o, k: jsonpathResults(path, o)[0] }));
  } catch (e) {
    if (e instanceof JsonPathError) throw new CmdError(`error: ${e.message}`);
    throw e;
  }
  if (objs.length > 0 && keyed.every((x) => x.k === undefined)) throw new CmdError(`error: couldn't find any field with path "${path}" in the list of objects`);
  // Stable, as kubectl's sort.SliceStable: an object without the field first.
  return keyed.sort((a, b) => (a.k === undefined ? (b.k === undefined ? 0 : -1) : b.k === undefined ? 1 : compareSortValues(a.k, b.k))).map((x) => x.o);
}

/**
 * compareSortValues is sorter.go's isLess as a comparator: numbers by value, strings that are both
 * quantities by quantity ("64Mi" before "128Mi"), other strings in natural order ("web-9" before
 * "web-10"), anything else by its text.
 */
function compareSortValues(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  const sa = typeof a === 'string' ? a : goSprint(a);
  const sb = typeof b === 'string' ? b : goSprint(b);
  const qa = typeof a === 'string' ? parseQuantity(a) : undefined;
  const qb = typeof b === 'string' ? parseQuantity(b) : undefined;
  if (qa !== undefined && qb !== undefined && qa !== qb) return qa - qb;
  return naturalCompare(sa, sb);
}

/** naturalCompare is sortorder.NaturalLess as a comparator: runs of digits compare by their value. */
export function naturalCompare(a: string, b: string): number {
  const digit = (c: string) => c >= '0' && c <= '9';
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (digit(a[i]) && digit(b[j])) {
      let si = i;
      let sj = j;
      while (si < a.length && a[si] === '0') si++;
      while (sj < b.length && b[sj] === '0') sj++;
      let ei = si;
      let ej = sj;
      while (ei < a.length && digit(a[ei])) ei++;
      while (ej < b.length && digit(b[ej])) ej++;
      if (ei - si !== ej - sj) return ei - si - (ej - sj);
      const na = a.slice(si, ei);
      const nb = b.slice(sj, ej);
      if (na !== nb) return na < nb ? -1 : 1;
      // The same number: fewer leading zeros first.
      if (si - i !== sj - j) return si - i - (sj - j);
      i = ei;
      j = ej;
    } else {
      if (a[i] !== b[j]) return a[i] < b[j] ? -1 : 1;
      i++;
      j++;
    }
  }
  return a.length - i - (b.length - j);
}

interface TableOptions {
  wide: boolean;
  withKind: boolean;
  withNamespace: boolean;
  showLabels: boolean;
  labelColumns: string[];
  noHeaders: boolean;
}

/** printTable renders one kind's rows as kubectl's human-readable printer does. */
export function printTable(ctx: Ctx, objs: KubeObject[], o: TableOptions): string {
  const p = printerFor(objs[0].kind);
  const info = kindInfo(objs[0].kind);
  const withNs = o.withNamespace && (info?.namespaced ?? true);
  const wideTable = o.wide ? p.wideTable : undefined;
  const header = [...(wideTable ?? p).columns];
  if (o.wide && p.wide) header.push(...p.wide);
  for (const l of o.labelColumns) header.push(l.split('/').pop()!.toUpperCase());
  if (o.showLabels) header.push('LABELS');
  if (withNs) header.unshift('NAMESPACE');
  const rows: string[][] = o.noHeaders ? [] : [header];
  const pc = { now: ctx.sim.now(), sim: ctx.sim };
  for (const obj of objs) {
    const row = (wideTable ?? p).row(obj, pc);
    if (o.withKind && p.columns[0] === 'NAME') row[0] = `${qualifiedKind(obj.kind)}/${row[0]}`;
    if (o.wide && p.wideRow) row.push(...p.wideRow(obj, pc));
    for (const l of o.labelColumns) row.push(obj.metadata.labels?.[l] ?? '');
    if (o.showLabels) row.push(labelsString(obj.metadata.labels));
    if (withNs) row.unshift(obj.metadata.namespace ?? '');
    rows.push(row);
  }
  return table(rows);
}

/** printTables prints a table per run of objects of one kind, with the --show-labels, -L and --no-headers columns. */
function printTables(ctx: Ctx, objs: KubeObject[], o: Pick<TableOptions, 'wide' | 'withKind' | 'withNamespace'>): string {
  const groups: KubeObject[][] = [];
  for (const obj of objs) {
    const g = groups[groups.length - 1];
    if (g && g[0].kind === obj.kind) g.push(obj);
    else groups.push([obj]);
  }
  const rest = { showLabels: boolFlag(ctx, 'show-labels'), labelColumns: flags(ctx, 'label-columns').flatMap((l) => l.split(',')), noHeaders: boolFlag(ctx, 'no-headers') };
  return groups.map((g) => printTable(ctx, g, { ...o, ...rest })).join('\n');
}

function run(ctx: Ctx): { exit: number; out: string } {
  if (flag(ctx, 'raw') !== undefined) throw new CmdError('error: kubectl get --raw is not simulated in Kubeplay: the cluster has no HTTP API to request; get the objects by type and name');
  if (ctx.flags.has('filename')) return getFromFiles(ctx);
  if (ctx.args.length === 0) {
    throw new CmdError(
      `You must specify the type of resource to get. Use "kubectl api-resources" for a complete list of supported resources.\n\nerror: Required resource not specified.\nUse "kubectl explain <resource>" for a detailed description of that resource (e.g. kubectl explain pods).\nSee 'kubectl get -h' for help and examples`,
    );
  }
  if (boolFlag(ctx, 'watch-only')) throw new CmdError('error: kubectl get --watch-only is not simulated in Kubeplay: use -w, which lists the objects and then their changes');
  // --template without -o means -o go-template (PrintFlags.ToPrinter), which is not simulated.
  const template = flag(ctx, 'template');
  const fmt = { ...parseOutput(template !== undefined && !flag(ctx, 'output') ? 'go-template' : flag(ctx, 'output')), noHeaders: boolFlag(ctx, 'no-headers') };
  const allNs = boolFlag(ctx, 'all-namespaces');
  // --ignore-not-found: a named object that does not exist is passed over (exit 0).
  const ignoreNotFound = boolFlag(ctx, 'ignore-not-found');
  const ns = namespace(ctx);
  const refs = parseResourceArgs(ctx.args, 'get');
  if (boolFlag(ctx, 'watch') && refs.length > 1) throw new CmdError('error: you may only specify a single resource type');
  const objs: KubeObject[] = [];
  const errors: string[] = [];
  let named = false;
  const table = fmt.kind === '' || fmt.kind === 'wide';
  // A resource read through another group's version: events.k8s.io/v1 converts the core/v1 Events
  // (the table is the same either way: the server prints both with one Event printer).
  const asServed = (ref: (typeof refs)[number], o: KubeObject) => (ref.info.group === 'events.k8s.io' && !table ? toEventsV1(o) : o);
  for (const ref of refs) {
    if (ref.names.length) {
      named = true;
      for (const n of ref.names) {
        const obj = findObject(ctx.sim, ref.info, ns, n);
        if (typeof obj !== 'string') objs.push(asServed(ref, obj));
        else if (!ignoreNotFound || !obj.startsWith('Error from server (NotFound)')) errors.push(obj);
      }
    } else {
      // The API server reads the label selector before it checks the field selector's fields.
      const sel = selectorPredicate(flag(ctx, 'selector'), ref.info, flag(ctx, 'field-selector'));
      const fieldSel = fieldSelectorPredicate(flag(ctx, 'field-selector'), ref.info, flag(ctx, 'selector'));
      let list: KubeObject[];
      try {
        list = listObjects(ctx.sim, ref.info, allNs ? undefined : ns).filter((o) => sel(o) && fieldSel(o));
      } catch (e) {
        // A resource that serves no list (bindings, the reviews): its 405 is reported after what the others printed.
        if (!(e instanceof CmdError)) throw e;
        errors.push(e.message);
        continue;
      }
      if (flag(ctx, 'sort-by')) list = sortBy(list, flag(ctx, 'sort-by')!);
      pushAll(objs, list.map((o) => asServed(ref, o)));
    }
  }
  // The server warns of a deprecated resource in every response; kubectl prints the warning (once: its
  // warning writer deduplicates) on stderr before the output.
  const warnings = refs.some((r) => r.info.kind === 'ComponentStatus') ? `Warning: ${COMPONENT_STATUS_WARNING}\n` : '';
  const multiTypes = isAllArg(ctx.args) || ctx.args[0].includes(',') || new Set(refs.map((r) => r.info.kind)).size > 1;
  let out = '';
  if (table) {
    const withKind = multiTypes || boolFlag(ctx, 'show-kind') || new Set(objs.map((o) => o.kind)).size > 1;
    out = printTables(ctx, objs, { wide: fmt.kind === 'wide', withKind, withNamespace: allNs });
  } else if (objs.length || ((fmt.kind === 'json' || fmt.kind === 'yaml') && !named)) {
    out = printObjects(objs, fmt, named && refs.length === 1 && refs[0].names.length === 1 && objs.length === 1);
  }
  if (objs.length === 0 && errors.length === 0 && fmt.kind !== 'json' && fmt.kind !== 'yaml' && !ignoreNotFound) {
    const clusterScoped = refs.every((r) => !r.info.namespaced);
    out = allNs || clusterScoped ? 'No resources found\n' : `No resources found in ${ns} namespace.\n`;
  }
  for (const e of errors) out += e + '\n';
  return { exit: errors.length ? 1 : 0, out: warnings + out };
}

/**
 * getFromFiles is `kubectl get -f FILE`: the live object each manifest names, as a table per kind (or in
 * the -o format), and kubectl's NotFound for one that does not exist.
 */
function getFromFiles(ctx: Ctx): { exit: number; out: string } {
  const fmt = { ...parseOutput(flag(ctx, 'output')), noHeaders: boolFlag(ctx, 'no-headers') };
  const targets = resolveTargets(ctx, 'get', true);
  const objs = targets.flatMap((t) => ('obj' in t ? [t.obj] : []));
  const errors = boolFlag(ctx, 'ignore-not-found') ? [] : targets.flatMap((t) => ('error' in t ? [t.error] : []));
  let out = '';
  if (fmt.kind === '' || fmt.kind === 'wide') {
    const withKind = boolFlag(ctx, 'show-kind') || new Set(objs.map((o) => o.kind)).size > 1;
    out = printTables(ctx, objs, { wide: fmt.kind === 'wide', withKind, withNamespace: false });
  } else if (objs.length) out = printObjects(objs, fmt, targets.length === 1);
  for (const e of errors) out += e + '\n';
  return { exit: errors.length ? 1 : 0, out };
}

export const getCommand: Command = {
  name: 'get',
  short: 'Display one or many resources',
  flags: [
    F.allNamespaces,
    F.output,
    F.selector,
    F.showLabels,
    F.watch,
    F.labelColumns,
    F.noHeaders,
    F.sortBy,
    F.fieldSelector,
    F.filename,
    { name: 'ignore-not-found', bool: true },
    { name: 'show-kind', bool: true },
    // --template is the Go template for -o go-template (refused there, with what to use instead).
    { name: 'template' },
    // --chunk-size pages the server's list: the output is the same, whatever the size.
    { name: 'chunk-size', int: true },
    { name: 'raw' },
    { name: 'watch-only', bool: true },
  ],
  run,
};

/**
 * operationResult is what a command that changed an object prints, as kubectl's PrintFlags do: with -o, the
 * object in that format (`-o name`: `deployment.apps/web`); else `deployment.apps/web scaled`, with the
 * --dry-run suffix.
 */
export function operationResult(ctx: Ctx, obj: KubeObject, operation: string): string {
  const fmt = parseOutput(flag(ctx, 'output'), ['json', 'yaml', 'name', 'jsonpath']);
  if (fmt.kind) return printObjects([obj], fmt, true);
  return `${qualifiedName(obj)} ${operation}${dryRunSuffix(flag(ctx, 'dry-run'))}\n`;
}
