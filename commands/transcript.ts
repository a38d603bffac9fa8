import { DebuggerError } from '../src/errors.js';
import { activeLesson } from '../src/lessons/active-lesson.js';
import { isNavigation, renderHandout } from '../src/lessons/handout.js';
import { transcriptOf } from '../src/lessons/transcript-recorder.js';
import { defineCommand } from '../src/repl/command.js';
import { out } from '../src/repl/output.js';

/** `.transcript save FILE.md`: the session so far as a Markdown handout. */
export const transcriptCommand = defineCommand({
  name: '.transcript',
  summary: 'Save the session so far as a Markdown handout (commands, outputs, lesson explanations)',
  usage: '.transcript save File.md',
  takesRestOfLine: true,
  parse(inv): string {
    const m = /^\s*save\s+(.+?)\s*$/i.exec(inv.rest);
    if (!m) throw new DebuggerError('usage', 'Usage: .transcript save File.md');
    return m[1]!.replace(/^"(.*)"$/, '$1');
  },
  run(path, { session }) {
    const recorder = transcriptOf(session);
    if (!recorder) throw new DebuggerError('message', 'This session is not being recorded, so there is no transcript to save');
    const lesson = activeLesson(session);
    const text = renderHandout({
      source: session.target.path,
      entries: recorder.entries,
      ...(lesson ? { lesson: lesson.lesson, passes: lesson.passes } : {}),
      when: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
    });
    try {
      session.host.openLog(path, false)(text);
    } catch (e) {
      throw new DebuggerError('message', `Cannot write ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    const commands = recorder.entries.filter((e) => !isNavigation(e.command)).length;
    const steps = lesson ? `, ${lesson.passes.length} step explanation${lesson.passes.length === 1 ? '' : 's'}` : '';
    return { path, commands, steps };
  },
  format: (r) => [out(`Transcript saved to ${r.path} (${r.commands} command line${r.commands === 1 ? '' : 's'}${r.steps})`)],
});
