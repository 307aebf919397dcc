import { formatFieldError, type ApiError } from '../api/errors.ts';

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
  return `Error from server (${e.reason}): ${msg}`;
}
