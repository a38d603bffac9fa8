import { formatPointer } from '../src/memory/address.js';
import { evaluateArgument } from '../src/repl/args.js';
import { defineCommand } from '../src/repl/command.js';
import { out, type Line } from '../src/repl/output.js';

/** `ln Address`: the nearest symbols around an address. */
export const lnCommand = defineCommand({
  name: 'ln',
  summary: 'List the nearest symbols',
  usage: 'ln Address',
  parse: (inv, { session }) => evaluateArgument(inv.text, inv.restOffset, session),
  async run(address, { session, signal }) {
    const module = session.symbols.modules.find(address);
    if (!module) return undefined;
    await session.prepareSymbols([address], signal);
    const message = session.symbols.touch(module);
    const symbols = module.symbols();
    const rva = Number(address - module.base);
    const before = symbols.nearest(rva);
    const after = symbols.next(rva);
    return { module, before, after, rva, message };
  },
  format(r, _a, { session }): Line[] {
    if (!r) return [];
    // The module's first symbol load still reports itself when nothing is near.
    const lines = r.message ? [out(r.message)] : [];
    if (!r.before) return lines;
    const size = session.target.pointerSize;
    const at = (rva: number) => formatPointer(r.module.base + BigInt(rva), size);
    const disp = r.rva - r.before.rva;
    const name = `${r.module.name}!${r.before.name}${disp === 0 ? '' : `+0x${disp.toString(16)}`}`;
    let first = `(${at(r.before.rva)})   ${name}`;
    if (r.after) first += `   |  (${at(r.after.rva)})   ${r.module.name}!${r.after.name}`;
    lines.push(out(first));
    if (disp === 0) lines.push(out('Exact matches:'), out(`    ${r.module.name}!${r.before.name} = `));
    return lines;
  },
});
