/**
 * ModuleList (4) with CodeView records and VS_FIXEDFILEINFO versions, and
 * UnloadedModuleList (14); formats.md 4.4.
 */
import type { CodeViewInfo } from '../../target/module-info.js';
import { Sizes, StreamType } from './constants.js';
import type { DirectoryEntry } from './header.js';
import { cStringAt, u32, u64 } from './le.js';
import type { StreamIo } from './stream-io.js';

const RSDS = 0x53445352;
const NB10 = 0x3031424e;
const VS_FFI_SIGNATURE = 0xfeef04bd;
/** CodeView records carry a PDB path; anything bigger than this is not one. */
const MAX_CV_RECORD = 0x1000;

/** MINIDUMP_MODULE, decoded. */
export interface RawModule {
  readonly base: bigint;
  readonly size: number;
  readonly checksum: number;
  readonly timestamp: number;
  /** Full path as recorded (MINIDUMP_STRING at ModuleNameRva); '' when unreadable. */
  readonly path: string;
  readonly fileVersion?: string;
  readonly productVersion?: string;
  readonly codeView?: CodeViewInfo;
}

/** MINIDUMP_UNLOADED_MODULE, decoded. */
export interface RawUnloadedModule {
  readonly base: bigint;
  readonly size: number;
  readonly checksum: number;
  readonly timestamp: number;
  readonly path: string;
}

/** `a.b.c.d` from the MS/LS halves of a VS_FIXEDFILEINFO version. */
function versionString(ms: number, ls: number): string {
  return `${ms >>> 16}.${ms & 0xffff}.${ls >>> 16}.${ls & 0xffff}`;
}

/** Hex of `n` bytes at `o`, uppercase, as a little-endian integer. */
function hexLe(b: Uint8Array, o: number, n: number): string {
  let s = '';
  for (let i = n - 1; i >= 0; i--) s += (b[o + i] ?? 0).toString(16).padStart(2, '0');
  return s.toUpperCase();
}

/** Decodes an RSDS or NB10 CodeView record; undefined for other or malformed records. */
export function decodeCodeView(b: Uint8Array): CodeViewInfo | undefined {
  if (b.length < 4) return undefined;
  const sig = u32(b, 0);
  if (sig === RSDS && b.length >= 0x18) {
    // GUID as printed by symbol servers: Data1, Data2, Data3 as integers, then Data4 bytes in order.
    let data4 = '';
    for (let i = 0; i < 8; i++) data4 += (b[0xc + i] ?? 0).toString(16).padStart(2, '0');
    const guid = hexLe(b, 4, 4) + hexLe(b, 8, 2) + hexLe(b, 0xa, 2) + data4.toUpperCase();
    return { guid, age: u32(b, 0x14), pdbName: cStringAt(b, 0x18, b.length - 0x18) };
  }
  if (sig === NB10 && b.length >= 0x10) {
    return { guid: hexLe(b, 8, 4), age: u32(b, 0xc), pdbName: cStringAt(b, 0x10, b.length - 0x10) };
  }
  return undefined;
}

/** Modules in dump order. */
export function readModules(io: StreamIo, streams: ReadonlyMap<number, DirectoryEntry>): RawModule[] {
  const entry = streams.get(StreamType.ModuleList);
  if (!entry) return [];
  const list = io.countedList(entry, Sizes.MODULE);
  if (!list) return [];
  const out: RawModule[] = [];
  for (let i = 0; i < list.count; i++) {
    const o = list.offset + i * list.entrySize;
    const b = list.bytes;
    const path = io.string(u32(b, o + 0x14), `module ${i} name`) ?? '';
    const vi = o + 0x18;
    const versions =
      u32(b, vi) === VS_FFI_SIGNATURE
        ? {
            fileVersion: versionString(u32(b, vi + 8), u32(b, vi + 0xc)),
            productVersion: versionString(u32(b, vi + 0x10), u32(b, vi + 0x14)),
          }
        : {};
    const cvSize = u32(b, o + 0x4c);
    const cvRva = u32(b, o + 0x50);
    let codeView: CodeViewInfo | undefined;
    if (cvSize > MAX_CV_RECORD) io.warn(`module ${i} (${path}): CodeView record of ${cvSize} bytes ignored`);
    else {
      const cv = io.location({ dataSize: cvSize, rva: cvRva }, `module ${i} (${path}) CodeView record`);
      codeView = cv ? decodeCodeView(cv) : undefined;
    }
    out.push({
      base: u64(b, o),
      size: u32(b, o + 8),
      checksum: u32(b, o + 0xc),
      timestamp: u32(b, o + 0x10),
      path,
      ...versions,
      ...(codeView ? { codeView } : {}),
    });
  }
  return out;
}

/** Unloaded modules (extended-header list of 24-byte entries). */
export function readUnloadedModules(io: StreamIo, entry: DirectoryEntry | undefined): RawUnloadedModule[] {
  if (!entry) return [];
  const list = io.extendedList(entry, 12, 24);
  if (!list) return [];
  const out: RawUnloadedModule[] = [];
  for (let i = 0; i < list.count; i++) {
    const o = list.offset + i * list.entrySize;
    const b = list.bytes;
    out.push({
      base: u64(b, o),
      size: u32(b, o + 8),
      checksum: u32(b, o + 0xc),
      timestamp: u32(b, o + 0x10),
      path: io.string(u32(b, o + 0x14), `unloaded module ${i} name`) ?? '',
    });
  }
  return out;
}
