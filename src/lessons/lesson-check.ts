import type { CommandEvent } from '../repl/dispatcher.js';
import { LessonError, loadLessonFile } from './load-lesson.js';
import { openLessonSession, type LessonSession } from './lesson-session.js';
import type { Lesson } from './types.js';

/** The verdict of `crashkd lesson check`. */
export interface LessonCheckReport {
  /** Lines to print, in order. */
  readonly lines: string[];
  /** Steps that passed, by id. */
  readonly passed: readonly string[];
  /** True when every step passed and the lesson had no errors. */
  readonly ok: boolean;
}

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/**
 * Runs a lesson's reference solution through a real session on its scenario and reports each
 * step as it passes. Solution commands that fail are noted (a lesson may show a failure on
 * purpose); a step left open, or a lesson that does not load, makes the report not ok.
 */
export async function checkLesson(file: string): Promise<LessonCheckReport> {
  let lesson: Lesson;
  try {
    lesson = loadLessonFile(file);
  } catch (e) {
    return { lines: [message(e)], passed: [], ok: false };
  }
  const lines = [`${file}: lesson ${lesson.id}, ${lesson.steps.length} steps, ${lesson.solution.length} solution entries, scenario ${lesson.scenario}`];
  let opened: LessonSession;
  try {
    opened = await openLessonSession(lesson);
  } catch (e) {
    if (e instanceof LessonError) return { lines: [...lines, ...e.message.split('\n')], passed: [], ok: false };
    // The scenario itself does not open: its own located message says where.
    return { lines: [...lines, `${lesson.locate(['scenario'])}: the scenario does not open:`, message(e)], passed: [], ok: false };
  }
  const { dispatcher, runner } = opened;
  const total = lesson.steps.length;
  let failures: CommandEvent[] = [];
  dispatcher.observers.add((e) => {
    if (e.depth === 0 && e.failed) failures.push(e);
  });
  const signal = new AbortController().signal;
  for (const entry of lesson.solution) {
    const before = runner.passes.length;
    failures = [];
    await dispatcher.execute(entry.line, { column: 0, signal });
    for (const f of failures) lines.push(`${lesson.locate(entry.path)}: note: '${f.text}' failed in the scenario`);
    for (const p of runner.passes.slice(before)) {
      lines.push(`  step ${p.index + 1}/${total} ${p.step.id}: passed by '${entry.line}'`);
    }
  }
  const passed = lesson.steps.filter((s) => runner.hasPassed(s.id)).map((s) => s.id);
  const open = lesson.steps.map((s, i) => ({ s, i })).filter(({ s }) => !runner.hasPassed(s.id));
  for (const { s, i } of open) {
    lines.push(`${lesson.locate(['steps', i, 'check'])}: step ${i + 1}/${total} ${s.id} stays open: the solution never satisfies its check`);
  }
  lines.push(`${passed.length}/${total} steps passed`);
  return { lines, passed, ok: open.length === 0 };
}
