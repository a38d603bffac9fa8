import { hex } from '../src/memory/address.js';
import { leUnsigned } from '../src/memory/virtual-memory.js';
import { optionalExpression } from '../src/repl/args.js';
import { defineCommand } from '../src/repl/command.js';
import type { DumpSession } from '../src/session/dump-session.js';
import { err, out, type Line } from '../src/repl/output.js';
import { currentTeb, pebFromTeb } from './bang-teb.js';

/** PEB, PEB_LDR_DATA and RTL_USER_PROCESS_PARAMETERS offsets for 32- and 64-bit processes. */
const LAYOUT = {
  4: {
    peb: { imageBase: 8, ldr: 0xc, parameters: 0x10, subSystemData: 0x14, processHeap: 0x18, size: 0x1c },
    ldr: { initialized: 4, loadOrder: 0xc, memoryOrder: 0x14, initOrder: 0x1c, size: 0x24 },
    params: { currentDirectory: 0x24, dllPath: 0x30, imagePath: 0x38, commandLine: 0x40, environment: 0x48, windowTitle: 0x70 },
  },
  8: {
    peb: { imageBase: 0x10, ldr: 0x18, parameters: 0x20, subSystemData: 0x28, processHeap: 0x30, size: 0x38 },
    ldr: { initialized: 4, loadOrder: 0x10, memoryOrder: 0x20, initOrder: 0x30, size: 0x40 },
    params: { currentDirectory: 0x38, dllPath: 0x50, imagePath: 0x60, commandLine: 0x70, environment: 0x80, windowTitle: 0xb0 },
  },
} as const;

/** Longest UNICODE_STRING cdb can hold (Length is a USHORT). */
const MAX_STRING_BYTES = 0xfffe;
const NOT_READABLE = '< Name not readable >';

function pointerAt(session: DumpSession, address: bigint): bigint | undefined {
  const size = session.target.pointerSize;
  const b = session.target.memory.readPartial(address, size);
  return b.length === size ? leUnsigned(b, 0, size) : undefined;
}

/** The text of the UNICODE_STRING at `address`, or undefined when it or its buffer is not in the dump. */
export function readUnicodeString(session: DumpSession, address: bigint): string | undefined {
  const size = session.target.pointerSize;
  const head = session.target.memory.readPartial(address, size * 2);
  if (head.length < size * 2) return undefined;
  const length = Math.min(Number(leUnsigned(head, 0, 2)) & ~1, MAX_STRING_BYTES);
  const buffer = leUnsigned(head, size, size);
  if (length === 0) return '';
  const bytes = session.target.memory.readPartial(buffer, length);
  if (bytes.length < length) return undefined;
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('utf16le');
}

/** The `!peb` lines for the PEB at `peb`. */
export function pebLines(session: DumpSession, peb: bigint): Line[] {
  const size = session.target.pointerSize;
  const l = LAYOUT[size];
  const mem = session.target.memory;
  const ptr = (v: bigint): string => hex(v, size * 2);
  const lines: Line[] = [out(`PEB at ${ptr(peb)}`)];
  const b = mem.readPartial(peb, l.peb.size);
  if (b.length < l.peb.size) {
    lines.push(err(`    The PEB's memory (${ptr(peb)}) is not in the dump; this minidump was written without process data.`));
    return lines;
  }
  const yesNo = (v: number | undefined): string => (v ? 'Yes' : 'No');
  const p = (off: number): bigint => leUnsigned(b, off, size);
  lines.push(
    out(`    InheritedAddressSpace:    ${yesNo(b[0])}`),
    out(`    ReadImageFileExecOptions: ${yesNo(b[1])}`),
    out(`    BeingDebugged:            ${yesNo(b[2])}`),
    out(`    ImageBaseAddress:         ${ptr(p(l.peb.imageBase))}`),
  );
  const ldr = p(l.peb.ldr);
  lines.push(out(`    Ldr                       ${ptr(ldr)}`));
  const lb = mem.readPartial(ldr, l.ldr.size);
  if (lb.length < l.ldr.size) lines.push(err(`    *** unable to read Ldr table at ${ptr(ldr)}`));
  else {
    const list = (off: number): string => `${ptr(leUnsigned(lb, off, size))} . ${ptr(leUnsigned(lb, off + size, size))}`;
    lines.push(
      out(`    Ldr.Initialized:          ${yesNo(lb[l.ldr.initialized])}`),
      out(`    Ldr.InInitializationOrderModuleList: ${list(l.ldr.initOrder)}`),
      out(`    Ldr.InLoadOrderModuleList:           ${list(l.ldr.loadOrder)}`),
      out(`    Ldr.InMemoryOrderModuleList:         ${list(l.ldr.memoryOrder)}`),
    );
  }
  const params = p(l.peb.parameters);
  lines.push(
    out(`    SubSystemData:     ${ptr(p(l.peb.subSystemData))}`),
    out(`    ProcessHeap:       ${ptr(p(l.peb.processHeap))}`),
    out(`    ProcessParameters: ${ptr(params)}`),
  );
  const text = (off: number): string => `'${readUnicodeString(session, params + BigInt(off)) ?? NOT_READABLE}'`;
  if (pointerAt(session, params + BigInt(l.params.imagePath + size)) === undefined) {
    lines.push(err(`    The process parameters at ${ptr(params)} are not in the dump.`));
    return lines;
  }
  lines.push(
    out(`    CurrentDirectory:  ${text(l.params.currentDirectory)}`),
    out(`    WindowTitle:  ${text(l.params.windowTitle)}`),
    out(`    ImageFile:    ${text(l.params.imagePath)}`),
    out(`    CommandLine:  ${text(l.params.commandLine)}`),
    out(`    DllPath:      ${text(l.params.dllPath)}`),
  );
  const env = pointerAt(session, params + BigInt(l.params.environment));
  lines.push(out(`    Environment:  ${env === undefined ? '?' : ptr(env)}`));
  return lines;
}

/** `!peb [Address]`: the process environment block (address from the current thread's TEB by default). */
export const pebCommand = defineCommand({
  name: '!peb',
  summary: 'Display the process environment block (PEB)',
  usage: '!peb [Address]',
  requires: ['user-target'],
  parse: (inv, { session }) => optionalExpression(inv.text, inv.restOffset, session),
  run(address, { session }): Line[] {
    if (address !== undefined) return pebLines(session, address);
    const teb = currentTeb(session);
    const peb = teb === undefined ? undefined : pebFromTeb(session, teb);
    if (peb === undefined) {
      const where = teb === undefined ? 'the dump records no TEB for this thread' : `the TEB at ${hex(teb, session.target.pointerSize * 2)} is not in the dump`;
      return [err(`crashkd: cannot find the PEB: ${where}; give its address (!peb Address)`)];
    }
    return pebLines(session, peb);
  },
  format: (lines) => lines,
});
