/**
 * Synthetic user-mode minidumps for the event and TEB/PEB command tests, built with the
 * independent minidump builder; sessions get every command plus the user-mode ones.
 */
import { COMMANDS } from '../../../commands/index.js';
import { pebCommand } from '../../../commands/bang-peb.js';
import { tebCommand } from '../../../commands/bang-teb.js';
import { ecxrCommand } from '../../../commands/ecxr.js';
import { exrCommand } from '../../../commands/exr.js';
import { lastEventCommand } from '../../../commands/lastevent.js';
import { pipeCommand } from '../../../commands/pipe.js';
import type { CommandSpec } from '../../../src/repl/command.js';
import { Dispatcher } from '../../../src/repl/dispatcher.js';
import { commandWord } from '../../../src/repl/line-parser.js';
import { Registry } from '../../../src/repl/registry.js';
import { createSession } from '../../../src/session/create-session.js';
import type { DumpSession } from '../../../src/session/dump-session.js';
import { SortedSymbols } from '../../../src/symbols/sorted-symbols.js';
import type { ModuleFactory } from '../../../src/target/module-info.js';
import { openMinidumpBytes } from '../../../src/target/user/minidump-target.js';
import { MinidumpBuilder } from '../../builders/minidump-builder.js';

/** The commands this work adds, as the lead will register them. */
export const USER_COMMANDS = [pipeCommand, lastEventCommand, ecxrCommand, exrCommand, tebCommand, pebCommand] as readonly CommandSpec[];

/** Every command plus the user-mode ones (without duplicates once commands/index.ts lists them). */
export function userRegistry(): Registry {
  const names = new Set(USER_COMMANDS.map((c) => c.name));
  return new Registry([...COMMANDS.filter((c) => !names.has(c.name)), ...USER_COMMANDS]);
}

/** Little-endian bytes of a layout given as (offset, size, value) fields. */
export function struct(size: number, fields: readonly (readonly [number, 1 | 2 | 4 | 8, bigint | number])[]): Uint8Array {
  const b = new Uint8Array(size);
  const dv = new DataView(b.buffer);
  for (const [off, width, v] of fields) {
    const n = BigInt(v);
    if (width === 1) dv.setUint8(off, Number(n));
    else if (width === 2) dv.setUint16(off, Number(n), true);
    else if (width === 4) dv.setUint32(off, Number(BigInt.asUintN(32, n)), true);
    else dv.setBigUint64(off, BigInt.asUintN(64, n), true);
  }
  return b;
}

function utf16(s: string): Uint8Array {
  return new Uint8Array(Buffer.from(s, 'utf16le'));
}

/** Every module gets one function, `app!CrashHere` at rva 0x1200, and no load message. */
const modules: ModuleFactory = (info) => {
  const symbols = new SortedSymbols('pdb', [{ name: 'CrashHere', rva: 0x1200, length: 0x100 }]);
  return { ...info, symbols: () => symbols };
};

/**
 * Runs one command line. src/repl/line-parser.ts does not yet read `|` as a command word, so
 * lines starting with `|` go straight to the pipe command (drop this once it does).
 */
export async function runLine(d: Dispatcher, line: string): Promise<string[]> {
  if (line.startsWith('|') && commandWord(line) === '') {
    const ctx = { session: d.session, signal: new AbortController().signal, runLine: () => Promise.resolve([]) };
    const inv = { word: '|', rest: line.slice(1), text: line, restOffset: 1 };
    return pipeCommand.format(await pipeCommand.run(pipeCommand.parse(inv, ctx), ctx), undefined, ctx).map((l) => l.text);
  }
  return (await d.execute(line, { column: 7 })).map((l) => l.text);
}

/** A session over `b`'s bytes with the user-mode commands registered. */
export function sessionOf(b: MinidumpBuilder): { session: DumpSession; run: (line: string) => Promise<string[]> } {
  const session = createSession(openMinidumpBytes(b.build(), { moduleFactory: modules }, 'synthetic.dmp'));
  const d = new Dispatcher(userRegistry(), session);
  return { session, run: (line) => runLine(d, line) };
}

/**
 * An x86 process 0x1234 whose thread 0x20 (index 1) wrote to 0x45 at app!CrashHere+0x34, with
 * its TEB, PEB and process parameters in the dump, one unloaded module, and a C++ exception
 * record on the stack at 0x12fe00.
 */
export function x86CrashDump(): MinidumpBuilder {
  const b = new MinidumpBuilder('x86');
  b.header.timestamp = 0x45d35f73;
  b.miscInfo({ processId: 0x1234 });
  b.module({ base: 0x400000n, size: 0x10000, path: 'C:\\app\\app.exe' });
  b.module({ base: 0x7c900000n, size: 0xb0000, path: 'C:\\WINDOWS\\system32\\ntdll.dll' });
  b.unloadedModule({ base: 0x10000000n, size: 0x5000, path: 'C:\\app\\gone.dll' });
  b.thread({ id: 0x10, teb: 0x7ffdf000n, context: { regs: { eip: 0x7c90eb94n, esp: 0x12f000n, ebp: 0x12f010n, cs: 0x1bn, ss: 0x23n, ds: 0x23n, es: 0x23n, fs: 0x3bn, efl: 0x246n } } });
  b.thread({ id: 0x20, teb: 0x7ffde000n, suspendCount: 1, context: { regs: { eip: 0x7c90eb94n, esp: 0x22f000n, ebp: 0x22f010n } } });
  b.exception({
    threadId: 0x20,
    code: 0xc0000005,
    address: 0x401234n,
    parameters: [1n, 0x45n],
    context: { regs: { eax: 0x45n, eip: 0x401234n, esp: 0x12ff00n, ebp: 0x12ff10n, cs: 0x1bn, ss: 0x23n, ds: 0x23n, es: 0x23n, fs: 0x3bn, efl: 0x10246n } },
  });
  // Code at the fault: mov dword ptr [eax],0 (c70000000000).
  b.memoryBlock(0x401234n, new Uint8Array([0xc7, 0x00, 0x00, 0x00, 0x00, 0x00]));
  b.memoryBlock(0x12fe00n, struct(0x50, [[0, 4, 0xe06d7363], [4, 4, 1], [0xc, 4, 0x7c812afb], [0x10, 4, 3], [0x14, 4, 0x19930520], [0x18, 4, 0x12fe80], [0x1c, 4, 0x420000]]));
  // TEB of thread 0x20 (LastStatusValue at 0xbf4 included; HardErrorMode at 0xf28 left out).
  b.memoryBlock(0x7ffde000n, struct(0xc00, [
    [0, 4, 0x22ffe0], [4, 4, 0x230000], [8, 4, 0x22e000], [0x10, 4, 0x1e00], [0x18, 4, 0x7ffde000],
    [0x20, 4, 0x1234], [0x24, 4, 0x20], [0x2c, 4, 0x7ffde02c], [0x30, 4, 0x7ffd5000], [0x34, 4, 126], [0xbf4, 4, 0xc0000135],
  ]));
  // PEB: BeingDebugged, image base, Ldr (not in the dump), process parameters, heap.
  b.memoryBlock(0x7ffd5000n, struct(0x20, [[2, 1, 1], [8, 4, 0x400000], [0xc, 4, 0x7c97e1a0], [0x10, 4, 0x20000], [0x18, 4, 0x140000]]));
  const path = utf16('C:\\app\\app.exe');
  const cmd = utf16('"C:\\app\\app.exe" -crash');
  b.memoryBlock(0x20000n, struct(0x90, [
    [0x24, 2, 0], [0x28, 4, 0],
    [0x38, 2, path.length], [0x3a, 2, path.length + 2], [0x3c, 4, 0x20100],
    [0x40, 2, cmd.length], [0x42, 2, cmd.length + 2], [0x44, 4, 0x20200],
    [0x48, 4, 0x30000],
    [0x70, 2, 8], [0x74, 4, 0x7fff0000],
  ]));
  b.memoryBlock(0x20100n, path);
  b.memoryBlock(0x20200n, cmd);
  return b;
}

/** An x64 process without an exception, with a readable TEB for thread 0. */
export function x64QuietDump(): MinidumpBuilder {
  const b = new MinidumpBuilder('x64');
  b.header.timestamp = 0x5c0ae0fe;
  b.miscInfo({ processId: 0x32fc });
  b.module({ base: 0x7ff7a1310000n, size: 0x6000, path: 'C:\\temp\\quiet.exe' });
  b.thread({ id: 0x2a6c, teb: 0xaddac91000n, context: { regs: { rip: 0x7ff7a1311200n, rsp: 0xaddabaf6b0n, cs: 0x33n, ss: 0x2bn, efl: 0x246n } } });
  b.memoryBlock(0xaddac91000n, struct(0x1700, [
    [8, 8, 0xaddabb0000n], [0x10, 8, 0xaddabad000n], [0x30, 8, 0xaddac91000n], [0x40, 8, 0x32fc], [0x48, 8, 0x2a6c],
    [0x60, 8, 0xaddac90000n], [0x68, 4, 2], [0x1250, 4, 0xc00000bb], [0x16b0, 4, 0],
  ]));
  return b;
}
