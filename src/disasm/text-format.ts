/** Small string builders for disassembly lines; built for speed since `u` output can be huge. */
import { formatPointer } from '../memory/address.js';

const HEX_BYTE: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const SPACES: readonly string[] = Array.from({ length: 17 }, (_, i) => ' '.repeat(i));

/** Lowercase hex of every byte, no separators (`8b8380200000`). */
export function hexBytes(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += HEX_BYTE[bytes[i]!]!;
  return s;
}

/** `s` left-justified in `width` columns (never truncated). */
export function padRight(s: string, width: number): string {
  const n = width - s.length;
  return n <= 0 ? s : n < SPACES.length ? s + SPACES[n]! : s + ' '.repeat(n);
}

/** A mnemonic as WinDbg prints it before operands: `%-7s ` (`jne     `, `lock cmpxchg `). */
export function mnemonicColumn(mnemonic: string): string {
  return padRight(mnemonic, 7) + ' ';
}

const ZEROS: readonly string[] = Array.from({ length: 17 }, (_, i) => '0'.repeat(i));
const MAX_U64 = 0xffffffffffffffffn;

/**
 * Same output as formatPointer (`fffff800`03aab937` / `83e3be04`), without its masking
 * BigInt operations: this runs once or twice per listed instruction.
 */
export function fastPointer(address: bigint, pointerSize: 4 | 8): string {
  if (address < 0n || address > MAX_U64) return formatPointer(address, pointerSize);
  if (pointerSize === 4) {
    const low = address > 0xffffffffn ? address & 0xffffffffn : address;
    const h = low.toString(16);
    return h.length < 8 ? ZEROS[8 - h.length]! + h : h;
  }
  let h = address.toString(16);
  if (h.length < 16) h = ZEROS[16 - h.length]! + h;
  return `${h.slice(0, 8)}\`${h.slice(8)}`;
}

/** An address inside operand text: `fffff800`03aab937` on x64, `83e3be04` on x86. */
export function operandAddress(address: bigint, bitness: 32 | 64): string {
  return fastPointer(address, bitness === 64 ? 8 : 4);
}

/** `nt!Foo+0x17 (fffff800`03aab017)` or the bare address when there is no symbol. */
export function symbolicAddress(address: bigint, symbol: string | undefined, bitness: 32 | 64): string {
  const a = operandAddress(address, bitness);
  return symbol === undefined ? a : `${symbol} (${a})`;
}

/** A number the way iced's MASM formatter prints it: `8`, `2080h`, `0C0h`, `0FFFFF800h`. */
export function masmHex(value: bigint): string {
  if (value < 10n) return value.toString();
  const h = value.toString(16).toUpperCase();
  const c = h.charCodeAt(0);
  return c >= 65 ? `0${h}h` : `${h}h`;
}

/**
 * WinDbg pads the mnemonic only while the bytes column fits (8 bytes or fewer); longer
 * instructions push the mnemonic right and it is followed by a single space.
 */
export function unpadMnemonic(text: string): string {
  if (text.length <= 8 || text.charCodeAt(7) !== 32) return text;
  const head = text.slice(0, 7).trimEnd();
  return head.length === 7 ? text : `${head} ${text.slice(8)}`;
}
