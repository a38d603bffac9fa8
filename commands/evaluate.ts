import { defineCommand } from '../src/repl/command.js';
import { evaluateArgument } from '../src/repl/args.js';
import { formatPointer, signed64 } from '../src/memory/address.js';
import { out } from '../src/repl/output.js';

/** `? expr`: MASM evaluation, printed as signed decimal and pointer-sized hex. */
export const evaluateCommand = defineCommand({
  name: '?',
  summary: 'Evaluate a MASM expression',
  usage: '? Expression',
  parse: (inv) => inv,
  run(inv, { session }) {
    if (inv.rest.trim() === '') return undefined;
    const value = evaluateArgument(inv.text, inv.restOffset, session);
    session.pseudo.set('$exp', value);
    return value;
  },
  format(value, _inv, { session }) {
    if (value === undefined) return [out('Usage: ? Expression (use .help for the command list)')];
    const size = session.target.pointerSize;
    const shown = size === 4 ? value & 0xffffffffn : BigInt.asUintN(64, value);
    const dec = size === 4 ? BigInt.asIntN(32, shown) : signed64(shown);
    return [out(`Evaluate expression: ${dec} = ${formatPointer(shown, size)}`)];
  },
});
