import { FormatError } from '../../errors.js';
import type { ByteSource } from '../pdb/byte-source.js';

const CHUNK = 1 << 20;
/** Longest line accepted: generous for C++ names, small enough to bound memory on garbage input. */
export const MAX_LINE_BYTES = 1 << 20;

/**
 * Calls `visit(text, lineNumber)` for each line of `source`, reading 1 MiB at a time so a large
 * .sym file is never held whole. Lines end at `\n`; a trailing `\r` is dropped. `filter` sees
 * the raw first bytes so that uninteresting lines (line records, FILE) are skipped without
 * being decoded.
 */
export function forEachLine(
  source: ByteSource,
  visit: (text: string, line: number) => void,
  filter?: (buf: Buffer, start: number, end: number) => boolean,
): void {
  let carry: Buffer = Buffer.alloc(0);
  let line = 0;
  const emit = (buf: Buffer, start: number, end: number) => {
    line++;
    if (end > start && buf[end - 1] === 0x0d) end--;
    if (filter && !filter(buf, start, end)) return;
    visit(buf.toString('utf8', start, end), line);
  };
  for (let offset = 0; offset < source.size; offset += CHUNK) {
    const chunk = source.read(offset, Math.min(CHUNK, source.size - offset));
    const buf = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
    let start = 0;
    for (let nl = buf.indexOf(0x0a, start); nl >= 0; nl = buf.indexOf(0x0a, start)) {
      emit(buf, start, nl);
      start = nl + 1;
    }
    carry = buf.subarray(start);
    if (carry.length > MAX_LINE_BYTES) {
      throw new FormatError('breakpad', `line ${line + 1} is longer than ${MAX_LINE_BYTES} bytes`);
    }
  }
  if (carry.length > 0) emit(carry, 0, carry.length);
}

/** True when the bytes at `start` spell `prefix` (ASCII). */
export function startsWithAscii(buf: Buffer, start: number, end: number, prefix: string): boolean {
  if (end - start < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (buf[start + i] !== prefix.charCodeAt(i)) return false;
  return true;
}
