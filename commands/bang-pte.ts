import { DebuggerError } from '../src/errors.js';
import { kernelView } from '../src/kernel-objects/kernel-view.js';
import type { Lookup } from '../src/kernel-objects/lookup.js';
import { protectionText } from '../src/kernel-objects/names.js';
import type { PteReport } from '../src/kernel-objects/pte-walk.js';
import { decodeSoftwarePte, PTE_LEVEL_NAMES, pteFlags, walkPte } from '../src/kernel-objects/pte-walk.js';
import { ArgCursor } from '../src/repl/args.js';
import { defineCommand } from '../src/repl/command.js';
import { err, out, type Line } from '../src/repl/output.js';

/** Every `!pte` column is 27 characters wide. */
const COLUMN = 27;

const upper16 = (v: bigint): string => BigInt.asUintN(64, v).toString(16).toUpperCase().padStart(16, '0');

/** An entry address, or kd's `?` run for one the walk never reached. */
function addressText(a: bigint | undefined): string {
  return a === undefined ? '?'.repeat(16) : upper16(a);
}

/** The sub-lines kd prints under `not valid` for a non-zero invalid entry. */
function softwareLines(entry: bigint, build: number): string[] {
  const s = decodeSoftwarePte(entry, build);
  const protect = `Protect: ${protectionText(s.protection)}`;
  switch (s.kind) {
    case 'transition':
      return [`Transition: ${s.pfn.toString(16)}`, protect];
    case 'prototype': {
      // ProtoAddress is bits 16-63, sign-extended; all ones means "look in the VAD".
      const proto = BigInt.asUintN(64, BigInt.asIntN(48, entry >> 16n));
      return [proto === 0xffff_ffff_ffff_ffffn ? 'Proto: VAD' : `Proto: ${upper16(proto)}`];
    }
    case 'demand-zero':
      return ['DemandZero', protect];
    case 'pagefile':
      return [`PageFile: ${s.pageFile}`, `Offset: ${s.offset.toString(16)}`, protect];
  }
}

/** The `!pte` text (kd's x64 layout: VA line, entry addresses, contents, then pfn and status bits). */
export function formatPte(r: PteReport, build: number): Line[] {
  const lines: Line[] = [];
  if (!r.selfMap) lines.push(err('crashkd: the page-table self-map entry was not found; the entry addresses below are physical'));
  lines.push(out(`${' '.repeat(43)}VA ${r.va.toString(16).padStart(16, '0')}`));
  lines.push(out(PTE_LEVEL_NAMES.map((n, i) => `${n} at ${addressText(r.entryAddresses[i])}`.padEnd(COLUMN)).join('').trimEnd()));
  if (r.entries.length > 0) lines.push(out(r.entries.map((e) => `contains ${upper16(e)}`.padEnd(COLUMN)).join('').trimEnd()));
  let row = '';
  const after: string[] = [];
  for (let i = 0; i < r.entries.length; i++) {
    const e = r.entries[i]!;
    if ((e & 1n) === 1n) {
      // The PageFrameNumber field as stored: for a large entry it includes bit 12 (PAT).
      row += `pfn ${((e & 0x000f_ffff_ffff_f000n) >> 12n).toString(16).padEnd(10)}${pteFlags(e, i)}`.padEnd(COLUMN);
      if (r.large?.level === i) {
        // The next column names the frame the address lands in, whatever the next "entry" holds.
        row += `LARGE PAGE pfn ${r.large.pfn.toString(16)}`;
        break;
      }
      continue;
    }
    if (e === 0n) {
      // kd repeats the zero entry in this row, then says "not valid" on a line of its own.
      row += `contains ${upper16(e)}`;
      after.push('not valid');
    } else {
      row += 'not valid';
      // The decoded fields line up one column right of the entry's column.
      after.push(...softwareLines(e, build).map((s) => `${' '.repeat(i * COLUMN + 1)}${s}`));
    }
    break;
  }
  if (row) lines.push(out(row.trimEnd()));
  for (const a of after) lines.push(out(a));
  if (r.missingTable) {
    const name = PTE_LEVEL_NAMES[r.missingTable.level]!;
    lines.push(err(`crashkd: the page-table page holding the ${name} (physical ${r.missingTable.tablePa.toString(16)}) is not in this dump`));
  }
  return lines;
}

/** `!pte VirtualAddress`: the four x64 paging levels that map an address, from the dump's page tables. */
export const pteCommand = defineCommand({
  name: '!pte',
  summary: 'Show the page-table entries (PXE, PPE, PDE, PTE) that map a virtual address',
  usage: '!pte VirtualAddress',
  requires: ['kernel-target'],
  parse(inv, { session }): bigint {
    const c = new ArgCursor(inv.text, inv.restOffset, session);
    if (c.atEnd) throw new DebuggerError('usage', 'Usage: !pte VirtualAddress');
    const va = c.expression();
    if (!c.atEnd) throw new DebuggerError('unsupported', 'crashkd: only `!pte VirtualAddress` is supported (not the PTE-address, literal or range forms)');
    return BigInt.asUintN(64, va);
  },
  run(va, { session }): Lookup<PteReport> {
    return walkPte(kernelView(session.target), va);
  },
  format(r, _va, { session }) {
    return r.ok ? formatPte(r.value, session.target.system.buildNumber) : [err(`crashkd: ${r.missing}`)];
  },
});
