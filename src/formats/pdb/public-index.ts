import { FormatError } from '../../errors.js';
import type { ModuleSymbol } from '../../target/target.js';
import { rvaOf, type AddressMap } from './address-map.js';
import { terminated } from './procedure-index.js';
import { upperBound } from './sorted-symbols.js';
import { SymKind } from './symbol-records.js';
import { undecorateName } from './undecorate.js';

/**
 * The publics as (rva, symbol record offset) pairs sorted by rva, built from the publics
 * stream's address map without decoding a single name. A name is decoded and undecorated the
 * first time a lookup returns it, then cached.
 */
export class PublicIndex {
  private readonly cache = new Map<number, ModuleSymbol>();

  private constructor(
    private readonly records: Buffer,
    private readonly x86: boolean,
    readonly rvas: Uint32Array,
    readonly recordOffsets: Uint32Array,
  ) {}

  /**
   * Builds the index over symbol record stream `records` from `offsets` (address-map order
   * when `sorted`, else any order). Every entry must be an S_PUB32 with a terminated name;
   * publics whose segment has no rva (absolute symbols such as `__guard_flags`) are left out.
   */
  static build(records: Buffer, offsets: Uint32Array, sorted: boolean, map: AddressMap, x86: boolean): PublicIndex {
    const n = offsets.length;
    const rvas = new Uint32Array(n);
    const recs = new Uint32Array(n);
    const bases = map.sectionBases();
    const b = records;
    let kept = 0;
    let inOrder = sorted;
    for (let i = 0; i < n; i++) {
      const off = offsets[i]!;
      if (!isPublic(b, off)) {
        throw new FormatError('pdb', `publics stream: entry at symbol record offset 0x${off.toString(16)} is not a valid S_PUB32`, off);
      }
      const offset = (b[off + 8]! | (b[off + 9]! << 8) | (b[off + 10]! << 16) | (b[off + 11]! << 24)) >>> 0;
      const rva = rvaOf(map, bases, b[off + 12]! | (b[off + 13]! << 8), offset);
      if (rva < 0) continue;
      if (kept > 0 && rva < rvas[kept - 1]!) inOrder = false;
      rvas[kept] = rva;
      recs[kept] = off;
      kept++;
    }
    if (inOrder) return new PublicIndex(records, x86, rvas.slice(0, kept), recs.slice(0, kept));
    // OMAP or an unusual section order can break address-map order: sort stably by rva.
    const order = Array.from({ length: kept }, (_, i) => i).sort((a, b) => rvas[a]! - rvas[b]! || a - b);
    return new PublicIndex(records, x86, Uint32Array.from(order, (i) => rvas[i]!), Uint32Array.from(order, (i) => recs[i]!));
  }

  get length(): number {
    return this.rvas.length;
  }

  /** Index of the first public of the last rva group with rva <= `rva`, or -1. */
  floorIndex(rva: number): number {
    let i = upperBound(this.rvas, rva) - 1;
    if (i < 0) return -1;
    const at = this.rvas[i]!;
    while (i > 0 && this.rvas[i - 1] === at) i--;
    return i;
  }

  /** Index of the first public whose rva is > `rva` (== length when none). */
  upperIndex(rva: number): number {
    return upperBound(this.rvas, rva);
  }

  /** The decorated name as stored in the record. */
  rawName(i: number): string {
    const off = this.recordOffsets[i]!;
    const start = off + 0x0e;
    return this.records.toString('utf8', start, this.records.indexOf(0, start));
  }

  /** Public `i` as a symbol: undecorated name (as WinDbg shows it) and rva; cached. */
  symbol(i: number): ModuleSymbol {
    let sym = this.cache.get(i);
    if (sym === undefined) {
      sym = Object.freeze({ name: undecorateName(this.rawName(i), this.x86), rva: this.rvas[i]! });
      this.cache.set(i, sym);
    }
    return sym;
  }
}

const S_PUB32 = SymKind.S_PUB32;

function isPublic(buf: Buffer, off: number): boolean {
  if (off + 4 > buf.length) return false;
  const len = buf[off]! | (buf[off + 1]! << 8);
  const end = off + 2 + len;
  return (buf[off + 2]! | (buf[off + 3]! << 8)) === S_PUB32 && len >= 0x0e && end <= buf.length && terminated(buf, off + 0x0e, end);
}
