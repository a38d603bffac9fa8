/**
 * Where PE bytes come from. Every parser in this folder reads by RVA through an ImageReader,
 * so the same code decodes a module mapped in a dump and an image file on disk.
 */
import type { VirtualMemory } from '../../memory/virtual-memory.js';
import { FormatError } from '../../errors.js';

/** Bytes of one PE image addressed by RVA. Reads may come back short (missing pages, end of file). */
export interface ImageReader {
  /** Up to `length` bytes at `rva`; shorter (possibly empty) when the rest is unavailable. */
  read(rva: number, length: number): Uint8Array;
  /** Raw file bytes at a file offset; present only for readers backed by a file (debug data without an RVA). */
  readFileOffset?(offset: number, length: number): Uint8Array;
}

/** Largest single read a parser may ask for (guards allocations driven by header fields). */
export const MAX_IMAGE_READ = 64 * 1024 * 1024;

/** A module mapped in target memory: RVA = address - base. */
export function memoryImageReader(memory: VirtualMemory, base: bigint): ImageReader {
  return {
    read(rva: number, length: number): Uint8Array {
      if (rva < 0 || length <= 0) return new Uint8Array(0);
      return memory.readPartial(base + BigInt(rva), Math.min(length, MAX_IMAGE_READ));
    },
  };
}

/**
 * Reads from the first reader and fills what it could not supply from the next ones
 * (dump pages first, then the image file for paged-out ranges).
 */
export function layeredImageReader(readers: readonly ImageReader[]): ImageReader {
  return {
    read(rva: number, length: number): Uint8Array {
      if (length <= 0) return new Uint8Array(0);
      const out = new Uint8Array(Math.min(length, MAX_IMAGE_READ));
      let done = 0;
      // Each pass lets one layer supply a run; a layer that gives nothing hands over to the next.
      while (done < out.length) {
        let progressed = 0;
        for (const r of readers) {
          const got = r.read(rva + done, out.length - done);
          if (got.length > 0) {
            out.set(got, done);
            progressed = got.length;
            break;
          }
        }
        if (progressed === 0) break;
        done += progressed;
      }
      return done === out.length ? out : out.subarray(0, done);
    },
  };
}

/** Little-endian u16 at `off` (caller guarantees bounds). */
export function u16(b: Uint8Array, off: number): number {
  return (b[off] ?? 0) | ((b[off + 1] ?? 0) << 8);
}

/** Little-endian u32 at `off` (caller guarantees bounds). */
export function u32(b: Uint8Array, off: number): number {
  return ((b[off] ?? 0) | ((b[off + 1] ?? 0) << 8) | ((b[off + 2] ?? 0) << 16)) + (b[off + 3] ?? 0) * 0x1000000;
}

/** Little-endian u64 at `off` as bigint (caller guarantees bounds). */
export function u64(b: Uint8Array, off: number): bigint {
  return BigInt(u32(b, off)) | (BigInt(u32(b, off + 4)) << 32n);
}

/** Hex for messages: `0x1c0012d54`. */
export function hexNum(n: number): string {
  return `0x${n.toString(16)}`;
}

/** Exactly `length` bytes at `rva`, or a FormatError naming `what` when the image cannot supply them. */
export function readRequired(reader: ImageReader, rva: number, length: number, what: string): Uint8Array {
  if (!Number.isSafeInteger(rva) || rva < 0 || length < 0 || length > MAX_IMAGE_READ) {
    throw new FormatError('PE', `${what}: invalid range ${hexNum(rva)} length ${hexNum(length)}`, rva);
  }
  const bytes = reader.read(rva, length);
  if (bytes.length < length) {
    throw new FormatError('PE', `${what}: only ${bytes.length} of ${length} bytes readable at rva ${hexNum(rva)}`, rva);
  }
  return bytes;
}

/** Throws a FormatError naming `what` unless [rva, rva+size) lies inside [0, limit). */
export function checkRange(rva: number, size: number, limit: number, what: string): void {
  if (rva < 0 || size < 0 || rva + size > limit) {
    throw new FormatError('PE', `${what}: range ${hexNum(rva)}+${hexNum(size)} lies outside the image (size ${hexNum(limit)})`, rva);
  }
}

/** NUL-terminated ASCII string at `rva`, at most `max` bytes; reads in small chunks so a long tail is never fetched. */
export function readCString(reader: ImageReader, rva: number, max = 1024): string {
  let out = '';
  let at = rva;
  while (out.length < max) {
    const chunk = reader.read(at, Math.min(64, max - out.length));
    if (chunk.length === 0) break;
    const nul = chunk.indexOf(0);
    const part = nul >= 0 ? chunk.subarray(0, nul) : chunk;
    out += String.fromCharCode(...part);
    if (nul >= 0) break;
    at += chunk.length;
  }
  return out;
}
