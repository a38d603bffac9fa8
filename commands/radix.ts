import { CaretError } from '../src/errors.js';
import { defineCommand } from '../src/repl/command.js';
import { out } from '../src/repl/output.js';

/** `n [8|10|16]`: show or set the default input radix. */
export const radixCommand = defineCommand({
  name: 'n',
  summary: 'Show or set the default number base (8, 10 or 16)',
  usage: 'n [Radix]',
  parse(inv) {
    const t = inv.rest.trim();
    if (t === '') return undefined;
    // The new radix is always read in decimal, whatever the current one is.
    if (!/^(8|10|16)$/.test(t)) throw new CaretError('syntax', 'Syntax', inv.text.length - 1);
    return Number(t);
  },
  run(radix, { session }) {
    if (radix !== undefined) session.radix = radix;
    return session.radix;
  },
  format: (radix) => [out(`base is ${radix}`)],
});
