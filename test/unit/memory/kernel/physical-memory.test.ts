import { describe, expect, it } from 'vitest';
import { BitmapPhysicalMemory, popcount32 } from '../../../../src/memory/kernel/bitmap-memory.js';
import { BufferByteSource } from '../../../../src/memory/kernel/byte-source.js';
import { RunListPhysicalMemory } from '../../../../src/memory/kernel/run-list-memory.js';

/** Page `i` of a synthetic file: every byte is (i & 0xff), first u32 is i. */
function pages(count: number, headerBytes: number): Uint8Array {
  const b = new Uint8Array(headerBytes + count * 4096);
  for (let i = 0; i < count; i++) {
    const o = headerBytes + i * 4096;
    b.fill(i & 0xff, o, o + 4096);
    new DataView(b.buffer).setUint32(o, i, true);
  }
  return b;
}

describe('popcount32', () => {
  it('counts bits', () => {
    expect(popcount32(0)).toBe(0);
    expect(popcount32(0xffffffff)).toBe(32);
    expect(popcount32(0x80000001)).toBe(2);
    expect(popcount32(0x12345678)).toBe(13);
  });
});

describe('RunListPhysicalMemory', () => {
  const runs = [
    { basePage: 0x100, pageCount: 3 },
    { basePage: 0x2, pageCount: 2 },
    { basePage: 0x1000, pageCount: 1 },
  ];
  const file = pages(6, 0x2000);
  const mem = new RunListPhysicalMemory(new BufferByteSource(file), runs, 0x2000);

  it('maps PFNs to file pages in descriptor order', () => {
    expect(mem.storedPages).toBe(6);
    expect(mem.readU64(0x100000n)).toBe(0x0000000000000000n);
    expect(mem.readU64(0x101000n)).toBe(0x0101010100000001n);
    expect(mem.readU64(0x2000n)).toBe(0x0303030300000003n);
    expect(mem.readU64(0x3004n)).toBe(0x0404040404040404n);
    expect(mem.readU64(0x1000000n)).toBe(0x0505050500000005n);
    expect(mem.readU64(0x4000n)).toBeUndefined();
    expect(mem.hasPage(0x102n)).toBe(true);
    expect(mem.hasPage(0x103n)).toBe(false);
  });

  it('reads across consecutive pages of a run and stops at a gap', () => {
    expect(mem.readPartial(0x100ffcn, 8)).toEqual(new Uint8Array([0, 0, 0, 0, 1, 0, 0, 0]));
    expect(mem.readPartial(0x102ff8n, 16)).toHaveLength(8);
    expect(mem.readU64(0x101ffcn)).toBe(0x0000000201010101n);
  });

  it('counts pages past the end of a truncated file as missing', () => {
    const cut = new RunListPhysicalMemory(new BufferByteSource(file.subarray(0, 0x2000 + 4 * 4096 + 10)), runs, 0x2000);
    expect(cut.missingPages).toBe(2);
    expect(cut.readU64(0x2000n)).toBe(0x0303030300000003n);
    // PFN 3 is file page 4, cut 10 bytes in: a partial page counts as missing.
    expect(cut.readU64(0x3000n)).toBeUndefined();
    expect(cut.readU64(0x1000000n)).toBeUndefined();
  });
});

describe('BitmapPhysicalMemory', () => {
  it('agrees with a naive per-page scan on a random bitmap', () => {
    const bits = 5000;
    const bitmap = new Uint8Array(Math.ceil(bits / 8));
    let seed = 12345;
    const rand = (): number => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 0xff;
    for (let i = 0; i < bitmap.length; i++) bitmap[i] = rand() & rand();
    // Bits past `bits` are padding and must not count.
    bitmap[bitmap.length - 1]! |= 0xf0;
    const naive: number[] = [];
    for (let p = 0; p < bits; p++) if ((bitmap[p >> 3]! >> (p & 7)) & 1) naive.push(p);
    const first = 0x2038 + bitmap.length;
    const file = pages(naive.length, first);
    const mem = new BitmapPhysicalMemory(new BufferByteSource(file), bitmap, bits, first);
    expect(mem.storedPages).toBe(naive.length);
    expect(mem.missingPages).toBe(0);
    naive.forEach((pfn, rank) => {
      if (rank % 7 === 0) expect(mem.readU64(BigInt(pfn) << 12n)! & 0xffffffffn).toBe(BigInt(rank));
    });
    const absent = [...Array(bits).keys()].filter((p) => !naive.includes(p)).slice(0, 50);
    for (const p of absent) expect(mem.hasPage(BigInt(p))).toBe(false);
    expect(mem.hasPage(BigInt(bits))).toBe(false);
    expect(mem.hasPage(BigInt(bits + 3))).toBe(false);
  });

  it('handles an unaligned FirstPage and truncation', () => {
    const bitmap = new Uint8Array([0b1011]);
    const first = 0x2039;
    const file = pages(3, first);
    const mem = new BitmapPhysicalMemory(new BufferByteSource(file.subarray(0, first + 2 * 4096)), bitmap, 8, first);
    expect(mem.storedPages).toBe(3);
    expect(mem.missingPages).toBe(1);
    expect(mem.readU64(0x1000n)).toBe(0x0101010100000001n);
    expect(mem.readU64(0x3000n)).toBeUndefined();
    expect(mem.readU64(0x2000n)).toBeUndefined();
  });
});
