import type { DumpSession } from '../session/dump-session.js';
import type { Dispatcher } from './dispatcher.js';
import { type Line } from './output.js';

/**
 * Runs one command line as kd shows it: the prompt and the command, then its output. Both front
 * ends (ink and plain) and the log go through here, so they cannot drift apart.
 */
export async function runEchoed(
  dispatcher: Dispatcher,
  line: string,
  options: { signal?: AbortSignal; onLines?: (lines: readonly Line[]) => void } = {},
): Promise<Line[]> {
  const session: DumpSession = dispatcher.session;
  const prompt = session.prompt();
  const echo: Line = { text: `${prompt}${line}`, role: 'prompt' };
  session.log([echo]);
  options.onLines?.([echo]);
  const lines = await dispatcher.execute(line, {
    column: prompt.length,
    ...(options.signal ? { signal: options.signal } : {}),
    onLines: (chunk) => {
      session.log(chunk);
      options.onLines?.(chunk);
    },
  });
  return [echo, ...lines];
}
