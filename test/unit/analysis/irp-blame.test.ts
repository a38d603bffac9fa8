import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { blame, probablyCausedBy } from '../../../src/analysis/blame.js';
import { followBlockedIrp, isBlockedIrpBugCheck } from '../../../src/analysis/irp-blame.js';
import { analyzeKernel } from '../../../src/analysis/kernel-analysis.js';
import { kernelShortLines, kernelVerboseLines } from '../../../src/analysis/kernel-lines.js';
import type { BlockMemory } from '../../../src/memory/virtual-memory.js';
import { createSession } from '../../../src/session/create-session.js';
import { DumpSession } from '../../../src/session/dump-session.js';
import { openTarget } from '../../../src/session/open-target.js';
import type { Module, Target } from '../../../src/target/target.js';
import { CHAIN, chainMemory } from '../kernel-objects/irp-chain.js';
import { fakeModule, fixedWalker, kernelTarget, NT } from './fake-targets.js';

const FABRIKAM = fakeModule('fabrikam', 'fabrikam.sys', CHAIN.driverStart, 0x8000, 'none');
const OTHER_NAME = fakeModule('fbrk64', 'fbrk64.sys', CHAIN.driverStart, 0x8000, 'none');

function session(memory: BlockMemory, modules: Module[] = [NT, FABRIKAM], p1 = 3n): DumpSession {
  const base = kernelTarget(0x9fn, [p1, 0xffff900000040000n, 0xfffff80000123000n, CHAIN.irp]);
  const t: Target = { ...base, memory, modules: [...modules, ...base.modules.filter((m) => m.name === 'man')], system: { ...base.system, buildNumber: 19041 } };
  return new DumpSession(t, fixedWalker);
}

describe('following the blocked IRP of 0x9F subtype 3', () => {
  it('applies to 0x9F with Arg1 3 only', () => {
    expect(isBlockedIrpBugCheck(0x9fn, [3n, 0n, 0n, 1n])).toBe(true);
    expect(isBlockedIrpBugCheck(0x9fn, [4n, 0n, 0n, 1n])).toBe(false);
    expect(isBlockedIrpBugCheck(0x7en, [3n, 0n, 0n, 1n])).toBe(false);
  });

  it('blames the module of the driver at the current stack location, found by its name', () => {
    const b = blame(session(chainMemory()));
    expect([b.image, b.moduleName, b.frameIndex, b.irpProblem]).toEqual(['fabrikam.sys', 'fabrikam', undefined, undefined]);
    expect(b.irp).toMatchObject({
      irp: CHAIN.irp, stackLocation: CHAIN.irp + 0x118n, majorFunction: 0x16, minorFunction: 2,
      deviceObject: CHAIN.device, driverObject: CHAIN.driver, driverName: '\\Driver\\fabrikam', matchedBy: 'name',
    });
    expect(probablyCausedBy(b)).toBe('Probably caused by : fabrikam.sys');
  });

  it('falls back to DriverStart when the name names no module or is unreadable', () => {
    const renamed = followBlockedIrp(session(chainMemory(), [NT, OTHER_NAME]), CHAIN.irp);
    expect(renamed.ok && [renamed.value.module.name, renamed.value.matchedBy]).toEqual(['fbrk64', 'driver-start']);
    const noName = followBlockedIrp(session(chainMemory({ dropName: true })), CHAIN.irp);
    expect(noName.ok && [noName.value.module.name, noName.value.matchedBy, noName.value.driverName]).toEqual(['fabrikam', 'driver-start', undefined]);
  });

  it('blames from the stack, saying why, when the chain breaks', () => {
    const badIrp = blame(session(chainMemory({ irpType: 1 })));
    expect([badIrp.image, badIrp.symbol, badIrp.irp]).toEqual(['man.sys', 'man+1ce7', undefined]);
    expect(badIrp.irpProblem).toBe('ffff9000`00010000 is not an IRP (Type 1, expected 6)');
    expect(probablyCausedBy(badIrp)).toBe('Probably caused by : man.sys ( man+1ce7 )');
    expect(blame(session(chainMemory(), [NT])).irpProblem).toBe(
      'no loaded module matches \\Driver\\fabrikam (DriverStart fffff805`40000000)',
    );
    const inNt = blame(session(chainMemory({ driverName: '\\Driver\\nt' })));
    expect([inNt.image, inNt.irpProblem]).toEqual(['man.sys', 'the IRP is held by \\Driver\\nt, a part of nt']);
  });

  it('leaves other 0x9F subtypes to the stack heuristic', () => {
    const b = blame(session(chainMemory(), undefined, 4n));
    expect([b.image, b.irp, b.irpProblem]).toEqual(['man.sys', undefined, undefined]);
  });

  it('prints the objects, the IMAGE bucket and the note in !analyze -v, without SYMBOL_NAME', () => {
    const s = session(chainMemory());
    const a = analyzeKernel(s)!;
    expect(a.failureBucketId).toBe('X64_0x9F_3_IMAGE_fabrikam.sys');
    expect(a.notes[0]).toBe(
      'crashkd: followed the blocked IRP (Arg4) as WinDbg does: IRP ffff9000`00010000 -> current stack location ffff9000`00010118 ' +
        '(major 0x16, minor 0x2) -> DeviceObject ffff9000`00020000 -> DriverObject ffff9000`00030000 \\Driver\\fabrikam -> module fabrikam (by its name); ' +
        "the bug-check stack is only the power manager's watchdog",
    );
    const v = kernelVerboseLines(a, s.target).map((l) => l.text);
    const at = v.indexOf('DRVPOWERSTATE_SUBCODE:  3');
    expect(v.slice(at, at + 8)).toEqual([
      'DRVPOWERSTATE_SUBCODE:  3', '', 'IRP_ADDRESS: ffff900000010000', '', 'DEVICE_OBJECT: ffff900000020000', '', 'DRIVER_OBJECT: ffff900000030000', '',
    ]);
    expect(v.indexOf('BUGCHECK_STR:  0x9F')).toBe(at + 8);
    expect(v).toContain('MODULE_NAME: fabrikam');
    expect(v).toContain('IMAGE_NAME:  fabrikam.sys');
    expect(v.some((l) => l.startsWith('SYMBOL_NAME'))).toBe(false);
    expect(kernelShortLines(a, s.target).map((l) => l.text)).toContain('Probably caused by : fabrikam.sys');
  });

  it('notes a broken chain before the stack note', () => {
    const a = analyzeKernel(session(chainMemory({ currentLocation: 4 })))!;
    expect(a.notes[0]).toBe(
      'crashkd: could not follow the blocked IRP (Arg4): IRP ffff9000`00010000 has no current stack location (CurrentLocation 4 of 3: it left every driver); blaming from the stack instead',
    );
    expect(a.notes[1]).toMatch(/^crashkd: the blamed module is a heuristic: first frame outside nt and hal \(frame 02: man\.sys/);
    expect(a.failureBucketId).toBe('X64_0x9F_man+1ce7');
  });

  it('names contosousb.sys in the 0x9F scenario', async () => {
    const s = createSession(await openTarget(resolve('fixtures/driver-power-state-0x9f.yaml')));
    const b = blame(s);
    expect([b.image, b.moduleName, b.irp?.driverName, b.irp?.deviceObject, b.irp?.driverObject]).toEqual([
      'contosousb.sys', 'contosousb', '\\Driver\\contosousb', 0xffffd60e4b91ad50n, 0xffffd60e4b6e2e30n,
    ]);
    expect(analyzeKernel(s)?.failureBucketId).toBe('X64_0x9F_3_IMAGE_contosousb.sys');
  });
});
