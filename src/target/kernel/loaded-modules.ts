import { u16le, u32le, u64le } from '../../formats/kdump/binary.js';
import type { VirtualMemory } from '../../memory/virtual-memory.js';
import { readUnsigned } from '../../memory/virtual-memory.js';

/** KLDR_DATA_TABLE_ENTRY x64 offsets used by the walk (formats.md 2.6, [2S]). */
export const KLDR_DATA_TABLE_ENTRY = {
  InLoadOrderLinks: 0x00,
  DllBase: 0x30,
  SizeOfImage: 0x40,
  FullDllName: 0x48,
  BaseDllName: 0x58,
  CheckSum: 0x78,
  /** Bytes read per entry. */
  Size: 0x80,
} as const;

/** One entry of PsLoadedModuleList as stored in memory. */
export interface LoadedModuleEntry {
  readonly entry: bigint;
  readonly base: bigint;
  readonly size: number;
  readonly fullName: string;
  readonly baseName: string;
  readonly checksum: number;
}

/** Result of a walk: the entries read and why the walk stopped early, if it did. */
export interface ModuleListWalk {
  readonly entries: readonly LoadedModuleEntry[];
  readonly warning?: string;
}

/** Default cap on list entries; real systems load a few hundred drivers. */
export const MAX_MODULE_ENTRIES = 4096;

/** UNICODE_STRING64 at `offset` of `entry`: Length in bytes (odd lengths are corrupt), Buffer at +8. */
function readUnicodeString(memory: VirtualMemory, entry: Uint8Array, offset: number): string {
  const length = u16le(entry, offset);
  const buffer = u64le(entry, offset + 8);
  if (length === 0 || length % 2 !== 0 || buffer === 0n) return '';
  const bytes = memory.readPartial(buffer, length);
  if (bytes.length < length) return '';
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('utf16le');
}

function hexAddr(v: bigint): string {
  return v.toString(16).padStart(16, '0');
}

/**
 * Walks the InLoadOrder list from `head` (a LIST_ENTRY, not an entry), at most `max` entries,
 * stopping on unreadable memory or a revisited link so a corrupt list cannot loop.
 */
export function walkLoadedModuleList(memory: VirtualMemory, head: bigint, max = MAX_MODULE_ENTRIES): ModuleListWalk {
  const entries: LoadedModuleEntry[] = [];
  const first = readUnsigned(memory, head, 8);
  if (first === undefined) return { entries, warning: `WARNING: PsLoadedModuleList head ${hexAddr(head)} is not in the dump; no kernel module list` };
  const seen = new Set<bigint>([head]);
  let link = first;
  while (link !== head) {
    if (entries.length >= max) return { entries, warning: `WARNING: PsLoadedModuleList has more than ${max} entries; stopped there` };
    if (seen.has(link)) return { entries, warning: `WARNING: PsLoadedModuleList loops back to ${hexAddr(link)}; stopped there` };
    seen.add(link);
    const e = memory.readPartial(link, KLDR_DATA_TABLE_ENTRY.Size);
    if (e.length < KLDR_DATA_TABLE_ENTRY.Size) {
      return { entries, warning: `WARNING: PsLoadedModuleList entry ${hexAddr(link)} is not in the dump; module list is incomplete` };
    }
    entries.push({
      entry: link,
      base: u64le(e, KLDR_DATA_TABLE_ENTRY.DllBase),
      size: u32le(e, KLDR_DATA_TABLE_ENTRY.SizeOfImage),
      fullName: readUnicodeString(memory, e, KLDR_DATA_TABLE_ENTRY.FullDllName),
      baseName: readUnicodeString(memory, e, KLDR_DATA_TABLE_ENTRY.BaseDllName),
      checksum: u32le(e, KLDR_DATA_TABLE_ENTRY.CheckSum),
    });
    link = u64le(e, KLDR_DATA_TABLE_ENTRY.InLoadOrderLinks);
  }
  return { entries };
}
