import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { countedStringLines } from '../../../commands/display-string.js';
import { DEFAULT_STACK_DEPTH, stackTraceDepth } from '../../../commands/dot-kframes.js';
import { BlockMemory } from '../../../src/memory/virtual-memory.js';
import { createSession } from '../../../src/session/create-session.js';
import { DumpSession } from '../../../src/session/dump-session.js';
import { openSession } from '../../../src/session/open-session.js';
import { openTarget } from '../../../src/session/open-target.js';
import { fixedWalker, kernelTarget, userTarget } from '../analysis/fake-targets.js';
import { Block } from '../kernel-objects/byte-blocks.js';
import { dispatcherWithNew, run } from './new-commands.js';

const SCENARIO = resolve('fixtures/driver-power-state-0x9f.yaml');
const WORKER = 0xffffd60e47b9e040n;
const scenario = async (): Promise<DumpSession> => createSession(await openTarget(SCENARIO));

describe('.thread', () => {
  it("sets a 'thread' scope with the thread's context, which r and k use until a processor switch resets it", async () => {
    const s = await scenario();
    const d = dispatcherWithNew(s);
    expect(await run(d, '.thread ffffd60e`47b9e040')).toEqual(['Implicit thread is now ffffd60e`47b9e040']);
    expect([s.scope?.kind, s.scope?.address, s.registers().get('rsp')]).toEqual(['thread', WORKER, 0xffffa30b1e8c66a0n]);
    expect((await run(d, 'r'))[0]).toBe('Last set context:');
    const k = await run(d, 'k');
    expect(k[0]).toBe('  *** Stack trace for last set context - .thread/.cxr resets it');
    expect(k.at(-1)).toMatch(/ nt!KiStartSystemThread\+0x28$/);
    await run(d, '~1s');
    expect(s.scope).toBeUndefined();
  });

  it('replaces a .trap scope and resets it without an argument', async () => {
    const s = await scenario();
    const d = dispatcherWithNew(s);
    await run(d, '.trap ffffa30b`1e8c6660');
    expect(s.scope?.kind).toBe('trap');
    await run(d, '.thread ffffd60e`47b9e040');
    expect(s.scope?.kind).toBe('thread');
    expect(await run(d, '.thread')).toEqual(['Implicit thread is now fffff801`2a527a00']);
    expect(s.scope).toBeUndefined();
  });

  it('accepts the live-only options with a note, refuses /w and non-threads, and leaves the scope alone on failure', async () => {
    const s = await scenario();
    const d = dispatcherWithNew(s);
    expect(await run(d, '.thread /p /r ffffd60e`47b9e040')).toEqual([
      'crashkd: /p /r only matter when debugging a live machine; ignored',
      'Implicit thread is now ffffd60e`47b9e040',
    ]);
    expect(await run(d, '.thread /w ffffd60e`47b9e040')).toEqual(['crashkd: .thread /w (the WOW64 context) is not supported']);
    expect(await run(d, '.thread ffffd60e`4a2c7060')).toEqual(["crashkd: ffffd60e`4a2c7060 is not a thread (dispatcher header Type 3, a thread's is 6)"]);
    expect(await run(d, '.thread 12345678')).toEqual(['crashkd: THREAD 00000000`12345678 is not in this dump']);
    expect(s.scope?.address).toBe(WORKER);
  });

  it('is a kernel-mode command', async () => {
    const d = dispatcherWithNew(new DumpSession(userTarget(), fixedWalker));
    expect((await run(d, '.thread 1000')).join('\n')).toContain('.thread is only available on kernel-mode targets');
  });
});

describe('!thread of a thread on no processor', () => {
  it('walks its switch frame without printing the last-set-context line, keeping the current scope', async () => {
    const s = await scenario();
    const d = dispatcherWithNew(s);
    await run(d, '.trap ffffa30b`1e8c6660');
    const out = await run(d, '!thread ffffd60e`47b9e040');
    expect(out).not.toContain('  *** Stack trace for last set context - .thread/.cxr resets it');
    const calls = out.filter((l) => / : (nt|contosousb)[!+]/.test(l)).map((l) => l.slice(l.lastIndexOf(' : ') + 3));
    expect(calls).toEqual([
      'nt!KiSwapThread+0x297', 'nt!KiCommitThreadWait+0x14f', 'nt!KeWaitForSingleObject+0x233', 'contosousb+0x3bdd', 'contosousb+0x2fb3',
      'nt!IofCallDriver+0x55', 'nt!PopIrpWorker+0x1c3', 'nt!PspSystemThreadStartup+0x55', 'nt!KiStartSystemThread+0x28',
    ]);
    expect([s.scope?.kind, s.scope?.address]).toEqual(['trap', 0xffffa30b1e8c6660n]);
  });
});

describe('ds / dS', () => {
  const ANSI = 0xfffff80000010000n;
  const UNI = 0xfffff80000010010n;
  const TEXT = 0xfffff80000011000n;
  function stringSession(): DumpSession {
    const structs = new Block(ANSI, 0x30)
      .u16(0, 12).u16(2, 13).u64(8, TEXT)
      .u16(0x10, 6).u16(0x12, 8).u64(0x18, TEXT + 0x100n)
      .u16(0x20, 4).u16(0x22, 4).u64(0x28, 0xfffff80000030000n);
    const text = new Block(TEXT, 0x110).ascii(0, 'ntoskrnl.exe').u8(12, 0).utf16(0x100, 'a\u00e9b');
    return new DumpSession({ ...kernelTarget(undefined), memory: new BlockMemory([structs.block, text.block]) }, fixedWalker);
  }

  it('ds reads an ANSI_STRING, dS a UNICODE_STRING: the second letter as typed decides', async () => {
    const d = dispatcherWithNew(stringSession());
    expect(await run(d, 'ds fffff800`00010000')).toEqual(['fffff800`00011000  "ntoskrnl.exe"']);
    expect(await run(d, 'Ds fffff800`00010000')).toEqual(['fffff800`00011000  "ntoskrnl.exe"']);
    expect(await run(d, 'dS fffff800`00010010')).toEqual(['fffff800`00011100  "a\u00e9b"']);
    expect(await run(d, 'DS fffff800`00010010')).toEqual(['fffff800`00011100  "a\u00e9b"']);
  });

  it('wraps with /c, continues from the last display, and says what is missing', async () => {
    const s = stringSession();
    const d = dispatcherWithNew(s);
    expect(await run(d, 'ds /c 5 fffff800`00010000')).toEqual(['fffff800`00011000  "ntosk"', 'fffff800`00011005  "rnl.e"', 'fffff800`0001100a  "xe"']);
    expect(await run(d, 'ds')).toEqual(['crashkd: no address given and no previous display to continue from']);
    s.nextDisplay = { address: ANSI, command: 'db' };
    expect(await run(d, 'ds')).toEqual(['fffff800`00011000  "ntoskrnl.exe"']);
    expect(await run(d, 'ds fffff800`00020000')).toEqual(['crashkd: the STRING at fffff800`00020000 is not in this dump']);
    // At +0x10 the second structure's Buffer (TEXT + 0x100) is in memory; point one at nothing.
    expect(await run(d, 'dS fffff800`00010020')).toEqual([
      'crashkd: the UNICODE_STRING at fffff800`00010020 has Length 0x4, but its Buffer fffff800`00030000 is not in this dump',
    ]);
    expect(await run(d, 'ds /x fffff800`00010000')).toEqual(['crashkd: ds has no /x option']);
  });

  it('shows embedded NULs as nothing and ANSI control bytes as dots', () => {
    const v = { address: 0n, length: 5, maximumLength: 5, buffer: 0x1000n, text: 'a\u0000b\u0001c' };
    expect(countedStringLines(v, false, undefined, 8)).toEqual(['00000000`00001000  "ab.c"']);
    expect(countedStringLines(v, true, 2, 4)).toEqual(['00001000  "a"', '00001004  "b\u0001"', '00001008  "c"']);
  });
});

describe('.exepath and .kframes', () => {
  it('.exepath replaces, .exepath+ appends, and the session path follows (quotes dropped)', async () => {
    const d = await openSession(SCENARIO, { imagePath: '' });
    const x = dispatcherWithNew(d.session);
    expect(await run(x, '.exepath')).toEqual(['Executable image search path is: <empty>']);
    expect(await run(x, '.exepath "c:\\my images"')).toEqual(['Executable image search path is: c:\\my images']);
    expect(await run(x, '.exepath+ d:\\x;e:\\y')).toEqual(['Executable image search path is: c:\\my images;d:\\x;e:\\y']);
    expect(d.session.imagePath).toBe('c:\\my images;d:\\x;e:\\y');
  });

  it('.kframes keeps a per-session depth and rejects 0', async () => {
    const a = await scenario();
    const b = await scenario();
    const d = dispatcherWithNew(a);
    expect(stackTraceDepth(a)).toBe(DEFAULT_STACK_DEPTH);
    expect(await run(d, '.kframes 10')).toEqual(['Default stack trace depth is 0n16 frames']);
    expect(await run(d, '.kframes 0n300')).toEqual(['Default stack trace depth is 0n300 frames']);
    expect([stackTraceDepth(a), stackTraceDepth(b)]).toEqual([300, 256]);
    expect(await run(d, '.kframes 0')).toEqual(['crashkd: the depth must be 1 to 0n65535']);
    expect(stackTraceDepth(a)).toBe(300);
  });
});
