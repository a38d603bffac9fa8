import { defineCommand } from '../src/repl/command.js';
import { evaluateArgument } from '../src/repl/args.js';
import { numberFormats } from '../src/format/number-formats.js';
import { out } from '../src/repl/output.js';

/** `.formats expr`: one value in every number format (classic 6.x layout, no unsigned line). */
export const formatsCommand = defineCommand({
  name: '.formats',
  summary: 'Show a value in hex, decimal, octal, binary, characters, time and floating point',
  usage: '.formats Expression',
  parse: (inv) => inv,
  run: (inv, { session }) => evaluateArgument(inv.text, inv.restOffset, session),
  format: (value, _t, { session }) => numberFormats(value, session.target.pointerSize).map(out),
});
