import type { VirtualMemory } from '../memory/virtual-memory.js';
import { readPointer, readU16 } from './kernel-view.js';

/**
 * A counted string structure: STRING/ANSI_STRING (8-bit) or UNICODE_STRING (UTF-16), laid out as
 * { USHORT Length; USHORT MaximumLength; PCHAR/PWSTR Buffer } (ntdef.h). On x64 the Buffer
 * pointer sits at +0x8 after 4 bytes of padding; on x86 at +0x4. Length is in bytes and does not
 * count a terminating NUL, which the structure need not have.
 */
export interface CountedString {
  /** Address of the structure itself. */
  readonly address: bigint;
  /** Length in bytes (not characters). */
  readonly length: number;
  readonly maximumLength: number;
  readonly buffer: bigint;
  /** The Length bytes of Buffer decoded, or undefined when the buffer is not in the dump. */
  readonly text?: string;
}

/** Offset of Buffer inside the structure for a pointer size. */
export function countedStringBufferOffset(pointerSize: 4 | 8): number {
  return pointerSize;
}

/**
 * Reads the counted string structure at `address`; undefined when the header is unreadable.
 * `wide` selects UNICODE_STRING. Characters are decoded as-is (UTF-16 code units, or one byte per
 * character for ANSI), never past Length, so a missing terminator cannot run the read on.
 */
export function readCountedString(memory: VirtualMemory, address: bigint, wide: boolean, pointerSize: 4 | 8): CountedString | undefined {
  const length = readU16(memory, address);
  const maximumLength = readU16(memory, address + 2n);
  const bufferAt = address + BigInt(countedStringBufferOffset(pointerSize));
  const buffer = pointerSize === 8 ? readPointer(memory, bufferAt) : readU32Pointer(memory, bufferAt);
  if (length === undefined || maximumLength === undefined || buffer === undefined) return undefined;
  const base = { address, length, maximumLength, buffer };
  // Length is a USHORT, so the read is at most 64 KB whatever the dump holds.
  const bytes = length === 0 ? new Uint8Array(0) : memory.readPartial(buffer, length);
  if (bytes.length < length) return base;
  return { ...base, text: decode(bytes, wide) };
}

function readU32Pointer(memory: VirtualMemory, address: bigint): bigint | undefined {
  const b = memory.readPartial(address, 4);
  if (b.length < 4) return undefined;
  return BigInt((b[0]! | (b[1]! << 8) | (b[2]! << 16) | (b[3]! << 24)) >>> 0);
}

function decode(bytes: Uint8Array, wide: boolean): string {
  let s = '';
  if (wide) {
    // An odd Length leaves a stray byte; WinDbg shows whole characters only.
    for (let i = 0; i + 1 < bytes.length; i += 2) s += String.fromCharCode(bytes[i]! | (bytes[i + 1]! << 8));
    return s;
  }
  for (const b of bytes) s += String.fromCharCode(b);
  return s;
}
