import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DebuggerError, FormatError } from '../../../../src/errors.js';
import { BufferByteSource } from '../../../../src/memory/kernel/byte-source.js';
import { readUnsigned } from '../../../../src/memory/virtual-memory.js';
import { openKernelDump, openKernelDumpSource } from '../../../../src/target/kernel/kernel-dump-target.js';
import { KernelMachine, PTE, VA, put32, put64, runsOf, writeBitmapDump, writeCompleteDump, writeTriageDump } from '../../../builders/kdump-builder.js';
import { STACK0, noSymbols, standardSpec, tempDir, writeStack } from './helpers.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());
let n = 0;
const file = (): string => join(tmp.dir, `edge${n++}.dmp`);

function open(path: string) {
  return openKernelDump(path, { moduleFactory: noSymbols });
}

function formatError(fn: () => unknown): FormatError {
  try {
    fn();
  } catch (e) {
    if (e instanceof FormatError) return e;
    throw e;
  }
  throw new Error('expected a FormatError');
}

describe('missing pages', () => {
  it('a KPRCB outside every stored page gives that processor a note, not garbage', () => {
    const spec = standardSpec();
    const m = new KernelMachine({ ...spec, processors: [spec.processors[0]!, { regs: { rip: 0x1234n, rsp: 0x5678n }, prcbMissing: true }] });
    const path = file();
    writeCompleteDump(m, path);
    const t = open(path);
    try {
      expect(t.units[1]!.context.ip).toBe(0n);
      expect(t.units[1]!.prcb).toBe(m.prcbAddress(1));
      expect(t.units[1]!.contextNote).toBe("Processor 1's saved register context is not in the dump.");
      expect(t.memory.readPartial(m.prcbAddress(1), 8)).toHaveLength(0);
    } finally {
      t.close();
    }
  });

  it('runs that leave out written pages make those pages unreadable', () => {
    const m = new KernelMachine(standardSpec());
    writeStack(m);
    const stackPfn = 0x40001;
    const runs = runsOf(m.storedPfns()).filter(([base, count]) => !(stackPfn >= base && stackPfn < base + count));
    const path = file();
    writeCompleteDump(m, path, { runs });
    const t = open(path);
    try {
      expect(t.memory.readPartial(STACK0, 16)).toHaveLength(0);
      expect(t.physical!.hasPage(BigInt(stackPfn))).toBe(false);
      expect(t.units[0]!.context.sp).toBe(STACK0);
    } finally {
      t.close();
    }
  });

  it('bitmap holes read as missing; set bits for pages never written read as zeros', () => {
    const m = new KernelMachine(standardSpec());
    writeStack(m);
    const present = m.storedPfns().filter((p) => p !== 0x40001);
    present.push(0x40005);
    const path = file();
    writeBitmapDump(m, path, { present });
    const t = open(path);
    try {
      expect(t.memory.readPartial(STACK0, 16)).toHaveLength(0);
      expect(t.memory.readPartial(STACK0 + 0x100n, 16)).toHaveLength(16);
      expect(t.memory.readPartial(VA.hugeBase + 0x5000n, 8)).toEqual(new Uint8Array(8));
      expect(t.warnings).toEqual([]);
    } finally {
      t.close();
    }
  });
});

describe('truncation', () => {
  it('counts missing pages, warns once, and fails their reads cleanly', () => {
    const m = new KernelMachine(standardSpec());
    writeStack(m);
    const path = file();
    const total = m.storedPfns().length;
    writeCompleteDump(m, path, { truncateTo: 0x2000 + 3 * 4096 + 100 });
    const t = open(path);
    try {
      expect(t.warnings[0]).toBe(`WARNING: Dump file is truncated: ${total - 3} of ${total} pages are missing`);
      expect(t.physical!.missingPages).toBe(total - 3);
      expect(t.memory.readPartial(STACK0, 16)).toHaveLength(0);
      expect(t.units).toHaveLength(3);
      expect(t.modules).toHaveLength(0);
    } finally {
      t.close();
    }
  });

  it('a truncated bitmap dump warns the same way', () => {
    const m = new KernelMachine(standardSpec());
    const path = file();
    const total = m.storedPfns().length;
    const bitmapEnd = 0x2038 + Math.ceil((((m.storedPfns().at(-1) ?? 0) + 64) & ~63) / 8);
    writeBitmapDump(m, path, { truncateTo: bitmapEnd + 2 * 4096 });
    const t = open(path);
    try {
      expect(t.warnings).toContain(`WARNING: Dump file is truncated: ${total - 2} of ${total} pages are missing`);
    } finally {
      t.close();
    }
  });

  it('every prefix of a small dump either opens or fails with a FormatError', () => {
    const m = new KernelMachine(standardSpec({ modules: [] }));
    const path = file();
    writeCompleteDump(m, path);
    const whole = new Uint8Array(readFileSync(path));
    const lengths = [0, 4, 8, 0x100, 0x1fff, 0x2000, 0x2001, 0x3000, 0x2000 + 4096 * 5, whole.length - 1];
    for (let len = 0; len < 0x2100; len += 0x3b) lengths.push(len);
    for (const len of lengths) {
      try {
        openKernelDumpSource(new BufferByteSource(whole.subarray(0, len)), 'x.dmp', { moduleFactory: noSymbols });
      } catch (e) {
        expect(e, `prefix ${len}`).toBeInstanceOf(FormatError);
      }
    }
  });
});

describe('random corruption', () => {
  it('only ever raises FormatError, for every dump type', () => {
    const m = new KernelMachine(standardSpec());
    writeStack(m);
    const files = [file(), file(), file()];
    writeCompleteDump(m, files[0]!);
    writeBitmapDump(m, files[1]!);
    writeTriageDump(m, files[2]!, { stack: { va: STACK0, size: 0x200 }, blocks: [{ va: VA.kiProcessorBlock, size: 24 }] });
    let seed = 7;
    const rand = (n: number): number => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % n);
    for (const f of files) {
      const original = new Uint8Array(readFileSync(f));
      for (let round = 0; round < 150; round++) {
        const bytes = original.slice();
        // Hit the header, the secondary header and the tables right after it.
        for (let k = 0; k < 4; k++) {
          const at = rand(Math.min(bytes.length, 0x3000)) & ~3;
          put32(bytes, at, [0, 0xffffffff, 0x45474150, rand(0x10000), rand(0x7fffffff)][rand(5)]!);
        }
        try {
          const t = openKernelDumpSource(new BufferByteSource(bytes), 'fuzz.dmp', { moduleFactory: noSymbols });
          t.memory.readPartial(STACK0, 64);
          for (const u of t.units) expect(u.context.arch).toBe('x64');
        } catch (e) {
          expect(e).toBeInstanceOf(FormatError);
        }
      }
    }
  });
});

describe('corrupt counts name the field', () => {
  const m = new KernelMachine(standardSpec());
  const cases: [string, (h: Uint8Array, s?: Uint8Array) => void, 'complete' | 'bitmap' | 'triage', RegExp][] = [
    ['NumberOfRuns', (h) => put32(h, 0x88, 1000), 'complete', /PhysicalMemoryBlockBuffer\.NumberOfRuns 1000/],
    ['overlapping runs', (h) => h.copyWithin(0x98 + 16, 0x98, 0x98 + 8), 'complete', /overlaps/],
    ['run past 52 bits', (h) => put64(h, 0x98, 1n << 41n), 'complete', /Run\[0\]/],
    ['NumberProcessors', (h) => put32(h, 0x34, 0), 'complete', /NumberProcessors: 0/],
    ['MachineImageType', (h) => put32(h, 0x30, 0xaa64), 'complete', /MachineImageType: 0xaa64/],
    ['DirectoryTableBase', (h) => put64(h, 0x10, 0n), 'complete', /DirectoryTableBase/],
    ['DumpType', (h) => put32(h, 0xf98, 3), 'complete', /DumpType 3 is not supported/],
    ['bitmap Pages', (_h, s) => put64(s!, 0x30, 1n << 44n), 'bitmap', /BITMAP_DUMP\.Pages/],
    ['bitmap FirstPage', (_h, s) => put64(s!, 0x20, 0x2000n), 'bitmap', /BITMAP_DUMP\.FirstPage/],
    ['bitmap Signature', (_h, s) => put32(s!, 0, 0x12345678), 'bitmap', /BITMAP_DUMP\.Signature/],
    ['DriverCount', (_h, s) => put32(s!, 0x34, 0x7fffffff), 'triage', /TRIAGE_DUMP64\.DriverCount/],
    ['DataBlocksCount', (_h, s) => put32(s!, 0x7c, 0x10000000), 'triage', /TRIAGE_DUMP64\.DataBlocksCount/],
    ['ValidOffset', (_h, s) => put32(s!, 0x08, 0x2000), 'triage', /TRIAGE_DUMP64\.ValidOffset/],
  ];
  for (const [name, patch, kind, message] of cases) {
    it(name, () => {
      const path = file();
      if (kind === 'complete') writeCompleteDump(m, path, { patch });
      else if (kind === 'bitmap') writeBitmapDump(m, path, { patch });
      else writeTriageDump(m, path, { stack: { va: STACK0, size: 0x100 }, patch });
      const e = formatError(() => open(path));
      expect(e.message).toMatch(message);
      expect(e).toBeInstanceOf(DebuggerError);
    });
  }

  it('a TotalPresentPages that disagrees with the bitmap is a warning', () => {
    const path = file();
    writeBitmapDump(m, path, { patch: (_h, s) => put64(s!, 0x28, 3n) });
    const t = open(path);
    try {
      expect(t.warnings[0]).toMatch(/^WARNING: bitmap has \d+ pages set but TotalPresentPages says 3$/);
    } finally {
      t.close();
    }
  });

  it('a 32-bit PAGEDUMP is recognised and refused', () => {
    const path = file();
    writeCompleteDump(m, path, { patch: (h) => put32(h, 4, 0x504d5544) });
    expect(formatError(() => open(path)).message).toBe('32-bit kernel dumps are not supported yet');
  });
});

describe('page tables', () => {
  it('a PML4 self-reference (Windows self-map) reads the PML4 itself and terminates', () => {
    const m = new KernelMachine(standardSpec());
    const self = 0x1edn;
    m.pt.setRaw(0xffffn << 48n | (self << 39n), 0, m.pt.cr3 | PTE.present | PTE.write);
    const selfVa = (0xffffn << 48n) | (self << 39n) | (self << 30n) | (self << 21n) | (self << 12n);
    const path = file();
    writeCompleteDump(m, path);
    const t = open(path);
    try {
      // Entry 0x1ED of the PML4 read through the self-map is the self-map entry.
      expect(readUnsigned(t.memory, selfVa + self * 8n, 8)).toBe(m.pt.cr3 | PTE.present | PTE.write);
    } finally {
      t.close();
    }
  });

  it('a PDE pointing back at the PML4 loops in the data, not in the walk', () => {
    const m = new KernelMachine(standardSpec());
    // The PT index 0x1F0 selects PML4[0x1F0] (the kernel's entry) as the "PTE": the page read is its PDPT.
    const va = 0xffffa80000000000n | (0x1f0n << 12n);
    m.pt.setRaw(va, 2, m.pt.cr3 | PTE.present);
    const pdpt = m.phys.u64(m.pt.cr3 + 0x1f0n * 8n) & 0x000f_ffff_ffff_f000n;
    const path = file();
    writeCompleteDump(m, path);
    const t = open(path);
    try {
      expect(t.memory.readPartial(va, 4096)).toEqual(m.phys.pages.get(Number(pdpt >> 12n)));
    } finally {
      t.close();
    }
  });

  it('transition and prototype PTEs are unreadable; PCID bits in CR3 are ignored', () => {
    const m = new KernelMachine(standardSpec({ pcid: 0x2 }));
    m.mapFresh(0xffffa80100000000n, 0x3000);
    m.writeVa(0xffffa80100000000n, new Uint8Array([1, 2, 3, 4]));
    const pa = m.pt.translate(0xffffa80100001000n)!;
    m.pt.setRaw(0xffffa80100001000n, 3, (pa & ~0xfffn) | PTE.transition);
    m.pt.setRaw(0xffffa80100002000n, 3, PTE.prototype | 0x1234000n);
    const path = file();
    writeCompleteDump(m, path);
    const t = open(path);
    try {
      expect(t.header.directoryTableBase & 0xfffn).toBe(2n);
      expect(t.memory.readPartial(0xffffa80100000000n, 4)).toEqual(new Uint8Array([1, 2, 3, 4]));
      expect(t.memory.readPartial(0xffffa80100000ff0n, 0x20)).toHaveLength(0x10);
      expect(t.memory.readPartial(0xffffa80100002000n, 4)).toHaveLength(0);
    } finally {
      t.close();
    }
  });
});

describe('lists and fallbacks', () => {
  it('a module list that loops stops with a warning', () => {
    const m = new KernelMachine(standardSpec());
    const first = readUnsigned({ readPartial: (a, l) => m.readVa(a, l) }, VA.psLoadedModuleList, 8)!;
    const second = readUnsigned({ readPartial: (a, l) => m.readVa(a, l) }, first, 8)!;
    m.writeU64(second, first);
    const path = file();
    writeCompleteDump(m, path);
    const t = open(path);
    try {
      expect(t.modules.map((x) => x.name)).toEqual(['nt', 'hal']);
      expect(t.warnings).toEqual([`WARNING: PsLoadedModuleList loops back to ${first.toString(16).padStart(16, '0')}; stopped there`]);
    } finally {
      t.close();
    }
  });

  it('without a KDBG the header context still serves the bug-check processor', () => {
    const m = new KernelMachine(standardSpec({ noKdbg: true }));
    const path = file();
    writeCompleteDump(m, path);
    const t = open(path);
    try {
      expect(t.warnings).toEqual(['WARNING: KDDEBUGGER_DATA64 is not readable; processor and module details are limited']);
      expect(t.units[0]!.context.sp).toBe(STACK0);
      expect(t.units[0]!.prcb).toBeUndefined();
      expect(t.units[1]!.contextNote).toMatch(/KDDEBUGGER_DATA64/);
      expect(t.modules.map((x) => x.name)).toEqual(['nt', 'hal', 'amdppm']);
      expect(t.system.kernelBase).toBe(VA.kernelBase);
    } finally {
      t.close();
    }
  });

  it('the bug-check processor is the one whose context matches the header context', () => {
    const m = new KernelMachine(standardSpec({ bugCheckProcessor: 1 }));
    const path = file();
    writeBitmapDump(m, path);
    const t = open(path);
    try {
      expect(t.initialUnit).toBe(1);
      expect(t.units[1]!.context.get('rbx')).toBe(0xbbn);
    } finally {
      t.close();
    }
  });

  it('Windows 7 builds print the service pack and a UP kernel for one processor', () => {
    const spec = standardSpec();
    const m = new KernelMachine({ ...spec, build: 7601, processors: [spec.processors[0]!], timeZoneBiasMinutes: 300 });
    const path = file();
    writeCompleteDump(m, path);
    const t = open(path);
    try {
      expect(t.system.versionLine).toBe('Windows 7 Kernel Version 7601 (Service Pack 1) UP Free x64');
      expect(t.system.debugSessionTime).toBe('Sat Feb 20 20:38:22.987 2021 (UTC - 5:00)');
    } finally {
      t.close();
    }
  });
});
