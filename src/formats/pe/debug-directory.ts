/**
 * IMAGE_DEBUG_DIRECTORY entries and the CodeView record (RSDS / NB10) that names the PDB
 * (formats.md 5.4, 4.4).
 */
import { FormatError } from '../../errors.js';
import { hexNum, readRequired, u16, u32, type ImageReader } from './image-reader.js';
import { DataDirectoryIndex, dataDirectory, type PeHeaders } from './pe-headers.js';

/** IMAGE_DEBUG_TYPE_CODEVIEW. */
export const IMAGE_DEBUG_TYPE_CODEVIEW = 2;

/** One IMAGE_DEBUG_DIRECTORY (28 bytes). */
export interface DebugDirectoryEntry {
  readonly characteristics: number;
  readonly timeDateStamp: number;
  readonly majorVersion: number;
  readonly minorVersion: number;
  readonly type: number;
  readonly sizeOfData: number;
  readonly addressOfRawData: number;
  readonly pointerToRawData: number;
}

/** A decoded CodeView record. */
export interface CodeViewInfo {
  readonly signature: 'RSDS' | 'NB10';
  /** RSDS: `72E103A8-5CB2-4907-8B76-B2E7C06257B1` (upper case, Data1-3 byte-swapped as printed by every tool). */
  readonly guid?: string;
  /** NB10: the 32-bit signature (a timestamp). */
  readonly nb10Signature?: number;
  readonly age: number;
  /** PDB path exactly as recorded. */
  readonly pdbPath: string;
  /** Symbol-server directory key: GUID without dashes (or NB10 signature %08X) followed by the age in hex. */
  readonly symbolKey: string;
}

/** Debug entries are capped: real images have a handful. */
const MAX_DEBUG_ENTRIES = 64;
/** A CodeView record is a header plus a path; anything larger is not one. */
const MAX_CODEVIEW = 0x1000;

/** Reads the debug directory; an empty list when the image has none. */
export function parseDebugDirectory(reader: ImageReader, headers: PeHeaders): DebugDirectoryEntry[] {
  const dir = dataDirectory(headers, DataDirectoryIndex.debug, 'debug');
  if (!dir) return [];
  const count = Math.floor(dir.size / 28);
  if (count > MAX_DEBUG_ENTRIES) throw new FormatError('PE', `debug directory: size ${hexNum(dir.size)} holds ${count} entries (limit ${MAX_DEBUG_ENTRIES})`, dir.rva);
  const b = readRequired(reader, dir.rva, count * 28, 'debug directory');
  const out: DebugDirectoryEntry[] = [];
  for (let i = 0; i < count; i++) {
    const o = i * 28;
    out.push({
      characteristics: u32(b, o),
      timeDateStamp: u32(b, o + 4),
      majorVersion: u16(b, o + 8),
      minorVersion: u16(b, o + 0xa),
      type: u32(b, o + 0xc),
      sizeOfData: u32(b, o + 0x10),
      addressOfRawData: u32(b, o + 0x14),
      pointerToRawData: u32(b, o + 0x18),
    });
  }
  return out;
}

/** Decodes an RSDS or NB10 record (also used for minidump module CvRecords); undefined for other signatures. */
export function parseCodeViewRecord(b: Uint8Array): CodeViewInfo | undefined {
  if (b.length < 4) return undefined;
  const sig = String.fromCharCode(b[0]!, b[1]!, b[2]!, b[3]!);
  if (sig === 'RSDS') {
    if (b.length < 24) throw new FormatError('CodeView', `RSDS record is ${b.length} bytes, shorter than its 24-byte header`);
    const hex = (from: number, to: number): string => {
      let s = '';
      for (let i = from; i < to; i++) s += b[i]!.toString(16).padStart(2, '0');
      return s.toUpperCase();
    };
    const data1 = u32(b, 4).toString(16).toUpperCase().padStart(8, '0');
    const data2 = u16(b, 8).toString(16).toUpperCase().padStart(4, '0');
    const data3 = u16(b, 10).toString(16).toUpperCase().padStart(4, '0');
    const guid = `${data1}-${data2}-${data3}-${hex(12, 14)}-${hex(14, 20)}`;
    const age = u32(b, 20);
    const pdbPath = zString(b, 24);
    return { signature: 'RSDS', guid, age, pdbPath, symbolKey: guid.replace(/-/g, '') + age.toString(16).toUpperCase() };
  }
  if (sig === 'NB10') {
    if (b.length < 16) throw new FormatError('CodeView', `NB10 record is ${b.length} bytes, shorter than its 16-byte header`);
    const nb10Signature = u32(b, 8);
    const age = u32(b, 12);
    const key = nb10Signature.toString(16).toUpperCase().padStart(8, '0') + age.toString(16).toUpperCase();
    return { signature: 'NB10', nb10Signature, age, pdbPath: zString(b, 16), symbolKey: key };
  }
  return undefined;
}

/** The first CodeView record of the image, read by RVA (or by file offset when the data is not mapped). */
export function readCodeView(reader: ImageReader, headers: PeHeaders): CodeViewInfo | undefined {
  for (const e of parseDebugDirectory(reader, headers)) {
    if (e.type !== IMAGE_DEBUG_TYPE_CODEVIEW || e.sizeOfData === 0) continue;
    const size = Math.min(e.sizeOfData, MAX_CODEVIEW);
    let bytes: Uint8Array = new Uint8Array(0);
    if (e.addressOfRawData !== 0 && e.addressOfRawData + size <= headers.sizeOfImage) bytes = reader.read(e.addressOfRawData, size);
    if (bytes.length < size && reader.readFileOffset && e.pointerToRawData !== 0) bytes = reader.readFileOffset(e.pointerToRawData, size);
    if (bytes.length < 4) continue;
    const info = parseCodeViewRecord(bytes);
    if (info) return info;
  }
  return undefined;
}

function zString(b: Uint8Array, from: number): string {
  let end = from;
  while (end < b.length && b[end] !== 0) end++;
  return new TextDecoder('utf-8').decode(b.subarray(from, end));
}
