import type { VirtualMemory } from '../virtual-memory.js';
import type { PhysicalMemory } from './physical-memory.js';
import type { TranslationResult } from './x64-paging.js';
import { translateX64 } from './x64-paging.js';

/** Options of the translation cache. */
export interface PagedMemoryOptions {
  /** Most cached page translations (successes and faults). Default 16384. */
  readonly tlbEntries?: number;
}

const MASK64 = 0xffff_ffff_ffff_ffffn;

/**
 * A kernel virtual address space over the dump's physical memory and one CR3. Reads return the
 * readable prefix (VirtualMemory contract). A small translation cache keeps repeated reads of
 * the same pages (stacks, KPRCBs, module lists) from walking the tables every time; the dump is
 * immutable, so cached faults stay true.
 */
export class X64VirtualMemory implements VirtualMemory {
  private readonly tlb = new Map<number, TranslationResult>();
  private readonly tlbEntries: number;

  constructor(
    readonly physical: PhysicalMemory,
    /** CR3 as stored (PCID bits are dropped at walk time). */
    readonly cr3: bigint,
    options: PagedMemoryOptions = {},
  ) {
    this.tlbEntries = Math.max(16, options.tlbEntries ?? 16384);
  }

  /** Translates one virtual address (cached per 4 KiB page). */
  translate(va: bigint): TranslationResult {
    const v = va & MASK64;
    const vpn = Number(v >> 12n);
    const hit = this.tlb.get(vpn);
    if (hit) return hit.ok ? { ok: true, pa: (hit.pa & ~0xfffn) | (v & 0xfffn), pageSize: hit.pageSize } : hit;
    const r = translateX64(this.physical, this.cr3, v);
    // Cleared wholesale when full: simpler than LRU and a walk is only four reads.
    if (this.tlb.size >= this.tlbEntries) this.tlb.clear();
    this.tlb.set(vpn, r);
    return r;
  }

  readPartial(address: bigint, length: number): Uint8Array {
    if (length <= 0) return new Uint8Array(0);
    const out = new Uint8Array(length);
    let done = 0;
    let va = address & MASK64;
    while (done < length) {
      const t = this.translate(va);
      if (!t.ok) break;
      const take = Math.min(length - done, 0x1000 - Number(va & 0xfffn));
      const got = this.physical.readInto(t.pa, out, done, take);
      done += got;
      if (got < take) break;
      va = (va + BigInt(take)) & MASK64;
      if (va === 0n) break;
    }
    return done === length ? out : out.subarray(0, done);
  }
}
