import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BlockMemory } from '../../../src/memory/virtual-memory.js';
import { fileImageReader, type FileImageReader } from '../../../src/formats/pe/file-image-reader.js';
import { createPeUnwindProvider } from '../../../src/unwind/pe-unwind-provider.js';
import { walkStack } from '../../../src/unwind/walk-stack.js';
import { StackImage, ctx, summary } from './helpers.js';

const testdata = path.resolve(process.cwd(), '../shared/testdata');
const EXE = path.join(testdata, 'mozilla+dump_syms/test_data/windows/dump_syms_regtest64.exe');
if (!existsSync(EXE)) console.warn(`skipping real-image unwind tests: ${EXE} is absent`);

/**
 * dump_syms_regtest64.exe, unwound with its real .pdata (llvm-readobj reference):
 *   0x140001010-0x14000107A  ALLOC_SMALL 72 (prolog 13); epilog at +0x65: add rsp,48h; ret
 *   0x1400011BC-0x14000133C  SAVE_NONVOL RBX 0x48, ALLOC_SMALL 48, PUSH_NONVOL RDI (prolog 10);
 *                            a call returns to 0x1400011D3; epilog at 0x140001334: add rsp,30h; pop rdi; ret
 * The image is not in "memory": the provider reads it from the file through `images`.
 */
describe.skipIf(!existsSync(EXE))('unwinding through a real x64 image', () => {
  const base = 0x140000000n;
  const readers: FileImageReader[] = [];
  afterAll(() => readers.forEach((r) => r.close()));
  const setup = (stack: StackImage) => {
    const file = fileImageReader(EXE);
    readers.push(file);
    const memory = new BlockMemory([stack.block()]);
    const provider = createPeUnwindProvider(memory, () => [{ base, size: file.headers.sizeOfImage }], (b) => (b === base ? file : undefined));
    return { memory, provider };
  };
  const S = 0x14fe00n;

  it('walks three frames with the prolog codes', () => {
    const stack = new StackImage(0x140000n, 0x20000)
      .set(S + 0x48n, 0x1400011d3n)
      .set(S + 0x50n + 0x48n, 0xb1n)
      .set(S + 0x80n, 0xd1n)
      .set(S + 0x88n, 0x140001370n); // inside 0x140001368-0x14000137A (ALLOC_SMALL 40)
    const { memory, provider } = setup(stack);
    const r = walkStack(ctx({ rip: 0x140001027n, rsp: S }), memory, provider);
    expect(summary(r)).toEqual([
      [0x140001027n, S, 0x1400011d3n, 'context'],
      [0x1400011d3n, S + 0x50n, 0x140001370n, 'unwind'],
      [0x140001370n, S + 0x90n, 0n, 'unwind'],
    ]);
    expect([r.frames[2]!.context.get('rbx'), r.frames[2]!.context.get('rdi')]).toEqual([0xb1n, 0xd1n]);
    expect(r.stopReason).toBeUndefined();
  });

  it('restores nonvolatile registers saved by the real prolog', () => {
    const stack = new StackImage(0x140000n, 0x20000).set(S + 0x48n, 0xb1n).set(S + 0x30n, 0xd1n).set(S + 0x38n, 0x140001368n);
    const { memory, provider } = setup(stack);
    const r = walkStack(ctx({ rip: 0x1400011d3n, rsp: S }), memory, provider, { maxFrames: 2 });
    expect(summary(r)[1]).toEqual([0x140001368n, S + 0x40n, 0n, 'unwind']);
    expect(r.frames[1]!.context.get('rbx')).toBe(0xb1n);
    expect(r.frames[1]!.context.get('rdi')).toBe(0xd1n);
  });

  it('detects the real epilogs (add rsp / pop / ret) at frame 0', () => {
    const stack = new StackImage(0x140000n, 0x20000).set(S + 0x30n, 0xd1n).set(S + 0x38n, 0x140001368n).set(S + 0x48n, 0x1400011d3n);
    const { memory, provider } = setup(stack);
    const inSecond = walkStack(ctx({ rip: 0x140001334n, rsp: S, rdi: 1n }), memory, provider, { maxFrames: 2 });
    expect(summary(inSecond)[1]).toEqual([0x140001368n, S + 0x40n, 0n, 'unwind']);
    expect(inSecond.frames[1]!.context.get('rdi')).toBe(0xd1n);
    const inFirst = walkStack(ctx({ rip: 0x140001079n, rsp: S + 0x48n }), memory, provider, { maxFrames: 2 });
    expect(summary(inFirst)[1]).toEqual([0x1400011d3n, S + 0x50n, 0n, 'unwind']);
  });
});
