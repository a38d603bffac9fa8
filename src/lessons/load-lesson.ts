import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { FormatError } from '../errors.js';
import { locatedIssue, locator } from '../scenario/load-scenario.js';
import { parseCheck, type CheckProblems } from './parse-check.js';
import { lessonSchema } from './schema.js';
import type { Lesson, LessonStep, SolutionEntry } from './types.js';

/** A lesson problem located in its file: `clock-watchdog.yaml:12:5: unknown key 'hnts'`. */
export class LessonError extends FormatError {
  constructor(message: string) {
    super('lesson', message);
    this.name = 'LessonError';
  }
}

/**
 * Parses and validates lesson text; every error names file, line and column. `file` is the
 * path the scenario is resolved against; the scenario file must exist unless `checkScenario`
 * is false (tests of the format alone).
 */
export function parseLesson(text: string, file: string, options: { checkScenario?: boolean } = {}): Lesson {
  const lines = new LineCounter();
  const doc = parseDocument(text, { intAsBigInt: true, lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const { line, col } = lines.linePos(e.pos[0]);
    throw new LessonError(`${file}:${line}:${col}: ${e.message.split('\n')[0]}`);
  }
  const locate = locator(file, doc, lines);
  const problems: CheckProblems = {
    at: (path, message) => {
      throw new LessonError(`${locate(path)}: ${message}`);
    },
    issue: (issue) => {
      throw new LessonError(locatedIssue(issue, file, doc, lines));
    },
  };
  const parsed = lessonSchema.safeParse(doc.toJS());
  if (!parsed.success) return problems.issue(parsed.error.issues[0]!);
  const raw = parsed.data;
  const stem = basename(file).replace(/\.ya?ml$/i, '');
  if (/\.ya?ml$/i.test(file) && stem !== raw.lesson) {
    problems.at(['lesson'], `the lesson id '${raw.lesson}' must be the file name without .yaml ('${stem}')`);
  }
  const seen = new Map<string, number>();
  const steps: LessonStep[] = raw.steps.map((s, i) => {
    const twin = seen.get(s.id);
    if (twin !== undefined) problems.at(['steps', i, 'id'], `step id '${s.id}' is already used by step ${twin + 1}`);
    seen.set(s.id, i);
    return { id: s.id, task: s.task.trim(), hints: s.hints.map((h) => h.trim()), explanation: s.explanation.trim(), check: parseCheck(s.check, ['steps', i, 'check'], problems) };
  });
  const solution: SolutionEntry[] = raw.solution.map((e, i) => ({
    line: typeof e === 'string' ? e.trim() : `.answer ${e.answer.trim()}`,
    path: ['solution', i],
  }));
  const scenarioPath = resolve(dirname(file), raw.scenario);
  if (options.checkScenario !== false && !existsSync(scenarioPath)) {
    problems.at(['scenario'], `scenario file not found: ${scenarioPath}`);
  }
  return {
    id: raw.lesson,
    title: raw.title.trim(),
    level: raw.level,
    introduction: raw.introduction.trim(),
    scenario: raw.scenario,
    scenarioPath,
    steps,
    solution,
    file,
    locate,
  };
}

/** Reads and validates a lesson file. */
export function loadLessonFile(path: string, options: { checkScenario?: boolean } = {}): Lesson {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new LessonError(`${path}: cannot read lesson file (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  return parseLesson(text, path, options);
}
