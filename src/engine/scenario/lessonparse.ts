import { Checker } from './checker.ts';
import { checkLesson, type Lesson } from './lesson.ts';
import { LIMITS } from './limits.ts';
import { parseScenario } from './parse.ts';
import type { Diagnostic, ParsedScenario } from './types.ts';
import { isScenarioDocument } from './validate.ts';
import { readYamlStream } from './yamldocs.ts';

/** LessonScenario is a parsed scenario with its lesson (undefined when the file has no `spec.lesson`). */
export interface LessonScenario {
  parsed: ParsedScenario;
  lesson?: Lesson;
  /** errors are the scenario's and the lesson's problems together. */
  errors: Diagnostic[];
}

const UNKNOWN_LESSON_FIELD = 'unknown field "spec.lesson"';

/**
 * parseLessonScenario parses a scenario that may hold a lesson. It is parseScenario plus checkLesson
 * on `spec.lesson`, for as long as validate.ts does not call checkLesson itself. The hook in the
 * scenario module is two lines in validateScenario: add 'lesson' to the spec's allowed fields and
 * `spec.lesson = checkLesson(s.lesson, c)` (with `lesson?: Lesson` on ScenarioSpec). After that,
 * this function still works (it finds no unknown-field error to drop and reads the same lesson).
 */
export function parseLessonScenario(text: string, file: string): LessonScenario {
  const parsed = parseScenario(text, file);
  const errors = parsed.errors.filter((d) => !d.message.startsWith(UNKNOWN_LESSON_FIELD));
  const hadLessonField = errors.length !== parsed.errors.length;
  const builtIn = (parsed.spec as { lesson?: Lesson }).lesson;
  let lesson: Lesson | undefined = builtIn;
  if (!builtIn && hadLessonField) {
    // Read the Scenario document again (parseScenario does not return its AST) to check the lesson with lines.
    const stream = readYamlStream(text, file);
    const y = stream.docs.find((d) => isScenarioDocument(d.value));
    if (y) {
      const c = new Checker(file, y.ast, stream.lines, stream.lineOffset);
      const spec = (y.value as { spec?: { lesson?: unknown } }).spec;
      lesson = checkLesson(spec?.lesson, c);
      errors.push(...c.errors);
      errors.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
    }
  }
  if (errors.length > LIMITS.errors + 1) errors.length = LIMITS.errors + 1;
  return { parsed: { ...parsed, errors }, lesson, errors };
}
