import { resolve } from 'node:path';
import { openLessonSession, type LessonSession } from '../../../src/lessons/lesson-session.js';
import { loadLessonFile, parseLesson } from '../../../src/lessons/load-lesson.js';
import type { LessonProgress, ProgressStore } from '../../../src/lessons/progress.js';
import type { Lesson } from '../../../src/lessons/types.js';
import type { Feedback } from '../../../src/lessons/runner.js';

/** The shipped 0x101 lesson. */
export const CLOCK_LESSON = resolve('fixtures/lessons/clock-watchdog.yaml');

/** A lesson on the seed scenario written inline; `id` must be what the steps call it. */
export function inlineLesson(id: string, steps: string, solution = '  - .bugcheck\n'): Lesson {
  const text = `lesson: ${id}
title: Test lesson ${id}
scenario: ../clock-watchdog-0x101.yaml
level: beginner
introduction: A lesson written by a test.
steps:
${steps}
solution:
${solution}`;
  return parseLesson(text, resolve(`fixtures/lessons/${id}.yaml`));
}

/** A session with the lesson running, plus helpers to type lines and read feedback. */
export async function startLesson(lesson: Lesson = loadLessonFile(CLOCK_LESSON), options: { store?: ProgressStore; saved?: LessonProgress } = {}) {
  const s: LessonSession = await openLessonSession(lesson, options);
  const feedback: Feedback[] = [];
  s.runner.onFeedback((f) => feedback.push(f));
  const signal = new AbortController().signal;
  const type = async (...lines: string[]) => {
    const out: string[] = [];
    for (const l of lines) out.push(...(await s.dispatcher.execute(l, { column: 0, signal })).map((x) => x.text));
    return out;
  };
  const current = () => s.runner.getView().step?.id ?? 'complete';
  return { ...s, feedback, type, current };
}
