/**
 * MINIDUMP_HEADER and the stream directory (formats.md 4.1). A broken header or directory
 * is fatal (FormatError); a broken stream is not: the directory only records where streams
 * claim to be, and each stream reader decides what to do with a bad location.
 */
import { FormatError } from '../../errors.js';
import type { ByteSource } from './byte-source.js';
import {
  MINIDUMP_DIRECTORY_SIZE,
  MINIDUMP_HEADER_SIZE,
  MINIDUMP_SIGNATURE,
  MINIDUMP_VERSION,
  StreamType,
  streamName,
} from './constants.js';
import { hexOf, u32, u64 } from './le.js';

/** MINIDUMP_HEADER, decoded. */
export interface MinidumpHeader {
  readonly version: number;
  readonly numberOfStreams: number;
  readonly streamDirectoryRva: number;
  readonly checkSum: number;
  /** time_t seconds (UTC) at which the dump was written. */
  readonly timeDateStamp: number;
  /** MINIDUMP_TYPE bits. */
  readonly flags: bigint;
}

/** MINIDUMP_LOCATION_DESCRIPTOR. */
export interface Location {
  readonly dataSize: number;
  readonly rva: number;
}

/** One MINIDUMP_DIRECTORY entry. */
export interface DirectoryEntry extends Location {
  readonly streamType: number;
  readonly index: number;
}

/** Header plus the streams it lists, keyed by type (first occurrence wins). */
export interface MinidumpDirectory {
  readonly header: MinidumpHeader;
  readonly entries: readonly DirectoryEntry[];
  readonly streams: ReadonlyMap<number, DirectoryEntry>;
  readonly warnings: readonly string[];
}

/** True when the bytes start with the 'MDMP' signature. */
export function hasMinidumpSignature(firstBytes: Uint8Array): boolean {
  return firstBytes.length >= 4 && u32(firstBytes, 0) === MINIDUMP_SIGNATURE;
}

/** Reads and checks the header and stream directory; throws FormatError when either is unusable. */
export function readDirectory(source: ByteSource): MinidumpDirectory {
  const size = source.size;
  const h = source.read(0, MINIDUMP_HEADER_SIZE);
  if (h.length < MINIDUMP_HEADER_SIZE) {
    throw new FormatError('minidump', `minidump header truncated: file is ${size} bytes, the header needs ${MINIDUMP_HEADER_SIZE}`, 0);
  }
  if (u32(h, 0) !== MINIDUMP_SIGNATURE) {
    throw new FormatError('minidump', `not a minidump: signature ${hexOf(u32(h, 0))} is not 'MDMP'`, 0);
  }
  const header: MinidumpHeader = {
    version: u32(h, 4),
    numberOfStreams: u32(h, 8),
    streamDirectoryRva: u32(h, 0xc),
    checkSum: u32(h, 0x10),
    timeDateStamp: u32(h, 0x14),
    flags: u64(h, 0x18),
  };
  if ((header.version & 0xffff) !== MINIDUMP_VERSION) {
    throw new FormatError('minidump', `minidump header: Version ${hexOf(header.version)} (low 16 bits must be 0xa793)`, 4);
  }
  if (header.numberOfStreams === 0) {
    throw new FormatError('minidump', 'minidump header: NumberOfStreams is 0, the dump holds nothing', 8);
  }
  // Every writer puts the directory after the header; one that overlaps it is garbage.
  if (header.streamDirectoryRva < MINIDUMP_HEADER_SIZE) {
    throw new FormatError(
      'minidump',
      `minidump header: StreamDirectoryRva ${hexOf(header.streamDirectoryRva)} overlaps the ${MINIDUMP_HEADER_SIZE}-byte header`,
      0xc,
    );
  }
  const dirBytes = header.numberOfStreams * MINIDUMP_DIRECTORY_SIZE;
  if (header.streamDirectoryRva + dirBytes > size) {
    throw new FormatError(
      'minidump',
      `minidump stream directory (${header.numberOfStreams} entries at ${hexOf(header.streamDirectoryRva)}) runs past the end of the file (${size} bytes)`,
      header.streamDirectoryRva,
    );
  }
  const d = source.read(header.streamDirectoryRva, dirBytes);
  const entries: DirectoryEntry[] = [];
  const streams = new Map<number, DirectoryEntry>();
  const warnings: string[] = [];
  for (let i = 0; i < header.numberOfStreams; i++) {
    const o = i * MINIDUMP_DIRECTORY_SIZE;
    const entry: DirectoryEntry = { index: i, streamType: u32(d, o), dataSize: u32(d, o + 4), rva: u32(d, o + 8) };
    entries.push(entry);
    if (entry.streamType === StreamType.Unused) continue;
    if (streams.has(entry.streamType)) {
      warnings.push(`duplicate ${streamName(entry.streamType)} stream (directory entry ${i}) ignored; the first one is used`);
      continue;
    }
    streams.set(entry.streamType, entry);
  }
  return { header, entries, streams, warnings };
}
