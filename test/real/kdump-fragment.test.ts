import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ModuleFactory } from '../../src/target/module-info.js';
import type { KernelDumpTarget } from '../../src/target/kernel/kernel-dump-target.js';
import { openKernelDump } from '../../src/target/kernel/kernel-dump-target.js';

const dir = resolve(process.cwd(), '../shared/testdata');
const path = resolve(dir, 'WerWolv+ImHex-Patterns/tests/patterns/test_data/dmp64.hexpat.bin');
if (!existsSync(path)) console.warn(`skipping dmp64.hexpat.bin tests: ${path} is absent`);

const noSymbols: ModuleFactory = (info) => ({
  ...info,
  symbols: () => ({ kind: 'none', nearest: () => undefined, next: () => undefined, byName: () => [], all: () => [] }),
});

/** First 16 KiB of a Win10 19045 complete dump written by DumpIt (bug check field 'MATT'). */
describe.skipIf(!existsSync(path))('real: dmp64.hexpat.bin (truncated complete dump)', () => {
  let t: KernelDumpTarget;
  const target = (): KernelDumpTarget => (t ??= openKernelDump(path, { moduleFactory: noSymbols }));
  afterAll(() => t?.close());

  it('opens as a truncated complete dump with one truncation warning', () => {
    expect(target().dumpKindLine).toBe('Kernel Complete Dump File: Full address space is available');
    expect(target().warnings[0]).toBe('WARNING: Dump file is truncated: 523908 of 523910 pages are missing');
    expect(target().warnings.filter((w) => w.includes('truncated'))).toHaveLength(1);
    expect(target().physical!.storedPages).toBe(0x7fe86);
  });

  it('reads the header and the five physical memory runs', () => {
    const h = target().header;
    expect(h.minorVersion).toBe(19045);
    expect(h.directoryTableBase).toBe(0x1ad002n);
    expect(h.psLoadedModuleList).toBe(0xfffff8071ec422b0n);
    expect(h.physicalRuns).toEqual([
      { basePage: 0x2, pageCount: 0x9e },
      { basePage: 0x100, pageCount: 0x251 },
      { basePage: 0x3d8, pageCount: 0xd7df },
      { basePage: 0xdbb8, pageCount: 0x1fb7 },
      { basePage: 0xfbff, pageCount: 0x70401 },
    ]);
    expect(h.physicalPageCount).toBe(0x7fe86);
    expect(target().bugCheck.code).toBe(0x5454414dn);
    expect(target().system.versionLine).toBe('Windows 10 Kernel Version 19045 MP (4 procs) Free x64');
    expect(target().system.debugSessionTime).toBe('Sat Oct 12 12:57:59.711 2024 (UTC + 0:00)');
    expect(target().system.systemUptime).toBe('0 days 0:38:41.104');
  });

  it('lists 4 processors: the header context for processor 0, notes for the others', () => {
    const units = target().units;
    expect(units).toHaveLength(4);
    expect(target().initialUnit).toBe(0);
    expect(units[0]!.context.ip).toBe(0xfffff8072aa9136dn);
    expect(units[0]!.context.sp).toBe(0xffffc10f7507f190n);
    expect(units[0]!.contextNote).toBeUndefined();
    for (const u of units.slice(1)) {
      expect(u.context.ip).toBe(0n);
      expect(u.contextNote).toBe(`Processor ${u.index}'s registers are unknown: the dump's KDDEBUGGER_DATA64 (KiProcessorBlock) is not readable.`);
    }
  });

  it('fails page reads cleanly', () => {
    const mem = target().memory;
    expect(mem.readPartial(0xfffff8072aa9136dn, 16)).toHaveLength(0);
    expect(mem.readPartial(0xffffc10f7507f190n, 16)).toHaveLength(0);
    expect(target().modules).toHaveLength(0);
    // The two pages the fragment does hold (PFN 2 and 3, right after the header) read from the file.
    const file = readFileSync(path);
    expect(target().physical!.readPartial(0x2000n, 32)).toEqual(new Uint8Array(file.subarray(0x2000, 0x2020)));
    expect(target().physical!.readPartial(0x3ff0n, 32)).toHaveLength(16);
    expect(target().physical!.readPartial(0x100000n, 8)).toHaveLength(0);
  });
});
