import { Checker } from './checker.ts';
import { defaultSpec } from './defaults.ts';
import { checkManifest } from './manifest.ts';
import { isScenarioDocument, validateScenario } from './validate.ts';
import { readYamlStream } from './yamldocs.ts';
import type { Diagnostic, ManifestDoc, ParsedScenario } from './types.ts';

/**
 * parseScenario reads a scenario file: one optional Scenario document (kubeplay.dev/v1alpha1) and any
 * number of Kubernetes manifests. It never throws for bad input: every problem is a Diagnostic naming
 * the file, the line (and column, for YAML syntax) and the field. A file without a Scenario document
 * is a plain manifest file and runs on the default cluster (see defaults.ts).
 */
export function parseScenario(text: string, file: string): ParsedScenario {
  const stream = readYamlStream(text, file);
  const errors: Diagnostic[] = [...stream.errors];
  const manifests: ManifestDoc[] = [];
  let spec = defaultSpec();
  let name: string | undefined;
  let scenarioDoc: number | undefined;

  for (const y of stream.docs) {
    if (isScenarioDocument(y.value)) {
      if (scenarioDoc !== undefined) {
        errors.push({ file, line: y.line, doc: y.doc, message: `only one Scenario document is allowed in a file; the first is document ${scenarioDoc}` });
        continue;
      }
      scenarioDoc = y.doc;
      const c = new Checker(file, y.ast, stream.lines, stream.lineOffset);
      const v = validateScenario(y, stream, file, c);
      errors.push(...c.errors);
      spec = v.spec;
      name = v.name;
      continue;
    }
    const m = checkManifest(y, stream, file);
    if ('object' in m) manifests.push(m);
    else errors.push(m);
  }
  return {
    file,
    name: name ?? baseName(file),
    hasScenarioDocument: scenarioDoc !== undefined,
    spec,
    manifests,
    errors,
  };
}

function baseName(file: string): string {
  const b = file.split(/[\\/]/).pop() ?? file;
  return b.replace(/\.(ya?ml|json)$/i, '');
}
