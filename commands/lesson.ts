import { DebuggerError } from '../src/errors.js';
import { activeLesson } from '../src/lessons/active-lesson.js';
import type { LessonRunner } from '../src/lessons/runner.js';
import { defineCommand, type CommandSpec } from '../src/repl/command.js';
import { out, type Line } from '../src/repl/output.js';
import type { DumpSession } from '../src/session/dump-session.js';

function runner(session: DumpSession): LessonRunner {
  const r = activeLesson(session);
  if (!r) throw new DebuggerError('message', 'No lesson is active (crashkd learn lists the lessons)');
  return r;
}

const lines = (texts: readonly string[]): Line[] => texts.map(out);

/** `.lesson`: the current task again, with the hints shown so far and the status. */
export const lessonCommand = defineCommand({
  name: '.lesson',
  summary: 'Show the current lesson step again (lesson mode)',
  usage: '.lesson',
  parse: () => undefined,
  run: (_args, { session }) => runner(session).showTask(),
  format: lines,
});

/** `.hint`: the next hint of the current step. */
export const hintCommand = defineCommand({
  name: '.hint',
  summary: 'Show the next hint for the current lesson step',
  usage: '.hint',
  parse: () => undefined,
  run: (_args, { session }) => runner(session).hint(),
  format: lines,
});

/** `.skip`: move on, leaving the step open. */
export const skipCommand = defineCommand({
  name: '.skip',
  summary: 'Skip the current lesson step',
  usage: '.skip',
  parse: () => undefined,
  run: (_args, { session }) => runner(session).skip(),
  format: lines,
});

/** `.back`: return to the previous step. */
export const backCommand = defineCommand({
  name: '.back',
  summary: 'Go back to the previous lesson step',
  usage: '.back',
  parse: () => undefined,
  run: (_args, { session }) => runner(session).back(),
  format: lines,
});

/**
 * `.answer TEXT`: answers a question step. The lesson judges the answer from the command event
 * (like every other check), so this command only checks that a lesson is running.
 */
export const answerCommand = defineCommand({
  name: '.answer',
  summary: 'Answer the current lesson question',
  usage: '.answer Text',
  takesRestOfLine: true,
  parse(inv): string {
    const text = inv.rest.trim();
    if (text === '') throw new DebuggerError('usage', 'Usage: .answer Text');
    return text;
  },
  run(_text, { session }): Line[] {
    runner(session);
    return [];
  },
  format: (l) => l,
});

/** The lesson-mode commands, for commands/index.ts. */
export const LESSON_COMMANDS: readonly CommandSpec[] = [lessonCommand, hintCommand, skipCommand, backCommand, answerCommand] as readonly CommandSpec[];
