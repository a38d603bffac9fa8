import { hex16, kernelView } from '../src/kernel-objects/kernel-view.js';
import type { Lookup } from '../src/kernel-objects/lookup.js';
import { missing } from '../src/kernel-objects/lookup.js';
import type { PrcbInfo } from '../src/kernel-objects/processor-block.js';
import { readPrcb } from '../src/kernel-objects/processor-block.js';
import { parseProcessorArgument } from '../src/kernel-objects/processor-arg.js';
import { defineCommand } from '../src/repl/command.js';
import { err, out, type Line } from '../src/repl/output.js';

const hex8 = (n: number): string => (n >>> 0).toString(16).padStart(8, '0');

/** The `!prcb` text for one processor (windbg-commands.md section 11); lines whose fields the dump lacks are left out. */
export function formatPrcb(p: PrcbInfo): Line[] {
  const lines: Line[] = [out(`PRCB for Processor ${p.processor} at ${hex16(p.prcb)}:`)];
  if (p.irql !== undefined) lines.push(out(`Current IRQL -- ${p.irql}`));
  const t = p.threads;
  lines.push(out(`Threads--  Current ${hex16(t.current)} Next ${hex16(t.next)} Idle ${hex16(t.idle)}`));
  if (p.number !== undefined && p.group !== undefined && p.groupIndex !== undefined && p.groupSetMember !== undefined) {
    lines.push(out(`Processor Index ${p.number} Number (${p.group}, ${p.groupIndex}) GroupSetMember ${p.groupSetMember.toString(16)}`));
  }
  const c = p.counts;
  if (c) {
    lines.push(out(`Interrupt Count -- ${hex8(c.interrupts)}`));
    // Both Times lines end with a blank, as kd prints them.
    lines.push(out(`Times -- Dpc    ${hex8(c.dpc)} Interrupt ${hex8(c.interrupt)} `));
    lines.push(out(`         Kernel ${hex8(c.kernel)} User      ${hex8(c.user)} `));
  }
  return lines;
}

/** `!prcb [Processor]`: the Processor Control Block of a processor (the current one by default). */
export const prcbCommand = defineCommand({
  name: '!prcb',
  summary: "Show a processor's KPRCB (threads, number, interrupt and time counters)",
  usage: '!prcb [Processor]',
  requires: ['kernel-target'],
  parse(inv, { session }) {
    return parseProcessorArgument(inv, session);
  },
  run(n, { session }): Lookup<PrcbInfo> {
    const index = n ?? session.currentIndex;
    const unit = session.target.units[index];
    if (!unit) return missing(`there is no processor ${index} (this target has ${session.target.units.length})`);
    return readPrcb(kernelView(session.target), unit);
  },
  format(r) {
    return r.ok ? formatPrcb(r.value) : [err(`crashkd: ${r.missing}`)];
  },
});
