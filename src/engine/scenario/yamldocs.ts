import { LineCounter, visit, type Document } from 'yaml';
import { parseYamlDocuments } from './yamlparse.ts';
import { ALIAS_MESSAGE, LIMITS, documentCount, documentsMessage, formatBytes, nestingProblem, utf8Length } from './limits.ts';
import type { Diagnostic } from './types.ts';
import { describeObject } from './manifest.ts';

/** YamlDoc is one non-empty document of a YAML stream, converted to plain data. */
export interface YamlDoc {
  /** doc is the 1-based position in the stream (empty documents keep their number). */
  doc: number;
  /** line is where the document's content starts (1-based, plus lineOffset). */
  line: number;
  ast: Document;
  value: unknown;
}

export interface YamlStream {
  docs: YamlDoc[];
  lines: LineCounter;
  lineOffset: number;
  errors: Diagnostic[];
}

/**
 * readYamlStream parses a multi-document YAML text with every input limit applied: size, flow
 * nesting, document count and alias expansion. Syntax errors become `FILE:LINE:COL: message`
 * diagnostics; a document with a syntax error is left out of docs. lineOffset shifts every line
 * (for YAML embedded in a block scalar of another file).
 */
export function readYamlStream(text: string, file: string, lineOffset = 0, what = 'scenario'): YamlStream {
  const lines = new LineCounter();
  const out: YamlStream = { docs: [], lines, lineOffset, errors: [] };
  const err = (message: string, line?: number, col?: number) => out.errors.push({ file, line, col, message });

  const size = text.length > LIMITS.bytes ? text.length : utf8Length(text);
  if (size > LIMITS.bytes) {
    err(`the ${what} is ${size} bytes; the limit is ${formatBytes(LIMITS.bytes)} (${LIMITS.bytes} bytes) per ${what}`);
    return out;
  }
  const deep = nestingProblem(text);
  if (deep) {
    const pos = positionOf(text, deep.at);
    err(deep.message, pos.line + lineOffset, pos.col);
    return out;
  }

  const count = documentCount(text);
  if (count > LIMITS.documents) {
    err(documentsMessage(what, count));
    return out;
  }

  let docs: Document[];
  try {
    // The core (YAML 1.2) schema with `<<` merge keys, as sigs.k8s.io/yaml accepts them.
    docs = parseYamlDocuments(text, { lineCounter: lines, prettyErrors: false, merge: true, logLevel: 'error' });
  } catch (e) {
    // The parser recurses; pathological input can still exhaust the stack.
    if (e instanceof RangeError) {
      err(`the YAML could not be parsed: ${e.message}`);
      return out;
    }
    throw e;
  }
  if (docs.length > LIMITS.documents) {
    err(documentsMessage(what, docs.length));
    return out;
  }

  docs.forEach((ast, i) => {
    const n = i + 1;
    if (ast.errors.length > 0) {
      // Name the object when the rest of the document still reads (kind and name usually come first).
      let what: string | undefined;
      try {
        what = describeObject(ast.toJS({ maxAliasCount: LIMITS.aliases }));
      } catch {
        what = undefined;
      }
      for (const e of ast.errors) {
        const pos = lines.linePos(e.pos[0]);
        out.errors.push({ file, line: pos.line + lineOffset, col: pos.col, doc: n, what, message: e.message });
      }
      return;
    }
    if (ast.contents === null || ast.contents === undefined) return; // an empty document, as kubectl skips
    const line = lines.linePos(ast.contents.range?.[0] ?? ast.range?.[0] ?? 0).line + lineOffset;
    let value: unknown;
    try {
      value = ast.toJS({ maxAliasCount: LIMITS.aliases });
    } catch (e) {
      if (e instanceof ReferenceError && /alias/i.test(e.message) && !/^Unresolved alias/.test(e.message)) {
        const at = firstAliasOffset(ast);
        out.errors.push({ file, line: at === undefined ? line : lines.linePos(at).line + lineOffset, doc: n, message: `${ALIAS_MESSAGE}: ${e.message}` });
        return;
      }
      if (e instanceof ReferenceError || e instanceof RangeError) {
        out.errors.push({ file, line, doc: n, message: `the YAML could not be converted: ${e.message}` });
        return;
      }
      throw e;
    }
    if (value === null || value === undefined) return;
    out.docs.push({ doc: n, line, ast, value });
  });
  return out;
}

function positionOf(text: string, offset: number): { line: number; col: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      start = i + 1;
    }
  }
  return { line, col: offset - start + 1 };
}

/** firstAliasOffset is where the document's first alias (`*name`) is, to point at an alias bomb. */
export function firstAliasOffset(doc: Document): number | undefined {
  let at: number | undefined;
  visit(doc, {
    Alias(_, node) {
      at = node.range?.[0];
      return visit.BREAK;
    },
  });
  return at;
}
