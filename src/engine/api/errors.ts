/**
 * ApiError is a Status the API server would return: code, reason and the message kubectl prints
 * after "Error from server (<reason>): ".
 */
/** StatusReason is metav1.StatusReason; '' is StatusReasonUnknown, what a storage's plain Go error becomes (a 500). */
export type StatusReason = 'NotFound' | 'AlreadyExists' | 'Invalid' | 'BadRequest' | 'Conflict' | 'Forbidden' | 'MethodNotAllowed' | 'TooManyRequests' | 'InternalError' | '';

const CODES: Record<StatusReason, number> = {
  NotFound: 404,
  AlreadyExists: 409,
  Conflict: 409,
  Invalid: 422,
  BadRequest: 400,
  Forbidden: 403,
  MethodNotAllowed: 405,
  TooManyRequests: 429,
  InternalError: 500,
  '': 500,
};

export interface FieldError {
  /** field path as the API server prints it: "spec.template.spec.containers[0].image" */
  field: string;
  /** "Required value", "Invalid value", "Unsupported value", "Forbidden", "Duplicate value", "Too long" */
  type: string;
  /** the offending value, when the message shows it */
  value?: unknown;
  /** omitValue: field.OmitValueType, an Invalid value whose message shows no value */
  omitValue?: boolean;
  detail?: string;
}

export class ApiError extends Error {
  readonly code: number;
  constructor(
    readonly reason: StatusReason,
    message: string,
    readonly causes: FieldError[] = [],
  ) {
    super(message);
    this.code = CODES[reason];
  }

  /** kubectlMessage is the line kubectl prints for this error. */
  kubectlMessage(): string {
    // StandardErrorMessage: a status without a reason is "Error from server: <message>".
    return this.reason ? `Error from server (${this.reason}): ${this.message}` : `Error from server: ${this.message}`;
  }
}

/** formatFieldError renders one cause as field.ErrorList does: `spec.replicas: Invalid value: -1: must be ...`. */
export function formatFieldError(e: FieldError): string {
  let s = `${e.field}: ${e.type}`;
  if (!e.omitValue && (e.type === 'Invalid value' || e.type === 'Unsupported value' || e.type === 'Duplicate value' || e.type === 'Not found')) {
    s += `: ${formatValue(e.value)}`;
  }
  if (e.detail) s += `: ${e.detail}`;
  return s;
}

/**
 * GoValue carries a value already rendered as the API server's Go formatting prints it
 * (`map[string]string{"app":"x"}`, `intstr.IntOrString{Type:0, IntVal:0, StrVal:""}`), for
 * messages that show Go structs; formatFieldError prints its text as is.
 */
export class GoValue {
  constructor(readonly text: string) {}
  toJSON(): string {
    return this.text;
  }
}

function formatValue(v: unknown): string {
  if (v instanceof GoValue) return v.text;
  if (typeof v === 'string') return JSON.stringify(v);
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** invalid builds the 422 error: `The Deployment "web" is invalid: spec.replicas: ...` (several causes in brackets). */
export function invalid(kind: string, name: string, causes: FieldError[], resource?: string): ApiError {
  const list = causes.map(formatFieldError);
  const body = list.length === 1 ? list[0] : `[${list.join(', ')}]`;
  const what = resource ? `${resource} "${name}"` : `${kind} "${name}"`;
  return new ApiError('Invalid', `The ${what} is invalid: ${body}`, causes);
}

export function notFound(resource: string, name: string): ApiError {
  return new ApiError('NotFound', `${resource} "${name}" not found`);
}

export function alreadyExists(resource: string, name: string): ApiError {
  return new ApiError('AlreadyExists', `${resource} "${name}" already exists`);
}

/**
 * methodNotAllowed is a request for a verb the resource does not serve (a list of bindings, a delete of a
 * componentstatus): the route is not installed, the 405 carries no Status, and client-go words it
 * (NewGenericServerResponse).
 */
export function methodNotAllowed(): ApiError {
  return new ApiError('MethodNotAllowed', 'the server does not allow this method on the requested resource');
}
