/**
 * Strings in target memory for `.printf %ma %mu %msa %msu` and `as /ma /mu /msa /msu`:
 * NUL-terminated ASCII/UTF-16 and counted ANSI_STRING/UNICODE_STRING structures.
 */
import { MemoryReadError } from '../errors.js';
import { readUnsigned } from '../memory/virtual-memory.js';
import type { DumpSession } from '../session/dump-session.js';

/** Longest string read from a dump, in bytes: a missing NUL must not read megabytes. */
export const MAX_STRING_BYTES = 0x10000;

const CHUNK = 256;

/** A NUL-terminated string at `address`; `wide` for UTF-16LE. Fails only when nothing is readable. */
export function readCString(session: DumpSession, address: bigint, wide: boolean): string {
  const unit = wide ? 2 : 1;
  const bytes: number[] = [];
  for (let off = 0; off < MAX_STRING_BYTES; off += CHUNK) {
    const chunk = session.target.memory.readPartial(address + BigInt(off), CHUNK);
    let done = chunk.length < CHUNK;
    for (let i = 0; i + unit <= chunk.length; i += unit) {
      const v = wide ? chunk[i]! | (chunk[i + 1]! << 8) : chunk[i]!;
      if (v === 0) {
        done = true;
        break;
      }
      bytes.push(v);
    }
    if (off === 0 && chunk.length < unit) throw new MemoryReadError(address);
    if (done) break;
  }
  return wide ? String.fromCharCode(...bytes) : bytes.map((b) => String.fromCharCode(b)).join('');
}

/** A counted string (`ANSI_STRING`/`UNICODE_STRING`): Length, MaximumLength, then Buffer. */
export function readCountedString(session: DumpSession, address: bigint, wide: boolean): string {
  const ptr = session.target.pointerSize;
  const length = readUnsigned(session.target.memory, address, 2);
  const buffer = readUnsigned(session.target.memory, address + BigInt(ptr), ptr);
  if (length === undefined || buffer === undefined) throw new MemoryReadError(address);
  const n = Math.min(Number(length), MAX_STRING_BYTES);
  const data = session.target.memory.readPartial(buffer, n);
  if (data.length < n) throw new MemoryReadError(buffer + BigInt(data.length));
  if (!wide) return Array.from(data, (b) => String.fromCharCode(b)).join('');
  const units: number[] = [];
  for (let i = 0; i + 1 < data.length; i += 2) units.push(data[i]! | (data[i + 1]! << 8));
  return String.fromCharCode(...units);
}
