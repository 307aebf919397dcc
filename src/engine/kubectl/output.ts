import { Document, visit, type Scalar } from 'yaml';
import { kindInfo } from '../api/kinds.ts';
import type { KubeObject } from '../api/types.ts';
import { CmdError } from './services.ts';

/** ordered puts apiVersion, kind, metadata first, as Go's struct field order prints them. */
function ordered(obj: KubeObject): Record<string, unknown> {
  const { apiVersion, kind, metadata, ...rest } = obj;
  return { apiVersion, kind, metadata, ...rest };
}

/** asList wraps objects in the List kubectl prints for several results. */
export function asList(objs: KubeObject[]): Record<string, unknown> {
  return { apiVersion: 'v1', items: objs.map(ordered), kind: 'List', metadata: { resourceVersion: '' } };
}

/** sortKeys orders map keys as Go's encoding/json does for the unstructured maps kubectl prints. */
export function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(o).sort()) if (o[k] !== undefined) out[k] = sortKeys(o[k]);
    return out;
  }
  return v;
}

/**
 * toJson prints as kubectl -o json: keys sorted (kubectl prints unstructured maps), 4-space indent, and Go's json encoder escapes <, > and & as \u003c,
 * \u003e, \u0026 (so "<none>" never appears raw in JSON output).
 */
export function toJson(v: unknown): string {
  const s = JSON.stringify(sortKeys(v), null, 4);
  return s.replace(/[<>&]/g, (c) => '\\u00' + c.charCodeAt(0).toString(16)) + '\n';
}

// Strings go-yaml v2 (sigs.k8s.io/yaml) quotes because YAML 1.1 would read them as another type.
const YAML11_SPECIAL = /^(?:[-+]?(?:\d[\d_]*(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?|0x[0-9a-fA-F]+|0o?[0-7]+|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)|~|null|Null|NULL|true|True|TRUE|false|False|FALSE|y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF|\d{4}-\d\d?-\d\d?(?:[Tt ].*)?)$/;

/**
 * toYaml prints as kubectl -o yaml (sigs.k8s.io/yaml): keys sorted, sequences not indented under their
 * key, strings that YAML 1.1 would read as numbers, bools or timestamps double-quoted.
 */
export function toYaml(v: unknown): string {
  const doc = new Document(JSON.parse(JSON.stringify(v)), { sortMapEntries: true });
  visit(doc, {
    Scalar(key, node: Scalar) {
      if (typeof node.value !== 'string') return;
      if (node.value === '' || YAML11_SPECIAL.test(node.value)) node.type = 'QUOTE_DOUBLE';
      void key;
    },
  });
  // go-yaml v2 falls back to single quotes when a string cannot be plain ("a: b" → 'a: b').
  return doc.toString({ indentSeq: false, lineWidth: 0, minContentWidth: 0, singleQuote: true });
}

/** qualifiedName is what -o name and the "created/deleted" lines print: "deployment.apps/web", "pod/x". */
export function qualifiedKind(kind: string): string {
  const info = kindInfo(kind);
  if (!info) return kind.toLowerCase();
  return info.group ? `${info.singular}.${info.group}` : info.singular;
}

export function qualifiedName(obj: KubeObject): string {
  // An Event read through events.k8s.io/v1 is named by that group (the kind alone would say core/v1).
  if (obj.kind === 'Event' && obj.apiVersion === 'events.k8s.io/v1') return `event.events.k8s.io/${obj.metadata.name}`;
  return `${qualifiedKind(obj.kind)}/${obj.metadata.name}`;
}

export { ordered };

export type DryRun = 'none' | 'client' | 'server';

/** dryRunStrategy reads --dry-run as cmdutil.GetDryRunStrategy does. */
export function dryRunStrategy(v: string | undefined): DryRun {
  if (v === undefined || v === '' || v === 'none') return 'none';
  if (v === 'client' || v === 'server') return v;
  throw new CmdError(`error: Invalid dry-run value (${v}). Must be "none", "server", or "client".`);
}

/** dryRunSuffix is what PrintFlagsWithDryRunStrategy appends to the operation: " (dry run)", " (server dry run)". */
export function dryRunSuffix(d: string | undefined): string {
  return d === 'client' ? ' (dry run)' : d === 'server' ? ' (server dry run)' : '';
}
