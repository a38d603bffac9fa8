import type { Lesson, LessonStep } from './types.js';

/** Counts the panel's status line and `.lesson` show. */
export interface StepCounts {
  readonly index: number;
  readonly total: number;
  readonly passed: number;
  readonly skipped: number;
  readonly hintsUsed: number;
}

/** Multi-line YAML text as lines, without trailing blank lines. */
export function textLines(text: string): string[] {
  return text.replace(/\s+$/, '').split(/\r?\n/);
}

/** `Step 2/7: task` (a multi-line task continues on the following lines). */
export function stepLines(step: LessonStep, index: number, total: number): string[] {
  const [first = '', ...rest] = textLines(step.task);
  return [`Step ${index + 1}/${total}: ${first}`, ...rest];
}

/** The title, the introduction and how to drive the lesson. */
export function introductionLines(lesson: Lesson): string[] {
  return [
    `Lesson: ${lesson.title}`,
    ...textLines(lesson.introduction),
    '',
    'Lesson commands: .lesson shows the task again, .hint the next hint, .answer TEXT answers',
    'a question, .skip and .back move between steps, .transcript save FILE.md writes a handout.',
  ];
}

/** `Passed. explanation...` */
export function passedLines(step: LessonStep): string[] {
  const [first = '', ...rest] = textLines(step.explanation);
  return [`Passed. ${first}`, ...rest];
}

/** The last words of a lesson. */
export function completeLines(c: StepCounts): string[] {
  const skipped = c.skipped > 0 ? `, ${c.skipped} skipped` : '';
  return [`Lesson complete: ${c.passed}/${c.total} steps passed${skipped}, ${plural(c.hintsUsed, 'hint')} used.`];
}

/** `Step 3 of 8 · 2 passed · 3 hints used` (complete: `Complete · ...`). */
export function statusText(c: StepCounts): string {
  const where = c.index >= c.total ? 'Complete' : `Step ${c.index + 1} of ${c.total}`;
  const skipped = c.skipped > 0 ? ` · ${c.skipped} skipped` : '';
  return `${where} · ${c.passed} passed${skipped} · ${plural(c.hintsUsed, 'hint')} used`;
}

/** `Hint 1/3: text`. */
export function hintLine(step: LessonStep, shown: number): string {
  return `Hint ${shown}/${step.hints.length}: ${step.hints[shown - 1] ?? ''}`;
}

/** `1 hint`, `3 hints`. */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
