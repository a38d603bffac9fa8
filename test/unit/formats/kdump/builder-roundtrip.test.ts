import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readUnsigned } from '../../../../src/memory/virtual-memory.js';
import type { KernelDumpTarget } from '../../../../src/target/kernel/kernel-dump-target.js';
import { openKernelDump } from '../../../../src/target/kernel/kernel-dump-target.js';
import { KernelMachine, LAYOUT, VA, writeBitmapDump, writeCompleteDump, writeTriageDump } from '../../../builders/kdump-builder.js';
import { RIP0, STACK0, noSymbols, standardSpec, tempDir, writeStack } from './helpers.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());
let n = 0;
const file = (): string => join(tmp.dir, `dump${n++}.dmp`);

/** Facts every full-memory variant (complete, bitmap 5, bitmap 6) must reproduce. */
function checkFullMemoryFacts(t: KernelDumpTarget, stack: Uint8Array): void {
  expect(t.kind).toBe('kernel');
  expect(t.units).toHaveLength(3);
  expect(t.initialUnit).toBe(0);
  const u0 = t.units[0]!;
  expect(u0.context.ip).toBe(RIP0);
  expect(u0.context.sp).toBe(STACK0);
  expect(u0.context.get('rax')).toBe(0x1111n);
  expect(u0.context.get('r15')).toBe(0xf15n);
  expect(u0.context.get('efl')).toBe(0x40286n);
  expect(u0.prcb).toBe(VA.prcbBase + 0x180n);
  expect(u0.pcr).toBe(VA.prcbBase);
  expect(u0.irql).toBe(2);
  expect(u0.thread).toBeDefined();
  expect(u0.process).toBeDefined();
  expect(u0.contextNote).toBeUndefined();
  // Processor 1 keeps its context in KPRCB.ProcessorState.ContextFrame only.
  expect(t.units[1]!.context.ip).toBe(VA.kernelBase + 0x2000n);
  expect(t.units[1]!.context.get('rbx')).toBe(0xbbn);
  // Processor 2 saved nothing.
  expect(t.units[2]!.context.ip).toBe(0n);
  expect(t.units[2]!.contextNote).toBe("Processor 2's saved register context is not in the dump.");
  expect(t.bugCheck).toEqual({ code: 0x1000007en, parameters: [0xffffffffc0000005n, 0xfffff8048b58334cn, 1n, 2n] });
  expect(t.modules.map((m) => [m.name, m.imageName, m.base, m.size])).toEqual([
    ['nt', 'ntoskrnl.exe', VA.kernelBase, 0x1046000],
    ['hal', 'hal.dll', 0xfffff80000800000n, 0x6000],
    ['amdppm', 'amdppm.sys', 0xfffff80000900000n, 0x3b000],
  ]);
  expect(t.modules[0]!.imagePath).toBe('\\SystemRoot\\system32\\ntoskrnl.exe');
  expect(t.modules[0]!.timestamp).toBe(0x0d8333e6);
  expect(t.modules[0]!.checksum).toBe(0xabcd);
  expect(t.moduleInfos[0]!.codeView).toEqual({ guid: '1C19FDDB27BB3399D9B45973EFEAFCF3', age: 1, pdbName: 'ntkrnlmp.pdb' });
  expect(t.modules[1]!.timestamp).toBe(0x1a7be8e9);
  // amdppm's header page is not in the dump: no timestamp from memory.
  expect(t.modules[2]!.timestamp).toBe(0);
  expect(t.system).toEqual({
    versionLine: 'Windows 10 Kernel Version 19041 MP (3 procs) Free x64',
    productLine: 'Product: WinNt, suite: TerminalServer SingleUserTS',
    buildLine: 'Built by: 19041.1.amd64fre.test_build.200101-0000',
    kernelBase: VA.kernelBase,
    psLoadedModuleList: VA.psLoadedModuleList,
    debugSessionTime: 'Sun Feb 21 03:38:22.987 2021 (UTC + 2:00)',
    systemUptime: '0 days 0:00:03.747',
    buildNumber: 19041,
  });
  // Stack through the 1 GiB page, KDBG through the 2 MiB page (whose PAT bit is set).
  expect(t.memory.readPartial(STACK0, stack.length)).toEqual(stack);
  expect(readUnsigned(t.memory, VA.kdbg + 0x10n, 4)).toBe(0x4742444bn);
  // Unbacked part of the 1 GiB page, and unmapped VA: empty reads, no throw.
  expect(t.memory.readPartial(VA.hugeBase + 0x100000n, 16)).toHaveLength(0);
  expect(t.memory.readPartial(0xffff123400000000n, 16)).toHaveLength(0);
  // A read that runs off the end of the stack's last page returns the readable prefix.
  const tail = t.memory.readPartial(STACK0 + 0x2000n - 0x1f00n - 8n + 0x1000n, 64);
  expect(tail.length).toBe(8);
  expect(t.headerContext.ip).toBe(RIP0);
  expect(t.warnings).toEqual([]);
}

describe('builder round trip: complete dump (type 1)', () => {
  const m = new KernelMachine(standardSpec());
  const stack = writeStack(m);
  const path = file();
  writeCompleteDump(m, path);
  const t = openKernelDump(path, { moduleFactory: noSymbols });
  afterAll(() => t.close());

  it('reads processors, modules, memory and banner facts', () => {
    expect(t.dumpKindLine).toBe('Kernel Complete Dump File: Full address space is available');
    expect(t.dumpType).toBe(1);
    checkFullMemoryFacts(t, stack);
  });

  it('uses several runs', () => {
    expect(t.header.physicalRuns.length).toBeGreaterThanOrEqual(4);
  });
});

describe('builder round trip: bitmap dumps (types 5 and 6)', () => {
  for (const [type, signature, line] of [
    [5, 'SDMP', 'Kernel Bitmap Dump File: Kernel address space is available, User address space may not be available.'],
    [5, 'FDMP', 'Kernel Bitmap Dump File: Full address space is available'],
    [6, 'SDMP', 'Kernel Bitmap Dump File: Kernel address space is available, User address space may not be available.'],
  ] as const) {
    it(`type ${type} ${signature}`, () => {
      const m = new KernelMachine(standardSpec());
      const stack = writeStack(m);
      const path = file();
      writeBitmapDump(m, path, { type, signature });
      const t = openKernelDump(path, { moduleFactory: noSymbols });
      try {
        expect(t.dumpKindLine).toBe(line);
        expect(t.dumpType).toBe(type);
        checkFullMemoryFacts(t, stack);
      } finally {
        t.close();
      }
    });
  }
});

describe('builder round trip: triage dump (type 4)', () => {
  const m = new KernelMachine(standardSpec());
  const stack = writeStack(m);
  const ctx0 = readUnsigned({ readPartial: (a, l) => m.readVa(a, l) }, m.prcbAddress(0) + BigInt(LAYOUT.prcbContext), 8)!;
  const path = file();
  writeTriageDump(m, path, {
    stack: { va: STACK0, size: 0x200 },
    blocks: [
      { va: VA.kiProcessorBlock, size: 3 * 8 },
      { va: ctx0, size: 0x4d0 },
      // Overlapping copies of the same bytes, as real triage dumps have.
      { va: VA.kiProcessorBlock, size: 16 },
      { va: m.prcbAddress(1), size: LAYOUT.sizePrcb },
    ],
  });
  const t = openKernelDump(path, { moduleFactory: noSymbols });
  afterAll(() => t.close());

  it('reads the bug-check processor context through the PRCB copy and data blocks', () => {
    expect(t.dumpKindLine).toBe('Mini Kernel Dump File: Only registers and stack trace are available');
    expect(t.initialUnit).toBe(0);
    expect(t.units[0]!.context.ip).toBe(RIP0);
    expect(t.units[0]!.context.sp).toBe(STACK0);
    expect(t.units[0]!.prcb).toBe(m.prcbAddress(0));
    expect(t.units[0]!.irql).toBe(2);
    expect(t.units[1]!.context.get('rbx')).toBe(0xbbn);
    expect(t.units[2]!.context.ip).toBe(0n);
    expect(t.units[2]!.contextNote).toBe('This mini kernel dump holds no register context for processor 2.');
  });

  it('maps the call stack and lists drivers from the string pool', () => {
    expect(t.memory.readPartial(STACK0, 0x200)).toEqual(stack);
    expect(t.memory.readPartial(STACK0 + 0x1f0n, 0x20)).toHaveLength(0x10);
    expect(t.modules.map((x) => [x.name, x.imagePath, x.base, x.size, x.timestamp])).toEqual([
      ['nt', '\\SystemRoot\\system32\\ntoskrnl.exe', VA.kernelBase, 0x1046000, 0x0d8333e6],
      ['hal', '\\SystemRoot\\system32\\hal.dll', 0xfffff80000800000n, 0x6000, 0x1a7be8e9],
      ['amdppm', '\\SystemRoot\\System32\\drivers\\amdppm.sys', 0xfffff80000900000n, 0x3b000, 0xc9c03000],
    ]);
    expect(t.system.buildLine).toBeUndefined();
    expect(t.system.debugSessionTime).toBe('Sun Feb 21 01:38:22.987 2021 (UTC + 0:00)');
    expect(t.warnings).toEqual([]);
  });

  it('derives the driver entry stride from the string pool position', () => {
    const path2 = file();
    writeTriageDump(m, path2, { stack: { va: STACK0, size: 0x100 }, driverStride: 0xa0 });
    const t2 = openKernelDump(path2, { moduleFactory: noSymbols });
    try {
      expect(t2.modules.map((x) => x.timestamp)).toEqual([0x0d8333e6, 0x1a7be8e9, 0xc9c03000]);
    } finally {
      t2.close();
    }
  });
});
