/**
 * workerText returns the scenario text to send to the worker. Until the scenario module validates
 * `spec.lesson` itself (see lessonparse.ts for the two-line hook), a lesson file would be refused
 * there with `unknown field "spec.lesson"`; the lesson is the page's business (the panel), so it is
 * removed from the copy the engine gets. Once the hook lands, the text is sent unchanged.
 */
import { parseYamlDocuments } from '../../engine/scenario/yamlparse.ts';
import { parseScenario } from '../../engine/scenario/parse.ts';
import { isScenarioDocument } from '../../engine/scenario/validate.ts';

export function workerText(text: string, file: string): string {
  const needs = parseScenario(text, file).errors.some((d) => d.message.startsWith('unknown field "spec.lesson"'));
  if (!needs) return text;
  const docs = parseYamlDocuments(text);
  const list = Array.isArray(docs) ? docs : [docs];
  return list
    .map((d) => {
      if (isScenarioDocument(d.toJS({ maxAliasCount: 100 }))) d.deleteIn(['spec', 'lesson']);
      return String(d).replace(/^---\n/, '');
    })
    .join('---\n');
}
