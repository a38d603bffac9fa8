import { BlockMemory } from '../../../src/memory/virtual-memory.js';
import type { StackFrame, StackWalker } from '../../../src/session/stack-walker.js';
import { RegisterContext } from '../../../src/target/registers.js';
import type { Module, ModuleSymbol, ModuleSymbols, SymbolKind, Target } from '../../../src/target/target.js';

/** A module with the given public symbols (rva-sorted) and symbol kind. */
export function fakeModule(name: string, imageName: string, base: bigint, size: number, kind: SymbolKind, publics: ModuleSymbol[] = []): Module {
  const symbols: ModuleSymbols = {
    kind,
    nearest: (rva) => [...publics].reverse().find((s) => s.rva <= rva),
    next: (rva) => publics.find((s) => s.rva > rva),
    byName: (n) => publics.filter((s) => s.name.toLowerCase() === n.toLowerCase()),
    all: () => publics,
  };
  return { name, imageName, imagePath: imageName, base, size, timestamp: 0x4a5bc123, checksum: 0, symbols: () => symbols };
}

export const NT = fakeModule('nt', 'ntkrnlmp.exe', 0xfffff80003a5d000n, 0x5dd000, 'pdb', [{ name: 'KiPageFault', rva: 0x77b80 }, { name: 'KeBugCheckEx', rva: 0xc25c0 }]);
export const DRIVER = fakeModule('man', 'man.sys', 0xfffff88004000000n, 0x10000, 'none');

/** Frames: KeBugCheckEx, KiPageFault, then man+0x1ce7 and back into nt. */
export const FRAMES: StackFrame[] = [
  [0xfffff80003b1f5c0n, 0xfffff88006e53328n],
  [0xfffff80003ad4ceen, 0xfffff88006e53330n],
  [0xfffff88004001ce7n, 0xfffff88006e53400n],
  [0xfffff80003ad4000n, 0xfffff88006e53480n],
].map(([ip, sp], index, all) => ({
  index,
  instructionPointer: ip!,
  stackPointer: sp!,
  returnAddress: all[index + 1]?.[0] ?? 0n,
  context: new RegisterContext('x64', { rip: ip!, rsp: sp! }),
  trust: index === 0 ? 'context' : 'unwind',
}));

/** Walks any context to FRAMES. */
export const fixedWalker: StackWalker = () => ({ frames: FRAMES });

/** An x64 kernel target bug-checked with `code`, processor 0 at KeBugCheckEx, nt and man.sys loaded. */
export function kernelTarget(code: bigint | undefined, params: [bigint, bigint, bigint, bigint] = [0n, 0n, 0n, 0n]): Target {
  return {
    kind: 'kernel',
    arch: 'x64',
    pointerSize: 8,
    path: 'fake.dmp',
    dumpKindLine: 'Kernel Complete Dump File: Full address space is available',
    memory: new BlockMemory([]),
    modules: [NT, DRIVER],
    units: [{ index: 0, context: new RegisterContext('x64', { rip: FRAMES[0]!.instructionPointer, rsp: FRAMES[0]!.stackPointer }), irql: 2, prcb: 0xfffff80003c4ae80n }],
    initialUnit: 0,
    system: { versionLine: 'Windows 7 Kernel Version 7601 MP (1 procs) Free x64', buildNumber: 7601 },
    ...(code === undefined ? {} : { bugCheck: { code, parameters: params } }),
    warnings: [],
  };
}

/** An x86 user target with one thread and, optionally, an `exception` property. */
export function userTarget(exception?: object): Target {
  const t: Target = {
    kind: 'user',
    arch: 'x86',
    pointerSize: 4,
    path: 'fake.dmp',
    dumpKindLine: 'User Mini Dump File: Only registers, stack and portions of memory are available',
    memory: new BlockMemory([]),
    modules: [],
    units: [{ index: 0, context: new RegisterContext('x86', { eip: 0x401000n, esp: 0x12ff00n }) }],
    initialUnit: 0,
    system: { versionLine: 'Windows 7 Version 7601 UP Free x86 compatible', buildNumber: 7601 },
    warnings: [],
  };
  return exception ? Object.assign(t, { exception }) : t;
}
