import type { Sim } from '../sim.ts';
import type { KubeObject } from '../api/types.ts';
import { ApiError } from '../api/errors.ts';
import { resolveApiVersion, type KindInfo } from '../api/kinds.ts';
import { apiErrorMessage } from '../kubectl/errors.ts';
import { lineOfPath, parseFieldPath } from './positions.ts';
import type { Diagnostic, ManifestDoc } from './types.ts';

/** ApiService is the part of the API server (service `api`, src/engine/api/server.ts) that apply needs. */
export interface ApiService {
  apply(obj: KubeObject, opts?: { fieldValidation?: 'Strict' }): { obj: KubeObject; result: 'created' | 'configured' | 'unchanged' };
  create(obj: KubeObject, opts?: { dryRun?: boolean; fieldValidation?: 'Strict' }): KubeObject;
}

/** ApplyOutcome is one document's result: the line kubectl prints, and on failure a Diagnostic for the file. */
export interface ApplyOutcome {
  ok: boolean;
  /** out is what kubectl prints for the document: `deployment.apps/web created` or the error. */
  out: string;
  /** error is the failure for `kubeplay run`'s report: file, line, document and the message. */
  error?: Diagnostic;
  apiError?: ApiError;
}

/**
 * applyManifest applies one manifest as `kubectl apply -f` does: the kind must be known to discovery,
 * namespaced objects without a namespace go to "default", an object with only generateName is created
 * (apply needs a name). A kind Kubeplay knows but does not simulate (kinds.ts simulated: false) is
 * refused with a message that says so, rather than stored with nothing acting on it. API server errors
 * become a Diagnostic whose line is the first failing field's line when the error names one.
 * Errors that are not ApiErrors are engine bugs and are rethrown.
 */
export function applyManifest(sim: Sim, m: ManifestDoc, file: string, source: string): ApplyOutcome {
  const obj = structuredClone(m.object);
  const fail = (message: string, line = m.line): ApplyOutcome => ({
    ok: false,
    out: message.startsWith('error: ') || message.startsWith('Error from server') || message.startsWith('The ') ? message : `error: ${message}`,
    error: { file, line, doc: m.doc, what: m.what, message },
  });

  const problem = kindProblem(obj, m.what, source);
  if (problem) return fail(problem);
  const { info } = resolveApiVersion(obj.apiVersion, obj.kind) as { info: KindInfo };
  if (info.namespaced) obj.metadata.namespace ||= 'default';
  else delete obj.metadata.namespace;

  const api = sim.service<ApiService>('api');
  const exists = obj.metadata.name ? sim.store.get(obj.kind, obj.metadata.namespace, obj.metadata.name) !== undefined : false;
  try {
    let result: string;
    let name: string;
    if (!obj.metadata.name) {
      // Scenario manifests are applied as `kubectl apply` sends them: strict field validation.
      name = api.create(obj, { fieldValidation: 'Strict' }).metadata.name;
      result = 'created';
    } else {
      const res = api.apply(obj, { fieldValidation: 'Strict' });
      name = res.obj.metadata.name;
      result = res.result;
    }
    const resource = info.group ? `${info.singular}.${info.group}` : info.singular;
    return { ok: true, out: `${resource}/${name} ${result}` };
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    // Worded as the terminal's kubectl apply words it (cmdutil.AddSourceToErr, checkErr).
    const message = apiErrorMessage(e, exists ? 'applying patch' : 'creating', source);
    const field = e.causes[0]?.field;
    const line = field ? (lineOfPath(m.ast, m.lines, parseFieldPath(field), false, m.lineOffset) ?? m.line) : m.line;
    return { ...fail(message, line), apiError: e };
  }
}

/**
 * kindProblem says why Kubeplay cannot take an object of this apiVersion/kind: unknown to discovery
 * (kubectl's "resource mapping not found" message, worded as kubectl apply words it for source), or
 * known but not simulated (kinds.ts simulated: false), which is refused rather than stored with no
 * controller acting on it.
 */
export function kindProblem(obj: KubeObject, what: string, source: string): string | undefined {
  const r = resolveApiVersion(obj.apiVersion, obj.kind);
  if ('error' in r) {
    const { name = '', namespace = '' } = obj.metadata ?? {};
    return `resource mapping not found for name: "${name}" namespace: "${namespace}" from "${source}": no matches for kind "${obj.kind}" in version "${obj.apiVersion}"\nensure CRDs are installed first`;
  }
  if (!r.info.simulated) return `${obj.kind} (${obj.apiVersion}) is not simulated by Kubeplay yet; ${what} was not applied`;
  return undefined;
}
