/**
 * Synthetic Windows x64 kernel dumps for tests, written from /work/shared/docs/formats.md
 * sections 1-3 only. It deliberately imports nothing from src/formats: reader and builder are
 * two independent readings of the same documentation and check each other.
 *
 * The model: a sparse physical memory (4 KiB pages), x64 page tables built on it, kernel
 * objects (KDBG, KiProcessorBlock, KPRCBs, CONTEXTs, threads, PsLoadedModuleList, PE headers)
 * placed in kernel VA, then written out as a complete (type 1, run list), bitmap (type 5/6)
 * or triage (type 4) PAGEDU64 file.
 */
import { closeSync, ftruncateSync, openSync, writeSync } from 'node:fs';

const PAGE = 4096;
const FRAME = 0x000f_ffff_ffff_f000n;
const PAGE_FILL = 0x45474150;

// ---- little-endian helpers ------------------------------------------------------------------

/** Writes a u16/u32/u64 little-endian into `b` at `o`. */
export function put16(b: Uint8Array, o: number, v: number): void {
  b[o] = v & 0xff;
  b[o + 1] = (v >>> 8) & 0xff;
}
/** u32 little-endian. */
export function put32(b: Uint8Array, o: number, v: number): void {
  new DataView(b.buffer, b.byteOffset, b.byteLength).setUint32(o, v >>> 0, true);
}
/** u64 little-endian. */
export function put64(b: Uint8Array, o: number, v: bigint): void {
  new DataView(b.buffer, b.byteOffset, b.byteLength).setBigUint64(o, BigInt.asUintN(64, v), true);
}
function utf16(s: string): Uint8Array {
  return new Uint8Array(Buffer.from(s, 'utf16le'));
}

// ---- physical memory and page tables ---------------------------------------------------------

/** Sparse physical memory: only pages ever written exist. */
export class PhysicalImage {
  readonly pages = new Map<number, Uint8Array>();

  page(pfn: number): Uint8Array {
    let p = this.pages.get(pfn);
    if (!p) {
      p = new Uint8Array(PAGE);
      this.pages.set(pfn, p);
    }
    return p;
  }

  write(pa: bigint, bytes: Uint8Array): void {
    let done = 0;
    while (done < bytes.length) {
      const at = pa + BigInt(done);
      const off = Number(at & 0xfffn);
      const n = Math.min(PAGE - off, bytes.length - done);
      this.page(Number(at >> 12n)).set(bytes.subarray(done, done + n), off);
      done += n;
    }
  }

  u64(pa: bigint): bigint {
    const p = this.pages.get(Number(pa >> 12n));
    if (!p) return 0n;
    return new DataView(p.buffer).getBigUint64(Number(pa & 0xfffn), true);
  }

  setU64(pa: bigint, v: bigint): void {
    put64(this.page(Number(pa >> 12n)), Number(pa & 0xfffn), v);
  }
}

/** Hands out physical pages from a range, skipping reserved ones. */
export class PfnAllocator {
  private next: number;
  constructor(
    start: number,
    private readonly reserved: readonly [number, number][] = [],
  ) {
    this.next = start;
  }
  alloc(): number {
    for (;;) {
      const pfn = this.next++;
      if (!this.reserved.some(([a, n]) => pfn >= a && pfn < a + n)) return pfn;
    }
  }
}

/** Page-table entry flags. */
export const PTE = { present: 1n, write: 2n, large: 1n << 7n, prototype: 1n << 10n, transition: 1n << 11n, nx: 1n << 63n } as const;

/** Builds x64 4-level page tables inside a PhysicalImage (formats.md 2.1). */
export class PageTables {
  readonly cr3: bigint;
  constructor(
    private readonly phys: PhysicalImage,
    private readonly alloc: PfnAllocator,
  ) {
    this.cr3 = this.newTable();
  }

  private newTable(): bigint {
    const pfn = this.alloc.alloc();
    this.phys.page(pfn);
    return BigInt(pfn) << 12n;
  }

  private index(va: bigint, level: number): bigint {
    return (va >> [39n, 30n, 21n, 12n][level]!) & 0x1ffn;
  }

  /** Address of the entry for `va` at `level` (0 PML4 .. 3 PT), creating tables above it. */
  entryAddress(va: bigint, level: number): bigint {
    let table = this.cr3;
    for (let l = 0; l < level; l++) {
      const at = table + this.index(va, l) * 8n;
      let e = this.phys.u64(at);
      if ((e & PTE.present) === 0n) {
        e = this.newTable() | PTE.present | PTE.write;
        this.phys.setU64(at, e);
      }
      table = e & FRAME;
    }
    return table + this.index(va, level) * 8n;
  }

  map4k(va: bigint, pa: bigint): void {
    this.phys.setU64(this.entryAddress(va, 3), (pa & FRAME) | PTE.present | PTE.write);
  }
  /** 2 MiB page; `pat` sets bit 12 (the PAT bit of a large entry, not part of the frame). */
  map2m(va: bigint, pa: bigint, pat = false): void {
    this.phys.setU64(this.entryAddress(va, 2), (pa & 0x000f_ffff_ffe0_0000n) | PTE.present | PTE.write | PTE.large | (pat ? 1n << 12n : 0n));
  }
  map1g(va: bigint, pa: bigint): void {
    this.phys.setU64(this.entryAddress(va, 1), (pa & 0x000f_ffff_c000_0000n) | PTE.present | PTE.write | PTE.large);
  }
  /** Writes a raw entry (not-present, transition, prototype, loops) at `level` for `va`. */
  setRaw(va: bigint, level: number, entry: bigint): void {
    this.phys.setU64(this.entryAddress(va, level), entry);
  }

  /** Builder-side walk, used to write through mappings. */
  translate(va: bigint): bigint | undefined {
    let table = this.cr3;
    for (let l = 0; l < 4; l++) {
      const e = this.phys.u64(table + this.index(va, l) * 8n);
      if ((e & PTE.present) === 0n) return undefined;
      if (l === 1 && (e & PTE.large) !== 0n) return (e & 0x000f_ffff_c000_0000n) | (va & 0x3fff_ffffn);
      if (l === 2 && (e & PTE.large) !== 0n) return (e & 0x000f_ffff_ffe0_0000n) | (va & 0x1f_ffffn);
      if (l === 3) return (e & FRAME) | (va & 0xfffn);
      table = e & FRAME;
    }
    return undefined;
  }
}

// ---- kernel objects ----------------------------------------------------------------------------

/** Register values by name (rax..r15, rip, efl, cs, ds, es, fs, gs, ss). */
export type Regs = Partial<Record<string, bigint>>;

const GPR_ORDER = ['rax', 'rcx', 'rdx', 'rbx', 'rsp', 'rbp', 'rsi', 'rdi', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15'];

/** An x64 CONTEXT (0x4D0 bytes, formats.md 3.1). */
export function contextBytes(r: Regs): Uint8Array {
  const b = new Uint8Array(0x4d0);
  put32(b, 0x30, 0x10001f);
  put32(b, 0x34, 0x1f80);
  put16(b, 0x38, Number(r['cs'] ?? 0x10n));
  put16(b, 0x3a, Number(r['ds'] ?? 0x2bn));
  put16(b, 0x3c, Number(r['es'] ?? 0x2bn));
  put16(b, 0x3e, Number(r['fs'] ?? 0x53n));
  put16(b, 0x40, Number(r['gs'] ?? 0x2bn));
  put16(b, 0x42, Number(r['ss'] ?? 0x18n));
  put32(b, 0x44, Number(r['efl'] ?? 0x246n));
  GPR_ORDER.forEach((n, i) => put64(b, 0x78 + i * 8, r[n] ?? 0n));
  put64(b, 0xf8, r['rip'] ?? 0n);
  put32(b, 0x118, 0x1f80);
  return b;
}

/** Where a processor's context is stored. */
export type ContextPlacement = 'prcb-context' | 'processor-state' | 'none';

/** One processor of the synthetic machine. */
export interface ProcessorSpec {
  readonly regs: Regs;
  readonly placement?: ContextPlacement;
  readonly irql?: number;
  /** Leave the KPRCB pages out of the dump. */
  readonly prcbMissing?: boolean;
}

/** One loaded driver. */
export interface ModuleSpec {
  readonly baseName: string;
  readonly fullName: string;
  readonly base: bigint;
  readonly size: number;
  readonly timestamp: number;
  readonly checksum?: number;
  /** RSDS record for the PE debug directory. */
  readonly pdb?: { readonly guid: Uint8Array; readonly age: number; readonly name: string };
  /** Write the PE header page (default true). */
  readonly headerInDump?: boolean;
}

/** Offsets the builder's kernel uses (19041 values, formats.md 2.3/2.4); written into its KDBG. */
export const LAYOUT = {
  prcbCurrentThread: 0x8,
  prcbNumber: 0x24,
  prcbProcStateContext: 0x1f0,
  prcbContext: 0x85c0,
  pcrPrcb: 0x180,
  kthreadApcProcess: 0xb8,
  prcbDebuggerSavedIrql: 0x7e98,
  sizePrcb: 0xaf00,
  sizeEThread: 0x898,
  sizeEProcess: 0xa40,
} as const;

/** Options for a synthetic machine. */
export interface MachineSpec {
  readonly build?: number;
  readonly processors: readonly ProcessorSpec[];
  readonly bugCheck?: { readonly code: number; readonly parameters: readonly [bigint, bigint, bigint, bigint] };
  /** Index of the bug-check processor: its context goes into the header. */
  readonly bugCheckProcessor?: number;
  readonly modules?: readonly ModuleSpec[];
  /** FILETIME of the crash. */
  readonly systemTime?: bigint;
  /** 100 ns since boot. */
  readonly systemUpTime?: bigint;
  /** KUSER_SHARED_DATA.TimeZoneBias in minutes (UTC - local). */
  readonly timeZoneBiasMinutes?: number;
  readonly buildLab?: string;
  /** Omit the KDBG (header points at unmapped memory). */
  readonly noKdbg?: boolean;
  /** CR3 PCID bits to OR into DirectoryTableBase. */
  readonly pcid?: number;
}

/** Fixed virtual layout of the synthetic kernel. */
export const VA = {
  kernelBase: 0xfffff80000200000n,
  kdbg: 0xfffff80000210000n,
  kiProcessorBlock: 0xfffff80000211000n,
  psLoadedModuleList: 0xfffff80000212000n,
  buildLab: 0xfffff80000213000n,
  prcbBase: 0xfffff80001000000n,
  pool: 0xffffa00000000000n,
  kuser: 0xfffff78000000000n,
  hugeBase: 0xffffc00000000000n,
} as const;

/** PFN range of the 2 MiB page holding the kernel image, and PA of the 1 GiB page. */
const KERNEL_LARGE_PA = 0x0120_0000n;
const HUGE_PA = 0x4000_0000n;

/** A synthetic kernel machine: physical memory, page tables and a writer for every dump type. */
export class KernelMachine {
  readonly phys = new PhysicalImage();
  readonly alloc = new PfnAllocator(0x100, [[Number(KERNEL_LARGE_PA >> 12n), 512]]);
  readonly pt: PageTables;
  readonly build: number;
  private poolNext: bigint = VA.pool;
  private readonly prcbs: bigint[] = [];
  private readonly missing = new Set<number>();

  constructor(readonly spec: MachineSpec) {
    this.pt = new PageTables(this.phys, this.alloc);
    this.build = spec.build ?? 19041;
    // Kernel image: one 2 MiB page (PAT bit set to check it is masked off), the 1 GiB region unbacked.
    this.pt.map2m(VA.kernelBase, KERNEL_LARGE_PA, true);
    this.pt.map1g(VA.hugeBase, HUGE_PA);
    this.layout();
  }

  /** Maps fresh 4 KiB pages over [va, va+size). */
  mapFresh(va: bigint, size: number): void {
    const start = va & ~0xfffn;
    const end = va + BigInt(size);
    for (let p = start; p < end; p += 0x1000n) if (this.pt.translate(p) === undefined) this.pt.map4k(p, BigInt(this.alloc.alloc()) << 12n);
  }

  /** Writes bytes through the page tables; throws when a page is unmapped. */
  writeVa(va: bigint, bytes: Uint8Array): void {
    for (let done = 0; done < bytes.length; ) {
      const at = va + BigInt(done);
      const pa = this.pt.translate(at);
      if (pa === undefined) throw new Error(`builder: ${at.toString(16)} is not mapped`);
      const n = Math.min(PAGE - Number(at & 0xfffn), bytes.length - done);
      this.phys.write(pa, bytes.subarray(done, done + n));
      done += n;
    }
  }

  /** Reads back through the page tables (for triage copies). */
  readVa(va: bigint, size: number): Uint8Array {
    const out = new Uint8Array(size);
    for (let i = 0; i < size; i++) {
      const pa = this.pt.translate(va + BigInt(i));
      const page = pa === undefined ? undefined : this.phys.pages.get(Number(pa >> 12n));
      out[i] = page ? page[Number(pa! & 0xfffn)]! : 0;
    }
    return out;
  }

  writeU64(va: bigint, v: bigint): void {
    const b = new Uint8Array(8);
    put64(b, 0, v);
    this.writeVa(va, b);
  }

  /** Allocates `size` bytes of mapped pool (16-byte aligned). */
  pool(size: number): bigint {
    const va = this.poolNext;
    this.poolNext += BigInt((size + 15) & ~15);
    this.mapFresh(va, size);
    return va;
  }

  /** Physical pages that hold KPRCBs marked missing (left out of every dump). */
  get missingPfns(): ReadonlySet<number> {
    return this.missing;
  }

  prcbAddress(i: number): bigint {
    return this.prcbs[i]!;
  }

  private layout(): void {
    const s = this.spec;
    const kdbg = new Uint8Array(0x380);
    put32(kdbg, 0x10, 0x4742444b);
    put32(kdbg, 0x14, 0x380);
    put64(kdbg, 0x18, VA.kernelBase);
    put64(kdbg, 0x48, VA.psLoadedModuleList);
    put64(kdbg, 0x208, VA.buildLab);
    put64(kdbg, 0x218, VA.kiProcessorBlock);
    put16(kdbg, 0x2a0, LAYOUT.kthreadApcProcess);
    put16(kdbg, 0x2a8, LAYOUT.sizeEProcess);
    put16(kdbg, 0x2b0, LAYOUT.sizePrcb);
    put16(kdbg, 0x2b4, LAYOUT.prcbCurrentThread);
    put16(kdbg, 0x2bc, LAYOUT.prcbProcStateContext);
    put16(kdbg, 0x2be, LAYOUT.prcbNumber);
    put16(kdbg, 0x2c0, LAYOUT.sizeEThread);
    put16(kdbg, 0x2e6, LAYOUT.pcrPrcb);
    put16(kdbg, 0x338, LAYOUT.prcbContext);
    if (!s.noKdbg) this.writeVa(VA.kdbg, kdbg);
    this.writeVa(VA.buildLab, new Uint8Array(Buffer.from(`${s.buildLab ?? `${this.build}.1.amd64fre.test_build.200101-0000`}\0`, 'latin1')));
    if (s.timeZoneBiasMinutes !== undefined) {
      this.mapFresh(VA.kuser, PAGE);
      this.writeU64(VA.kuser + 0x20n, BigInt(s.timeZoneBiasMinutes) * 600000000n);
    }
    const process = this.pool(LAYOUT.sizeEProcess);
    s.processors.forEach((p, i) => {
      const pcr = VA.prcbBase + BigInt(i) * 0x10000n;
      const prcb = pcr + BigInt(LAYOUT.pcrPrcb);
      this.prcbs.push(prcb);
      this.mapFresh(pcr, LAYOUT.pcrPrcb + LAYOUT.sizePrcb);
      this.writeU64(VA.kiProcessorBlock + BigInt(i) * 8n, prcb);
      const thread = this.pool(LAYOUT.sizeEThread);
      this.writeU64(thread + BigInt(LAYOUT.kthreadApcProcess), process);
      this.writeU64(prcb + BigInt(LAYOUT.prcbCurrentThread), thread);
      const num = new Uint8Array(2);
      put16(num, 0, i);
      this.writeVa(prcb + BigInt(LAYOUT.prcbNumber), num);
      this.writeVa(prcb + BigInt(LAYOUT.prcbDebuggerSavedIrql), new Uint8Array([p.irql ?? 0]));
      const placement = p.placement ?? 'prcb-context';
      if (placement === 'prcb-context') {
        const ctx = this.pool(0x4d0);
        this.writeVa(ctx, contextBytes(p.regs));
        this.writeU64(prcb + BigInt(LAYOUT.prcbContext), ctx);
      } else if (placement === 'processor-state') {
        this.writeVa(prcb + BigInt(LAYOUT.prcbProcStateContext), contextBytes(p.regs));
      }
      if (p.prcbMissing) {
        for (let va = pcr; va < prcb + BigInt(LAYOUT.sizePrcb); va += 0x1000n) this.missing.add(Number(this.pt.translate(va)! >> 12n));
      }
    });
    this.writeModules(s.modules ?? []);
  }

  private writeModules(mods: readonly ModuleSpec[]): void {
    const entries = mods.map(() => this.pool(0x100));
    const head = VA.psLoadedModuleList;
    const links = [head, ...entries, head];
    for (let i = 1; i < links.length - 1; i++) {
      const e = links[i]!;
      const m = mods[i - 1]!;
      this.writeU64(e, links[i + 1]!);
      this.writeU64(e + 8n, links[i - 1]!);
      this.writeU64(e + 0x30n, m.base);
      const sz = new Uint8Array(4);
      put32(sz, 0, m.size);
      this.writeVa(e + 0x40n, sz);
      for (const [off, text] of [[0x48n, m.fullName], [0x58n, m.baseName]] as const) {
        const bytes = utf16(text);
        const buf = this.pool(bytes.length + 2);
        this.writeVa(buf, bytes);
        const us = new Uint8Array(16);
        put16(us, 0, bytes.length);
        put16(us, 2, bytes.length + 2);
        put64(us, 8, buf);
        this.writeVa(e + off, us);
      }
      const ck = new Uint8Array(4);
      put32(ck, 0, m.checksum ?? 0);
      this.writeVa(e + 0x78n, ck);
      if (m.headerInDump !== false) this.writePeHeader(m);
    }
    this.writeU64(head, links[1]!);
    this.writeU64(head + 8n, links[links.length - 2]!);
  }

  /** A minimal PE32+ header page (formats.md 5.1, 5.4) with a CodeView debug entry. */
  private writePeHeader(m: ModuleSpec): void {
    if (this.pt.translate(m.base) === undefined) this.mapFresh(m.base, PAGE);
    const h = new Uint8Array(PAGE);
    put16(h, 0, 0x5a4d);
    put32(h, 0x3c, 0x80);
    put32(h, 0x80, 0x4550);
    put16(h, 0x84, 0x8664);
    put32(h, 0x88, m.timestamp);
    put16(h, 0x94, 0xf0);
    const opt = 0x98;
    put16(h, opt, 0x20b);
    put32(h, opt + 0x38, m.size);
    put32(h, opt + 0x40, m.checksum ?? 0);
    put32(h, opt + 0x6c, 16);
    if (m.pdb) {
      const dir = 0x200;
      const cv = 0x240;
      put32(h, opt + 0x70 + 6 * 8, dir);
      put32(h, opt + 0x70 + 6 * 8 + 4, 28);
      put32(h, dir + 0x0c, 2);
      put32(h, dir + 0x10, 0x18 + m.pdb.name.length + 1);
      put32(h, dir + 0x14, cv);
      put32(h, cv, 0x53445352);
      h.set(m.pdb.guid, cv + 4);
      put32(h, cv + 0x14, m.pdb.age);
      h.set(Buffer.from(m.pdb.name, 'latin1'), cv + 0x18);
    }
    this.writeVa(m.base, h);
  }

  // ---- header ---------------------------------------------------------------------------------

  /** DUMP_HEADER64 (formats.md 1.2) with everything but the memory description. */
  header(dumpType: number): Uint8Array {
    const s = this.spec;
    const h = new Uint8Array(0x2000);
    for (let o = 0; o < h.length; o += 4) put32(h, o, PAGE_FILL);
    put32(h, 0x0, PAGE_FILL);
    put32(h, 0x4, 0x34365544);
    put32(h, 0x8, 0xf);
    put32(h, 0xc, this.build);
    put64(h, 0x10, this.pt.cr3 | BigInt(s.pcid ?? 0));
    put64(h, 0x18, 0xfffff80000214000n);
    put64(h, 0x20, VA.psLoadedModuleList);
    put64(h, 0x28, 0xfffff80000215000n);
    put32(h, 0x30, 0x8664);
    put32(h, 0x34, s.processors.length);
    put32(h, 0x38, s.bugCheck?.code ?? 0);
    put32(h, 0x3c, 0);
    (s.bugCheck?.parameters ?? [0n, 0n, 0n, 0n]).forEach((p, i) => put64(h, 0x40 + i * 8, p));
    put64(h, 0x80, VA.kdbg);
    const bc = s.processors[s.bugCheckProcessor ?? 0];
    h.fill(0, 0x348, 0x348 + 0xbb8);
    h.set(contextBytes(bc?.regs ?? {}), 0x348);
    h.fill(0, 0xf00, 0xf98);
    put32(h, 0xf00, 0x80000003);
    put64(h, 0xf10, bc?.regs['rip'] ?? 0n);
    put32(h, 0xf98, dumpType);
    put32(h, 0xf9c, 0);
    put64(h, 0xfa8, s.systemTime ?? 0x01d707f23dbb3399n);
    put64(h, 0x1030, s.systemUpTime ?? 0x23bc1e9n);
    put32(h, 0x1040, 1);
    put32(h, 0x1044, 0x110);
    return h;
  }

  /** Every page the dump should store, in PFN order, minus pages marked missing. */
  storedPfns(): number[] {
    return [...this.phys.pages.keys()].filter((p) => !this.missing.has(p)).sort((a, b) => a - b);
  }
}

// ---- writers -------------------------------------------------------------------------------------

/** Options common to every writer. */
export interface WriteOptions {
  /** Cut the file to this many bytes after writing. */
  readonly truncateTo?: number;
  /** Mutate the 0x2000-byte header (and, for bitmap/triage, the secondary header) before writing. */
  readonly patch?: (header: Uint8Array, secondary?: Uint8Array) => void;
}

function writeAt(fd: number, offset: number, bytes: Uint8Array): void {
  let done = 0;
  while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done, offset + done);
}

function finish(fd: number, size: number, opts: WriteOptions): void {
  ftruncateSync(fd, opts.truncateTo ?? size);
  closeSync(fd);
}

/** Groups sorted PFNs into runs of consecutive pages. */
export function runsOf(pfns: readonly number[]): [number, number][] {
  const runs: [number, number][] = [];
  for (const p of pfns) {
    const last = runs[runs.length - 1];
    if (last && last[0] + last[1] === p) last[1]++;
    else runs.push([p, 1]);
  }
  return runs;
}

/**
 * Complete dump (type 1, formats.md 1.6): pages of each run back to back from 0x2000. Default
 * runs are the stored pages grouped; pass `runs` to describe other ranges (pages outside every
 * run are then missing, run pages never written read as zeros).
 */
export function writeCompleteDump(m: KernelMachine, path: string, opts: WriteOptions & { runs?: readonly [number, number][] } = {}): void {
  const runs = opts.runs ?? runsOf(m.storedPfns());
  const h = m.header(1);
  put32(h, 0x88, runs.length);
  put64(h, 0x90, BigInt(runs.reduce((a, [, n]) => a + n, 0)));
  runs.forEach(([base, count], i) => {
    put64(h, 0x98 + i * 16, BigInt(base));
    put64(h, 0xa0 + i * 16, BigInt(count));
  });
  let offset = 0x2000;
  const fd = openSync(path, 'w');
  const pageAt: [number, number][] = [];
  for (const [base, count] of runs) {
    for (let k = 0; k < count; k++) pageAt.push([base + k, offset + k * PAGE]);
    offset += count * PAGE;
  }
  put64(h, 0xfa0, BigInt(offset));
  opts.patch?.(h);
  writeAt(fd, 0, h);
  for (const [pfn, at] of pageAt) {
    const page = m.missingPfns.has(pfn) ? undefined : m.phys.pages.get(pfn);
    if (page) writeAt(fd, at, page);
  }
  finish(fd, offset, opts);
}

/**
 * Bitmap dump (types 5/6, formats.md 1.7): 'SDMP'/'FDMP' header at 0x2000, bitmap right after,
 * pages packed from FirstPage (not page aligned). `present` overrides which PFNs are stored;
 * `bitCount` the bitmap size.
 */
export function writeBitmapDump(
  m: KernelMachine,
  path: string,
  opts: WriteOptions & { type?: 5 | 6; signature?: 'SDMP' | 'FDMP'; present?: readonly number[]; bitCount?: number } = {},
): void {
  const present = [...(opts.present ?? m.storedPfns())].sort((a, b) => a - b);
  const bits = opts.bitCount ?? ((present[present.length - 1] ?? 0) + 1 + 63) & ~63;
  const bitmapBytes = Math.ceil(bits / 8);
  const sec = new Uint8Array(0x38 + bitmapBytes);
  put32(sec, 0, (opts.signature ?? 'SDMP') === 'SDMP' ? 0x504d4453 : 0x504d4446);
  put32(sec, 4, 0x504d5544);
  const firstPage = 0x2000 + 0x38 + bitmapBytes;
  put64(sec, 0x20, BigInt(firstPage));
  put64(sec, 0x28, BigInt(present.length));
  put64(sec, 0x30, BigInt(bits));
  for (const p of present) sec[0x38 + (p >> 3)]! |= 1 << (p & 7);
  const h = m.header(opts.type ?? 5);
  const size = firstPage + present.length * PAGE;
  put64(h, 0xfa0, BigInt(size));
  opts.patch?.(h, sec);
  const fd = openSync(path, 'w');
  writeAt(fd, 0, h);
  writeAt(fd, 0x2000, sec);
  present.forEach((pfn, i) => {
    const page = m.missingPfns.has(pfn) ? undefined : m.phys.pages.get(pfn);
    if (page) writeAt(fd, firstPage + i * PAGE, page);
  });
  finish(fd, size, opts);
}

/** A triage data block taken from the machine's virtual memory. */
export interface TriageRange {
  readonly va: bigint;
  readonly size: number;
}

/**
 * Triage dump (type 4, formats.md 1.8): TRIAGE_DUMP64 at 0x2000, then the PRCB/EPROCESS/ETHREAD
 * copies, the call stack, the driver list with its DUMP_STRING pool, the KDBG copy, the data
 * blocks, and the 'TRGD' marker. Copies are read from the machine's virtual memory.
 */
export function writeTriageDump(
  m: KernelMachine,
  path: string,
  opts: WriteOptions & { stack: TriageRange; blocks?: readonly TriageRange[]; processor?: number; driverStride?: number } ,
): void {
  const cpu = opts.processor ?? m.spec.bugCheckProcessor ?? 0;
  const h = m.header(4);
  put32(h, 0x1038, 0xcff);
  const parts: Uint8Array[] = [];
  let offset = 0x2000 + 0x80;
  const add = (bytes: Uint8Array): number => {
    const at = offset;
    parts.push(bytes);
    offset += (bytes.length + 7) & ~7;
    if (bytes.length % 8) parts.push(new Uint8Array(8 - (bytes.length % 8)));
    return at;
  };
  const t = new Uint8Array(0x80);
  const prcb = m.prcbAddress(cpu);
  const threadVa = new DataView(m.readVa(prcb + BigInt(LAYOUT.prcbCurrentThread), 8).buffer).getBigUint64(0, true);
  const processVa = new DataView(m.readVa(threadVa + BigInt(LAYOUT.kthreadApcProcess), 8).buffer).getBigUint64(0, true);
  put32(t, 0x0c, 0x348);
  put32(t, 0x10, 0xf00);
  put32(t, 0x1c, add(m.readVa(prcb, LAYOUT.sizePrcb)));
  put32(t, 0x20, add(m.readVa(processVa, LAYOUT.sizeEProcess)));
  put32(t, 0x24, add(m.readVa(threadVa, LAYOUT.sizeEThread)));
  put32(t, 0x28, add(m.readVa(opts.stack.va, opts.stack.size)));
  put32(t, 0x2c, opts.stack.size);
  put64(t, 0x48, opts.stack.va);
  const mods = m.spec.modules ?? [];
  const stride = opts.driverStride ?? 0x90;
  const list = new Uint8Array(mods.length * stride);
  const listAt = add(list);
  const pool: Uint8Array[] = mods.map((mod) => {
    const chars = utf16(mod.fullName);
    const s = new Uint8Array((4 + chars.length + 2 + 7) & ~7);
    put32(s, 0, chars.length / 2);
    s.set(chars, 4);
    return s;
  });
  const poolAt = offset;
  mods.forEach((mod, i) => {
    const e = i * stride;
    put32(list, e, add(pool[i]!));
    put64(list, e + 0x38, mod.base);
    put32(list, e + 0x48, mod.size);
    put32(list, e + 0x80, mod.checksum ?? 0);
    put32(list, e + 0x88, mod.timestamp);
  });
  put32(t, 0x30, listAt);
  put32(t, 0x34, mods.length);
  put32(t, 0x38, poolAt);
  put32(t, 0x3c, offset - poolAt);
  put32(t, 0x44, 0xffffffff);
  const kdbg = m.readVa(VA.kdbg, 0x380);
  put32(t, 0x70, add(kdbg));
  put32(t, 0x74, kdbg.length);
  const blocks = opts.blocks ?? [];
  const table = new Uint8Array(blocks.length * 16);
  const tableAt = add(table);
  blocks.forEach((b, i) => {
    put64(table, i * 16, b.va);
    put32(table, i * 16 + 8, add(m.readVa(b.va, b.size)));
    put32(table, i * 16 + 12, b.size);
  });
  put32(t, 0x78, tableAt);
  put32(t, 0x7c, blocks.length);
  const trgd = new Uint8Array(4);
  put32(trgd, 0, 0x44475254);
  const validAt = add(trgd);
  put32(t, 0x08, validAt);
  put32(t, 0x04, validAt + 4);
  opts.patch?.(h, t);
  const fd = openSync(path, 'w');
  writeAt(fd, 0, h);
  writeAt(fd, 0x2000, t);
  let at = 0x2080;
  for (const p of parts) {
    writeAt(fd, at, p);
    at += p.length;
  }
  finish(fd, at, opts);
}

// ---- kernel objects for the extension commands (!thread, !process, !pte) -----------------------
//
// Offsets written from public structure dumps (ntdiff/headers: Win7 SP1 _KTHREAD/_ETHREAD/
// _EPROCESS/_MM_SESSION_SPACE, Win10 20H2 _EPROCESS and the 0x430-byte x64 _KTHREAD), kept here
// on purpose instead of importing the reader's table, so a wrong offset shows up as a mismatch.

/** Where one build keeps the ETHREAD/EPROCESS fields the builder fills. */
export interface ObjectLayout {
  readonly initialStack: number;
  readonly stackLimit: number;
  readonly stackBase: number;
  readonly kernelStack: number;
  readonly miscFlags: number;
  readonly alertableBit: number;
  readonly priority: number;
  readonly basePriority: number;
  readonly priorityDecrement: number;
  readonly state: number;
  readonly waitMode: number;
  readonly waitReason: number;
  readonly nextProcessor: number;
  readonly teb: number;
  readonly win32Thread: number;
  readonly process: number;
  readonly contextSwitches: number;
  readonly idealProcessor: number;
  readonly cid: number;
  readonly win32StartAddress: number;
  readonly crossThreadFlags: number;
  readonly ioShift: number;
  readonly pageShift: number;
  readonly dirBase: number;
  readonly pid: number;
  readonly links: number;
  readonly parentPid: number;
  readonly peb: number;
  readonly session: number;
  readonly objectTable: number;
  readonly deviceMap: number;
  readonly imageFileName: number;
  readonly sessionIdInSession: number;
  /** HANDLE_TABLE.HandleCount (Win7 only). */
  readonly handleCount?: number;
  /** KTHREAD.CallbackStack (Win7 only). */
  readonly callbackStack?: number;
}

/** Windows 10 2004..22H2 (19041-19045). */
export const OBJECTS_19041: ObjectLayout = {
  initialStack: 0x28, stackLimit: 0x30, stackBase: 0x38, kernelStack: 0x58, miscFlags: 0x74, alertableBit: 4,
  priority: 0xc3, basePriority: 0x233, priorityDecrement: 0x234, state: 0x184, waitMode: 0x187, waitReason: 0x283,
  nextProcessor: 0x218, teb: 0xf0, win32Thread: 0x1c8, process: 0x220, contextSwitches: 0x154,
  idealProcessor: 0x24c, cid: 0x478, win32StartAddress: 0x4d0, crossThreadFlags: 0x510, ioShift: 9, pageShift: 12,
  dirBase: 0x28, pid: 0x440, links: 0x448, parentPid: 0x540, peb: 0x550, session: 0x558, objectTable: 0x570,
  deviceMap: 0x588, imageFileName: 0x5a8, sessionIdInSession: 0x8,
};

/** Windows 7 SP1 (7600/7601). */
export const OBJECTS_7601: ObjectLayout = {
  initialStack: 0x28, stackLimit: 0x30, stackBase: 0x278, kernelStack: 0x38, miscFlags: 0x4c, alertableBit: 5,
  priority: 0x7b, basePriority: 0x1f1, priorityDecrement: 0x1f2, state: 0x164, waitMode: 0x167, waitReason: 0x26b,
  nextProcessor: 0x7c, teb: 0xb8, win32Thread: 0x270, process: 0x210, contextSwitches: 0x134,
  idealProcessor: 0x228, cid: 0x3b0, win32StartAddress: 0x410, crossThreadFlags: 0x448, ioShift: 10, pageShift: 13,
  dirBase: 0x28, pid: 0x180, links: 0x188, parentPid: 0x290, peb: 0x338, session: 0x2d8, objectTable: 0x200,
  deviceMap: 0x2b0, imageFileName: 0x2e0, sessionIdInSession: 0x8, handleCount: 0x58, callbackStack: 0x1e8,
};

function putBytes(m: KernelMachine, va: bigint, size: number, value: bigint): void {
  const b = new Uint8Array(size);
  for (let i = 0; i < size; i++) b[i] = Number((value >> BigInt(i * 8)) & 0xffn);
  m.writeVa(va, b);
}

/** One process of the synthetic machine. */
export interface ProcessSpec {
  readonly pid: bigint;
  readonly parentPid?: bigint;
  readonly peb?: bigint;
  readonly dirBase?: bigint;
  /** ObjectTable; with `handleCount` the builder allocates a HANDLE_TABLE for it. */
  readonly objectTable?: bigint;
  readonly handleCount?: number;
  readonly image: string;
  /** MM_SESSION_SPACE.SessionId; undefined leaves EPROCESS.Session NULL (`SessionId: none`). */
  readonly sessionId?: number;
  readonly deviceMap?: bigint;
  /** Use this EPROCESS (e.g. the one the processors' threads point at) instead of a new one. */
  readonly address?: bigint;
}

function readU64Va(m: KernelMachine, va: bigint): bigint {
  return new DataView(m.readVa(va, 8).buffer).getBigUint64(0, true);
}

/**
 * The EPROCESS the builder's threads share: KTHREAD.ApcState.Process of processor 0's thread,
 * at the offset the builder's KDBG announces (LAYOUT.kthreadApcProcess) whatever the build.
 */
export function sharedProcess(m: KernelMachine): bigint {
  const thread = readU64Va(m, m.prcbAddress(0) + BigInt(LAYOUT.prcbCurrentThread));
  return readU64Va(m, thread + BigInt(LAYOUT.kthreadApcProcess));
}

/**
 * Writes EPROCESSes linked on a PsActiveProcessHead and points KDDEBUGGER_DATA64
 * (PsActiveProcessHead, offset 0x50) at the head. Returns the EPROCESS addresses in list order.
 */
export function addProcessList(m: KernelMachine, specs: readonly ProcessSpec[], layout: ObjectLayout = OBJECTS_19041): bigint[] {
  const head = m.pool(16);
  const procs = specs.map((s) => {
    const p = s.address ?? m.pool(0xa40);
    m.writeU64(p + BigInt(layout.dirBase), s.dirBase ?? 0x1ad000n);
    m.writeU64(p + BigInt(layout.pid), s.pid);
    m.writeU64(p + BigInt(layout.parentPid), s.parentPid ?? 0n);
    m.writeU64(p + BigInt(layout.peb), s.peb ?? 0n);
    let table = s.objectTable ?? 0n;
    if (s.handleCount !== undefined && layout.handleCount !== undefined) {
      table = m.pool(0x60);
      putBytes(m, table + BigInt(layout.handleCount), 4, BigInt(s.handleCount));
    }
    m.writeU64(p + BigInt(layout.objectTable), table);
    let session = 0n;
    if (s.sessionId !== undefined) {
      session = m.pool(0x20);
      putBytes(m, session + BigInt(layout.sessionIdInSession), 4, BigInt(s.sessionId));
    }
    m.writeU64(p + BigInt(layout.session), session);
    m.writeU64(p + BigInt(layout.deviceMap), s.deviceMap ?? 0n);
    const name = new Uint8Array(15);
    name.set(Buffer.from(s.image.slice(0, 15), 'latin1'));
    m.writeVa(p + BigInt(layout.imageFileName), name);
    return p;
  });
  const links = [head, ...procs.map((p) => p + BigInt(layout.links)), head];
  for (let i = 1; i < links.length - 1; i++) {
    m.writeU64(links[i]!, links[i + 1]!);
    m.writeU64(links[i]! + 8n, links[i - 1]!);
  }
  m.writeU64(head, links[1]!);
  m.writeU64(head + 8n, links[links.length - 2]!);
  if (!m.spec.noKdbg) m.writeU64(VA.kdbg + 0x50n, head);
  return procs;
}

/** The thread fields `!thread` prints. */
export interface ThreadSpec {
  readonly pid: bigint;
  readonly tid: bigint;
  readonly teb?: bigint;
  readonly win32Thread?: bigint;
  /** KTHREAD.State (2 Running, 5 Waiting). */
  readonly state?: number;
  readonly nextProcessor?: number;
  readonly waitReason?: number;
  readonly waitMode?: number;
  readonly alertable?: boolean;
  readonly initialStack?: bigint;
  readonly stackLimit?: bigint;
  readonly stackBase?: bigint;
  readonly kernelStack?: bigint;
  readonly callbackStack?: bigint;
  readonly priority?: number;
  readonly basePriority?: number;
  readonly priorityDecrement?: number;
  readonly contextSwitches?: number;
  readonly idealProcessor?: number;
  readonly win32StartAddress?: bigint;
  readonly ioPriority?: number;
  readonly pagePriority?: number;
  readonly impersonating?: boolean;
  /** KTHREAD.Process (default: the ApcState.Process the builder already wrote). */
  readonly process?: bigint;
  /** A different ApcState.Process (an attached thread). */
  readonly attachedTo?: bigint;
}

/** Fills the KTHREAD/ETHREAD of processor `cpu`'s current thread; returns the thread address. */
export function fillThread(m: KernelMachine, cpu: number, s: ThreadSpec, layout: ObjectLayout = OBJECTS_19041): bigint {
  const t = readU64Va(m, m.prcbAddress(cpu) + BigInt(LAYOUT.prcbCurrentThread));
  const at = (o: number): bigint => t + BigInt(o);
  const owner = s.process ?? readU64Va(m, at(LAYOUT.kthreadApcProcess));
  m.writeU64(at(layout.cid), s.pid);
  m.writeU64(at(layout.cid + 8), s.tid);
  m.writeU64(at(layout.teb), s.teb ?? 0n);
  m.writeU64(at(layout.win32Thread), s.win32Thread ?? 0n);
  m.writeVa(at(layout.state), new Uint8Array([s.state ?? 2]));
  putBytes(m, at(layout.nextProcessor), 4, BigInt(s.nextProcessor ?? cpu));
  m.writeVa(at(layout.waitReason), new Uint8Array([s.waitReason ?? 0]));
  m.writeVa(at(layout.waitMode), new Uint8Array([s.waitMode ?? 0]));
  putBytes(m, at(layout.miscFlags), 4, s.alertable ? 1n << BigInt(layout.alertableBit) : 0n);
  m.writeU64(at(layout.initialStack), s.initialStack ?? 0n);
  m.writeU64(at(layout.stackLimit), s.stackLimit ?? 0n);
  m.writeU64(at(layout.stackBase), s.stackBase ?? 0n);
  m.writeU64(at(layout.kernelStack), s.kernelStack ?? 0n);
  if (layout.callbackStack !== undefined) m.writeU64(at(layout.callbackStack), s.callbackStack ?? 0n);
  m.writeVa(at(layout.priority), new Uint8Array([s.priority ?? 8]));
  m.writeVa(at(layout.basePriority), new Uint8Array([s.basePriority ?? 8]));
  m.writeVa(at(layout.priorityDecrement), new Uint8Array([s.priorityDecrement ?? 0]));
  putBytes(m, at(layout.contextSwitches), 4, BigInt(s.contextSwitches ?? 0));
  putBytes(m, at(layout.idealProcessor), 4, BigInt(s.idealProcessor ?? 0));
  m.writeU64(at(layout.win32StartAddress), s.win32StartAddress ?? 0n);
  const cross = (BigInt(s.ioPriority ?? 2) << BigInt(layout.ioShift)) | (BigInt(s.pagePriority ?? 5) << BigInt(layout.pageShift)) | (s.impersonating ? 8n : 0n) | 2n;
  putBytes(m, at(layout.crossThreadFlags), 4, cross);
  m.writeU64(at(layout.process), owner);
  if (s.attachedTo !== undefined) m.writeU64(at(LAYOUT.kthreadApcProcess), s.attachedTo);
  return t;
}

/**
 * Installs the page-table self-map: PML4[slot] points back at the PML4 (formats.md 2.1). With
 * `kdbg`, also stores the resulting PTE_BASE in KDDEBUGGER_DATA64.PteBase (offset 0x360) as
 * Windows 10 1607+ does. Returns PTE_BASE.
 */
export function addSelfMap(m: KernelMachine, slot = 0x1edn, kdbg = true): bigint {
  m.phys.setU64(m.pt.cr3 + slot * 8n, m.pt.cr3 | PTE.present | PTE.write);
  const pteBase = 0xffff_0000_0000_0000n | (slot << 39n);
  if (kdbg && !m.spec.noKdbg) m.writeU64(VA.kdbg + 0x360n, pteBase);
  return pteBase;
}
