import { u32le } from './binary.js';
import { decodeX64Context } from '../../target/context-records.js';

/** Size of an x64 CONTEXT record (formats.md 3.1). */
export const CONTEXT_X64_SIZE = 0x4d0;

/** CONTEXT field offsets, Windows spelling (formats.md 3.1, [2S][F]). */
export const CONTEXT_X64 = {
  ContextFlags: 0x30,
  MxCsr: 0x34,
  SegCs: 0x38,
  SegDs: 0x3a,
  SegEs: 0x3c,
  SegFs: 0x3e,
  SegGs: 0x40,
  SegSs: 0x42,
  EFlags: 0x44,
  Rax: 0x78,
  Rip: 0xf8,
} as const;

/** General registers in CONTEXT order from Rax (0x78) to R15 (0xF0), 8 bytes apart. */
const GPRS = ['rax', 'rcx', 'rdx', 'rbx', 'rsp', 'rbp', 'rsi', 'rdi', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15'] as const;

/** A decoded CONTEXT: register values by crashkd's register names (`rax`, `efl`, `cs`), and its flags. */
export interface DecodedContext {
  readonly values: Readonly<Record<string, bigint>>;
  readonly contextFlags: number;
  /** True when every integer register, rip, rsp and efl is zero (an unsaved context). */
  readonly isZero: boolean;
}

/** Decodes an x64 CONTEXT that starts at `offset` of `bytes` (needs 0x100 bytes for the integer part). */
export function decodeContextX64(bytes: Uint8Array, offset = 0): DecodedContext {
  const values = Object.fromEntries(decodeX64Context(bytes, 'processor', offset).entries());
  let any = values['rip']! | values['efl']!;
  for (const name of GPRS) any |= values[name]!;
  return {
    values,
    contextFlags: u32le(bytes, offset + CONTEXT_X64.ContextFlags),
    isZero: any === 0n,
  };
}
