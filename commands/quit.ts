import { defineCommand } from '../src/repl/command.js';
import { out } from '../src/repl/output.js';

/** `q` / `qq`: end the session; kd prints `quit:` as it leaves. */
export const quitCommand = defineCommand({
  name: 'q',
  aliases: ['qq', 'qd'],
  summary: 'Quit the debugger',
  usage: 'q',
  parse: () => undefined,
  run(_a, { session }) {
    session.quitRequested = true;
  },
  format: () => [out('quit:')],
});
