import { COMMANDS } from '../../../commands/index.js';
import { ALIAS_COMMANDS } from '../../../commands/aliases.js';
import { CONTROL_FLOW_COMMANDS } from '../../../commands/control-flow.js';
import { printfCommand } from '../../../commands/printf.js';
import { echoTimeCommand, timeCommand } from '../../../commands/time.js';
import type { CommandSpec } from '../../../src/repl/command.js';
import { Dispatcher } from '../../../src/repl/dispatcher.js';
import { Registry } from '../../../src/repl/registry.js';
import { runEchoed } from '../../../src/repl/transcript.js';
import { createSession } from '../../../src/session/create-session.js';
import type { SessionHost } from '../../../src/session/host.js';
import { openTarget } from '../../../src/session/open-target.js';

/** The seed scenario every script test runs against. */
export const SEED = 'fixtures/clock-watchdog-0x101.yaml';

/** The script-language commands, as the lead will register them. */
export const SCRIPT_COMMANDS: readonly CommandSpec[] = [
  ...CONTROL_FLOW_COMMANDS,
  ...(ALIAS_COMMANDS as readonly CommandSpec[]),
  printfCommand as CommandSpec,
  echoTimeCommand as CommandSpec,
  timeCommand as CommandSpec,
];

/** COMMANDS plus the script commands (skipping any already registered). */
export function scriptRegistry(): Registry {
  const known = new Set(COMMANDS.map((c) => c.name.toLowerCase()));
  return new Registry([...COMMANDS, ...SCRIPT_COMMANDS.filter((c) => !known.has(c.name.toLowerCase()))]);
}

/** A dispatcher over a fresh seed session; `files` are script files served by the host. */
export async function seedDispatcher(files: Record<string, string> = {}): Promise<Dispatcher> {
  const host: SessionHost = {
    readTextFile(path) {
      const text = files[path];
      if (text === undefined) throw new Error(`ENOENT: ${path}`);
      return text;
    },
    openLog: () => () => undefined,
  };
  return new Dispatcher(scriptRegistry(), createSession(await openTarget(SEED), host));
}

/** Runs typed lines as kd shows them (prompt, command, output) and returns the text. */
export async function transcript(d: Dispatcher, ...lines: string[]): Promise<string> {
  let text = '';
  for (const line of lines) text += (await runEchoed(d, line)).map((l) => `${l.text}\n`).join('');
  return text;
}

/** Output of one line, without the echoed prompt line. */
export async function output(d: Dispatcher, line: string, signal?: AbortSignal): Promise<string[]> {
  const lines = await d.execute(line, { column: 7, ...(signal ? { signal } : {}) });
  return lines.map((l) => l.text);
}
