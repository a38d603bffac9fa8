import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FormatError } from '../../src/errors.js';
import { BufferByteSource } from '../../src/memory/kernel/byte-source.js';
import { readUnsigned } from '../../src/memory/virtual-memory.js';
import type { ModuleFactory } from '../../src/target/module-info.js';
import type { KernelDumpTarget } from '../../src/target/kernel/kernel-dump-target.js';
import { isKernelDump, openKernelDump, openKernelDumpSource } from '../../src/target/kernel/kernel-dump-target.js';

const dir = resolve(process.cwd(), '../shared/testdata');
const path = resolve(dir, 'rizinorg+rizin-testbins/dmp/triage_x64.dmp');
if (!existsSync(path)) console.warn(`skipping triage_x64.dmp tests: ${path} is absent`);

const noSymbols: ModuleFactory = (info) => ({
  ...info,
  symbols: () => ({ kind: 'none', nearest: () => undefined, next: () => undefined, byName: () => [], all: () => [] }),
});

/**
 * Expectations come from rizin's test/db/formats/dmp/dmp ("Triage Dump Debug x64": iH header,
 * TRIAGE_DUMP64 fields, `dr` registers, 36-frame `dbt`) and the testdata MANIFEST.
 */
describe.skipIf(!existsSync(path))('real: triage_x64.dmp (Win10 19041 mini kernel dump)', () => {
  let t: KernelDumpTarget;
  const target = (): KernelDumpTarget => (t ??= openKernelDump(path, { moduleFactory: noSymbols }));
  afterAll(() => t?.close());

  it('is recognised and opens as a mini kernel dump without warnings', () => {
    expect(target().dumpKindLine).toBe('Mini Kernel Dump File: Only registers and stack trace are available');
    expect(target().dumpType).toBe(4);
    expect(target().warnings).toEqual([]);
  });

  it('has the header rizin prints', () => {
    const h = target().header;
    expect(h.minorVersion).toBe(0x4a61);
    expect(h.directoryTableBase).toBe(0x1ad000n);
    expect(h.psLoadedModuleList).toBe(0xfffff8047c62a390n);
    expect(h.kdDebuggerDataBlock).toBe(0xfffff8047c600b20n);
    expect(h.numberProcessors).toBe(16);
    expect(h.productType).toBe(1);
    expect(h.suiteMask).toBe(0x110);
    expect(target().bugCheck).toEqual({
      code: 0x1000007en,
      parameters: [0xffffffffc0000005n, 0xfffff8048b58334cn, 0xffff850429891ee8n, 0xffff850429891720n],
    });
  });

  it('has the TRIAGE_DUMP64 fields rizin prints', () => {
    const tr = target().triage!;
    expect(tr.sizeOfDump).toBe(0x13a28c);
    expect(tr.contextOffset).toBe(0x348);
    expect(tr.exceptionOffset).toBe(0xf00);
    expect(tr.prcbOffset).toBe(0x21b8);
    expect(tr.processOffset).toBe(0xd0b8);
    expect(tr.threadOffset).toBe(0xdaf8);
    expect(tr.callStack).toEqual({ offset: 0xe390, size: 0x2118 });
    expect(tr.driverListOffset).toBe(0x10828);
    expect(tr.driverCount).toBe(0x97);
    expect(tr.stringPool).toEqual({ offset: 0x15d18, size: 0x3720 });
    expect(tr.topOfStack).toBe(0xffff850429890ee8n);
    expect(tr.debuggerData).toEqual({ offset: 0x104a8, size: 0x380 });
    expect(tr.dataBlocks).toHaveLength(0x727);
  });

  it('gives 16 processors; processor 0 bug-checked in KeBugCheckEx with rizin\'s registers', () => {
    const units = target().units;
    expect(units).toHaveLength(16);
    expect(target().initialUnit).toBe(0);
    const c = units[0]!.context;
    const expected: Record<string, bigint> = {
      rax: 0xffff850429891720n, rcx: 0x7en, rdx: 0xffffffffc0000005n, rbx: 0xfffff8047ba82b68n,
      rsp: 0xffff850429890ee8n, rbp: 0xffff850429892c10n, rsi: 0n, rdi: 0n,
      r8: 0xfffff8048b58334cn, r9: 0xffff850429891ee8n, r10: 0xffff850429891ee8n, r11: 0xffff8afd53400000n,
      r12: 0xffff850429892c10n, r13: 0xffff850429891ee8n, r14: 0xffff850429891560n, r15: 0xfffff8047ba00000n,
      rip: 0xfffff8047bdf5a80n, efl: 0x40286n,
    };
    for (const [name, value] of Object.entries(expected)) expect(c.get(name), name).toBe(value);
    expect(units[0]!.prcb).toBe(0xfffff804782d4180n);
    expect(units[0]!.pcr).toBe(0xfffff804782d4000n);
    expect(units[0]!.thread).toBe(0xffffc08bde9e1640n);
    expect(units[0]!.process).toBe(0xffffc08bdce94180n);
    expect(units[0]!.irql).toBe(0);
  });

  it('finds the other processors\' saved contexts in the data blocks', () => {
    const u1 = target().units[1]!;
    expect(u1.prcb).toBe(0xffff9b0002300180n);
    expect(u1.context.ip).toBe(0xfffff8047bd8d14dn);
    expect(u1.context.sp).toBe(0xffff8504296296b0n);
    expect(u1.contextNote).toBeUndefined();
    expect(target().units[15]!.prcb).toBe(0xffff9b00030c0180n);
  });

  it('keeps the header context (the exception context) apart', () => {
    expect(target().headerContext.ip).toBe(0xfffff8048b58334cn);
    expect(target().headerContext.sp).toBe(0xffff850429892120n);
    expect(target().exception.code).toBe(0x80000003);
    expect(target().exception.address).toBe(0xfffff8047bdf5a80n);
  });

  it('reads the call stack by virtual address', () => {
    const mem = target().memory;
    // [rsp] of KeBugCheckEx is the return address of rizin's frame 1.
    expect(readUnsigned(mem, 0xffff850429890ee8n, 8)).toBe(0xfffff8047be0f4e1n);
    // Frame 8 (Child-SP 0xffff850429892120, 0x28 bytes) returns to frame 9's pc, stored just below frame 9's SP.
    expect(readUnsigned(mem, 0xffff850429892150n - 8n, 8)).toBe(0xfffff8048b58313fn);
    // The stored stack ends at 0xffff850429893000: a read across it returns the prefix.
    expect(mem.readPartial(0xffff850429892ff8n, 16)).toHaveLength(8);
    expect(readUnsigned(mem, 0xfffff8047c600b20n + 0x10n, 4)).toBe(0x4742444bn);
  });

  it('lists the 151 drivers from the triage driver list', () => {
    const mods = target().modules;
    expect(mods).toHaveLength(151);
    expect(mods[0]).toMatchObject({ name: 'nt', imageName: 'ntoskrnl.exe', imagePath: '\\SystemRoot\\system32\\ntoskrnl.exe', base: 0xfffff8047ba00000n });
    const amdppm = mods.find((m) => m.imageName.toLowerCase() === 'amdppm.sys')!;
    expect(amdppm).toMatchObject({ name: 'amdppm', base: 0xfffff8048b580000n, size: 0x3b000, timestamp: 0xc9c03000 });
    const wdf = mods.find((m) => m.imageName.toLowerCase() === 'wdf01000.sys')!;
    expect(wdf).toMatchObject({ name: 'Wdf01000', base: 0xfffff80479950000n, size: 0xd1000, timestamp: 0xa9a9d36e });
    expect(mods[1]).toMatchObject({ name: 'hal', imageName: 'hal.dll' });
  });

  it('fills the banner facts', () => {
    expect(target().system).toEqual({
      versionLine: 'Windows 10 Kernel Version 19041 MP (16 procs) Free x64',
      productLine: 'Product: WinNt, suite: TerminalServer SingleUserTS',
      buildLine: 'Built by: 19041.1.amd64fre.vb_release.191206-1406',
      kernelBase: 0xfffff8047ba00000n,
      psLoadedModuleList: 0xfffff8047c62a390n,
      debugSessionTime: 'Sun Feb 21 01:38:22.987 2021 (UTC + 0:00)',
      systemUptime: '0 days 0:00:03.747',
      buildNumber: 19041,
    });
  });

  it('sniffs the signature', () => {
    expect(isKernelDump(new TextEncoder().encode('PAGEDU64'))).toBe(true);
    expect(isKernelDump(new TextEncoder().encode('PAGEDUMP'))).toBe(true);
    expect(isKernelDump(new TextEncoder().encode('MDMP\x93\xa7\0\0'))).toBe(false);
  });

  it('survives corrupted triage tables with at most a FormatError', () => {
    const original = new Uint8Array(readFileSync(path));
    const regions = [[0x2000, 0x80], [0x10828, 0x54f0], [0x19438, 0x727 * 16], [0x30, 0x30]] as const;
    let seed = 99;
    const rand = (n: number): number => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % n);
    for (let round = 0; round < 40; round++) {
      const bytes = original.slice();
      const [start, len] = regions[round % regions.length]!;
      for (let k = 0; k < 3; k++) {
        const at = start + (rand(len) & ~3);
        new DataView(bytes.buffer).setUint32(at, [0xffffffff, 0x7fffffff, rand(0x200000), 0][rand(4)]!, true);
      }
      try {
        const t2 = openKernelDumpSource(new BufferByteSource(bytes), 'fuzz.dmp', { moduleFactory: noSymbols });
        t2.memory.readPartial(0xffff850429890ee8n, 64);
      } catch (e) {
        expect(e).toBeInstanceOf(FormatError);
      }
    }
  });
});
