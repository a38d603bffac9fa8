/**
 * The mutable register file the x64 unwind steps work on: the 16 general registers in
 * UNWIND_CODE order (rsp is index 4) plus rip, converted to and from RegisterContext.
 */
import { MemoryReadError } from '../errors.js';
import { readUnsigned, type VirtualMemory } from '../memory/virtual-memory.js';
import { UNWIND_REGISTERS } from '../formats/pe/unwind-info.js';
import { RegisterContext } from '../target/registers.js';

/** Registers being unwound. */
export interface X64State {
  /** rax..r15 in UNWIND_CODE register-number order. */
  readonly gpr: bigint[];
  rip: bigint;
  /** Other registers to overwrite in the caller's context (cs, efl, ss from a machine frame). */
  readonly extra: Record<string, bigint>;
}

/** Index of rsp in X64State.gpr. */
export const RSP = 4;

const MASK64 = (1n << 64n) - 1n;

/** Copies a context into a fresh state. */
export function stateFromContext(ctx: RegisterContext): X64State {
  return { gpr: UNWIND_REGISTERS.map((r) => ctx.get(r) ?? 0n), rip: ctx.ip, extra: {} };
}

/** The caller's context: `base` with the unwound registers replaced, tagged as a frame context. */
export function contextFromState(base: RegisterContext, s: X64State): RegisterContext {
  const values: Record<string, bigint> = Object.fromEntries(base.entries());
  UNWIND_REGISTERS.forEach((r, i) => (values[r] = s.gpr[i]! & MASK64));
  values['rip'] = s.rip & MASK64;
  for (const [k, v] of Object.entries(s.extra)) values[k] = v;
  return new RegisterContext('x64', values, 'frame');
}

/** Reads a u64 of target memory or throws MemoryReadError at the address. */
export function read64(memory: VirtualMemory, address: bigint): bigint {
  const v = readUnsigned(memory, address & MASK64, 8);
  if (v === undefined) throw new MemoryReadError(address & MASK64);
  return v;
}

/** Adds with 64-bit wrap-around. */
export function add64(a: bigint, b: bigint): bigint {
  return (a + b) & MASK64;
}
