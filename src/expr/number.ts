/**
 * MASM numeric literals: current radix, `0x`/`0n`/`0t`/`0y` prefixes, `h` suffix, backtick
 * separators, and kernel-mode sign extension of 32-bit constants.
 */

/** All MASM arithmetic is ULONG64. */
export const MASK64 = (1n << 64n) - 1n;

/** Masks to unsigned 64 bits. */
export function u64(v: bigint): bigint {
  return v & MASK64;
}

const PREFIX_RADIX: Record<string, number> = { x: 16, n: 10, t: 8, y: 2 };

/** A parsed literal: its value and whether the text had a backtick (which disables sign extension). */
export interface MasmNumber {
  readonly value: bigint;
  readonly hasBacktick: boolean;
}

function digitValue(c: string): number {
  const code = c.charCodeAt(0);
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 97 && code <= 122) return code - 87;
  return 99;
}

/** Digits (already lower-case, backticks removed) in `radix`; undefined when any digit is invalid. */
function parseDigits(digits: string, radix: number): bigint | undefined {
  if (digits.length === 0) return undefined;
  const r = BigInt(radix);
  let v = 0n;
  for (const c of digits) {
    const d = digitValue(c);
    if (d >= radix) return undefined;
    v = v * r + BigInt(d);
  }
  // Over-long literals wrap like every other MASM result (dbgeng's overflow text is unverified).
  return u64(v);
}

/**
 * Parses `word` (letters, digits, backticks) as a whole MASM number in `radix`; undefined when it
 * is not one, so the caller can try a register or symbol next (`add` is 0xadd only at radix 16).
 */
export function parseMasmNumber(word: string, radix: number): MasmNumber | undefined {
  if (word.length === 0 || word[0] === '`') return undefined;
  const hasBacktick = word.includes('`');
  const s = word.replace(/`/g, '').toLowerCase();
  if (s.length === 0) return undefined;
  const prefixRadix = s.length >= 2 && s[0] === '0' ? PREFIX_RADIX[s[1]!] : undefined;
  if (prefixRadix !== undefined) {
    // A prefix alone reads as 0 (`0x` == 0), per the MASM numbers page.
    const rest = s.slice(2);
    const value = rest.length === 0 ? 0n : parseDigits(rest, prefixRadix);
    return value === undefined ? undefined : { value, hasBacktick };
  }
  const plain = parseDigits(s, radix);
  if (plain !== undefined) return { value: plain, hasBacktick };
  if (s.length > 1 && s.endsWith('h')) {
    const hex = parseDigits(s.slice(0, -1), 16);
    if (hex !== undefined) return { value: hex, hasBacktick };
  }
  return undefined;
}

/** Sign-extends a value in 0x80000000..0xffffffff to 64 bits; other values pass through. */
export function signExtend32(v: bigint): bigint {
  return v >= 0x80000000n && v <= 0xffffffffn ? v | 0xffffffff00000000n : v;
}

/**
 * The value a literal contributes: kernel targets sign-extend 32-bit constants unless the
 * literal was written with a backtick (`0`EEAA1122`); user mode never does (sign-extension page).
 */
export function literalValue(n: MasmNumber, signExtendConstants: boolean): bigint {
  return signExtendConstants && !n.hasBacktick ? signExtend32(n.value) : n.value;
}

/** 32-bit general registers: the sign-extension page says these extend in both modes. */
const REG32 = /^(e(ax|bx|cx|dx|si|di|bp|sp|ip)|r(8|9|1[0-5])d)$/;

/** A register's value as MASM sees it: 32-bit registers sign-extended, others unchanged. */
export function registerValue(name: string, raw: bigint): bigint {
  return REG32.test(name) ? signExtend32(u64(raw)) : u64(raw);
}
