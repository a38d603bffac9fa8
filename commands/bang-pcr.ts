import { hex16, kernelView } from '../src/kernel-objects/kernel-view.js';
import type { Lookup } from '../src/kernel-objects/lookup.js';
import { missing } from '../src/kernel-objects/lookup.js';
import type { PcrInfo } from '../src/kernel-objects/processor-block.js';
import { readPcr } from '../src/kernel-objects/processor-block.js';
import { parseProcessorArgument } from '../src/kernel-objects/processor-arg.js';
import { defineCommand } from '../src/repl/command.js';
import { err, out, type Line } from '../src/repl/output.js';

/** NT_TIB labels in field order; x64 overlays GdtBase, TssBase, UserRsp, Self, CurrentPrcb, LockArray, Used_Self on them. */
const NT_TIB_LABELS = ['NtTib.ExceptionList', 'NtTib.StackBase', 'NtTib.StackLimit', 'NtTib.SubSystemTib', 'NtTib.Version', 'NtTib.UserPointer', 'NtTib.SelfTib'];

/** `\t` + label right-aligned to 19 + `: ` + 16 digits: the layout of every `!pcr` field line. */
function field(label: string, value: bigint): Line {
  return out(`\t${label.padStart(19)}: ${hex16(value)}`);
}

/** The `!pcr` text for one processor (windbg-commands.md section 11). */
export function formatPcr(p: PcrInfo): Line[] {
  const lines: Line[] = [out(`KPCR for Processor ${p.processor} at ${hex16(p.pcr)}:`)];
  if (p.ntTib && p.version) {
    lines.push(out(`    Major ${p.version.major} Minor ${p.version.minor}`));
    // NtTib.Version is a ULONG sharing its slot with CurrentPrcb: kd prints the low half.
    p.ntTib.forEach((v, i) => lines.push(field(NT_TIB_LABELS[i]!, i === 4 ? v & 0xffff_ffffn : v)));
    lines.push(out(''));
    // SelfPcr, IRR, IDR, InterruptMode, IDT, GDT and TSS are x86 KPCR fields: kd's x64 output
    // prints them as zero (the classic sample in section 11), and so does crashkd.
    lines.push(field('SelfPcr', 0n), field('Prcb', p.prcb), field('Irql', BigInt(p.irql ?? 0)));
    for (const label of ['IRR', 'IDR', 'InterruptMode', 'IDT', 'GDT', 'TSS']) lines.push(field(label, 0n));
  } else {
    lines.push(err(`crashkd: the KPCR header at ${hex16(p.pcr)} is not in this dump; showing what its KPRCB holds`));
    lines.push(field('Prcb', p.prcb));
  }
  if (p.threads) {
    lines.push(out(''), field('CurrentThread', p.threads.current), field('NextThread', p.threads.next), field('IdleThread', p.threads.idle));
  } else {
    lines.push(err(`crashkd: processor ${p.processor}'s KPRCB at ${hex16(p.prcb)} is not in this dump`));
  }
  if (p.ntTib) lines.push(out(''), out('\t          DpcQueue:'));
  return lines;
}

/** `!pcr [Processor]`: the Processor Control Region of a processor (the current one by default). */
export const pcrCommand = defineCommand({
  name: '!pcr',
  summary: "Show a processor's KPCR (Processor Control Region)",
  usage: '!pcr [Processor]',
  requires: ['kernel-target'],
  parse(inv, { session }) {
    return parseProcessorArgument(inv, session);
  },
  run(n, { session }): Lookup<PcrInfo> {
    const index = n ?? session.currentIndex;
    const unit = session.target.units[index];
    if (!unit) return missing(`there is no processor ${index} (this target has ${session.target.units.length})`);
    return readPcr(kernelView(session.target), unit);
  },
  format(r) {
    return r.ok ? formatPcr(r.value) : [err(`crashkd: ${r.missing}`)];
  },
});
