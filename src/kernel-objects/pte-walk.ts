import { cr3TableBase, isCanonical } from '../memory/kernel/x64-paging.js';
import type { PhysicalMemory } from '../memory/kernel/physical-memory.js';
import type { KernelView } from './kernel-view.js';
import { isTriage } from './kernel-view.js';
import type { Lookup } from './lookup.js';
import { found, missing } from './lookup.js';

/** `!pte`'s names for the four x64 levels (PML4E, PDPTE, PDE, PTE). */
export const PTE_LEVEL_NAMES = ['PXE', 'PPE', 'PDE', 'PTE'] as const;

const PRESENT = 1n;
const LARGE = 1n << 7n;
const FRAME = 0x000f_ffff_ffff_f000n;
const SHIFTS = [39n, 30n, 21n, 12n] as const;
/** The self-map slot Windows used before build 14393 randomised it (PTE_BASE fffff680`00000000). */
const CLASSIC_SELF_MAP = 0x1edn;

/** Where the page-table self-map puts the entries, so `!pte` can name their virtual addresses. */
export interface SelfMap {
  readonly pteBase: bigint;
  /** How it was found, for tests and notes. */
  readonly source: 'kdbg' | 'pml4';
}

/** One `!pte` walk. */
export interface PteReport {
  readonly va: bigint;
  /**
   * Addresses of the four entries: virtual through the self-map, or physical when it is unknown
   * (then undefined for levels the walk never reached).
   */
  readonly entryAddresses: readonly (bigint | undefined)[];
  readonly selfMap?: SelfMap;
  /** Entry values read, in level order; shorter than 4 when the walk stopped. */
  readonly entries: readonly bigint[];
  /** The level whose entry maps a large page (1: 1 GiB, 2: 2 MiB) and the page frame `va` lands in. */
  readonly large?: { readonly level: 1 | 2; readonly pfn: bigint };
  /** The level whose table page is not in the dump (entries stop before it). */
  readonly missingTable?: { readonly level: number; readonly tablePa: bigint };
}

function index(va: bigint, level: number): bigint {
  return (va >> SHIFTS[level]!) & 0x1ffn;
}

/** MiGetPteAddress: the self-map address of the PTE that maps `va`. */
export function pteAddress(va: bigint, pteBase: bigint): bigint {
  return BigInt.asUintN(64, ((va >> 9n) & 0x7f_ffff_fff8n) + pteBase);
}

/** The self-map addresses of the PXE, PPE, PDE and PTE for `va`. */
export function selfMapAddresses(va: bigint, pteBase: bigint): [bigint, bigint, bigint, bigint] {
  const pte = pteAddress(va, pteBase);
  const pde = pteAddress(pte, pteBase);
  const ppe = pteAddress(pde, pteBase);
  const pxe = pteAddress(ppe, pteBase);
  return [pxe, ppe, pde, pte];
}

function pml4SelfIndex(phys: PhysicalMemory, table: bigint): bigint | undefined {
  const isSelf = (i: bigint): boolean => {
    const e = phys.readU64(table + i * 8n);
    return e !== undefined && (e & PRESENT) !== 0n && (e & FRAME) === table;
  };
  if (isSelf(CLASSIC_SELF_MAP)) return CLASSIC_SELF_MAP;
  // Only the kernel half can hold the self-map; 256 reads at most.
  for (let i = 0x100n; i < 0x200n; i++) if (isSelf(i)) return i;
  return undefined;
}

/**
 * The self-map base: KDDEBUGGER_DATA64.PteBase (Win10 1607+), else the PML4 entry that points
 * back at the PML4 itself (the classic slot first).
 */
export function findSelfMap(view: KernelView, phys: PhysicalMemory, table: bigint): SelfMap | undefined {
  const fromKdbg = view.kdbg?.pteBase;
  if (fromKdbg && (fromKdbg & 0x7f_ffff_ffffn) === 0n) return { pteBase: fromKdbg, source: 'kdbg' };
  const slot = pml4SelfIndex(phys, table);
  if (slot === undefined) return undefined;
  return { pteBase: 0xffff_0000_0000_0000n | (slot << 39n), source: 'pml4' };
}

function noPageTables(view: KernelView): string {
  if (view.dumpType === undefined) return '!pte needs the page tables of a complete or kernel dump; this target has none';
  if (isTriage(view)) return '!pte needs physical memory and page tables; a mini kernel dump stores neither';
  return '!pte needs physical memory and page tables; this dump has none';
}

/**
 * Walks the four levels for `va` from the dump header's DirectoryTableBase, reading every entry
 * `!pte` prints. After a large-page entry the next level is read the way the self-map reads it
 * (the large entry's frame taken as a table), which is what kd shows in that column.
 */
export function walkPte(view: KernelView, va: bigint): Lookup<PteReport> {
  const phys = view.physical;
  if (!phys || view.directoryTableBase === undefined) return missing(noPageTables(view));
  const v = BigInt.asUintN(64, va);
  if (!isCanonical(v)) return missing(`${v.toString(16)} is not a canonical x64 address`);
  const root = cr3TableBase(view.directoryTableBase);
  const selfMap = findSelfMap(view, phys, root);
  const entries: bigint[] = [];
  let large: PteReport['large'];
  let missingTable: PteReport['missingTable'];
  const physAddrs: bigint[] = [];
  let table = root;
  for (let level = 0; level < 4; level++) {
    const at = table + index(v, level) * 8n;
    physAddrs.push(at);
    const entry = phys.readU64(at);
    if (entry === undefined && level === 0) return missing(`the page-table root (PML4 page, physical ${root.toString(16)}) is not in this dump`);
    if (entry === undefined) {
      // Past a large page the "table" is data; a hole there is no missing page table.
      if (!large) missingTable = { level, tablePa: table };
      break;
    }
    entries.push(entry);
    if (large || (entry & PRESENT) === 0n) break;
    if ((level === 1 || level === 2) && (entry & LARGE) !== 0n) {
      const sub = level === 1 ? (v >> 12n) & 0x3ffffn : (v >> 12n) & 0x1ffn;
      const frameMask = level === 1 ? 0x000f_ffff_c000_0000n : 0x000f_ffff_ffe0_0000n;
      large = { level, pfn: ((entry & frameMask) >> 12n) + sub };
    }
    table = entry & FRAME;
  }
  const entryAddresses = selfMap ? selfMapAddresses(v, selfMap.pteBase) : [0, 1, 2, 3].map((i) => physAddrs[i]);
  return found({
    va: v,
    entryAddresses,
    ...(selfMap ? { selfMap } : {}),
    entries,
    ...(large ? { large } : {}),
    ...(missingTable ? { missingTable } : {}),
  });
}

/**
 * The 11 status letters `!pte` prints for a valid entry (MS docs `-pte.md` bit table):
 * C copy-on-write (0x200), G global (0x100), L large (0x80, PPE/PDE only), D dirty (0x40),
 * A accessed (0x20), N cache disabled (0x10), T write-through (0x8), U/K owner (0x4),
 * W/R writable (0x2), E executable (NX bit 63 clear), V valid.
 */
export function pteFlags(entry: bigint, level: number): string {
  const bit = (n: bigint): boolean => ((entry >> n) & 1n) === 1n;
  return [
    bit(9n) ? 'C' : '-',
    bit(8n) ? 'G' : '-',
    (level === 1 || level === 2) && bit(7n) ? 'L' : '-',
    bit(6n) ? 'D' : '-',
    bit(5n) ? 'A' : '-',
    bit(4n) ? 'N' : '-',
    bit(3n) ? 'T' : '-',
    bit(2n) ? 'U' : 'K',
    bit(1n) ? 'W' : 'R',
    bit(63n) ? '-' : 'E',
    'V',
  ].join('');
}

/** A not-present entry, decoded the way Windows uses the bits (MMPTE_SOFTWARE/TRANSITION/PROTOTYPE). */
export type SoftwarePte =
  | { readonly kind: 'transition'; readonly pfn: bigint; readonly protection: number }
  | { readonly kind: 'prototype'; readonly protection: number }
  | { readonly kind: 'demand-zero'; readonly protection: number }
  | { readonly kind: 'pagefile'; readonly pageFile: number; readonly offset: bigint; readonly protection: number };

/**
 * Decodes a non-zero invalid entry: Protection is bits 5-9 on every x64 build; prototype is
 * bit 10, transition bit 11 (frame in bits 12-47); otherwise a page-file entry whose file index
 * and offset moved between builds (Win7: PageFileLow bits 1-4; Win8+: bits 12-15; both keep
 * the offset in PageFileHigh, bits 32-63).
 */
export function decodeSoftwarePte(entry: bigint, build: number): SoftwarePte {
  const protection = Number((entry >> 5n) & 0x1fn);
  if ((entry & (1n << 10n)) !== 0n) return { kind: 'prototype', protection };
  if ((entry & (1n << 11n)) !== 0n) return { kind: 'transition', pfn: (entry >> 12n) & 0xf_ffff_ffffn, protection };
  const pageFile = Number(build < 9200 ? (entry >> 1n) & 0xfn : (entry >> 12n) & 0xfn);
  const offset = entry >> 32n;
  if (pageFile === 0 && offset === 0n) return { kind: 'demand-zero', protection };
  return { kind: 'pagefile', pageFile, offset, protection };
}
