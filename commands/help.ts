import { defineCommand } from '../src/repl/command.js';
import type { CommandSpec } from '../src/repl/command.js';
import { out } from '../src/repl/output.js';

/** `.help`: the command list, generated from the registry so it never goes stale. */
export function helpCommand(commands: () => readonly CommandSpec[]) {
  return defineCommand({
    name: '.help',
    summary: 'List the commands crashkd knows',
    usage: '.help',
    parse: () => undefined,
    run: () => commands(),
    format(list) {
      const width = Math.max(...list.map((c) => c.usage.length)) + 2;
      return [
        out('crashkd commands (WinDbg/KD syntax):'),
        out(''),
        ...list.map((c) => out(`  ${c.usage.padEnd(width)}${c.summary}`)),
      ];
    },
  });
}
