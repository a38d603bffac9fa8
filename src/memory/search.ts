/**
 * The memory search engine behind `s`: finds a byte pattern in a virtual address range, reading
 * in large chunks and skipping unreadable memory a region (or a page) at a time, never a byte.
 */
import type { TranslationResult } from './kernel/x64-paging.js';
import { BlockMemory, LayeredMemory, type VirtualMemory } from './virtual-memory.js';

/** One search: `[start, end)` in target addresses, hits aligned to `alignment` bytes. */
export interface SearchRequest {
  readonly start: bigint;
  /** Exclusive end; a hit must lie wholly inside the range. */
  readonly end: bigint;
  readonly pattern: Uint8Array;
  /** 1 for byte/string searches, 2/4/8 for w/d/q: hits only at multiples of it. */
  readonly alignment: 1 | 2 | 4 | 8;
  /** Stop after this many hits (the result says it was truncated). */
  readonly maxHits: number;
}

/** Tuning and cancellation of one search. */
export interface SearchOptions {
  readonly signal?: AbortSignal;
  /** Bytes per read; default 1 MiB. */
  readonly chunkSize?: number;
}

/** Hits in address order, and why the search stopped early if it did. */
export interface SearchResult {
  readonly hits: bigint[];
  /** `maxHits` was reached; more hits may exist. */
  readonly truncated: boolean;
  /** The signal fired; the hits found so far are kept. */
  readonly cancelled: boolean;
  /** Bytes actually read and matched (for benchmarks). */
  readonly bytesScanned: number;
}

const LIMIT = 1n << 64n;
const PAGE = 0x1000n;
const DEFAULT_CHUNK = 1 << 20;
/** Hand the event loop a turn this often so Ctrl+C can land during a long scan. */
const YIELD_MS = 30;

/** A span of addresses believed readable; reads inside it may still stop short. */
export interface Span {
  readonly start: bigint;
  readonly end: bigint;
}

/**
 * An optional capability of a VirtualMemory: its readable regions inside `[start, end)`, sorted.
 * Memories that offer it are searched region by region instead of probed page by page.
 */
export interface ReadableRegions {
  readableRegions(start: bigint, end: bigint): Iterable<Span>;
}

/** Memory that lists its regions (`BlockMemory.all`, minidump `DumpMemory.all`). */
type RangeEntry = { readonly start: bigint; readonly size: number } | { readonly base: bigint; readonly bytes: Uint8Array };

/** Memory that can say why an address does not translate (kernel `X64VirtualMemory`). */
interface PageTranslating {
  translate(va: bigint): TranslationResult;
}

function alignUp(v: bigint, a: bigint): bigint {
  return ((v + a - 1n) / a) * a;
}

function listing(memory: VirtualMemory): readonly RangeEntry[] | undefined {
  if (memory instanceof BlockMemory) return memory.all;
  const all = (memory as { all?: unknown }).all;
  if (!Array.isArray(all)) return undefined;
  const first = all[0] as Record<string, unknown> | undefined;
  if (first !== undefined && !(typeof first['start'] === 'bigint' && typeof first['size'] === 'number')) return undefined;
  return all as RangeEntry[];
}

/** The layers of a LayeredMemory. */
function layersOf(memory: VirtualMemory): readonly VirtualMemory[] | undefined {
  return memory instanceof LayeredMemory ? memory.layers : undefined;
}

function* listedRegions(list: readonly RangeEntry[], start: bigint, end: bigint): Generator<Span> {
  const startOf = (r: RangeEntry): bigint => ('base' in r ? r.base : r.start);
  const endOf = (r: RangeEntry): bigint => ('base' in r ? r.base + BigInt(r.bytes.length) : r.start + BigInt(r.size));
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (endOf(list[mid]!) <= start) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo; i < list.length && startOf(list[i]!) < end; i++) {
    const r = list[i]!;
    yield { start: startOf(r) > start ? startOf(r) : start, end: endOf(r) < end ? endOf(r) : end };
  }
}

/** Readable regions of `[start, end)` when the memory can tell, sorted; undefined when it cannot. */
export function readableRegions(memory: VirtualMemory, start: bigint, end: bigint): Span[] | undefined {
  const own = (memory as Partial<ReadableRegions>).readableRegions;
  if (typeof own === 'function') return [...own.call(memory, start, end)];
  const list = listing(memory);
  if (list) return [...listedRegions(list, start, end)];
  const layers = layersOf(memory);
  if (!layers) return undefined;
  const all: Span[] = [];
  for (const layer of layers) {
    const r = readableRegions(layer, start, end);
    if (!r) return undefined;
    all.push(...r);
  }
  return all.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
}

/**
 * The spans of `[start, end)` to scan, overlapping and adjacent regions merged. Memories that
 * know their regions give exact spans (a search of the whole 64-bit space over a minidump only
 * touches what the dump holds); any other memory is one span that the scanner probes.
 */
export function* searchSpans(memory: VirtualMemory, start: bigint, end: bigint): Generator<Span> {
  if (start >= end) return;
  const regions = readableRegions(memory, start, end) ?? [{ start, end }];
  let cur: Span | undefined;
  for (const r of regions) {
    if (r.start >= r.end) continue;
    if (cur && r.start <= cur.end) cur = { start: cur.start, end: r.end > cur.end ? r.end : cur.end };
    else {
      if (cur) yield cur;
      cur = r;
    }
  }
  if (cur) yield cur;
}

/**
 * First address after the unreadable byte at `address` worth trying again: the next region of
 * a memory that lists them; for paged kernel memory, past the whole region its missing table
 * entry covers (a missing PML4E hides 512 GiB); for layers, the nearest of the layers' answers;
 * otherwise the next 4 KiB page, the granularity of every real dump.
 */
export function nextReadableCandidate(memory: VirtualMemory, address: bigint): bigint {
  const layers = layersOf(memory);
  if (layers) return layers.reduce((m, l) => {
    const c = nextReadableCandidate(l, address);
    return c < m ? c : m;
  }, LIMIT);
  const list = listing(memory);
  if (list) {
    for (const r of listedRegions(list, address + 1n, LIMIT)) return r.start;
    return LIMIT;
  }
  if (typeof (memory as Partial<PageTranslating>).translate === 'function') {
    const t = (memory as unknown as PageTranslating).translate(address);
    if (!t.ok) {
      const f = t.fault;
      if (f.kind === 'non-canonical') return address < 0xffff800000000000n ? 0xffff800000000000n : LIMIT;
      const shift = f.level === 'PML4E' ? 39n : f.level === 'PDPTE' ? 30n : f.level === 'PDE' ? 21n : 12n;
      return alignUp(address + 1n, 1n << shift);
    }
  }
  return alignUp(address + 1n, PAGE);
}

/**
 * How the scanner reads: BlockMemory chunks that lie inside one block are views of its bytes
 * (no allocation, no copy, which is most of the cost of a scan); everything else goes through
 * `readPartial`.
 */
function chunkReader(memory: VirtualMemory): (address: bigint, length: number) => Uint8Array {
  if (!(memory instanceof BlockMemory)) return (a, n) => memory.readPartial(a, n);
  const blocks = memory.all;
  let last = 0;
  return (a, n) => {
    let b = blocks[last];
    if (!b || a < b.base || a >= b.base + BigInt(b.bytes.length)) {
      let lo = 0;
      let hi = blocks.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (blocks[mid]!.base <= a) lo = mid;
        else hi = mid - 1;
      }
      last = lo;
      b = blocks[lo];
    }
    if (b && a >= b.base) {
      const off = Number(a - b.base);
      if (off + n <= b.bytes.length) return b.bytes.subarray(off, off + n);
    }
    return memory.readPartial(a, n);
  };
}

/** Little-endian bytes of `values`, each `unit` bytes wide (high bits beyond the unit dropped). */
export function encodeUnits(values: readonly bigint[], unit: 1 | 2 | 4 | 8): Uint8Array {
  const out = new Uint8Array(values.length * unit);
  values.forEach((v, i) => {
    for (let k = 0; k < unit; k++) out[i * unit + k] = Number((v >> BigInt(8 * k)) & 0xffn);
  });
  return out;
}

/** True when `pattern` is at `address` (used to re-check saved hits). */
export function matchesAt(memory: VirtualMemory, address: bigint, pattern: Uint8Array): boolean {
  const bytes = memory.readPartial(address, pattern.length);
  if (bytes.length < pattern.length) return false;
  for (let i = 0; i < pattern.length; i++) if (bytes[i] !== pattern[i]) return false;
  return true;
}

/**
 * Offsets of `pattern` in `chunk` at or after `from`, at chunk offsets `o` with
 * `(base + o) % align === 0`, pushed to `out` (at most `room`).
 */
export function findInChunk(chunk: Uint8Array, from: number, base: bigint, pattern: Uint8Array, align: number, room: number, out: number[]): void {
  if (pattern.length === 0 || room <= 0) return;
  const phase = align === 1 ? 0 : Number(base % BigInt(align));
  if (align >= 4 && pattern.length >= 4 && phase === 0 && chunk.byteOffset % 4 === 0) return findAligned32(chunk, from, pattern, align, room, out);
  findAnchored(chunk, from, pattern, align, phase, room, out);
}

/**
 * Buffer.indexOf on the pattern from its first non-zero byte: dumps are mostly zeros, and a
 * pattern that starts with zeros (`s -d ... 1234` is `34 12 00 00`, fine; `s -q ... 1234`
 * searched as `00 ...` is not) would otherwise stall the matcher on every zero run.
 */
function findAnchored(chunk: Uint8Array, from: number, pattern: Uint8Array, align: number, phase: number, room: number, out: number[]): void {
  let anchor = 0;
  while (anchor < pattern.length - 1 && pattern[anchor] === 0) anchor++;
  const hay = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  const needle = Buffer.from(pattern.buffer, pattern.byteOffset + anchor, pattern.length - anchor);
  const last = chunk.length - pattern.length;
  let i = hay.indexOf(needle, from + anchor);
  while (i >= 0) {
    const o = i - anchor;
    if (o > last) return;
    if ((align === 1 || (o + phase) % align === 0) && prefixMatches(chunk, o, pattern, anchor)) {
      out.push(o);
      if (--room === 0) return;
    }
    i = hay.indexOf(needle, i + 1);
  }
}

function prefixMatches(chunk: Uint8Array, o: number, pattern: Uint8Array, n: number): boolean {
  for (let k = 0; k < n; k++) if (chunk[o + k] !== pattern[k]) return false;
  return true;
}

/**
 * Dword/qword searches on an aligned chunk: compare whole 32-bit words, which costs the same
 * whatever the memory holds (zeros, fill patterns), then check the rest of the pattern.
 */
function findAligned32(chunk: Uint8Array, from: number, pattern: Uint8Array, align: number, room: number, out: number[]): void {
  // Signed words keep every comparison in int32: unsigned values above 2^31 would be doubles.
  const words = new Int32Array(chunk.buffer, chunk.byteOffset, chunk.byteLength >>> 2);
  const first = pattern[0]! | (pattern[1]! << 8) | (pattern[2]! << 16) | (pattern[3]! << 24);
  const step = align >>> 2;
  const last = chunk.length - pattern.length;
  const lastWord = last >>> 2;
  for (let w = Math.ceil(from / align) * step; w <= lastWord; w += step) {
    if (words[w] !== first) continue;
    const o = w << 2;
    let ok = true;
    for (let k = 4; k < pattern.length; k++) {
      if (chunk[o + k] !== pattern[k]) {
        ok = false;
        break;
      }
    }
    if (ok) {
      out.push(o);
      if (--room === 0) return;
    }
  }
}

/**
 * Searches `[start, end)` for `pattern`. Reads `chunkSize` bytes at a time; consecutive chunks
 * overlap by less than the pattern so a match across a chunk edge is found exactly once, and a
 * short read (unreadable memory) restarts at the next candidate page without per-byte probing.
 */
export async function searchMemory(memory: VirtualMemory, req: SearchRequest, options: SearchOptions = {}): Promise<SearchResult> {
  const hits: bigint[] = [];
  const len = req.pattern.length;
  const align = BigInt(req.alignment);
  // A chunk must hold the pattern with room to spare, or the overlap would stop progress.
  const asked = Math.min(Math.max(options.chunkSize ?? DEFAULT_CHUNK, 64), 1 << 26);
  const chunk = Math.max(asked, len * 2 + 8) & ~7;
  const end = req.end > LIMIT ? LIMIT : req.end;
  let scanned = 0;
  let lastYield = performance.now();
  const found: number[] = [];
  const read = chunkReader(memory);
  const done = (truncated: boolean, cancelled: boolean): SearchResult => ({ hits, truncated, cancelled, bytesScanned: scanned });
  if (len === 0 || req.maxHits <= 0) return done(false, false);
  for (const span of searchSpans(memory, req.start < 0n ? 0n : req.start, end)) {
    let pos = alignUp(span.start, align);
    let probing = false;
    while (pos + BigInt(len) <= span.end) {
      if (performance.now() - lastYield > YIELD_MS) {
        await new Promise((r) => setImmediate(r));
        lastYield = performance.now();
      }
      if (options.signal?.aborted) return done(false, true);
      if (probing) {
        // Inside a hole: a one-byte probe per candidate, since readers allocate the whole request.
        if (memory.readPartial(pos, 1).length === 0) {
          pos = alignUp(nextReadableCandidate(memory, pos), align);
          continue;
        }
        probing = false;
      }
      const want = Number(span.end - pos < BigInt(chunk) ? span.end - pos : BigInt(chunk));
      const bytes = read(pos, want);
      scanned += bytes.length;
      found.length = 0;
      if (bytes.length >= len) findInChunk(bytes, 0, pos, req.pattern, req.alignment, req.maxHits - hits.length, found);
      for (const o of found) hits.push(pos + BigInt(o));
      if (hits.length >= req.maxHits) return done(true, false);
      if (bytes.length === want) {
        if (pos + BigInt(want) >= span.end) break;
        // The next chunk starts at the first candidate this one could not hold whole.
        pos = alignUp(pos + BigInt(want - len + 1), align);
      } else {
        pos = alignUp(nextReadableCandidate(memory, pos + BigInt(bytes.length)), align);
        probing = true;
      }
    }
  }
  return done(false, false);
}
