import { LESSON_COMMANDS } from '../../commands/lesson.js';
import { transcriptCommand } from '../../commands/transcript.js';
import { Dispatcher } from '../repl/dispatcher.js';
import { Registry } from '../repl/registry.js';
import { openSession } from '../session/open-session.js';
import { LessonError } from './load-lesson.js';
import { leavesOf } from './parse-check.js';
import type { LessonProgress, ProgressStore } from './progress.js';
import { LessonRunner } from './runner.js';
import { recordTranscript } from './transcript-recorder.js';
import type { Lesson } from './types.js';

/**
 * The dispatcher with the lesson commands and `.transcript` added when the registry lacks them
 * (commands/index.ts may or may not list them; adding twice would be a duplicate name).
 */
export function withLessonCommands(d: Dispatcher): Dispatcher {
  const missing = [...LESSON_COMMANDS, transcriptCommand].filter((c) => d.registry.find(c.name) === undefined);
  if (missing.length === 0) return d;
  return new Dispatcher(new Registry([...d.registry.commands, ...missing]), d.session);
}

/**
 * Located problems with the command names a lesson's checks use: each must be a registry name
 * (`k`, not `kv`: the word typed is narrowed with `options`).
 */
export function commandNameProblems(lesson: Lesson, registry: Registry): string[] {
  const problems: string[] = [];
  for (const step of lesson.steps) {
    for (const leaf of leavesOf(step.check)) {
      if (leaf.kind !== 'command') continue;
      const spec = registry.find(leaf.name);
      const at = lesson.locate([...leaf.path, 'command']);
      if (!spec) problems.push(`${at}: no command is named '${leaf.name}'`);
      else if (spec.name.toLowerCase() !== leaf.name.toLowerCase()) {
        const extra = leaf.name.toLowerCase().startsWith(spec.name.toLowerCase()) ? leaf.name.slice(spec.name.length) : '';
        const narrow = extra && /^[a-z]+$/i.test(extra) ? ` (add options: ${extra} to require '${leaf.name}')` : '';
        problems.push(`${at}: '${leaf.name}' is served by the command named '${spec.name}': write command: ${spec.name}${narrow}`);
      }
    }
  }
  return problems;
}

/** A session on the lesson's scenario with the lesson running on it. */
export interface LessonSession {
  readonly dispatcher: Dispatcher;
  readonly runner: LessonRunner;
}

/**
 * Opens the lesson's scenario, adds the lesson commands, records the transcript and attaches a
 * runner (resuming `saved` progress, saving to `store` when given). Throws LessonError, one
 * line per check, when checks name no command.
 */
export async function openLessonSession(lesson: Lesson, options: { store?: ProgressStore; saved?: LessonProgress } = {}): Promise<LessonSession> {
  const dispatcher = withLessonCommands(await openSession(lesson.scenarioPath));
  const problems = commandNameProblems(lesson, dispatcher.registry);
  if (problems.length > 0) throw new LessonError(problems.join('\n'));
  recordTranscript(dispatcher.session);
  const runner = new LessonRunner(lesson, dispatcher.session, options.store, options.saved);
  runner.attach(dispatcher);
  return { dispatcher, runner };
}
