import { formatPointer, hex } from '../src/memory/address.js';
import { defineCommand } from '../src/repl/command.js';
import { out } from '../src/repl/output.js';

/** `.bugcheck`: the bug check code and its four arguments. */
export const bugcheckCommand = defineCommand({
  name: '.bugcheck',
  summary: 'Show the bug check code and parameters',
  usage: '.bugcheck',
  requires: ['kernel-target'],
  parse: () => undefined,
  run: (_a, { session }) => session.target.bugCheck,
  format(b, _a, { session }) {
    if (!b) return [out('No bug check information is present in this dump')];
    const size = session.target.pointerSize;
    return [
      out(`Bugcheck code ${hex(b.code, 8).toUpperCase()}`),
      out(`Arguments ${b.parameters.map((p) => formatPointer(p, size)).join(' ')}`),
    ];
  },
  json: (b) => (b ? { code: b.code, parameters: b.parameters } : { code: null }),
});
