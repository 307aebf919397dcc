import type { KubeObject } from './types.ts';

/**
 * The options of a request to the API server, as metav1's CreateOptions, UpdateOptions and
 * DeleteOptions carry them (dryRun, fieldValidation, propagationPolicy, gracePeriodSeconds), with
 * kubectl apply's and what an apply returns; and the strict decoder's interface, as the server calls it.
 */

/** FIELD_VALIDATION names the service that decodes strictly (strict.ts: strictDecode, unknownFields). */
export const FIELD_VALIDATION = 'fieldValidation';

/** FieldValidation is strict.ts's interface, as the API server calls it. */
export interface FieldValidation {
  /** typeDecode refuses a value of the wrong JSON type for its field, whatever the validation level (decoding fails). */
  typeDecode(obj: KubeObject, version: string): void;
  strictDecode(obj: KubeObject, version: string): void;
  dropUnknownFields(obj: KubeObject): string[];
}

export interface CreateOptions {
  /** dryRun validates and defaults without storing (kubectl --dry-run=server). */
  dryRun?: boolean;
  /**
   * fieldValidation 'Strict' refuses fields the kind does not have (strict.ts), as kubectl asks by
   * default; 'Warn' (the server's default for a request that does not say, e.g. kubectl patch) and
   * 'Ignore' drop them, 'Warn' with a warning each. Controllers' own writes leave it unset (their
   * objects are well-formed).
   */
  fieldValidation?: 'Strict' | 'Warn' | 'Ignore';
  /**
   * warn receives the server's warnings, in the order kubectl prints them: each unknown field dropped
   * (fieldValidation 'Warn'), then a Pod's or a workload's pod template's (podwarnings.ts). Only a
   * client's request passes one: without it the server computes no pod warnings at all, so
   * controllers' writes cost nothing for them.
   */
  warn?: (message: string) => void;
}

export interface UpdateOptions extends CreateOptions {
  /**
   * specChanged overrides spec-change detection. Only needed when the caller mutated the live
   * object itself (then the old spec is gone and update() assumes it changed).
   */
  specChanged?: boolean;
}

export interface DeleteOptions {
  /** propagationPolicy; kubectl's default is background. */
  cascade?: 'background' | 'foreground' | 'orphan';
  /** overrides the pod's terminationGracePeriodSeconds; 0 removes at once (kubectl --force --grace-period=0). */
  gracePeriodSeconds?: number;
  dryRun?: boolean;
}

export interface ApplyOptions extends CreateOptions {
  /**
   * annotate false leaves the last-applied annotation as it is (kubectl diff's merged object:
   * GetModifiedConfiguration with annotate false), and kubectl apply's note on a live object without
   * it is not printed (applyOneObject prints it, the patcher does not).
   */
  annotate?: boolean;
}

export type ApplyResultKind = 'created' | 'configured' | 'unchanged';

export interface ApplyResult {
  obj: KubeObject;
  result: ApplyResultKind;
  /**
   * warning, without kubectl's leading "Warning: " (a second one is joined as "\nWarning: …"): kinds Kubeplay stores but does not
   * simulate yet (notSimulatedWarning), and kubectl's note when the live object lacks the
   * last-applied annotation (it was made with kubectl create). When the request has a warn, these go
   * through it instead (the missing annotation first, as kubectl prints it before it sends the patch;
   * Kubeplay's own note last) and this is unset.
   */
  warning?: string;
}
