/**
 * What the symbol loader needs from a module's PE image: its CodeView record (to find the PDB
 * when the dump did not record one, as in triage dumps) and its export table (the fallback
 * symbols). The image is read from target memory or from an image file on disk.
 */
import { DebuggerError } from '../errors.js';
import { fileImageReader, memoryImageReader, PeImage, type FileImageReader } from '../formats/pe/index.js';
import type { VirtualMemory } from '../memory/virtual-memory.js';
import type { CodeViewInfo } from '../target/module-info.js';
import type { ModuleSymbol } from '../target/target.js';

const IMAGE_SCN_CNT_CODE = 0x20;
const IMAGE_SCN_MEM_EXECUTE = 0x20000000;

/** A PE image opened from memory or a file; `close` releases a file handle. */
export interface OpenedImage {
  readonly image: PeImage;
  /** `memory` or the image file's path. */
  readonly from: string;
  close(): void;
}

/** Runs `fn`, turning malformed-image errors into undefined (a bad image is not fatal). */
function tolerant<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch (e) {
    if (e instanceof DebuggerError) return undefined;
    if (e instanceof Error && 'code' in e) return undefined;
    throw e;
  }
}

/** The module's image as mapped in target memory, or undefined when its headers are not there. */
export function openMemoryImage(memory: VirtualMemory | undefined, base: bigint, size: number): OpenedImage | undefined {
  if (!memory) return undefined;
  const image = tolerant(() => PeImage.open(memoryImageReader(memory, base), Math.min(size, 0x100000)));
  return image ? { image, from: 'memory', close: () => undefined } : undefined;
}

/** An image file opened with positioned reads, or undefined when it is not a readable PE. */
export function openImageFile(path: string): OpenedImage | undefined {
  let reader: FileImageReader | undefined;
  const image = tolerant(() => {
    reader = fileImageReader(path);
    return new PeImage(reader, reader.headers);
  });
  if (!image) {
    reader?.close();
    return undefined;
  }
  return { image, from: path, close: () => reader?.close() };
}

/** The image's CodeView record in the form symbol lookups use (GUID without dashes). */
export function imageCodeView(image: PeImage): CodeViewInfo | undefined {
  const cv = tolerant(() => image.codeView());
  if (!cv) return undefined;
  const guid = cv.signature === 'RSDS' ? (cv.guid ?? '').replace(/-/g, '').toUpperCase() : (cv.nb10Signature ?? 0).toString(16).toUpperCase().padStart(8, '0');
  if (guid === '' || cv.pdbPath === '') return undefined;
  return { pdbName: cv.pdbPath, guid, age: cv.age };
}

/**
 * Export-table symbols: named exports by name, ordinal-only ones as `OrdinalN` (dbghelp's
 * spelling); forwarders are not code and were already dropped by the parser. Undefined when
 * the directory is absent or unreadable.
 */
export function exportSymbols(image: PeImage): ModuleSymbol[] | undefined {
  const exp = tolerant(() => image.exports());
  if (!exp) return undefined;
  const seen = new Set<string>();
  const out: ModuleSymbol[] = [];
  for (const e of exp.exports) {
    const name = e.name ?? `Ordinal${e.ordinal}`;
    const key = `${e.rva}:${name}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(Object.freeze({ name, rva: e.rva }));
  }
  return out;
}

/** Section ranges with an "is code" bit, for telling functions from data. */
export interface SectionRange {
  readonly start: number;
  readonly end: number;
  readonly code: boolean;
}

/** Whether a section's characteristics mark it as code. */
export function isCodeSection(characteristics: number): boolean {
  return (characteristics & (IMAGE_SCN_CNT_CODE | IMAGE_SCN_MEM_EXECUTE)) !== 0;
}

/** The image's sections as ranges. */
export function imageSections(image: PeImage): SectionRange[] {
  return image.headers.sections.map((s) => ({
    start: s.virtualAddress,
    end: s.virtualAddress + Math.max(s.virtualSize, s.sizeOfRawData),
    code: isCodeSection(s.characteristics),
  }));
}

/** True/false when `rva` lies in a code/data section, undefined when outside every section. */
export function rvaIsCode(sections: readonly SectionRange[], rva: number): boolean | undefined {
  const s = sections.find((r) => rva >= r.start && rva < r.end);
  return s?.code;
}
