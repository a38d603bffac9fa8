import type { MemoryBlock } from '../memory/virtual-memory.js';
import type { EncodedUnwind } from './unwind-encoding.js';

/** A function ready for `.pdata`: rvas plus its encoded unwind info. */
export interface SynthFunction {
  readonly begin: number;
  readonly end: number;
  readonly unwind: EncodedUnwind;
  /** Begin rva of the parent function for chained unwind info. */
  readonly chainTo?: number;
}

const E_LFANEW = 0x80;
const OPTIONAL_HEADER_SIZE = 0xf0;
/** Where the synthesized `.pdata` and UNWIND_INFO start inside the header page. */
export const UNWIND_DATA_RVA = 0x200;

/**
 * Builds the bytes a loaded x64 image would have at its base: DOS and PE32+ headers whose
 * exception directory points at a `.pdata` table and UNWIND_INFO records laid out after them.
 * This is what the generic unwinder reads, exactly as it reads real modules.
 */
export function synthesizeImageHeader(imageSize: number, timestamp: number, checksum: number, functions: readonly SynthFunction[]): Uint8Array {
  const sorted = [...functions].sort((a, b) => a.begin - b.begin);
  const pdataRva = UNWIND_DATA_RVA;
  let cursor = pdataRva + sorted.length * 12;
  const infoRva = new Map<SynthFunction, number>();
  for (const f of sorted) {
    cursor = (cursor + 3) & ~3;
    infoRva.set(f, cursor);
    const slots = f.unwind.slots.length + (f.unwind.slots.length % 2);
    cursor += 4 + slots * 2 + (f.chainTo !== undefined ? 12 : 0);
  }
  const bytes = new Uint8Array(Math.max(0x1000, (cursor + 0xfff) & ~0xfff));
  const dv = new DataView(bytes.buffer);
  bytes[0] = 0x4d; // 'MZ'
  bytes[1] = 0x5a;
  dv.setUint32(0x3c, E_LFANEW, true);
  dv.setUint32(E_LFANEW, 0x00004550, true); // 'PE\0\0'
  const fh = E_LFANEW + 4;
  dv.setUint16(fh, 0x8664, true); // Machine: AMD64
  dv.setUint16(fh + 2, 1, true); // NumberOfSections
  dv.setUint32(fh + 4, timestamp, true);
  dv.setUint16(fh + 16, OPTIONAL_HEADER_SIZE, true);
  dv.setUint16(fh + 18, 0x22, true); // EXECUTABLE_IMAGE | LARGE_ADDRESS_AWARE
  const oh = fh + 20;
  dv.setUint16(oh, 0x20b, true); // PE32+
  dv.setUint32(oh + 32, 0x1000, true); // SectionAlignment
  dv.setUint32(oh + 36, 0x200, true); // FileAlignment
  dv.setUint32(oh + 56, imageSize, true); // SizeOfImage
  dv.setUint32(oh + 60, 0x1000, true); // SizeOfHeaders
  dv.setUint32(oh + 64, checksum, true);
  dv.setUint32(oh + 108, 16, true); // NumberOfRvaAndSizes
  dv.setUint32(oh + 112 + 3 * 8, pdataRva, true); // exception directory
  dv.setUint32(oh + 112 + 3 * 8 + 4, sorted.length * 12, true);
  const sh = oh + OPTIONAL_HEADER_SIZE;
  bytes.set([0x2e, 0x74, 0x65, 0x78, 0x74], sh); // ".text"
  dv.setUint32(sh + 8, imageSize - 0x1000, true); // VirtualSize
  dv.setUint32(sh + 12, 0x1000, true); // VirtualAddress
  dv.setUint32(sh + 36, 0x60000020, true); // code | execute | read
  const byBegin = new Map(sorted.map((f) => [f.begin, f]));
  sorted.forEach((f, i) => {
    const at = pdataRva + i * 12;
    dv.setUint32(at, f.begin, true);
    dv.setUint32(at + 4, f.end, true);
    dv.setUint32(at + 8, infoRva.get(f)!, true);
    const u = infoRva.get(f)!;
    const chained = f.chainTo !== undefined;
    bytes[u] = 1 | ((chained ? 4 : 0) << 3); // Version 1, UNW_FLAG_CHAININFO
    bytes[u + 1] = f.unwind.prologSize;
    bytes[u + 2] = f.unwind.slots.length;
    bytes[u + 3] = f.unwind.frameRegister | (f.unwind.frameOffset << 4);
    f.unwind.slots.forEach((s, k) => dv.setUint16(u + 4 + k * 2, s, true));
    if (chained) {
      const parent = byBegin.get(f.chainTo!)!;
      const c = u + 4 + (f.unwind.slots.length + (f.unwind.slots.length % 2)) * 2;
      dv.setUint32(c, parent.begin, true);
      dv.setUint32(c + 4, parent.end, true);
      dv.setUint32(c + 8, infoRva.get(parent)!, true);
    }
  });
  return bytes;
}

/** The header as a memory block at the module base. */
export function imageHeaderBlock(base: bigint, header: Uint8Array): MemoryBlock {
  return { base, bytes: header };
}
