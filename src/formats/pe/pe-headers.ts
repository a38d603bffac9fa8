/**
 * DOS header, NT headers (PE32 and PE32+), data directories and the section table
 * (formats.md 5.1; MS PE/COFF spec).
 */
import { FormatError } from '../../errors.js';
import { checkRange, hexNum, readRequired, u16, u32, u64, type ImageReader } from './image-reader.js';

/** IMAGE_FILE_HEADER.Machine values crashkd cares about. */
export const IMAGE_FILE_MACHINE_I386 = 0x14c;
/** x64. */
export const IMAGE_FILE_MACHINE_AMD64 = 0x8664;
/** ARM64. */
export const IMAGE_FILE_MACHINE_ARM64 = 0xaa64;

/** Data directory indices (IMAGE_DIRECTORY_ENTRY_*). */
export const DataDirectoryIndex = {
  export: 0,
  import: 1,
  resource: 2,
  exception: 3,
  security: 4,
  baseReloc: 5,
  debug: 6,
  architecture: 7,
  globalPtr: 8,
  tls: 9,
  loadConfig: 10,
  boundImport: 11,
  iat: 12,
  delayImport: 13,
  clr: 14,
} as const;

/** One IMAGE_DATA_DIRECTORY. */
export interface DataDirectory {
  readonly rva: number;
  readonly size: number;
}

/** One IMAGE_SECTION_HEADER. */
export interface PeSection {
  readonly name: string;
  readonly virtualSize: number;
  readonly virtualAddress: number;
  readonly sizeOfRawData: number;
  readonly pointerToRawData: number;
  readonly characteristics: number;
}

/** The decoded headers of a PE image. */
export interface PeHeaders {
  /** e_lfanew: file offset / RVA of the 'PE\0\0' signature. */
  readonly ntHeadersOffset: number;
  readonly machine: number;
  readonly timeDateStamp: number;
  readonly characteristics: number;
  /** 0x10B (PE32) or 0x20B (PE32+). */
  readonly magic: number;
  readonly is64: boolean;
  readonly addressOfEntryPoint: number;
  readonly imageBase: bigint;
  readonly sectionAlignment: number;
  readonly fileAlignment: number;
  readonly sizeOfImage: number;
  readonly sizeOfHeaders: number;
  readonly checksum: number;
  readonly subsystem: number;
  readonly dllCharacteristics: number;
  /** Always 16 entries; entries beyond NumberOfRvaAndSizes read as {0, 0}. */
  readonly dataDirectories: readonly DataDirectory[];
  readonly sections: readonly PeSection[];
}

/** Upper bound on SizeOfImage (the largest real kernel images are well under 256 MiB). */
const MAX_SIZE_OF_IMAGE = 0x40000000;

/**
 * Parses the headers through `reader`. `limit` bounds the header area (file size for files);
 * every count and offset is checked, malformed input throws FormatError naming the field.
 */
export function parsePeHeaders(reader: ImageReader, limit = 0x100000): PeHeaders {
  const dos = readRequired(reader, 0, 0x40, 'DOS header');
  if (u16(dos, 0) !== 0x5a4d) throw new FormatError('PE', `DOS header: e_magic is ${hexNum(u16(dos, 0))}, expected 'MZ'`, 0);
  const lfanew = u32(dos, 0x3c);
  if (lfanew < 0x40 || lfanew > Math.min(limit, 0x10000000) - 0x18) {
    throw new FormatError('PE', `DOS header: e_lfanew ${hexNum(lfanew)} is out of range`, 0x3c);
  }
  const coff = readRequired(reader, lfanew, 0x18, 'NT headers');
  if (u32(coff, 0) !== 0x4550) throw new FormatError('PE', `NT headers: signature at ${hexNum(lfanew)} is not 'PE\\0\\0'`, lfanew);
  const numberOfSections = u16(coff, 6);
  const sizeOfOptionalHeader = u16(coff, 0x14);
  const optOff = lfanew + 0x18;
  if (sizeOfOptionalHeader < 0x60) {
    throw new FormatError('PE', `COFF header: SizeOfOptionalHeader ${hexNum(sizeOfOptionalHeader)} is too small`, lfanew + 0x14);
  }
  const opt = readRequired(reader, optOff, sizeOfOptionalHeader, 'optional header');
  const magic = u16(opt, 0);
  if (magic !== 0x10b && magic !== 0x20b) throw new FormatError('PE', `optional header: Magic ${hexNum(magic)} is neither PE32 nor PE32+`, optOff);
  const is64 = magic === 0x20b;
  const dirBase = is64 ? 0x70 : 0x60;
  const sizeOfImage = u32(opt, 0x38);
  if (sizeOfImage === 0 || sizeOfImage > MAX_SIZE_OF_IMAGE) {
    throw new FormatError('PE', `optional header: SizeOfImage ${hexNum(sizeOfImage)} is out of range`, optOff + 0x38);
  }
  const declaredDirs = u32(opt, dirBase - 4);
  // Only the directories that really fit in SizeOfOptionalHeader count, and never more than 16.
  const dirCount = Math.min(declaredDirs, 16, Math.max(0, Math.floor((sizeOfOptionalHeader - dirBase) / 8)));
  const dataDirectories: DataDirectory[] = [];
  for (let i = 0; i < 16; i++) {
    dataDirectories.push(i < dirCount ? { rva: u32(opt, dirBase + 8 * i), size: u32(opt, dirBase + 8 * i + 4) } : { rva: 0, size: 0 });
  }
  const sectionTable = optOff + sizeOfOptionalHeader;
  checkRange(sectionTable, numberOfSections * 40, Math.max(limit, sizeOfImage), 'section table (NumberOfSections)');
  const raw = readRequired(reader, sectionTable, numberOfSections * 40, 'section table');
  const sections: PeSection[] = [];
  for (let i = 0; i < numberOfSections; i++) {
    const o = i * 40;
    const nameBytes = raw.subarray(o, o + 8);
    const nul = nameBytes.indexOf(0);
    sections.push({
      name: String.fromCharCode(...(nul >= 0 ? nameBytes.subarray(0, nul) : nameBytes)),
      virtualSize: u32(raw, o + 8),
      virtualAddress: u32(raw, o + 0xc),
      sizeOfRawData: u32(raw, o + 0x10),
      pointerToRawData: u32(raw, o + 0x14),
      characteristics: u32(raw, o + 0x24),
    });
  }
  return {
    ntHeadersOffset: lfanew,
    machine: u16(coff, 4),
    timeDateStamp: u32(coff, 8),
    characteristics: u16(coff, 0x16),
    magic,
    is64,
    addressOfEntryPoint: u32(opt, 0x10),
    imageBase: is64 ? u64(opt, 0x18) : BigInt(u32(opt, 0x1c)),
    sectionAlignment: u32(opt, 0x20),
    fileAlignment: u32(opt, 0x24),
    sizeOfImage,
    sizeOfHeaders: u32(opt, 0x3c),
    checksum: u32(opt, 0x40),
    subsystem: u16(opt, 0x44),
    dllCharacteristics: u16(opt, 0x46),
    dataDirectories,
    sections,
  };
}

/** The data directory at `index`, validated against SizeOfImage; undefined when absent (rva or size 0). */
export function dataDirectory(headers: PeHeaders, index: number, what: string): DataDirectory | undefined {
  const d = headers.dataDirectories[index];
  if (!d || d.rva === 0 || d.size === 0) return undefined;
  checkRange(d.rva, d.size, headers.sizeOfImage, `${what} directory`);
  return d;
}

/** Symbol-server key of the image: TimeDateStamp as %08X followed by SizeOfImage as %x. */
export function imageCodeId(headers: PeHeaders): string {
  return headers.timeDateStamp.toString(16).toUpperCase().padStart(8, '0') + headers.sizeOfImage.toString(16);
}
