import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { KernelView } from '../../../src/kernel-objects/kernel-view.js';
import {
  KSWITCH_FRAME_RBP, KSWITCH_FRAME_RETURN, KSWITCH_FRAME_SIZE, notAThread, switchFrameContext, switchFrameSupported, threadContext,
} from '../../../src/kernel-objects/thread-context.js';
import { BlockMemory } from '../../../src/memory/virtual-memory.js';
import { openTarget } from '../../../src/session/open-target.js';
import { RegisterContext } from '../../../src/target/registers.js';
import type { Target } from '../../../src/target/target.js';
import { Block } from './byte-blocks.js';

const KSTACK = 0xffffa30b00006660n;
const THREAD = 0xffffd60e00001000n;
const RUNNING = 0xffffd60e00002000n;

/** An ETHREAD (19041 offsets) with the fields readThread requires, in `state`, KernelStack = `kernelStack`. */
function ethread(address: bigint, state: number, kernelStack: bigint): Block {
  return new Block(address, 0x520)
    .u8(0, 6) // DISPATCHER_HEADER.Type: ThreadObject
    .u64(0x58, kernelStack)
    .u64(0xf0, 0n) // Teb
    .u8(0x184, state)
    .u64(0x1c8, 0n) // Win32Thread
    .u64(0x220, 0xffffd60e00009000n) // Process
    .u64(0x478, 4n)
    .u64(0x480, 0x64n);
}

function switchFrame(rip: bigint, rbp: bigint): Block {
  return new Block(KSTACK, KSWITCH_FRAME_SIZE).u64(KSWITCH_FRAME_RBP, rbp).u64(KSWITCH_FRAME_RETURN, rip);
}

function target(build: number, blocks: Block[]): Target {
  return {
    kind: 'kernel',
    arch: 'x64',
    pointerSize: 8,
    path: 'fake.dmp',
    dumpKindLine: '',
    memory: new BlockMemory(blocks.map((b) => b.block)),
    modules: [],
    units: [{ index: 0, context: new RegisterContext('x64', { rip: 0xfffff80000001234n, rsp: 0xfffff80000200000n }), thread: RUNNING }],
    initialUnit: 0,
    system: { versionLine: '', buildNumber: build },
    warnings: [],
  };
}

const view = (build: number, blocks: Block[]): KernelView => ({ memory: new BlockMemory(blocks.map((b) => b.block)), build });

describe('KSWITCH_FRAME context', () => {
  it('resumes at Return with rsp just past the 0x40-byte frame and rbp from the frame', () => {
    const r = switchFrameContext(view(19041, [switchFrame(0xfffff80129c4a937n, 0xffffa30b00007000n)]), KSTACK);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.source).toBe('thread');
    expect([r.value.get('rip'), r.value.get('rsp'), r.value.get('rbp'), r.value.get('cs'), r.value.get('ss'), r.value.get('rax')]).toEqual([
      0xfffff80129c4a937n, KSTACK + 0x40n, 0xffffa30b00007000n, 0x10n, 0x18n, 0n,
    ]);
  });

  it('is known for 19041-19045 only and says so for other builds', () => {
    expect([19040, 19041, 19045, 19046, 7601].map(switchFrameSupported)).toEqual([false, true, true, false, false]);
    expect(switchFrameContext(view(7601, [switchFrame(1n, 2n)]), KSTACK)).toEqual({
      ok: false,
      missing: "crashkd knows the KSWITCH_FRAME layout only for builds 19041-19045, not 7601; the thread's stack starts at KernelStack ffffa30b`00006660 (dps it)",
    });
  });

  it('says when the frame is not in the dump', () => {
    expect(switchFrameContext(view(19041, []), KSTACK)).toEqual({
      ok: false, missing: "the thread's switch frame at KernelStack ffffa30b`00006660 is not in this dump",
    });
  });
});

describe('threadContext', () => {
  it("gives a running thread its processor's context, even when its ETHREAD is not in the dump", () => {
    const t = target(19041, []);
    const r = threadContext(t, RUNNING);
    expect(r).toEqual({ ok: true, value: { context: t.units[0]!.context, processor: 0, from: 'processor' } });
  });

  it('rebuilds a waiting thread from its switch frame', () => {
    const r = threadContext(target(19041, [ethread(THREAD, 5, KSTACK), switchFrame(0xfffff80129c4a937n, 0n)]), THREAD);
    expect(r.ok && [r.value.from, r.value.processor, r.value.thread?.tid, r.value.context.get('rip'), r.value.context.get('rsp')]).toEqual([
      'switch-frame', undefined, 0x64n, 0xfffff80129c4a937n, KSTACK + 0x40n,
    ]);
  });

  it('explains what it cannot do', () => {
    expect(threadContext(target(19041, [ethread(THREAD, 2, KSTACK)]), THREAD)).toEqual({
      ok: false, missing: 'THREAD ffffd60e`00001000 is Running but no processor of this dump runs it, so its registers are not saved anywhere',
    });
    expect(threadContext(target(19041, [ethread(THREAD, 5, 0n)]), THREAD)).toEqual({
      ok: false, missing: 'THREAD ffffd60e`00001000 has no saved kernel stack (KernelStack is 0)',
    });
    expect(threadContext(target(19041, []), THREAD)).toEqual({ ok: false, missing: 'THREAD ffffd60e`00001000 is not in this dump' });
    expect(notAThread(target(19041, [ethread(THREAD, 5, KSTACK).u8(0, 3)]), THREAD)).toBe("ffffd60e`00001000 is not a thread (dispatcher header Type 3, a thread's is 6)");
    expect(notAThread(target(19041, [ethread(THREAD, 5, KSTACK)]), THREAD)).toBeUndefined();
    expect(notAThread(target(19041, []), THREAD)).toBeUndefined();
    expect(threadContext({ ...target(19041, []), arch: 'x86', pointerSize: 4 }, THREAD)).toEqual({
      ok: false, missing: 'crashkd builds thread contexts for x64 targets only',
    });
  });

  it('finds the 0x9F scenario worker thread waiting in KiSwapThread', async () => {
    const t = await openTarget(resolve('fixtures/driver-power-state-0x9f.yaml'));
    const r = threadContext(t, 0xffffd60e47b9e040n);
    expect(r.ok && [r.value.from, r.value.context.get('rip'), r.value.context.get('rsp')]).toEqual([
      'switch-frame', 0xfffff80129c4a937n, 0xffffa30b1e8c66a0n,
    ]);
  });
});
