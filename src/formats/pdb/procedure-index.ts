import { FormatError } from '../../errors.js';
import { rvaOf, type AddressMap } from './address-map.js';
import { upperBound } from './sorted-symbols.js';
import { SymKind } from './symbol-records.js';

// Record kinds as module constants: read through an import binding inside the scan loop they
// cost a property load per record (a getter call under some loaders).
const { S_END, S_THUNK32, S_LPROC32, S_GPROC32, S_LPROC32_ID, S_GPROC32_ID, S_LPROC32_DPC, S_LPROC32_DPC_ID } = SymKind;
/** S_PROC_ID_END: closes an S_*PROC32_ID scope the way S_END closes the others. */
const S_PROC_ID_END = 0x114f;

/**
 * A module keeps a copy of its procedure records when they are at most this share of its
 * symbol bytes: the usual case, since locals, frame records and inline sites dominate (about
 * a sixth in the testdata PDBs). Then every later name is a memory read; otherwise names are
 * read back from the file when a lookup returns them.
 */
const KEEP_RECORDS_SHARE = 1 / 4;

/**
 * One module's procedures and thunks as parallel typed arrays sorted by rva (stable: equal
 * rvas keep stream order): no names and no objects. A name is decoded only when a lookup
 * returns that procedure: from `records` when the scan kept them, else from `recordOffsets`
 * (offsets in the module stream, signature included).
 */
export class ProcedureIndex {
  constructor(
    readonly rvas: Uint32Array,
    readonly recordOffsets: Uint32Array,
    /**
     * Number of procedures in the indexes built before this one for the same PDB: `base + i`
     * numbers every indexed procedure of a PDB with a small integer (a cheap cache key).
     */
    readonly base = 0,
    /** The procedure records copied out of the stream, or undefined when not kept. */
    readonly records?: Buffer,
    /** Where procedure `i`'s record starts in `records`. */
    readonly recordAt?: Uint32Array,
  ) {}

  /** An index with no procedures (module without a symbol stream). */
  static readonly empty = new ProcedureIndex(new Uint32Array(0), new Uint32Array(0));

  get length(): number {
    return this.rvas.length;
  }

  /** Index of the first procedure of the last rva group with rva <= `rva`, or -1. */
  floorIndex(rva: number): number {
    let i = upperBound(this.rvas, rva) - 1;
    if (i < 0) return -1;
    const at = this.rvas[i]!;
    while (i > 0 && this.rvas[i - 1] === at) i--;
    return i;
  }

  /** Index of the first procedure whose rva is > `rva` (== length when none). */
  upperIndex(rva: number): number {
    return upperBound(this.rvas, rva);
  }

  /** Position of the procedure whose record starts at `recordOffset`, or -1. */
  indexOfRecord(recordOffset: number): number {
    return this.recordOffsets.indexOf(recordOffset);
  }

  /**
   * Scans module symbol bytes `buf[4, end)` (after the CV signature). Only record headers and
   * the address fields of procedure and thunk records are read; a procedure's nested records
   * (locals, blocks, inline sites) are skipped through its End pointer when that points at the
   * matching S_END, and walked one by one otherwise. Procedures whose segment does not map to
   * an rva, or whose name is not NUL-terminated, are left out (as the full decoder does).
   */
  static scan(buf: Buffer, end: number, map: AddressMap, moduleIndex: number, arena: Arena, base = 0): ProcedureIndex {
    const limit = Math.min(end, buf.length);
    const bases = map.sectionBases();
    const sections = bases ? bases.length : 0;
    // No procedure or thunk record is shorter than 25 bytes, which bounds the count up front.
    ensureScratch(Math.ceil(limit / 25) + 1);
    const rvs = scratchRvas;
    const offs = scratchOffsets;
    const view = new DataView(buf.buffer, buf.byteOffset, limit);
    let n = 0;
    let sorted = true;
    let prev = 0;
    let procBytes = 0;
    let p = 4;
    while (p + 4 <= limit) {
      const head = view.getUint32(p, true);
      const len = head & 0xffff;
      const kind = head >>> 16;
      const next = p + 2 + len;
      if (len < 2 || next > limit) {
        throw new FormatError('pdb', `module ${moduleIndex} symbol stream: RecordLength ${len} at offset 0x${p.toString(16)} runs past the end (0x${limit.toString(16)})`, p);
      }
      let after = next;
      let nameStart = -1;
      let segment = 0;
      let offset = 0;
      if (PROC_KIND[kind] === 1) {
        if (len >= 0x25) {
          offset = view.getUint32(p + 0x20, true);
          segment = view.getUint16(p + 0x24, true);
          nameStart = p + 0x27;
          const pEnd = view.getUint32(p + 8, true);
          if (pEnd >= next && pEnd + 4 <= limit) {
            const endHead = view.getUint32(pEnd, true);
            const endKind = endHead >>> 16;
            // Jump over the nested records and, when it is well formed, the S_END itself.
            if (endKind === S_END || endKind === S_PROC_ID_END) after = (endHead & 0xffff) === 2 ? pEnd + 4 : pEnd;
          }
        }
      } else if (kind === S_THUNK32 && len >= 0x17) {
        offset = view.getUint32(p + 0x10, true);
        segment = view.getUint16(p + 0x14, true);
        nameStart = p + 0x19;
      }
      if (nameStart >= 0 && (buf[next - 1] === 0 ? nameStart < next : terminated(buf, nameStart, next))) {
        let rva: number;
        if (bases !== undefined) rva = segment >= 1 && segment <= sections ? bases[segment - 1]! + offset : -1;
        else rva = rvaOf(map, undefined, segment, offset);
        if (rva >= 0 && rva <= 0xffffffff) {
          rvs[n] = rva;
          offs[n] = p;
          procBytes += next - p;
          if (rva < prev) sorted = false;
          prev = rva;
          n++;
        }
      }
      p = after;
    }
    if (n === 0) return ProcedureIndex.empty;
    const rvas = arena.u32(n);
    const offsets = arena.u32(n);
    if (sorted) {
      for (let i = 0; i < n; i++) {
        rvas[i] = rvs[i]!;
        offsets[i] = offs[i]!;
      }
    } else {
      const order = new Uint32Array(n);
      for (let i = 0; i < n; i++) order[i] = i;
      order.sort((a, b) => rvs[a]! - rvs[b]! || a - b);
      for (let i = 0; i < n; i++) {
        rvas[i] = rvs[order[i]!]!;
        offsets[i] = offs[order[i]!]!;
      }
    }
    if (procBytes > limit * KEEP_RECORDS_SHARE) return new ProcedureIndex(rvas, offsets, base);
    const records = arena.bytes(procBytes);
    const recordAt = arena.u32(n);
    copyRecords(buf, limit, offsets, records, recordAt);
    return new ProcedureIndex(rvas, offsets, base, records, recordAt);
  }
}

/**
 * Hands out views of large chunks (u32 arrays and byte buffers), so thousands of small
 * per-module indexes cost a few allocations instead of thousands (each typed array allocation
 * is an external buffer the GC must track). One arena per PDB, so a closed PDB's chunks go
 * with it. Chunks start small (a small PDB needs a few KB) and double up to `maxChunk` bytes.
 */
export class Arena {
  private words = new Uint32Array(0);
  private wordsUsed = 0;
  private nextWords = 1024;
  private bytesChunk = Buffer.alloc(0);
  private bytesUsed = 0;
  private nextBytes = 4096;

  constructor(private readonly maxChunk = 1 << 20) {}

  /** A zeroed view of `n` u32s. */
  u32(n: number): Uint32Array {
    if (n * 4 > this.maxChunk / 4) return new Uint32Array(n);
    if (this.wordsUsed + n > this.words.length) {
      while (this.nextWords < n) this.nextWords *= 2;
      this.words = new Uint32Array(this.nextWords);
      this.nextWords = Math.min(this.maxChunk / 4, this.nextWords * 2);
      this.wordsUsed = 0;
    }
    const view = this.words.subarray(this.wordsUsed, this.wordsUsed + n);
    this.wordsUsed += n;
    return view;
  }

  /** A view of `n` bytes starting 4-byte aligned (contents unspecified: callers fill it). */
  bytes(n: number): Buffer {
    if (n > this.maxChunk / 4) return Buffer.allocUnsafe(n);
    if (this.bytesUsed + n > this.bytesChunk.length) {
      while (this.nextBytes < n) this.nextBytes *= 2;
      this.bytesChunk = Buffer.allocUnsafeSlow(this.nextBytes);
      this.nextBytes = Math.min(this.maxChunk, this.nextBytes * 2);
      this.bytesUsed = 0;
    }
    const view = this.bytesChunk.subarray(this.bytesUsed, this.bytesUsed + n);
    // Keep every view 4-byte aligned, so word copies into it stay possible.
    this.bytesUsed += (n + 3) & ~3;
    return view;
  }
}

/**
 * Copies the records starting at `offsets` out of `buf` into `records`, one after another,
 * noting where each landed in `recordAt`. Plain loops, four bytes at a time where everything is
 * aligned (module stream records are): Buffer#copy allocates a view per call, which costs more
 * than these few bytes.
 */
function copyRecords(buf: Buffer, limit: number, offsets: Uint32Array, records: Buffer, recordAt: Uint32Array): void {
  const aligned = (buf.byteOffset & 3) === 0 && (records.byteOffset & 3) === 0;
  const src = aligned ? new Uint32Array(buf.buffer, buf.byteOffset, limit >>> 2) : undefined;
  const dst = aligned ? new Uint32Array(records.buffer, records.byteOffset, records.length >>> 2) : undefined;
  let at = 0;
  for (let i = 0; i < offsets.length; i++) {
    const from = offsets[i]!;
    const size = 2 + (buf[from]! | (buf[from + 1]! << 8));
    recordAt[i] = at;
    if (src && dst && ((from | size | at) & 3) === 0) {
      const s = from >>> 2;
      const d = at >>> 2;
      for (let k = 0; k < size >>> 2; k++) dst[d + k] = src[s + k]!;
    } else {
      for (let k = 0; k < size; k++) records[at + k] = buf[from + k]!;
    }
    at += size;
  }
}

// Shared scratch for scans, sized for the largest module seen: the result is copied out at its
// exact size, so scanning many modules allocates only what is kept.
let scratchRvas = new Uint32Array(1024);
let scratchOffsets = new Uint32Array(1024);

function ensureScratch(n: number): void {
  if (scratchRvas.length >= n) return;
  const size = Math.max(n, scratchRvas.length * 2);
  scratchRvas = new Uint32Array(size);
  scratchOffsets = new Uint32Array(size);
}

/** 1 at the record kinds that are procedures (one load per record instead of a switch). */
const PROC_KIND = new Uint8Array(0x10000);
for (const k of [S_LPROC32, S_GPROC32, S_LPROC32_ID, S_GPROC32_ID, S_LPROC32_DPC, S_LPROC32_DPC_ID]) PROC_KIND[k] = 1;

/** True when a NUL lies in `buf[start, end)`; records are zero-padded, so the last byte usually settles it. */
export function terminated(buf: Buffer, start: number, end: number): boolean {
  if (start >= end) return false;
  if (buf[end - 1] === 0) return true;
  const nul = buf.indexOf(0, start);
  return nul >= 0 && nul < end;
}
