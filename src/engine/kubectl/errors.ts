import { formatFieldError, type ApiError } from '../api/errors.ts';
import type { KubeObject } from '../api/types.ts';

/**
 * apiErrorMessage is how kubectl's CheckErr prints a server error. Invalid: `The Deployment "web" is
 * invalid: <cause>` (several causes: the prefix, then one "* cause" per line — MultilineError). Others:
 * `Error from server (Reason): <message>`, where a file source adds `error when creating "web.yaml": `
 * in front of the message (cmdutil.AddSourceToErr).
 */
export function apiErrorMessage(e: ApiError, verb?: string, source?: string): string {
  if (e.reason === 'Invalid') {
    const m = /^(The .+? is invalid): /.exec(e.message);
    if (m && e.causes.length > 1) return `${m[1]}: \n${e.causes.map((c) => `* ${formatFieldError(c)}`).join('\n')}`;
    return e.message;
  }
  const msg = verb && source ? `error when ${verb} "${source}": ${e.message}` : e.message;
  return e.reason ? `Error from server (${e.reason}): ${msg}` : `Error from server: ${msg}`;
}

/**
 * statusErrorText is a server error as its Go Error() reads, the way kubectl prints one it wraps in its
 * own message: an Invalid names the kind with its group (`Deployment.apps "x" is invalid: …`), not the
 * `The Deployment "x" is invalid` kubectl prints for an error it does not wrap.
 */
export function statusErrorText(e: ApiError, obj: KubeObject): string {
  if (e.reason !== 'Invalid') return e.message;
  const slash = obj.apiVersion.indexOf('/');
  return e.message.replace(/^The \S+ /, `${obj.kind}${slash > 0 ? `.${obj.apiVersion.slice(0, slash)}` : ''} `);
}

/** Failure is one object's error in a `kubectl apply|create|replace -f`: the server's, or kubectl's own line. */
export type Failure = string | { e: ApiError; obj: KubeObject; verb: string; source: string };

/**
 * failureLines prints the errors of a `-f` command as CheckErr does with what Run returned. One error
 * alone is unwrapped and printed as apiErrorMessage prints it (`The Service "x" is invalid: …`). Several
 * are an aggregate, printed by MultipleErrors one per line through StandardErrorMessage, so an Invalid
 * reads like any other server error: `Error from server (Invalid): error when creating "app.yaml":
 * Service "x" is invalid: …` (the status message AddSourceToErr prefixed, its kind with its group).
 */
export function failureLines(failures: Failure[]): string {
  const one = (f: Failure) => {
    if (typeof f === 'string') return f;
    if (failures.length === 1) return apiErrorMessage(f.e, f.verb, f.source);
    const text = `error when ${f.verb} "${f.source}": ${statusErrorText(f.e, f.obj)}`;
    return f.e.reason ? `Error from server (${f.e.reason}): ${text}` : `Error from server: ${text}`;
  };
  return failures.map((f) => one(f) + '\n').join('');
}
