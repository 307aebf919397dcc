/** Test helpers for the API server's answers. */
import { ApiError } from './errors.ts';
import type { KubeObject } from './types.ts';

/** createError creates obj through an API server's create and returns the refusal's message, or 'no error'. */
export function createError(api: { create(obj: KubeObject): unknown }, obj: KubeObject): string {
  try {
    api.create(obj);
  } catch (e) {
    if (e instanceof ApiError) return e.message;
    throw e;
  }
  return 'no error';
}
