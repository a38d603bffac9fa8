import { defineCommand } from '../src/repl/command.js';
import { out } from '../src/repl/output.js';

/** `.echo text` / `.echo "text"`: print a string (an unquoted one ends at `;`). */
export const echoCommand = defineCommand({
  name: '.echo',
  summary: 'Print a string',
  usage: '.echo [String | "String"]',
  parse(inv) {
    const t = inv.rest.trim();
    const quoted = /^"(.*)"$/.exec(t);
    return quoted ? quoted[1]! : t;
  },
  run: (text) => text,
  format: (text) => [out(text)],
});
