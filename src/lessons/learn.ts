import { createInterface } from 'node:readline';
import type { Dispatcher } from '../repl/dispatcher.js';
import { out, type Line } from '../repl/output.js';
import { runEchoed } from '../repl/transcript.js';
import type { Feedback, LessonRunner } from './runner.js';

/** Where plain lesson mode writes (stdout in the CLI; an array in tests). */
export type TextSink = (text: string) => void;

/**
 * Plain lesson mode (no TTY, `-c`, screen readers, CI): the introduction and task as text,
 * then each command echoed with its output, each followed by the lesson's feedback
 * (`Passed. ...`, `Step 3/7: ...`). Runs `first`, then `input` lines, until `q` or the end.
 */
export async function runPlainLesson(
  dispatcher: Dispatcher,
  runner: LessonRunner,
  banner: readonly string[],
  first: readonly string[],
  input: AsyncIterable<string> | undefined,
  write: TextSink,
): Promise<void> {
  const print = (lines: readonly Line[] | readonly string[]) => {
    if (lines.length > 0) write(lines.map((l) => `${typeof l === 'string' ? l : l.text}\n`).join(''));
  };
  print(banner);
  print(runner.introduction());
  // Feedback is told while a command finishes, before its output is handed out: hold it until then.
  const pending: Feedback[] = [];
  const stop = runner.onFeedback((f) => pending.push(f));
  const flush = () => {
    for (const f of pending.splice(0)) print(f.lines);
  };
  const run = async (line: string) => {
    await runEchoed(dispatcher, line, {
      onLines: (chunk) => {
        print(chunk);
        flush();
      },
    });
    flush();
  };
  try {
    for (const c of first) {
      if (dispatcher.session.quitRequested) return;
      await run(c);
    }
    if (!input || dispatcher.session.quitRequested) return;
    for await (const line of input) {
      await run(line);
      if (dispatcher.session.quitRequested) break;
    }
  } finally {
    stop();
  }
}

/** stdin as lines, for plain mode. */
export function stdinLines(): AsyncIterable<string> & { close(): void } {
  return createInterface({ input: process.stdin, crlfDelay: Infinity, terminal: false });
}

/** The ink REPL with the lesson panel above the prompt; resolves with the exit code. */
export async function runInteractiveLesson(dispatcher: Dispatcher, runner: LessonRunner, banner: readonly string[], first: readonly string[]): Promise<number> {
  const { runInteractive } = await import('../ui/run-interactive.js');
  const intro = runner.introduction({ withStep: false }).map(out);
  return runInteractive(dispatcher, [...banner.map(out), ...intro], { initialCommands: first, lesson: runner });
}
