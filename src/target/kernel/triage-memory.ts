import type { ByteSource } from '../../formats/kdump/binary.js';
import { u16le, u64le } from '../../formats/kdump/binary.js';
import type { KdDebuggerData } from '../../formats/kdump/kdbg.js';
import type { TriageDump64 } from '../../formats/kdump/triage-dump.js';
import { mergeBlocks } from '../../memory/kernel/merge-blocks.js';
import type { MemoryBlock } from '../../memory/virtual-memory.js';
import { BlockMemory, readUnsigned } from '../../memory/virtual-memory.js';
import type { KernelOffsets } from './build-offsets.js';

/** A triage dump's memory: blocks of kernel VA read straight from the file (no page tables). */
export interface TriageMemory {
  readonly memory: BlockMemory;
  /** KPRCB.Number of the PRCB copy, i.e. the bug-check processor, when readable. */
  readonly prcbNumber?: number;
}

function block(source: ByteSource, base: bigint, offset: number, size: number): MemoryBlock | undefined {
  if (size <= 0 || base === 0n) return undefined;
  const bytes = source.read(offset, size);
  return bytes.length === size ? { base, bytes } : undefined;
}

/**
 * Maps the triage regions by VA (formats.md 1.8 "Rebuilding virtual memory"): the call stack at
 * TopOfStack, every TRIAGE_DATA_BLOCK, the KDDEBUGGER_DATA64 copy at KdDebuggerDataBlock, the
 * data page, then the KPRCB/ETHREAD/EPROCESS copies at the addresses the first layer names.
 * Earlier regions win where they overlap.
 */
export function buildTriageMemory(
  source: ByteSource,
  triage: TriageDump64,
  kdDebuggerDataBlock: bigint,
  kdbg: KdDebuggerData | undefined,
  offsets: KernelOffsets | undefined,
): TriageMemory {
  const first: (MemoryBlock | undefined)[] = [];
  if (triage.callStack) first.push(block(source, triage.topOfStack, triage.callStack.offset, triage.callStack.size));
  for (const b of triage.dataBlocks) first.push(block(source, b.address, b.offset, b.size));
  if (triage.debuggerData) first.push(block(source, kdDebuggerDataBlock, triage.debuggerData.offset, triage.debuggerData.size));
  if (triage.dataPage) first.push(block(source, triage.dataPage.address, triage.dataPage.offset, triage.dataPage.size));
  const base = first.filter((b): b is MemoryBlock => b !== undefined);
  const layer1 = new BlockMemory(mergeBlocks(base));
  if (triage.prcbOffset === undefined || !offsets) return { memory: layer1 };

  const numberBytes = source.read(triage.prcbOffset + offsets.prcbNumber, 2);
  const prcbNumber = numberBytes.length === 2 ? u16le(numberBytes, 0) : undefined;
  const copies: (MemoryBlock | undefined)[] = [];
  // Region sizes: KDBG's, else the gap to the next region (the copies are stored back to back).
  const prcbSize = kdbg?.sizePrcb || (triage.processOffset ?? 0) - triage.prcbOffset;
  const processSize = kdbg?.sizeEProcess || (triage.threadOffset ?? 0) - (triage.processOffset ?? 0);
  const threadSize = kdbg?.sizeEThread || (triage.callStack?.offset ?? 0) - (triage.threadOffset ?? 0);
  const prcbVa = prcbNumber !== undefined && kdbg ? readUnsigned(layer1, kdbg.kiProcessorBlock + BigInt(prcbNumber) * 8n, 8) : undefined;
  if (prcbVa) copies.push(block(source, prcbVa, triage.prcbOffset, prcbSize));
  const threadBytes = source.read(triage.prcbOffset + offsets.prcbCurrentThread, 8);
  const threadVa = threadBytes.length === 8 ? u64le(threadBytes, 0) : undefined;
  if (threadVa && triage.threadOffset !== undefined) {
    copies.push(block(source, threadVa, triage.threadOffset, threadSize));
    if (offsets.kthreadApcProcess !== undefined && triage.processOffset !== undefined) {
      const processBytes = source.read(triage.threadOffset + offsets.kthreadApcProcess, 8);
      const processVa = processBytes.length === 8 ? u64le(processBytes, 0) : undefined;
      if (processVa) copies.push(block(source, processVa, triage.processOffset, processSize));
    }
  }
  const all = [...base, ...copies.filter((b): b is MemoryBlock => b !== undefined)];
  return { memory: new BlockMemory(mergeBlocks(all)), ...(prcbNumber !== undefined ? { prcbNumber } : {}) };
}
