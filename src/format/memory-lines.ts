import { formatPointer, hex } from '../memory/address.js';
import { leUnsigned, type VirtualMemory } from '../memory/virtual-memory.js';

/** The d* display kinds. */
export type DisplayKind = 'b' | 'w' | 'd' | 'c' | 'q' | 'p' | 'a' | 'u' | 'ps' | 'ds' | 'qs';

/** Bytes per unit of a display kind on a target. */
export function unitSize(kind: DisplayKind, pointerSize: 4 | 8): number {
  switch (kind) {
    case 'b':
    case 'a':
      return 1;
    case 'w':
    case 'u':
      return 2;
    case 'd':
    case 'c':
    case 'ds':
      return 4;
    case 'q':
    case 'qs':
      return 8;
    case 'p':
    case 'ps':
      return pointerSize;
  }
}

/** Default element count when no `L` or end is given (128 bytes' worth; strings up to NUL). */
export function defaultCount(kind: DisplayKind, pointerSize: 4 | 8): number {
  if (kind === 'a' || kind === 'u') return 0x1000;
  return 128 / unitSize(kind, pointerSize);
}

function perLine(kind: DisplayKind, pointerSize: 4 | 8): number {
  if (kind === 'ps' || kind === 'ds' || kind === 'qs') return 1;
  return 16 / unitSize(kind, pointerSize);
}

const printable = (b: number) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.');

/** One unit's text: hex of its size, `?` characters when unreadable. */
function unitText(bytes: Uint8Array, off: number, size: number, readable: boolean, pointerSize: 4 | 8): string {
  if (size === 8 && pointerSize === 8) {
    if (!readable) return '????????`????????';
    return formatPointer(leUnsigned(bytes, off, 8), 8);
  }
  if (!readable) return '?'.repeat(size * 2);
  return hex(leUnsigned(bytes, off, size), size * 2);
}

/** A value to symbolize in dps-style output; the caller decides text and messages. */
export type ValueSymbolizer = (value: bigint) => { text?: string; message?: string };

/**
 * Lines of a numeric d* display over `count` units from `start`. Unreadable units print as
 * question marks sized to the unit, keeping every column where WinDbg keeps it.
 */
export function memoryLines(
  memory: VirtualMemory,
  start: bigint,
  count: number,
  kind: DisplayKind,
  pointerSize: 4 | 8,
  symbolize: ValueSymbolizer,
): { lines: string[]; last?: bigint } {
  const size = unitSize(kind, pointerSize);
  const per = perLine(kind, pointerSize);
  const lines: string[] = [];
  let last: bigint | undefined;
  for (let i = 0; i < count; i += per) {
    const n = Math.min(per, count - i);
    const at = start + BigInt(i * size);
    const bytes = memory.readPartial(at, n * size);
    const units: string[] = [];
    for (let k = 0; k < n; k++) {
      const ok = (k + 1) * size <= bytes.length;
      units.push(unitText(bytes, k * size, size, ok, pointerSize));
      if (ok) last = leUnsigned(bytes, k * size, size);
    }
    const addr = formatPointer(at, pointerSize);
    if (kind === 'ps' || kind === 'ds' || kind === 'qs') {
      const readable = bytes.length >= size;
      let line = `${addr}  ${units[0]}`;
      if (readable) {
        const s = symbolize(leUnsigned(bytes, 0, size));
        if (s.message) line += `${s.message}\n `;
        else if (s.text) line += ' ';
        if (s.text) line += s.text;
      }
      lines.push(line);
      continue;
    }
    if (kind === 'b') {
      const hexes = units.map((u, k) => (k === 8 ? `-${u}` : k === 0 ? u : ` ${u}`)).join('');
      const ascii = Array.from({ length: n }, (_, k) => (k < bytes.length ? printable(bytes[k]!) : '?')).join('');
      lines.push(`${addr}  ${hexes.padEnd(47)}  ${ascii}`);
      continue;
    }
    let line = `${addr}  ${units.join(' ')}`;
    if (kind === 'c') {
      const ascii = Array.from({ length: n * size }, (_, k) => (k < bytes.length ? printable(bytes[k]!) : '?')).join('');
      line = `${line.padEnd(addr.length + 2 + 35)}  ${ascii}`;
    }
    lines.push(line);
  }
  return last === undefined ? { lines } : { lines, last };
}

/** `da`/`du` lines: `addr  "text"`, 48 characters per line, up to NUL or `count` characters. */
export function stringLines(memory: VirtualMemory, start: bigint, count: number, wide: boolean, pointerSize: 4 | 8): string[] {
  const size = wide ? 2 : 1;
  const bytes = memory.readPartial(start, count * size);
  const chars: string[] = [];
  let terminated = false;
  for (let i = 0; i + size <= bytes.length; i += size) {
    const c = wide ? bytes[i]! | (bytes[i + 1]! << 8) : bytes[i]!;
    if (c === 0) {
      terminated = true;
      break;
    }
    chars.push(c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : wide ? String.fromCharCode(c) : '.');
  }
  if (bytes.length < size) return [`${formatPointer(start, pointerSize)}  ${'?'.repeat(size * 2)}`];
  const lines: string[] = [];
  for (let i = 0; i < Math.max(1, chars.length); i += 48) {
    const piece = chars.slice(i, i + 48).join('');
    const at = start + BigInt(i * size);
    const close = i + 48 >= chars.length && (terminated || chars.length % 48 !== 0) ? '"' : '"';
    lines.push(`${formatPointer(at, pointerSize)}  "${piece}${close}`);
  }
  return lines;
}
