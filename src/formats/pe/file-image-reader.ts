/**
 * An image file on disk read as if it were mapped: RVAs go through the section table to file
 * offsets (formats.md 5.1), with positioned reads so a large driver is never loaded whole.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { MAX_IMAGE_READ, type ImageReader } from './image-reader.js';
import { parsePeHeaders, type PeHeaders, type PeSection } from './pe-headers.js';

/** An ImageReader over a PE file, with its parsed headers. */
export interface FileImageReader extends ImageReader {
  readonly path: string | undefined;
  readonly fileSize: number;
  readonly headers: PeHeaders;
  /** Raw bytes at a file offset, bounded by the file size. */
  readFileOffset(offset: number, length: number): Uint8Array;
  /** Closes the file if this reader opened it (a caller-supplied fd stays open). */
  close(): void;
}

/** Opens a PE file (path or an already open fd) and parses its headers; throws FormatError when it is not a PE. */
export function fileImageReader(file: string | number): FileImageReader {
  const owned = typeof file === 'string';
  const fd = owned ? openSync(file, 'r') : file;
  try {
    const fileSize = fstatSync(fd).size;
    const readFileOffset = (offset: number, length: number): Uint8Array => {
      if (offset < 0 || length <= 0 || offset >= fileSize) return new Uint8Array(0);
      const n = Math.min(length, fileSize - offset, MAX_IMAGE_READ);
      const buf = new Uint8Array(n);
      let done = 0;
      while (done < n) {
        const got = readSync(fd, buf, done, n - done, offset + done);
        if (got <= 0) break;
        done += got;
      }
      return done === n ? buf : buf.subarray(0, done);
    };
    // Before the section table is known the headers are read 1:1 (they sit at file offset 0).
    const identity: ImageReader = { read: readFileOffset };
    const headers = parsePeHeaders(identity, fileSize);
    const sections = [...headers.sections].sort((a, b) => a.virtualAddress - b.virtualAddress);
    const read = (rva: number, length: number): Uint8Array => readMapped(rva, length, headers, sections, readFileOffset);
    return {
      path: owned ? file : undefined,
      fileSize,
      headers,
      read,
      readFileOffset,
      close(): void {
        if (owned) closeSync(fd);
      },
    };
  } catch (e) {
    if (owned) closeSync(fd);
    throw e;
  }
}

/** One contiguous piece of the mapping: `length` bytes at `rva` come from file `offset` (or zeros when offset < 0). */
interface Piece {
  readonly offset: number;
  readonly length: number;
}

function pieceAt(rva: number, headers: PeHeaders, sections: readonly PeSection[]): Piece | undefined {
  for (const [i, s] of sections.entries()) {
    // The loader maps a section rounded up to SectionAlignment (zeros past its data), never
    // into the next section or past SizeOfImage.
    const alignment = headers.sectionAlignment > 0 ? headers.sectionAlignment : 0x1000;
    const rounded = Math.ceil(Math.max(s.virtualSize, s.sizeOfRawData) / alignment) * alignment;
    const limit = Math.min(sections[i + 1]?.virtualAddress ?? headers.sizeOfImage, headers.sizeOfImage);
    const span = Math.max(0, Math.min(rounded, limit - s.virtualAddress));
    if (rva >= s.virtualAddress && rva < s.virtualAddress + span) {
      const inSection = rva - s.virtualAddress;
      // Bytes past SizeOfRawData are the zero-filled tail of the section.
      if (inSection < s.sizeOfRawData) return { offset: s.pointerToRawData + inSection, length: s.sizeOfRawData - inSection };
      return { offset: -1, length: span - inSection };
    }
  }
  const firstSection = sections[0]?.virtualAddress ?? headers.sizeOfHeaders;
  const headerEnd = Math.min(Math.max(headers.sizeOfHeaders, 0x40), firstSection || headers.sizeOfHeaders);
  if (rva < headerEnd) return { offset: rva, length: headerEnd - rva };
  return undefined;
}

function readMapped(
  rva: number,
  length: number,
  headers: PeHeaders,
  sections: readonly PeSection[],
  readFileOffset: (offset: number, length: number) => Uint8Array,
): Uint8Array {
  if (rva < 0 || length <= 0 || rva >= headers.sizeOfImage) return new Uint8Array(0);
  const total = Math.min(length, headers.sizeOfImage - rva, MAX_IMAGE_READ);
  const out = new Uint8Array(total);
  let done = 0;
  while (done < total) {
    const piece = pieceAt(rva + done, headers, sections);
    if (!piece) break;
    const n = Math.min(piece.length, total - done);
    if (piece.offset >= 0) {
      const got = readFileOffset(piece.offset, n);
      out.set(got, done);
      if (got.length < n) {
        done += got.length;
        break;
      }
    }
    done += n;
  }
  return done === total ? out : out.subarray(0, done);
}
