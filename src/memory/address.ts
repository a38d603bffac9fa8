/** Formatting of addresses and numbers in WinDbg's styles. All values are bigint. */

const MASK64 = (1n << 64n) - 1n;

/** Reduce any bigint to its unsigned 64-bit value. */
export function u64(value: bigint): bigint {
  return value & MASK64;
}

/** Lowercase hex padded to `digits`. */
export function hex(value: bigint, digits: number): string {
  return u64(value).toString(16).padStart(digits, '0');
}

/** `fffff880`06e53328` on 64-bit targets, `8013ed5c` on 32-bit ones. */
export function formatPointer(value: bigint, pointerSize: 4 | 8): string {
  if (pointerSize === 4) return hex(value & 0xffffffffn, 8);
  const h = hex(value, 16);
  return `${h.slice(0, 8)}\`${h.slice(8)}`;
}

/** 16 hex digits without a backtick, as registers print (`rip=fffff80003aab937`). */
export function formatRegister64(value: bigint): string {
  return hex(value, 16);
}

/** Minimal hex without leading zeros (`101`, `fffff88003165180`). */
export function minimalHex(value: bigint): string {
  return u64(value).toString(16);
}

/**
 * A raw code address outside every module, as `k` prints it: `0x7799161a` when it fits
 * in 32 bits, `0xfffffa80`3c393a00` otherwise.
 */
export function formatRawAddress(value: bigint, pointerSize: 4 | 8): string {
  const v = u64(value);
  if (pointerSize === 4 || v <= 0xffffffffn) return `0x${v.toString(16)}`;
  return `0x${formatPointer(v, 8)}`;
}

/** Two's complement signed interpretation of a 64-bit value. */
export function signed64(value: bigint): bigint {
  return BigInt.asIntN(64, value);
}
