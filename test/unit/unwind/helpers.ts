/** Shared scaffolding for the x64 unwinder tests: an image from PeBuilder plus a stack in BlockMemory. */
import { BlockMemory, type MemoryBlock } from '../../../src/memory/virtual-memory.js';
import { RegisterContext } from '../../../src/target/registers.js';
import { createPeUnwindProvider } from '../../../src/unwind/pe-unwind-provider.js';
import { walkStack } from '../../../src/unwind/walk-stack.js';
import type { UnwindDataProvider, WalkResult } from '../../../src/unwind/types.js';
import type { BuiltPe } from '../../builders/pe-builder.js';

/** Where test images are mapped. */
export const BASE = 0xfffff80000000000n;
/** Base of the test stack (kernel-stack-like address). */
export const STACK = 0xfffff88000100000n;

/** Register numbers as UNWIND_CODE uses them. */
export const R = { rax: 0, rcx: 1, rdx: 2, rbx: 3, rsp: 4, rbp: 5, rsi: 6, rdi: 7, r8: 8, r12: 12, r13: 13, r15: 15 } as const;

/** A little-endian u64 stack image that grows as slots are written. */
export class StackImage {
  private readonly bytes: Uint8Array;
  private readonly view: DataView;

  constructor(
    readonly base: bigint = STACK,
    size = 0x40000,
  ) {
    this.bytes = new Uint8Array(size);
    this.view = new DataView(this.bytes.buffer);
  }

  /** Writes a u64 at an absolute address. */
  set(address: bigint, value: bigint): this {
    this.view.setBigUint64(Number(address - this.base), value, true);
    return this;
  }

  /** The block for BlockMemory. */
  block(): MemoryBlock {
    return { base: this.base, bytes: this.bytes };
  }
}

/** A mapped module for tests. */
export interface MappedImage {
  readonly base: bigint;
  readonly built: BuiltPe;
}

/** Memory holding the images and stacks, and a provider over the images. */
export function target(images: readonly MappedImage[], stacks: readonly StackImage[]): { memory: BlockMemory; provider: UnwindDataProvider } {
  const memory = new BlockMemory([...images.map((i) => ({ base: i.base, bytes: i.built.image })), ...stacks.map((s) => s.block())]);
  const modules = images.map((i) => ({ base: i.base, size: i.built.sizeOfImage }));
  return { memory, provider: createPeUnwindProvider(memory, () => modules) };
}

/** An x64 context from a few registers. */
export function ctx(values: Record<string, bigint>): RegisterContext {
  return new RegisterContext('x64', values);
}

/** Walks with one image at BASE and one stack. */
export function walk(built: BuiltPe, stack: StackImage, regs: Record<string, bigint>, options?: { maxFrames?: number; allowScan?: boolean }): WalkResult {
  const { memory, provider } = target([{ base: BASE, built }], [stack]);
  return walkStack(ctx(regs), memory, provider, options);
}

/** [rip, rsp, returnAddress, trust] of every frame, for compact assertions. */
export function summary(result: WalkResult): [bigint, bigint, bigint, string][] {
  return result.frames.map((f) => [f.instructionPointer, f.stackPointer, f.returnAddress, f.trust]);
}
