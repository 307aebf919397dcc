import { parseYamlDocuments } from '../scenario/yamlparse.ts';
import { resolveApiVersion } from '../api/kinds.ts';
import type { KubeObject } from '../api/types.ts';
import type { Ctx } from './context.ts';
import { flags } from './context.ts';
import { CmdError } from './services.ts';
import { ALIAS_MESSAGE, LIMITS, documentCount, documentsMessage, nestingProblem } from '../scenario/limits.ts';
import { firstAliasOffset } from '../scenario/yamldocs.ts';

/** Manifest is one object read from -f, with where it came from (for kubectl's error messages). */
export interface Manifest {
  obj: KubeObject;
  source: string;
}

/**
 * readManifests reads every -f (a name in opts.files, or "-" for opts.stdin) as multi-document YAML or
 * JSON; `kind: List` documents are expanded into their items.
 */
export function readManifests(ctx: Ctx): Manifest[] {
  const names = flags(ctx, 'filename');
  if (names.length === 0) throw new CmdError(`error: must specify one of -f and -k`);
  const out: Manifest[] = [];
  for (const name of names) {
    let text: string | undefined;
    let source = name;
    if (name === '-') {
      text = ctx.opts.stdin;
      source = 'STDIN';
      if (text === undefined) throw new CmdError(`error: no objects passed to ${ctx.path.split(' ')[0]}`);
    } else text = ctx.opts.files?.[name];
    // A URL is fetched with http.Get (readHttpWithRetries); Kubeplay reaches no network, so its lookup fails.
    const url = text === undefined ? /^https?:\/\/([^/:?#]+)/i.exec(name) : null;
    if (url) throw new CmdError(`error: Get "${name}": dial tcp: lookup ${url[1]}: no such host`);
    if (text === undefined) throw new CmdError(`error: the path "${name}" does not exist`);
    // Strangers' YAML: nesting and aliases that would exhaust the parser are refused with the limit.
    const lineOf = (at: number) => text!.slice(0, at).split('\n').length;
    const deep = nestingProblem(text);
    if (deep) throw new CmdError(`error: error parsing ${source}: line ${lineOf(deep.at)}: ${deep.message}`);
    const count = documentCount(text);
    if (count > LIMITS.documents) throw new CmdError(`error: error parsing ${source}: ${documentsMessage('manifest', count)}`);
    const docs = parseYamlDocuments(text);
    for (const doc of docs) {
      if (doc.errors.length) {
        const e = doc.errors[0];
        const line = e.linePos?.[0]?.line;
        const what = goYamlWords(e.code, e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, ''));
        throw new CmdError(`error: error parsing ${source}: error converting YAML to JSON: yaml: ${line ? `line ${line}: ` : ''}${what}`);
      }
      let v;
      try {
        v = doc.toJS({ maxAliasCount: LIMITS.aliases });
      } catch (e) {
        // go-yaml's words for an alias whose anchor comes later (or nowhere).
        const unresolved = e instanceof ReferenceError && /^Unresolved alias[^:]*: (.*)$/.exec(e.message);
        if (unresolved) throw new CmdError(`error: error parsing ${source}: error converting YAML to JSON: yaml: unknown anchor '${unresolved[1]}' referenced`);
        if (e instanceof ReferenceError && /alias/i.test(e.message)) throw new CmdError(`error: error parsing ${source}: line ${lineOf(firstAliasOffset(doc) ?? doc.range[0])}: ${ALIAS_MESSAGE}`);
        throw e;
      }
      if (v === null || v === undefined) continue;
      if (typeof v !== 'object' || Array.isArray(v)) throw new CmdError(`error: error validating "${source}": error validating data: invalid object to validate`);
      if (v.kind === 'List' && Array.isArray(v.items)) for (const item of v.items) out.push({ obj: item, source });
      else out.push({ obj: v as KubeObject, source });
    }
  }
  if (out.length === 0) throw new CmdError(`error: no objects passed to ${ctx.path.split(' ')[0]}`);
  return out;
}

/**
 * goYamlWords says a YAML mistake as kubectl does: sigs.k8s.io/yaml reads manifests with go-yaml, whose
 * scanner and parser (libyaml's) word the usual mistakes differently from the yaml library this reads them
 * with. The line stays the mistake's own (go-yaml's parser errors name the line above, its scanner's
 * "could not find expected ':'" the line after). A message with no go-yaml twin is the library's.
 */
export function goYamlWords(code: string, message: string): string {
  switch (code) {
    case 'TAB_AS_INDENT':
      return 'found character that cannot start any token'; // the classic: a tab in the indentation
    case 'BLOCK_AS_IMPLICIT_KEY':
      return 'mapping values are not allowed in this context'; // `image: nginx: 1.27`, or a key indented too far
    case 'MULTILINE_IMPLICIT_KEY':
      return "could not find expected ':'"; // `image nginx`
    case 'MISSING_CHAR':
      if (message.startsWith('Implicit map keys need to be followed by map values')) return "could not find expected ':'";
      if (message.startsWith('Missing closing')) return 'found unexpected end of stream'; // an unclosed quote
      if (message.startsWith('Sequence item without - indicator')) return "did not find expected '-' indicator";
      return message;
    case 'BAD_INDENT':
      if (message.startsWith('All mapping items must start at the same column')) return 'did not find expected key'; // a key out of line
      if (message.startsWith('All sequence items must start at the same column')) return "did not find expected '-' indicator";
      if (message.startsWith('Flow map')) return "did not find expected ',' or '}'"; // `{name: web` never closed
      if (message.startsWith('Flow sequence')) return "did not find expected ',' or ']'";
      return message;
    default:
      return message;
  }
}

/**
 * checkManifest validates what kubectl checks client-side: apiVersion and kind set, a known mapping
 * (else "resource mapping not found …"), and a name; it fills the namespace from -n for namespaced kinds.
 */
export function checkManifest(m: Manifest, ns: string, nsFlag: string | undefined): void {
  const o = m.obj;
  if (!o || typeof o !== 'object' || Array.isArray(o)) throw new CmdError(`error: unable to decode "${m.source}": Object 'Kind' is missing in '${JSON.stringify(o ?? null)}'`);
  // The type meta decodes into strings first (runtime.TypeMeta): anything else cannot be unmarshalled.
  for (const f of ['apiVersion', 'kind'] as const) {
    const v: unknown = o[f];
    if (v !== undefined && v !== null && typeof v !== 'string') {
      const what = Array.isArray(v) ? 'array' : typeof v === 'object' ? 'object' : typeof v === 'boolean' ? 'bool' : typeof v;
      throw new CmdError(`error: unable to decode "${m.source}": json: cannot unmarshal ${what} into Go struct field TypeMeta.${f} of type string`);
    }
  }
  if (o.metadata !== undefined && o.metadata !== null && (typeof o.metadata !== 'object' || Array.isArray(o.metadata))) {
    throw new CmdError(`error: unable to decode "${m.source}": json: cannot unmarshal ${Array.isArray(o.metadata) ? 'array' : typeof o.metadata} into Go struct field .metadata of type v1.ObjectMeta`);
  }
  // kubectl's schema check (getObjectKind) lists apiVersion before kind and aggregates the two.
  const missing = [...(o.apiVersion ? [] : ['apiVersion not set']), ...(o.kind ? [] : ['kind not set'])];
  if (missing.length) {
    const why = missing.length === 1 ? missing[0] : `[${missing.join(', ')}]`;
    throw new CmdError(`error: error validating "${m.source}": error validating data: ${why}; if you choose to ignore these errors, turn validation off with --validate=false`);
  }
  o.metadata ??= { name: '' };
  const r = resolveApiVersion(o.apiVersion, o.kind);
  if ('error' in r) {
    throw new CmdError(
      `error: resource mapping not found for name: "${o.metadata.name ?? ''}" namespace: "${o.metadata.namespace ?? ''}" from "${m.source}": no matches for kind "${o.kind}" in version "${o.apiVersion}"\nensure CRDs are installed first` +
        kustomizationHint(o),
    );
  }
  if (r.info.namespaced) {
    if (nsFlag && o.metadata.namespace && o.metadata.namespace !== nsFlag) {
      throw new CmdError(`error: the namespace from the provided object "${o.metadata.namespace}" does not match the namespace "${nsFlag}". You must pass '--namespace=${o.metadata.namespace}' to perform this operation.`);
    }
    o.metadata.namespace ??= ns;
  } else delete o.metadata.namespace;
}

/**
 * kustomizationHint explains a kustomization.yaml given to apply -f: it is Kustomize's input, not an
 * API object (kubectl refuses it with the mapping error above), and Kubeplay does not run `apply -k`.
 */
export function kustomizationHint(o: { apiVersion?: unknown; kind?: unknown }): string {
  if (o.kind !== 'Kustomization' || typeof o.apiVersion !== 'string' || !o.apiVersion.startsWith('kustomize.config.k8s.io/')) return '';
  return '\n(a kustomization.yaml is read by `kubectl apply -k`, which builds the objects it lists; Kubeplay does not run Kustomize: apply those files with -f)';
}
