/**
 * IMAGE_EXPORT_DIRECTORY (formats.md 5.2): exported names and ordinals with their RVAs.
 * Forwarders (function RVAs inside the directory itself) are skipped: they are strings, not code.
 */
import { FormatError } from '../../errors.js';
import { checkRange, hexNum, readCString, readRequired, u16, u32, type ImageReader } from './image-reader.js';
import { DataDirectoryIndex, dataDirectory, type PeHeaders } from './pe-headers.js';

/** One exported function. */
export interface PeExport {
  /** Undefined for exports by ordinal only. */
  readonly name: string | undefined;
  readonly ordinal: number;
  readonly rva: number;
}

/** The decoded export directory. */
export interface PeExports {
  /** The DLL name recorded in the directory (`ntoskrnl.exe`), or '' when unreadable. */
  readonly dllName: string;
  readonly ordinalBase: number;
  /** Named exports first in name-table order, then ordinal-only ones; forwarders omitted. */
  readonly exports: readonly PeExport[];
}

/** Export names longer than this are treated as garbage and cut. */
const MAX_NAME = 512;

/** Decodes the export directory; undefined when the image has none. */
export function parseExports(reader: ImageReader, headers: PeHeaders): PeExports | undefined {
  const dir = dataDirectory(headers, DataDirectoryIndex.export, 'export');
  if (!dir) return undefined;
  const d = readRequired(reader, dir.rva, 40, 'export directory');
  const ordinalBase = u32(d, 0x10);
  const numberOfFunctions = u32(d, 0x14);
  const numberOfNames = u32(d, 0x18);
  const addressOfFunctions = u32(d, 0x1c);
  const addressOfNames = u32(d, 0x20);
  const addressOfNameOrdinals = u32(d, 0x24);
  // Each count is bounded by the image: its table must fit inside SizeOfImage.
  checkRange(addressOfFunctions, numberOfFunctions * 4, headers.sizeOfImage, 'export AddressOfFunctions (NumberOfFunctions)');
  checkRange(addressOfNames, numberOfNames * 4, headers.sizeOfImage, 'export AddressOfNames (NumberOfNames)');
  checkRange(addressOfNameOrdinals, numberOfNames * 2, headers.sizeOfImage, 'export AddressOfNameOrdinals (NumberOfNames)');
  const functions = readRequired(reader, addressOfFunctions, numberOfFunctions * 4, 'export address table');
  const names = readRequired(reader, addressOfNames, numberOfNames * 4, 'export name pointer table');
  const ordinals = readRequired(reader, addressOfNameOrdinals, numberOfNames * 2, 'export ordinal table');

  // Names usually live inside the directory range: read it once and slice, fall back to single reads.
  const block = dir.size <= 0x1000000 ? reader.read(dir.rva, dir.size) : new Uint8Array(0);
  const nameAt = (rva: number): string => {
    const off = rva - dir.rva;
    if (off >= 0 && off < block.length) {
      let end = off;
      while (end < block.length && end - off < MAX_NAME && block[end] !== 0) end++;
      if (end < block.length) return String.fromCharCode(...block.subarray(off, end));
    }
    return readCString(reader, rva, MAX_NAME);
  };
  const isForwarder = (rva: number): boolean => rva >= dir.rva && rva < dir.rva + dir.size;

  const exports: PeExport[] = [];
  const named = new Set<number>();
  for (let j = 0; j < numberOfNames; j++) {
    const index = u16(ordinals, j * 2);
    if (index >= numberOfFunctions) {
      throw new FormatError('PE', `export AddressOfNameOrdinals[${j}] = ${index} exceeds NumberOfFunctions ${numberOfFunctions}`, addressOfNameOrdinals + j * 2);
    }
    named.add(index);
    const rva = u32(functions, index * 4);
    if (rva === 0 || isForwarder(rva)) continue;
    const nameRva = u32(names, j * 4);
    if (nameRva >= headers.sizeOfImage) throw new FormatError('PE', `export name ${j}: rva ${hexNum(nameRva)} lies outside the image`, addressOfNames + j * 4);
    exports.push({ name: nameAt(nameRva), ordinal: ordinalBase + index, rva });
  }
  for (let i = 0; i < numberOfFunctions; i++) {
    if (named.has(i)) continue;
    const rva = u32(functions, i * 4);
    if (rva === 0 || isForwarder(rva)) continue;
    exports.push({ name: undefined, ordinal: ordinalBase + i, rva });
  }
  const dllNameRva = u32(d, 0x0c);
  const dllName = dllNameRva > 0 && dllNameRva < headers.sizeOfImage ? nameAt(dllNameRva) : '';
  return { dllName, ordinalBase, exports };
}
