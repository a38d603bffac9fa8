/**
 * Everything the MASM evaluator needs from the outside world. DumpSession implements it;
 * tests use a small fake. The evaluator never touches targets or files directly.
 */
export interface EvalEnv {
  /** Default radix for unprefixed numbers: 8, 10 or 16. */
  readonly radix: number;
  /** Kernel targets sign-extend 32-bit constants 0x80000000..0xffffffff (unless written with a backtick). */
  readonly signExtendConstants: boolean;
  /** 4 or 8: size read by `poi`. */
  readonly pointerSize: 4 | 8;
  /** A CPU register or sub-register (`rax`, `eax`, `al`, `zf`); undefined when not a register name. */
  register(name: string): bigint | undefined;
  /** A pseudo-register by name with its `$` (`$ip`, `$t0`); undefined when unknown or unavailable. */
  pseudoRegister(name: string): bigint | undefined;
  /**
   * A symbol: `nt!KeBugCheckEx`, `KeBugCheckEx`, `nt` (module base), `nt! ?? ::FNODOBFM::`string'`.
   * Returns the address, undefined when not found, or 'ambiguous' when several match.
   */
  symbol(name: string): bigint | undefined | 'ambiguous';
  /** Little-endian read of 1, 2, 4 or 8 bytes; undefined when unreadable. */
  readMemory(address: bigint, size: 1 | 2 | 4 | 8): bigint | undefined;
}
