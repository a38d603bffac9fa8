import { describe, expect, it } from 'vitest';
import { mergeBlocks } from '../../../../src/memory/kernel/merge-blocks.js';
import { BlockMemory } from '../../../../src/memory/virtual-memory.js';

const block = (base: bigint, ...bytes: number[]) => ({ base, bytes: new Uint8Array(bytes) });

describe('mergeBlocks', () => {
  it('makes overlapping blocks disjoint so BlockMemory finds every byte', () => {
    const blocks = [block(0x100n, 1, 2, 3, 4, 5, 6), block(0x102n, 9), block(0x104n, 7, 7, 7, 8), block(0x200n, 1)];
    // Unmerged, a lookup inside the first block can land on the small one and miss.
    const merged = mergeBlocks(blocks);
    expect(merged.map((b) => [b.base, b.bytes.length])).toEqual([[0x100n, 8], [0x200n, 1]]);
    const mem = new BlockMemory(merged);
    // The first-listed block wins where copies disagree.
    expect([...mem.readPartial(0x100n, 8)]).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(mem.readPartial(0x108n, 4)).toHaveLength(0);
  });

  it('keeps adjacent blocks separate and drops empty ones', () => {
    const merged = mergeBlocks([block(0x10n, 1, 2), block(0x12n, 3), block(0x20n)]);
    expect(merged).toHaveLength(2);
    expect([...new BlockMemory(merged).readPartial(0x10n, 3)]).toEqual([1, 2, 3]);
  });
});
