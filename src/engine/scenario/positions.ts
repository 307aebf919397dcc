import { isMap, isPair, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';

/**
 * PathSegment is one step of a field path: a field name, a list index, or a key of a map with
 * free-form keys (labels, images), which prints in brackets as apimachinery's field.Path.Key does:
 * `spec.images[nginx:1.25].startupSeconds`.
 */
export type PathSegment = string | number | MapKey;

export interface MapKey {
  key: string;
}

/** key makes a MapKey segment. */
export function key(k: string): MapKey {
  return { key: k };
}

function segName(seg: PathSegment): string {
  return typeof seg === 'object' ? seg.key : String(seg);
}

/**
 * parseFieldPath splits an API server field path into segments:
 * "spec.template.spec.containers[0].image" -> ["spec", "template", "spec", "containers", 0, "image"],
 * "metadata.labels[app.kubernetes.io/name]" -> ["metadata", "labels", "app.kubernetes.io/name"].
 */
export function parseFieldPath(path: string): PathSegment[] {
  const out: PathSegment[] = [];
  const re = /([^.[\]]+)|\[([^\]]*)\]/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(path))) {
    if (m[1] !== undefined) out.push(m[1]);
    else out.push(/^\d+$/.test(m[2]) ? Number(m[2]) : m[2]);
  }
  return out;
}

/** formatFieldPath is parseFieldPath's inverse: ["spec", "timeline", 2, "at"] -> "spec.timeline[2].at". */
export function formatFieldPath(path: readonly PathSegment[]): string {
  let s = '';
  for (const seg of path) {
    if (typeof seg === 'number') s += `[${seg}]`;
    else if (typeof seg === 'object') s += `[${seg.key}]`;
    else s += s ? `.${seg}` : seg;
  }
  return s;
}

/**
 * nodeOffset finds the text offset of the value at path in a YAML document (or of its key, with
 * key: true). When the path leads off the document (a missing field), it returns the deepest
 * existing node's offset: a "Required value" error points at the object that lacks the field.
 */
export function nodeOffset(doc: Document, path: readonly PathSegment[], atKey = false): number | undefined {
  let node: unknown = doc.contents;
  let offset = rangeStart(node);
  for (let i = 0; i < path.length; i++) {
    const seg = path[i];
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === segName(seg));
      if (!pair) return offset;
      if (last && atKey) return rangeStart(pair.key) ?? offset;
      node = pair.value;
      offset = rangeStart(node) ?? rangeStart(pair.key) ?? offset;
    } else if (isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg];
      if (item === undefined) return offset;
      node = item;
      offset = rangeStart(node) ?? offset;
    } else {
      return offset;
    }
  }
  return offset;
}

function rangeStart(node: unknown): number | undefined {
  const r = (node as Node | null | undefined)?.range;
  return r ? r[0] : undefined;
}

/** lineOfPath is nodeOffset as a 1-based line (plus offset lines, for documents embedded in a block scalar). */
export function lineOfPath(doc: Document, lines: LineCounter, path: readonly PathSegment[], key = false, lineOffset = 0): number | undefined {
  const off = nodeOffset(doc, path, key);
  return off === undefined ? undefined : lines.linePos(off).line + lineOffset;
}
