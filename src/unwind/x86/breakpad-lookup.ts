/**
 * How the x86 walker finds Breakpad unwind data: a lookup from a code address to the .sym file
 * of the module holding it. The symbol layer supplies the lookup (it knows the symbol path);
 * the unwinder only reads records.
 */
import type { BreakpadSymFile } from '../../formats/breakpad/sym-file.js';
import type { StackWinRecord } from '../../formats/breakpad/sym-records.js';
import type { X86Frame, X86WalkEnv } from './x86-frame.js';
import { followsCall } from './stack-scan.js';

/** The .sym file covering a code address, with the base of its module. */
export type BreakpadLookup = (pc: bigint) => { readonly sym: BreakpadSymFile; readonly moduleBase: bigint } | undefined;

const MAX_RVA = 0xffffffffn;

/**
 * The address whose unwind record describes `frame`: its EIP for the context frame, EIP - 1 for
 * callers, because a return address can be the first byte after the function that called.
 */
export function recordAddress(frame: X86Frame): bigint {
  return frame.trust === 'context' || frame.instructionPointer === 0n ? frame.instructionPointer : frame.instructionPointer - 1n;
}

/** `address` as an RVA inside the module `lookup` finds for it, with that module's .sym. */
export function symAt(lookup: BreakpadLookup, address: bigint): { sym: BreakpadSymFile; rva: number } | undefined {
  const hit = lookup(address);
  if (!hit || address < hit.moduleBase || address - hit.moduleBase > MAX_RVA) return undefined;
  return { sym: hit.sym, rva: Number(address - hit.moduleBase) };
}

/** The STACK WIN record covering `address`, if its module has a .sym with one. */
export function stackWinAt(lookup: BreakpadLookup, address: bigint): StackWinRecord | undefined {
  const at = symAt(lookup, address);
  return at?.sym.stackWinAt(at.rva);
}

/** A dword that could be a return address: inside a module and, when the code is present, after a CALL. */
export function plausibleReturn(env: X86WalkEnv, value: bigint): boolean {
  return value !== 0n && env.isInModule(value) && followsCall(env, value);
}

/** The first plausible return address in `words` dwords from `start`, with where it was found. */
export function scanForReturn(env: X86WalkEnv, start: bigint, words: number): { location: bigint; value: bigint } | undefined {
  for (let i = 0; i < words; i++) {
    const location = start + BigInt(i * 4);
    const value = env.read32(location);
    if (value === undefined) return undefined;
    if (plausibleReturn(env, value)) return { location, value };
  }
  return undefined;
}
