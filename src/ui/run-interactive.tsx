import { render, type Instance } from 'ink';
import type { Dispatcher } from '../repl/dispatcher.js';
import type { Line } from '../repl/output.js';
import type { LessonRunner } from '../lessons/runner.js';
import { App } from './app.js';
import { defaultHistoryPath, History } from './history.js';

/** Options of an interactive session. */
export interface InteractiveOptions {
  /** History file; defaults to CRASHKD_HISTORY or `~/.crashkd_history`. */
  readonly historyFile?: string;
  /** Command lines to run first (`-c`), echoed like typed ones. */
  readonly initialCommands?: readonly string[];
  /** Lesson mode: shows the lesson panel above the prompt. */
  readonly lesson?: LessonRunner;
}

/**
 * Runs the ink REPL on the process's terminal until the user quits; resolves with the exit
 * code (0). Needs a TTY stdin (ink puts it in raw mode).
 */
export async function runInteractive(dispatcher: Dispatcher, banner: readonly Line[], options: InteractiveOptions = {}): Promise<number> {
  const history = new History(options.historyFile ?? defaultHistoryPath());
  let instance: Instance | undefined;
  // Deferred a turn: the exit is requested from an effect, and `instance` may not be set yet.
  const onExit = (): void => {
    setImmediate(() => instance?.unmount());
  };
  // Ctrl+C belongs to the REPL (cancel a command, clear the line), not to ink's exit.
  instance = render(
    <App
      dispatcher={dispatcher}
      banner={banner}
      history={history}
      initialCommands={options.initialCommands ?? []}
      onExit={onExit}
      {...(options.lesson ? { lesson: options.lesson } : {})}
    />,
    { exitOnCtrlC: false },
  );
  await instance.waitUntilExit();
  return 0;
}
