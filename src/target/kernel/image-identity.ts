import { u16le, u32le } from '../../formats/kdump/binary.js';
import type { VirtualMemory } from '../../memory/virtual-memory.js';
import { readUnsigned } from '../../memory/virtual-memory.js';
import type { CodeViewInfo } from '../module-info.js';

/** What a mapped image's headers say about itself (formats.md 5.1, 5.4). */
export interface ImageIdentity {
  readonly timestamp?: number;
  readonly checksum?: number;
  readonly codeView?: CodeViewInfo;
}

const RSDS = 0x53445352;
const NB10 = 0x3031424e;
const CODEVIEW = 2;
/** Debug directories with more entries than this are corrupt; real images have fewer than 10. */
const MAX_DEBUG_ENTRIES = 32;

function hex(v: number, digits: number): string {
  return v.toString(16).toUpperCase().padStart(digits, '0');
}

/** Reads a NUL-terminated ASCII name of at most 260 bytes. */
function readName(memory: VirtualMemory, address: bigint): string {
  const bytes = memory.readPartial(address, 260);
  const end = bytes.indexOf(0);
  return Buffer.from(bytes.buffer, bytes.byteOffset, end < 0 ? bytes.length : end).toString('latin1');
}

function readCodeView(memory: VirtualMemory, address: bigint): CodeViewInfo | undefined {
  const head = memory.readPartial(address, 0x18);
  if (head.length < 0x10) return undefined;
  const sig = u32le(head, 0);
  if (sig === RSDS && head.length >= 0x18) {
    let guid = hex(u32le(head, 4), 8) + hex(u16le(head, 8), 4) + hex(u16le(head, 10), 4);
    for (let i = 12; i < 20; i++) guid += hex(head[i]!, 2);
    return { guid, age: u32le(head, 0x14), pdbName: readName(memory, address + 0x18n) };
  }
  if (sig === NB10) return { guid: hex(u32le(head, 8), 8), age: u32le(head, 12), pdbName: readName(memory, address + 0x10n) };
  return undefined;
}

/**
 * Timestamp, checksum and CodeView record from the PE headers mapped at `base`, each only when
 * its page is in the dump. `size` bounds every RVA so corrupt headers cannot send reads elsewhere.
 */
export function readImageIdentity(memory: VirtualMemory, base: bigint, size: number): ImageIdentity {
  const dos = memory.readPartial(base, 0x40);
  if (dos.length < 0x40 || u16le(dos, 0) !== 0x5a4d) return {};
  const lfanew = u32le(dos, 0x3c);
  if (lfanew === 0 || lfanew > Math.min(size, 0x10000)) return {};
  const nt = memory.readPartial(base + BigInt(lfanew), 0x18 + 0xb0);
  if (nt.length < 0x18 || u32le(nt, 0) !== 0x00004550) return {};
  const timestamp = u32le(nt, 8);
  if (nt.length < 0x18 + 0xb0 || u16le(nt, 0x18) !== 0x20b) return { timestamp };
  const opt = 0x18;
  const checksum = u32le(nt, opt + 0x40);
  const dirCount = u32le(nt, opt + 0x6c);
  if (dirCount <= 6) return { timestamp, checksum };
  const debugRva = u32le(nt, opt + 0x70 + 6 * 8);
  const debugSize = u32le(nt, opt + 0x70 + 6 * 8 + 4);
  if (debugRva === 0 || debugRva + debugSize > size) return { timestamp, checksum };
  const entries = Math.min(MAX_DEBUG_ENTRIES, Math.floor(debugSize / 28));
  for (let i = 0; i < entries; i++) {
    const at = base + BigInt(debugRva + i * 28);
    if (readUnsigned(memory, at + 0x0cn, 4) !== BigInt(CODEVIEW)) continue;
    const rva = Number(readUnsigned(memory, at + 0x14n, 4) ?? 0n);
    if (rva === 0 || rva >= size) continue;
    const codeView = readCodeView(memory, base + BigInt(rva));
    if (codeView) return { timestamp, checksum, codeView };
  }
  return { timestamp, checksum };
}
