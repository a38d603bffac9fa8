import { defineCommand } from '../src/repl/command.js';
import { lastEventLines } from '../src/format/user-event.js';
import { out } from '../src/repl/output.js';

/** `.lastevent`: the event stored in the dump, with the time the dump was written. */
export const lastEventCommand = defineCommand({
  name: '.lastevent',
  summary: 'Show the last event (the exception stored in the dump)',
  usage: '.lastevent',
  requires: ['user-target'],
  parse: () => undefined,
  run: (_a, { session }) => lastEventLines(session.target),
  format: (lines) => lines.map(out),
});
