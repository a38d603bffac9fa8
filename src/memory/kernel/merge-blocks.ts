import type { MemoryBlock } from '../virtual-memory.js';

/**
 * Turns possibly overlapping blocks into sorted, disjoint ones, as BlockMemory requires.
 * Triage dumps list the same bytes more than once (triage_x64: 1831 blocks cover 1160 ranges).
 * Where blocks overlap, the block listed first wins; in real dumps the copies are identical.
 */
export function mergeBlocks(blocks: readonly MemoryBlock[]): MemoryBlock[] {
  const indexed = blocks
    .map((b, i) => ({ b, i }))
    .filter(({ b }) => b.bytes.length > 0)
    .sort((x, y) => (x.b.base < y.b.base ? -1 : x.b.base > y.b.base ? 1 : x.i - y.i));
  const out: MemoryBlock[] = [];
  let group: { b: MemoryBlock; i: number }[] = [];
  let groupEnd = 0n;
  const flush = (): void => {
    if (group.length === 0) return;
    const first = group[0]!;
    if (group.length === 1) {
      out.push(first.b);
    } else {
      const base = first.b.base;
      const bytes = new Uint8Array(Number(groupEnd - base));
      // Paint later-listed blocks first so the earliest-listed copy ends on top.
      for (const { b } of [...group].sort((x, y) => y.i - x.i)) bytes.set(b.bytes, Number(b.base - base));
      out.push({ base, bytes });
    }
    group = [];
  };
  for (const item of indexed) {
    const end = item.b.base + BigInt(item.b.bytes.length);
    // Adjacent blocks stay separate; BlockMemory already reads across them.
    if (group.length > 0 && item.b.base < groupEnd) {
      group.push(item);
      if (end > groupEnd) groupEnd = end;
    } else {
      flush();
      group = [item];
      groupEnd = end;
    }
  }
  flush();
  return out;
}
