import { ArgCursor } from '../src/repl/args.js';
import { defineCommand } from '../src/repl/command.js';
import { out } from '../src/repl/output.js';

/** x64 IRQL names as !irql prints them (wdm.h values; 3-11 are device levels). */
const X64_IRQL_NAMES: Record<number, string> = {
  0: 'LOW_LEVEL',
  1: 'APC_LEVEL',
  2: 'DISPATCH_LEVEL',
  5: 'CMCI_LEVEL',
  12: 'SYNCH_LEVEL',
  13: 'CLOCK_LEVEL',
  14: 'IPI_LEVEL',
  15: 'HIGH_LEVEL',
};

/** `!irql [Processor]`: the IRQL saved when the machine stopped. */
export const irqlCommand = defineCommand({
  name: '!irql',
  summary: 'Show the IRQL saved for a processor',
  usage: '!irql [Processor]',
  requires: ['kernel-target'],
  parse(inv, { session }) {
    const c = new ArgCursor(inv.text, inv.restOffset, session);
    if (c.atEnd) return undefined;
    // The processor number is decimal, like every processor number in kd.
    const m = /^\d+/.exec(c.remaining);
    const n = m ? Number(m[0]) : Number(c.expression());
    return n;
  },
  run(n, { session }) {
    const index = n ?? session.currentIndex;
    const unit = session.target.units[index];
    if (!unit || unit.irql === undefined) return { index, irql: undefined, note: unit?.contextNote };
    return { index, irql: unit.irql, note: undefined };
  },
  format(r) {
    if (r.irql === undefined) return [out(r.note ? `Cannot get PRCB address (${r.note})` : 'Cannot get PRCB address')];
    const name = X64_IRQL_NAMES[r.irql] ?? 'DEVICE_LEVEL';
    return [out(`Debugger saved IRQL for processor 0x${r.index.toString(16)} -- ${r.irql} (${name})`)];
  },
});
