/**
 * Bounded reads shared by the stream decoders. Everything a stream points at is checked
 * against the file size before it is read; a location that does not fit is reported as a
 * warning and yields undefined, so one bad stream never stops the dump from opening.
 */
import type { ByteSource } from './byte-source.js';
import { streamName } from './constants.js';
import type { DirectoryEntry, Location } from './header.js';
import { hexOf, u32, u64AsNumber, utf16At } from './le.js';

/** Longest MINIDUMP_STRING we accept (bytes); real paths and names are far shorter. */
const MAX_STRING_BYTES = 0x10000;

/** A decoded fixed-entry list: `count` entries of `entrySize` bytes starting at `offset` of `bytes`. */
export interface EntryList {
  readonly bytes: Uint8Array;
  readonly offset: number;
  readonly count: number;
  readonly entrySize: number;
}

/** The source plus a warning sink, handed to every stream decoder. */
export class StreamIo {
  readonly warnings: string[] = [];

  constructor(readonly source: ByteSource) {}

  /** Records a non-fatal problem. */
  warn(message: string): void {
    this.warnings.push(message);
  }

  /** True when [offset, offset+length) lies inside the file. */
  fits(offset: number, length: number): boolean {
    return offset >= 0 && length >= 0 && offset + length <= this.source.size;
  }

  /** The whole body of a stream, or undefined (with a warning) when it runs past the file or is too short. */
  stream(entry: DirectoryEntry, minSize: number): Uint8Array | undefined {
    const name = streamName(entry.streamType);
    if (!this.fits(entry.rva, entry.dataSize)) {
      this.warn(
        `${name} stream (${entry.dataSize} bytes at ${hexOf(entry.rva)}) runs past the end of the file (${this.source.size} bytes); ignored`,
      );
      return undefined;
    }
    if (entry.dataSize < minSize) {
      this.warn(`${name} stream is ${entry.dataSize} bytes, too short for its ${minSize}-byte header; ignored`);
      return undefined;
    }
    return this.source.read(entry.rva, entry.dataSize);
  }

  /** Bytes of a location descriptor, or undefined (with a warning naming `what`). */
  location(loc: Location, what: string): Uint8Array | undefined {
    if (loc.dataSize === 0) return undefined;
    if (!this.fits(loc.rva, loc.dataSize)) {
      this.warn(`${what} (${loc.dataSize} bytes at ${hexOf(loc.rva)}) runs past the end of the file; ignored`);
      return undefined;
    }
    return this.source.read(loc.rva, loc.dataSize);
  }

  /** MINIDUMP_STRING at `rva` (u32 byte length, UTF-16LE text); undefined when rva is 0 or the string is bad. */
  string(rva: number, what: string): string | undefined {
    if (rva === 0) return undefined;
    const lenBytes = this.source.read(rva, 4);
    if (lenBytes.length < 4) {
      this.warn(`${what}: string at ${hexOf(rva)} is past the end of the file`);
      return undefined;
    }
    const length = u32(lenBytes, 0);
    if (length % 2 !== 0 || length > MAX_STRING_BYTES || !this.fits(rva + 4, length)) {
      this.warn(`${what}: string at ${hexOf(rva)} has a bad length ${length}`);
      return undefined;
    }
    return utf16At(this.source.read(rva + 4, length), 0, length);
  }

  /**
   * A count-prefixed list (u32 count, optional 4 bytes of padding, then entries). The count
   * must agree with the stream size; a list that claims more entries than fit is ignored.
   */
  countedList(entry: DirectoryEntry, entrySize: number): EntryList | undefined {
    const bytes = this.stream(entry, 4);
    if (!bytes) return undefined;
    const count = u32(bytes, 0);
    const name = streamName(entry.streamType);
    for (const offset of [4, 8]) {
      if (offset + count * entrySize === bytes.length) return { bytes, offset, count, entrySize };
    }
    if (4 + count * entrySize <= bytes.length) {
      // Trailing bytes are harmless; keep the entries.
      this.warn(`${name} stream has ${bytes.length - 4 - count * entrySize} unexpected trailing bytes`);
      return { bytes, offset: 4, count, entrySize };
    }
    this.warn(`${name} stream claims ${count} entries of ${entrySize} bytes but holds ${bytes.length} bytes; ignored`);
    return undefined;
  }

  /**
   * A list with its own header: SizeOfHeader u32, SizeOfEntry u32, count (u32, or u64 when
   * `count64`). Entries larger than `minEntry` are accepted and their tails skipped.
   */
  extendedList(entry: DirectoryEntry, minHeader: number, minEntry: number, count64 = false): EntryList | undefined {
    const bytes = this.stream(entry, minHeader);
    if (!bytes) return undefined;
    const name = streamName(entry.streamType);
    const headerSize = u32(bytes, 0);
    const entrySize = u32(bytes, 4);
    const count = count64 ? u64AsNumber(bytes, 8, bytes.length) : u32(bytes, 8);
    if (headerSize < minHeader || headerSize > bytes.length || entrySize < minEntry) {
      this.warn(`${name} stream header is bad (SizeOfHeader ${headerSize}, SizeOfEntry ${entrySize}); ignored`);
      return undefined;
    }
    if (count === undefined || headerSize + count * entrySize > bytes.length) {
      this.warn(`${name} stream claims ${count ?? 'too many'} entries of ${entrySize} bytes but holds ${bytes.length} bytes; ignored`);
      return undefined;
    }
    return { bytes, offset: headerSize, count, entrySize };
  }
}
