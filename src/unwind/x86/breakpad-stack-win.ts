/**
 * Unwinding with Breakpad `STACK WIN` records (the PDB's FPO and FRAME_DATA, as dump_syms
 * writes them). A record gives the sizes of the function's parameters, saved registers and
 * locals, and usually a postfix program that computes the caller's $eip, $esp and $ebp.
 *
 * The procedure follows the one Breakpad's x86 walker documents:
 * - `.raSearchStart` = esp + callee's parameter bytes + locals + saved registers: where the
 *   return address should be; a 3-dword scan corrects for a quadword-aligned esp;
 * - a record without a program gets a standard one (with or without a saved ebp);
 * - a program that aligns the stack (`@`) makes esp useless, so the search starts at ebp + 4;
 * - a computed return address outside every module triggers a scan above `.raSearchStart`, and
 *   then ebp is looked for again in the saved-register area.
 */
import type { StackWinRecord } from '../../formats/breakpad/sym-records.js';
import { recordAddress, scanForReturn, stackWinAt, type BreakpadLookup } from './breakpad-lookup.js';
import { runPostfixProgram } from './postfix.js';
import type { CallerEnd, CallerProposal, X86CallerStrategy, X86Frame, X86FrameTrust, X86WalkEnv } from './x86-frame.js';

const MASK32 = 0xffffffffn;
/** STACK WIN type 0: an FPO record (as opposed to 4, FRAME_DATA). */
const FPO = 0;
/** Dwords above `.raSearchStart` examined for an aligned stack. */
const ALIGNMENT_WORDS = 3;

/** Program for FPO functions that keep a frame pointer of their own: ebp is in the saved-register area. */
const SAVED_EBP_PROGRAM = '$eip .raSearchStart ^ = $ebp $esp .cbCalleeParams + .cbSavedRegs + 8 - ^ = $esp .raSearchStart 4 + =';
/** Program for FPO functions that never touch ebp: the caller's ebp is the callee's. */
const NO_EBP_PROGRAM = '$eip .raSearchStart ^ = $esp .raSearchStart 4 + =';

const u32 = (v: bigint): bigint => v & MASK32;

function calleeParameterBytes(lookup: BreakpadLookup, frame: X86Frame): number {
  if (frame.calleeInstructionPointer === undefined) return 0;
  // The callee was frame index-1; its record is found at its own EIP, minus 1 unless it was frame 0.
  const ip = frame.calleeInstructionPointer;
  const address = frame.index <= 1 || ip === 0n ? ip : ip - 1n;
  return stackWinAt(lookup, address)?.paramSize ?? 0;
}

function variables(frame: X86Frame, rec: StackWinRecord, calleeParams: number): Map<string, bigint> {
  const vars = new Map<string, bigint>([
    ['$ebp', frame.framePointer],
    ['$esp', frame.stackPointer],
    ['.cbCalleeParams', BigInt(calleeParams)],
    ['.cbSavedRegs', BigInt(rec.savedRegsSize)],
    ['.cbLocals', BigInt(rec.localsSize)],
    ['.cbParams', BigInt(rec.paramSize)],
  ]);
  for (const r of ['ebx', 'esi', 'edi']) {
    const v = frame.context.get(r);
    if (v !== undefined) vars.set(`$${r}`, v);
  }
  return vars;
}

/** Where the return address should be, corrected for a quadword-aligned stack. */
function returnAddressSearchStart(env: X86WalkEnv, frame: X86Frame, rec: StackWinRecord, calleeParams: number): bigint {
  const computed = u32(frame.stackPointer + BigInt(calleeParams + rec.localsSize + rec.savedRegsSize));
  const found = scanForReturn(env, computed, ALIGNMENT_WORDS);
  if (!found) return computed;
  // An FPO system-call stub interrupted just after its callee returned still has the callee's
  // return address (its own EIP) on top of the stack: skip it and look again.
  if (frame.trust === 'context' && rec.type === FPO && found.location === computed && found.value === frame.instructionPointer) {
    return scanForReturn(env, computed + 4n, ALIGNMENT_WORDS)?.location ?? computed + 4n;
  }
  return found.location;
}

/**
 * Looks for the caller's ebp in the saved-register area (highest slot first) when the program's
 * value is not a readable address or frames may have been skipped.
 */
function recoverFramePointer(env: X86WalkEnv, ebp: bigint, raSearchStart: bigint, searchBytes: number, suspicious: boolean): bigint {
  if (!suspicious && env.read32(ebp) !== undefined) return ebp;
  const lowest = raSearchStart - 4n;
  for (let location = lowest + BigInt(searchBytes); location >= lowest; location -= 4n) {
    const candidate = env.read32(location);
    if (candidate === undefined) break;
    if (env.read32(candidate) !== undefined) return candidate;
  }
  return ebp;
}

/** The STACK WIN strategy over the .sym files `lookup` finds. */
export function breakpadStackWinStrategy(lookup: BreakpadLookup): X86CallerStrategy {
  return {
    name: 'stack-win',
    findCaller(callee: X86Frame, env: X86WalkEnv): CallerProposal | CallerEnd | undefined {
      const rec = stackWinAt(lookup, recordAddress(callee));
      if (!rec) return undefined;
      const calleeParams = calleeParameterBytes(lookup, callee);
      const vars = variables(callee, rec, calleeParams);
      let program = rec.programString;
      let recoverEbp = true;
      if (program === undefined) {
        program = rec.allocatesBasePointer ? SAVED_EBP_PROGRAM : NO_EBP_PROGRAM;
        recoverEbp = rec.allocatesBasePointer === true;
      }
      const raSearchStart = program.includes('@') ? u32(callee.framePointer + 4n) : returnAddressSearchStart(env, callee, rec, calleeParams);
      vars.set('.raSearchStart', raSearchStart);
      vars.set('.raSearch', raSearchStart);
      const out = runPostfixProgram(program, vars, env.read32);
      const eipOut = out?.get('$eip');
      const espOut = out?.get('$esp');
      // A program that cannot run (ebp not in the dump, say) leaves the frame to the other strategies.
      if (!out || eipOut === undefined || espOut === undefined) return undefined;
      let eip = eipOut;
      let esp = espOut;
      let ebp = out.get('$ebp') ?? callee.framePointer;
      if (eip === 0n && ebp === 0n) return { end: 'end of stack (the unwind data gives return address 0)' };
      let trust: X86FrameTrust = 'cfi';
      let offset = 0n;
      if (!env.isInModule(eip)) {
        const start = raSearchStart + 4n;
        const found = scanForReturn(env, start, env.maxScanWords);
        if (found) {
          eip = found.value;
          esp = found.location + 4n;
          offset = found.location - start;
          trust = 'scan';
        }
      }
      if (eip === 0n) return { end: 'end of stack (the unwind data gives return address 0)' };
      if (recoverEbp) {
        const skipped = trust !== 'cfi' && ebp <= raSearchStart + offset;
        ebp = recoverFramePointer(env, ebp, raSearchStart, rec.savedRegsSize + Number(offset), skipped);
      }
      const registers: Record<string, bigint> = {};
      for (const r of ['ebx', 'esi', 'edi']) {
        const v = out.get(`$${r}`);
        if (v !== undefined) registers[r] = v;
      }
      return { instructionPointer: eip, stackPointer: esp, framePointer: ebp, trust, registers };
    },
  };
}
