/**
 * jsonpatch.ts: RFC 6902 JSON Patch and RFC 7386 JSON Merge Patch, as the API server applies them
 * (gopkg.in/evanphx/json-patch.v4, which k8s.io/apiserver's patch handler vendors). Error texts are
 * that library's (errors.Wrapf(ErrMissing, …) appends ": missing value"), because kubectl prints them.
 */

/** JsonPatchError is a patch that does not apply; `message` is json-patch's error text. */
export class JsonPatchError extends Error {}

/** JsonPatchDecodeError is a patch document that is not a list of operations (the server's 400). */
export class JsonPatchDecodeError extends Error {}

type Json = unknown;
type Container = Record<string, Json> | Json[];

const isObj = (v: unknown): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** clone deep-copies JSON data (one object per kubectl command, never per pod). */
export function clone<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}

/** deepEqual compares JSON values structurally (object key order ignored), as json-patch's "test" does. */
export function deepEqual(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isObj(a) && isObj(b)) {
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => k in b && deepEqual(a[k], b[k]));
  }
  return false;
}

/**
 * decodePointer splits a JSON pointer as json-patch v4 does: on "/", dropping the first segment
 * (kubernetes#81422: "bogus/a" is read as "/a"), then ~1 → "/" and ~0 → "~".
 */
function decodePointer(path: string): string[] | undefined {
  const parts = path.split('/');
  if (parts.length < 2) return undefined;
  return parts.slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** findObject returns the container holding the pointer's last segment, and that segment (json-patch's findObject). */
function findObject(doc: Container, path: string): { con: Container; key: string } | undefined {
  const parts = decodePointer(path);
  if (!parts) return undefined;
  let cur: Json = doc;
  for (const part of parts.slice(0, -1)) {
    const next = getIn(cur, part);
    if (!isObj(next) && !Array.isArray(next)) return undefined;
    cur = next;
  }
  if (!isObj(cur) && !Array.isArray(cur)) return undefined;
  return { con: cur, key: parts[parts.length - 1] };
}

function getIn(c: Json, key: string): Json {
  if (Array.isArray(c)) {
    const i = arrayIndex(key, c.length, false);
    return i === undefined ? undefined : c[i];
  }
  if (isObj(c)) return Object.prototype.hasOwnProperty.call(c, key) ? c[key] : undefined;
  return undefined;
}

/** arrayIndex parses an array index; negative indices count from the end (json-patch SupportNegativeIndices). */
function arrayIndex(key: string, len: number, forAdd: boolean): number | undefined {
  if (!/^-?\d+$/.test(key)) return undefined;
  let i = parseInt(key, 10);
  const max = forAdd ? len : len - 1;
  if (i < -len - (forAdd ? 1 : 0) || i > max) return undefined;
  if (i < 0) i += len + (forAdd ? 1 : 0);
  return i;
}

const invalidIndex = (key: string) => `Unable to access invalid index: ${key}: invalid index referenced`;

function conGet(con: Container, key: string): { ok: true; v: Json } | { ok: false } {
  if (Array.isArray(con)) {
    const i = arrayIndex(key, con.length, false);
    return i === undefined ? { ok: false } : { ok: true, v: con[i] };
  }
  return Object.prototype.hasOwnProperty.call(con, key) ? { ok: true, v: con[key] } : { ok: false };
}

function conAdd(con: Container, key: string, value: Json): string | undefined {
  if (!Array.isArray(con)) {
    con[key] = value;
    return undefined;
  }
  if (key === '-') {
    con.push(value);
    return undefined;
  }
  const i = arrayIndex(key, con.length, true);
  if (i === undefined) return invalidIndex(key);
  con.splice(i, 0, value);
  return undefined;
}

function conRemove(con: Container, key: string): string | undefined {
  if (!Array.isArray(con)) {
    if (!Object.prototype.hasOwnProperty.call(con, key)) return `Unable to remove nonexistent key: ${key}: missing value`;
    delete con[key];
    return undefined;
  }
  const i = arrayIndex(key, con.length, false);
  if (i === undefined) return invalidIndex(key);
  con.splice(i, 1);
  return undefined;
}

function conSet(con: Container, key: string, value: Json): string | undefined {
  if (!Array.isArray(con)) {
    con[key] = value;
    return undefined;
  }
  const i = arrayIndex(key, con.length, false);
  if (i === undefined) return invalidIndex(key);
  con[i] = value;
  return undefined;
}

export interface JsonPatchOp {
  op?: unknown;
  path?: unknown;
  from?: unknown;
  value?: unknown;
}

/**
 * decodeJsonPatch checks the patch is a list of operation objects; otherwise the error the server's
 * json.Unmarshal into jsonpatch.Patch gives ("json: cannot unmarshal object into Go value of type jsonpatch.Patch").
 */
export function decodeJsonPatch(patch: Json): JsonPatchOp[] {
  const goType = (v: Json) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v === 'object' ? 'object' : typeof v === 'string' ? 'string' : typeof v === 'number' ? 'number' : 'bool');
  if (!Array.isArray(patch)) throw new JsonPatchDecodeError(`json: cannot unmarshal ${goType(patch)} into Go value of type jsonpatch.Patch`);
  for (const op of patch) {
    if (!isObj(op)) throw new JsonPatchDecodeError(`json: cannot unmarshal ${goType(op)} into Go value of type jsonpatch.Operation`);
  }
  return patch as JsonPatchOp[];
}

/**
 * applyJsonPatch applies RFC 6902 operations (add, remove, replace, move, copy, test) to a copy of
 * `doc` and returns it; the first operation that does not apply throws JsonPatchError with
 * json-patch v4's wording (e.g. `replace operation does not apply: doc is missing key: /spec/x: missing value`).
 */
export function applyJsonPatch<T>(doc: T, ops: JsonPatchOp[]): T {
  const root = clone(doc) as unknown as Container;
  for (const o of ops) {
    const kind = typeof o.op === 'string' ? o.op : 'unknown';
    if (!['add', 'remove', 'replace', 'move', 'copy', 'test'].includes(kind)) throw new JsonPatchError(`Unexpected kind: ${kind}`);
    if (typeof o.path !== 'string') throw new JsonPatchError(`${kind} operation failed to decode path: missing value`);
    const path = o.path;
    if ((kind === 'add' || kind === 'replace' || kind === 'test') && !('value' in o)) throw new JsonPatchError(`${kind} operation, missing value field: missing value`);
    const value = clone(o.value);
    switch (kind) {
      case 'add': {
        const f = findObject(root, path);
        if (!f) throw new JsonPatchError(`add operation does not apply: doc is missing path: "${path}": missing value`);
        const err = conAdd(f.con, f.key, value);
        if (err) throw new JsonPatchError(`error in add for path: '${path}': ${err}`);
        break;
      }
      case 'remove': {
        const f = findObject(root, path);
        if (!f) throw new JsonPatchError(`remove operation does not apply: doc is missing path: "${path}": missing value`);
        const err = conRemove(f.con, f.key);
        if (err) throw new JsonPatchError(`error in remove for path: '${path}': ${err}`);
        break;
      }
      case 'replace': {
        const f = findObject(root, path);
        if (!f) throw new JsonPatchError(`replace operation does not apply: doc is missing path: ${path}: missing value`);
        if (!conGet(f.con, f.key).ok) throw new JsonPatchError(`replace operation does not apply: doc is missing key: ${path}: missing value`);
        const err = conSet(f.con, f.key, value);
        if (err) throw new JsonPatchError(`error in replace for path: '${path}': ${err}`);
        break;
      }
      case 'move':
      case 'copy': {
        if (typeof o.from !== 'string') throw new JsonPatchError(`${kind} operation failed to decode from: missing value`);
        const from = findObject(root, o.from);
        if (!from) throw new JsonPatchError(`${kind} operation does not apply: doc is missing from path: ${o.from}: missing value`);
        const got = conGet(from.con, from.key);
        if (!got.ok) throw new JsonPatchError(`${kind} operation does not apply: doc is missing from path: ${o.from}: missing value`);
        if (kind === 'move') {
          const err = conRemove(from.con, from.key);
          if (err) throw new JsonPatchError(`error in move for path: '${o.from}': ${err}`);
        }
        const to = findObject(root, path);
        if (!to) throw new JsonPatchError(`${kind} operation does not apply: doc is missing destination path: ${path}: missing value`);
        const err = conAdd(to.con, to.key, kind === 'copy' ? clone(got.v) : got.v);
        if (err) throw new JsonPatchError(`error in ${kind} for path: '${path}': ${err}`);
        break;
      }
      case 'test': {
        const f = findObject(root, path);
        const got = f ? conGet(f.con, f.key) : ({ ok: false } as const);
        const cur = got.ok ? got.v : null;
        if (!deepEqual(cur, value ?? null)) throw new JsonPatchError(`testing value ${path} failed: test failed`);
        break;
      }
    }
  }
  return root as unknown as T;
}

/**
 * mergePatch is RFC 7386 JSON Merge Patch: objects merge recursively, null deletes a key, anything
 * else (lists included) replaces. A non-object patch replaces the whole document.
 */
export function mergePatch(target: Json, patch: Json): Json {
  if (!isObj(patch)) return clone(patch);
  const out: Record<string, Json> = isObj(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}
