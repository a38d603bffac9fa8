import type { PhysicalMemory } from './physical-memory.js';

/** The four levels of an x64 page walk, named as WinDbg's `!pte` names their entries. */
export type PagingLevel = 'PML4E' | 'PDPTE' | 'PDE' | 'PTE';

/** Why a virtual address has no readable physical page. */
export type TranslationFault =
  | { readonly kind: 'non-canonical' }
  /** The table page holding the entry is not in the dump. */
  | { readonly kind: 'not-in-dump'; readonly level: PagingLevel; readonly tablePa: bigint }
  /** Present bit clear: paged out, never touched, or a software PTE. */
  | { readonly kind: 'not-present'; readonly level: PagingLevel; readonly entry: bigint }
  /** Windows transition PTE (bit 11 set, bit 10 clear): the page is on a standby/modified list. */
  | { readonly kind: 'transition'; readonly level: PagingLevel; readonly entry: bigint }
  /** Windows prototype PTE (bit 10): the real PTE lives in a section's prototype table. */
  | { readonly kind: 'prototype'; readonly level: PagingLevel; readonly entry: bigint };

/** A successful walk: the physical address and the size of the page that maps it. */
export interface Translation {
  readonly pa: bigint;
  readonly pageSize: 0x1000 | 0x200000 | 0x40000000;
}

/** Result of one page walk. */
export type TranslationResult = ({ readonly ok: true } & Translation) | { readonly ok: false; readonly fault: TranslationFault };

const PRESENT = 1n;
const LARGE = 1n << 7n;
const PROTOTYPE = 1n << 10n;
const TRANSITION = 1n << 11n;
/** Bits 51..12: next table or 4 KiB frame. */
const FRAME = 0x000f_ffff_ffff_f000n;
/** Bits 51..21 for a 2 MiB page; bit 12 is the PAT bit there, not part of the frame. */
const FRAME_2M = 0x000f_ffff_ffe0_0000n;
/** Bits 51..30 for a 1 GiB page. */
const FRAME_1G = 0x000f_ffff_c000_0000n;
const LEVELS: readonly PagingLevel[] = ['PML4E', 'PDPTE', 'PDE', 'PTE'];
const SHIFTS = [39n, 30n, 21n, 12n] as const;

/** True when bits 63..47 of `va` are all equal (a canonical 48-bit address). */
export function isCanonical(va: bigint): boolean {
  const top = va >> 47n;
  return top === 0n || top === 0x1ffffn;
}

/** The page-table base in a CR3 value: drops the PCID (bits 11..0) and the no-flush bit 63. */
export function cr3TableBase(cr3: bigint): bigint {
  return cr3 & FRAME;
}

function notPresent(level: PagingLevel, entry: bigint): TranslationFault {
  if ((entry & PROTOTYPE) !== 0n) return { kind: 'prototype', level, entry };
  if ((entry & TRANSITION) !== 0n) return { kind: 'transition', level, entry };
  return { kind: 'not-present', level, entry };
}

/**
 * Walks the x64 4-level page tables rooted at `cr3` (formats.md 2.1). Exactly four reads at most,
 * so a self-referencing table (the Windows PML4 self-map) cannot loop. Transition and prototype
 * PTEs are reported, not followed: their page may hold stale data.
 */
export function translateX64(phys: PhysicalMemory, cr3: bigint, va: bigint): TranslationResult {
  if (!isCanonical(va & 0xffff_ffff_ffff_ffffn)) return { ok: false, fault: { kind: 'non-canonical' } };
  let table = cr3TableBase(cr3);
  for (let i = 0; i < 4; i++) {
    const level = LEVELS[i]!;
    const index = (va >> SHIFTS[i]!) & 0x1ffn;
    const entryPa = table + index * 8n;
    const entry = phys.readU64(entryPa);
    if (entry === undefined) return { ok: false, fault: { kind: 'not-in-dump', level, tablePa: table } };
    if ((entry & PRESENT) === 0n) return { ok: false, fault: notPresent(level, entry) };
    if (i === 1 && (entry & LARGE) !== 0n) return { ok: true, pa: (entry & FRAME_1G) | (va & 0x3fff_ffffn), pageSize: 0x40000000 };
    if (i === 2 && (entry & LARGE) !== 0n) return { ok: true, pa: (entry & FRAME_2M) | (va & 0x1f_ffffn), pageSize: 0x200000 };
    if (i === 3) return { ok: true, pa: (entry & FRAME) | (va & 0xfffn), pageSize: 0x1000 };
    table = entry & FRAME;
  }
  // Unreachable: the loop returns at level 3.
  return { ok: false, fault: { kind: 'non-canonical' } };
}

/** One line describing a fault, for warnings and `!pte`-style messages. */
export function describeFault(fault: TranslationFault): string {
  switch (fault.kind) {
    case 'non-canonical':
      return 'address is not canonical';
    case 'not-in-dump':
      return `${fault.level} table page 0x${fault.tablePa.toString(16)} is not in the dump`;
    case 'not-present':
      return `${fault.level} is not present (0x${fault.entry.toString(16)})`;
    case 'transition':
      return `${fault.level} is a transition entry (0x${fault.entry.toString(16)})`;
    case 'prototype':
      return `${fault.level} is a prototype entry (0x${fault.entry.toString(16)})`;
  }
}
