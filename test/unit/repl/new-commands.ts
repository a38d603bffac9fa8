import { COMMANDS } from '../../../commands/index.js';
import { displayStringCommand } from '../../../commands/display-string.js';
import { exepathCommand, exepathPlusCommand } from '../../../commands/dot-exepath.js';
import { kframesCommand } from '../../../commands/dot-kframes.js';
import { dotThreadCommand } from '../../../commands/dot-thread.js';
import type { CommandSpec } from '../../../src/repl/command.js';
import { Dispatcher } from '../../../src/repl/dispatcher.js';
import { Registry } from '../../../src/repl/registry.js';
import type { DumpSession } from '../../../src/session/dump-session.js';

/** `.thread`, `ds`/`dS`, `.exepath`/`.exepath+`, `.kframes`: the commands commands/index.ts may not list yet. */
export const NEW_COMMANDS: readonly CommandSpec[] = [dotThreadCommand, displayStringCommand, exepathCommand, exepathPlusCommand, kframesCommand] as CommandSpec[];

/** Every command, the new ones added once (they may already be registered). */
export function allCommands(): readonly CommandSpec[] {
  return [...COMMANDS, ...NEW_COMMANDS.filter((c) => !COMMANDS.includes(c))];
}

/** A dispatcher over `session` that knows the new commands. */
export function dispatcherWithNew(session: DumpSession): Dispatcher {
  return new Dispatcher(new Registry(allCommands()), session);
}

/** Runs one line; returns the output texts. */
export async function run(d: Dispatcher, line: string): Promise<string[]> {
  return (await d.execute(line, { column: d.session.prompt().length })).map((l) => l.text);
}
