import { findBugCheck, type Param } from '../analysis/bugchecks/index.js';

/** Lowest kernel-mode address of x64 Windows: a bug-check parameter this high may be a pointer. */
const KERNEL_SPACE = 0xffff800000000000n;
/** Sign-extended 32-bit values (NTSTATUS codes, -1) sit here; they are not pointers. */
const SIGN_EXTENDED_32 = 0xffffffff80000000n;

const textOf = (p: Param | undefined): string => (p === undefined ? '' : typeof p === 'string' ? p : p.text);
const isEnumerated = (p: Param | undefined): boolean => typeof p === 'object' && (p.values !== undefined || p.flags !== undefined);

/**
 * Parameter meanings that are not pointers to scenario structures: codes and enumerations, and
 * the address a faulting access referenced (0x0A, 0x50, 0xD1 Arg1; 0x1E Arg4), which by the
 * nature of those bug checks need not be readable.
 */
function notAPointer(p: Param | undefined): boolean {
  if (isEnumerated(p)) return true;
  const text = textOf(p);
  if (/exception code|ntstatus|status code/i.test(text)) return true;
  return /referenced|could not be accessed|address accessed/i.test(text) && !/instruction/i.test(text);
}

/**
 * Indices (0-3) of the bug-check parameters that look like kernel pointers and, by what the
 * bug-check reference says they mean, should point at something in the scenario.
 */
export function pointerParameters(code: bigint, parameters: readonly bigint[]): number[] {
  const entry = findBugCheck(code);
  const p1 = parameters[0] ?? 0n;
  const subtype = entry?.subtypes?.find((s) => BigInt(s.value) === p1);
  const meanings: (Param | undefined)[] = entry ? [entry.params[0], ...(subtype?.params ?? entry.params.slice(1))] : [];
  const out: number[] = [];
  parameters.forEach((v, i) => {
    if (v < KERNEL_SPACE || v >= SIGN_EXTENDED_32) return;
    if (notAPointer(meanings[i])) return;
    out.push(i);
  });
  return out;
}
