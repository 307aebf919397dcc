import type { KubeObject } from '../api/types.ts';
import type { Diagnostic, ManifestDoc } from './types.ts';
import { lineOfPath } from './positions.ts';
import { kustomizationHint } from '../kubectl/manifests.ts';
import { kindProblem } from './apply.ts';
import type { YamlDoc, YamlStream } from './yamldocs.ts';

/** describeObject names a manifest for messages: `Deployment "web"`, `Pod` (no name yet), or undefined. */
export function describeObject(value: unknown): string | undefined {
  if (!isRecord(value) || typeof value.kind !== 'string' || !value.kind) return undefined;
  const meta = isRecord(value.metadata) ? value.metadata : {};
  const name = typeof meta.name === 'string' && meta.name ? meta.name : typeof meta.generateName === 'string' ? meta.generateName : '';
  return name ? `${value.kind} ${JSON.stringify(name)}` : value.kind;
}

/**
 * checkManifest makes sure a document is shaped like a Kubernetes object before it is sent to the
 * API server: a mapping with apiVersion, kind and metadata.name (or generateName). The wording follows
 * kubectl's client-side check ("error validating data: apiVersion not set") and the API server's
 * ("metadata.name: Required value: name or generateName is required"). Deeper validation is the API
 * server's, when the manifest is applied.
 */
export function checkManifest(y: YamlDoc, stream: YamlStream, file: string): ManifestDoc | Diagnostic {
  const v = y.value;
  const base = { file, line: y.line, doc: y.doc, what: describeObject(v) };
  if (!isRecord(v)) {
    const got = Array.isArray(v) ? 'a list' : `a ${typeof v === 'string' ? 'string' : typeof v}`;
    return { ...base, message: `error validating data: the document is ${got}, not a Kubernetes object (a mapping with apiVersion, kind and metadata)` };
  }
  const missing: string[] = [];
  if (typeof v.apiVersion !== 'string' || !v.apiVersion) missing.push('apiVersion not set');
  if (typeof v.kind !== 'string' || !v.kind) missing.push('kind not set');
  if (missing.length) {
    return { ...base, message: `error validating data: ${missing.length === 1 ? missing[0] : `[${missing.join(', ')}]`}` };
  }
  // Kustomize's input is not an API object: kubectl's mapping error comes before any check of its (absent) name.
  const hint = kustomizationHint(v);
  if (hint) {
    return { ...base, message: `${kindProblem(v as KubeObject, '', file)}${hint}` };
  }
  const at = (path: (string | number)[]) => lineOfPath(y.ast, stream.lines, path, false, stream.lineOffset) ?? y.line;
  if (!isRecord(v.metadata)) {
    return { ...base, line: at(['metadata']), message: `metadata: Required value: name or generateName is required` };
  }
  const { name, generateName } = v.metadata;
  if (name !== undefined && typeof name !== 'string') {
    return { ...base, line: at(['metadata', 'name']), message: `metadata.name: Invalid value: ${JSON.stringify(name)}: must be a string` };
  }
  if (generateName !== undefined && typeof generateName !== 'string') {
    return { ...base, line: at(['metadata', 'generateName']), message: `metadata.generateName: Invalid value: ${JSON.stringify(generateName)}: must be a string` };
  }
  if (!name && !generateName) {
    return { ...base, line: at(['metadata']), message: `metadata.name: Required value: name or generateName is required` };
  }
  return {
    doc: y.doc,
    line: y.line,
    object: v as KubeObject,
    what: base.what!,
    ast: y.ast,
    lines: stream.lines,
    lineOffset: stream.lineOffset,
  };
}

export function isRecord(v: unknown): v is Record<string, any> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
