import { describe, expect, it } from 'vitest';
import { kernelOffsets, objectOffsets, tableOffsets } from '../../../src/target/kernel/build-offsets.js';
import { LAYOUT, OBJECTS_19041, OBJECTS_7601 } from '../../builders/kdump-builder.js';

/** The reader's table against the builder's independent reading of the same public headers. */
describe('object offsets table', () => {
  it('covers Windows 7 SP1 and Windows 10 19041-19045 only', () => {
    expect(objectOffsets(7600)).toBe(objectOffsets(7601));
    expect(objectOffsets(19045)).toBe(objectOffsets(19041));
    expect(objectOffsets(9600)).toBeUndefined();
    expect(objectOffsets(22000)).toBeUndefined();
  });

  it('agrees with the builder for 19041', () => {
    const o = objectOffsets(19041)!;
    const b = OBJECTS_19041;
    expect([o.kthreadInitialStack, o.kthreadStackLimit, o.kthreadStackBase, o.kthreadKernelStack, o.kthreadState, o.kthreadProcess, o.kthreadTeb, o.kthreadWin32Thread]).toEqual([
      b.initialStack, b.stackLimit, b.stackBase, b.kernelStack, b.state, b.process, b.teb, b.win32Thread,
    ]);
    expect([o.ethreadCid, o.ethreadWin32StartAddress, o.ethreadCrossThreadFlags, o.ioPriorityShift, o.pagePriorityShift]).toEqual([b.cid, b.win32StartAddress, b.crossThreadFlags, b.ioShift, b.pageShift]);
    expect([o.eprocessUniqueProcessId, o.eprocessActiveProcessLinks, o.eprocessImageFileName, o.eprocessPeb, o.eprocessObjectTable, o.eprocessSession]).toEqual([
      b.pid, b.links, b.imageFileName, b.peb, b.objectTable, b.session,
    ]);
    expect(o.handleTableHandleCount).toBeUndefined();
    // ApcState.Process (KDBG OffsetKThreadApcProcess) sits 0x20 into ApcState, right after TrapFrame.
    expect(tableOffsets(19041)!.kthreadApcProcess).toBe(LAYOUT.kthreadApcProcess);
  });

  it('agrees with the builder for 7601 and keeps the Win7-only fields', () => {
    const o = objectOffsets(7601)!;
    const b = OBJECTS_7601;
    expect([o.kthreadStackBase, o.kthreadPriority, o.kthreadBasePriority, o.kthreadNextProcessor, o.ethreadCid, o.eprocessImageFileName, o.handleTableHandleCount, o.kthreadCallbackStack]).toEqual([
      b.stackBase, b.priority, b.basePriority, b.nextProcessor, b.cid, b.imageFileName, b.handleCount, b.callbackStack,
    ]);
    expect(o.prcbInterruptCount + 0x18).toBe(kernelOffsets(7601, undefined)!.prcbDebuggerSavedIrql);
    expect(objectOffsets(19041)!.prcbInterruptCount + 0x18).toBe(kernelOffsets(19041, undefined)!.prcbDebuggerSavedIrql);
  });
});
