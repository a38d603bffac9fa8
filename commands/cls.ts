import { defineCommand } from '../src/repl/command.js';

/** `.cls`: clears the screen in the GUI; console debuggers print nothing, and so do we. */
export const clsCommand = defineCommand({
  name: '.cls',
  summary: 'Clear the screen (no output in console mode)',
  usage: '.cls',
  parse: () => undefined,
  run: () => undefined,
  format: () => [],
});
