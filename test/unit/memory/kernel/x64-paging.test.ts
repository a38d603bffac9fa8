import { describe, expect, it } from 'vitest';
import { X64VirtualMemory } from '../../../../src/memory/kernel/paged-virtual-memory.js';
import type { PhysicalMemory } from '../../../../src/memory/kernel/physical-memory.js';
import { cr3TableBase, describeFault, isCanonical, translateX64 } from '../../../../src/memory/kernel/x64-paging.js';
import { PageTables, PfnAllocator, PhysicalImage, PTE } from '../../../builders/kdump-builder.js';

/** PhysicalMemory over the builder's sparse image, counting reads. */
class ImageMemory implements PhysicalMemory {
  reads = 0;
  readonly missingPages = 0;
  constructor(private readonly image: PhysicalImage) {}
  get storedPages(): number {
    return this.image.pages.size;
  }
  hasPage(pfn: bigint): boolean {
    return this.image.pages.has(Number(pfn));
  }
  readU64(pa: bigint): bigint | undefined {
    this.reads++;
    const b = this.readPartial(pa, 8);
    return b.length === 8 ? new DataView(b.buffer, b.byteOffset).getBigUint64(0, true) : undefined;
  }
  readInto(pa: bigint, dest: Uint8Array, destOffset: number, length: number): number {
    const b = this.readPartial(pa, length);
    dest.set(b, destOffset);
    return b.length;
  }
  readPartial(pa: bigint, length: number): Uint8Array {
    const out: number[] = [];
    for (let i = 0; i < length; i++) {
      const a = pa + BigInt(i);
      const page = this.image.pages.get(Number(a >> 12n));
      if (!page) break;
      out.push(page[Number(a & 0xfffn)]!);
    }
    return new Uint8Array(out);
  }
}

function setup() {
  const image = new PhysicalImage();
  const pt = new PageTables(image, new PfnAllocator(0x10));
  return { image, pt, phys: new ImageMemory(image) };
}

describe('translateX64', () => {
  it('walks 4 KiB, 2 MiB (PAT bit masked) and 1 GiB pages', () => {
    const { pt, phys } = setup();
    pt.map4k(0xfffff80000001000n, 0x5000n);
    pt.map2m(0xfffff80000400000n, 0x40000000n, true);
    pt.map1g(0xffffc00000000000n, 0x80000000n);
    expect(translateX64(phys, pt.cr3, 0xfffff80000001234n)).toEqual({ ok: true, pa: 0x5234n, pageSize: 0x1000 });
    expect(translateX64(phys, pt.cr3, 0xfffff800005abcden)).toEqual({ ok: true, pa: 0x401abcden, pageSize: 0x200000 });
    expect(translateX64(phys, pt.cr3, 0xffffc00012345678n)).toEqual({ ok: true, pa: 0x92345678n, pageSize: 0x40000000 });
  });

  it('masks PCID bits and the no-flush bit off CR3', () => {
    const { pt, phys } = setup();
    pt.map4k(0xfffff80000001000n, 0x5000n);
    expect(cr3TableBase(pt.cr3 | 0xabcn | (1n << 63n))).toBe(pt.cr3);
    expect(translateX64(phys, pt.cr3 | 0x2n, 0xfffff80000001000n)).toMatchObject({ ok: true, pa: 0x5000n });
  });

  it('reports each kind of fault with its level', () => {
    const { pt, phys } = setup();
    pt.map4k(0xfffff80000001000n, 0x5000n);
    pt.setRaw(0xfffff80000002000n, 3, 0x6000n | PTE.transition);
    pt.setRaw(0xfffff80000003000n, 3, PTE.prototype | 0x123400n);
    pt.setRaw(0xfffff80000004000n, 3, 0x7000n);
    pt.setRaw(0xfffff80000600000n, 2, 0x999000n | PTE.present);
    const fault = (va: bigint) => {
      const r = translateX64(phys, pt.cr3, va);
      return r.ok ? undefined : r.fault;
    };
    expect(fault(0xfffff80000002000n)).toEqual({ kind: 'transition', level: 'PTE', entry: 0x6000n | PTE.transition });
    expect(fault(0xfffff80000003000n)).toMatchObject({ kind: 'prototype', level: 'PTE' });
    expect(fault(0xfffff80000004000n)).toMatchObject({ kind: 'not-present', level: 'PTE' });
    expect(fault(0x0000100000000000n)).toMatchObject({ kind: 'not-present', level: 'PML4E' });
    expect(fault(0xfffff80000600000n)).toEqual({ kind: 'not-in-dump', level: 'PTE', tablePa: 0x999000n });
    expect(fault(0x0000800000000000n)).toEqual({ kind: 'non-canonical' });
    expect(describeFault(fault(0xfffff80000600000n)!)).toBe('PTE table page 0x999000 is not in the dump');
    expect(isCanonical(0xffff800000000000n)).toBe(true);
    expect(isCanonical(0x00007fffffffffffn)).toBe(true);
    expect(isCanonical(0xfff0800000000000n)).toBe(false);
  });

  it('never reads more than four entries, even through self-references', () => {
    const { pt, phys } = setup();
    pt.setRaw(0xffff000000000000n | (0x1edn << 39n), 0, pt.cr3 | PTE.present);
    const self = 0xffff000000000000n | (0x1edn << 39n) | (0x1edn << 30n) | (0x1edn << 21n) | (0x1edn << 12n);
    phys.reads = 0;
    expect(translateX64(phys, pt.cr3, self)).toMatchObject({ ok: true, pa: pt.cr3 });
    expect(phys.reads).toBe(4);
  });
});

describe('X64VirtualMemory', () => {
  it('returns the readable prefix across pages and caches translations', () => {
    const { image, pt, phys } = setup();
    pt.map4k(0xfffff80000001000n, 0x5000n);
    pt.map4k(0xfffff80000002000n, 0x9000n);
    image.write(0x5ff8n, new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]));
    image.write(0x9000n, new Uint8Array([9, 10]));
    const mem = new X64VirtualMemory(phys, pt.cr3, { tlbEntries: 16 });
    expect(mem.readPartial(0xfffff80000001ff8n, 10)).toEqual(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]));
    expect(mem.readPartial(0xfffff80000002ffcn, 8)).toHaveLength(4);
    expect(mem.readPartial(0xfffff80000003000n, 8)).toHaveLength(0);
    phys.reads = 0;
    mem.readPartial(0xfffff80000001000n, 4);
    mem.readPartial(0xfffff80000001800n, 4);
    expect(phys.reads).toBe(0);
    // The cache is bounded: filling it past its size starts over instead of growing.
    for (let i = 0n; i < 40n; i++) mem.translate(0xfffff80010000000n + (i << 12n));
    phys.reads = 0;
    mem.readPartial(0xfffff80000001000n, 4);
    expect(phys.reads).toBe(4);
  });
});
