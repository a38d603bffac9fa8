import type { DumpSession } from '../session/dump-session.js';
import type { LessonRunner } from './runner.js';

const active = new WeakMap<DumpSession, LessonRunner>();

/** The lesson running on a session, for the lesson commands (`.hint`, `.answer`...). */
export function activeLesson(session: DumpSession): LessonRunner | undefined {
  return active.get(session);
}

/** Makes `runner` the session's lesson; returns a function that detaches it again. */
export function setActiveLesson(session: DumpSession, runner: LessonRunner): () => void {
  active.set(session, runner);
  return () => {
    if (active.get(session) === runner) active.delete(session);
  };
}
