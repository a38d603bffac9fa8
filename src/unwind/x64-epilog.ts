/**
 * Epilog detection and emulation (formats.md 6.4). Version 1 unwind info: match the
 * instructions at rip (`add rsp`/`lea rsp`, pops, then ret or a jmp out of the function) and
 * run them forward. Version 2: the UWOP_EPILOG descriptors say where the epilogs are; the pops
 * still to run are read from the PUSH_NONVOL codes.
 */
import type { VirtualMemory } from '../memory/virtual-memory.js';
import type { ImageReader } from '../formats/pe/image-reader.js';
import { UWOP, UNW_FLAG_CHAININFO, type UnwindInfo } from '../formats/pe/unwind-info.js';
import { add64, read64, RSP, type X64State } from './x64-state.js';
import { loadUnwindInfo, popMachineFrame, UNWIND_CHAIN_LIMIT, type MachineFrame } from './x64-prolog.js';
import type { FunctionEntry } from './types.js';

/** One instruction of a matched epilog. */
type EpilogStep = { kind: 'add'; imm: bigint } | { kind: 'lea'; reg: number; disp: bigint } | { kind: 'pop'; reg: number };

const s8 = (b: number): bigint => BigInt((b << 24) >> 24);
const s32 = (b: Uint8Array, o: number): bigint => BigInt(((b[o] ?? 0) | ((b[o + 1] ?? 0) << 8) | ((b[o + 2] ?? 0) << 16) | ((b[o + 3] ?? 0) << 24)) | 0);

/**
 * Matches a version-1 epilog in `code` (bytes at the frame's rip, rva `rva`). Returns the
 * steps to emulate (possibly none, at a bare `ret`), or undefined when rip is not in an epilog.
 */
export function matchEpilog(code: Uint8Array, rva: number, entry: FunctionEntry, info: UnwindInfo): EpilogStep[] | undefined {
  const at = (i: number): number => code[i] ?? -1;
  const steps: EpilogStep[] = [];
  let i = 0;
  if (at(0) === 0x48 && at(1) === 0x83 && at(2) === 0xc4) {
    steps.push({ kind: 'add', imm: s8(at(3)) });
    i = 4;
  } else if (at(0) === 0x48 && at(1) === 0x81 && at(2) === 0xc4) {
    steps.push({ kind: 'add', imm: s32(code, 3) });
    i = 7;
  } else if ((at(0) & 0xfe) === 0x48 && at(1) === 0x8d) {
    const reg = ((at(0) & 1) << 3) | (at(2) & 7);
    if (reg !== 0 && reg === info.frameRegister) {
      if ((at(2) & 0xf8) === 0x60) {
        steps.push({ kind: 'lea', reg, disp: s8(at(3)) });
        i = 4;
      } else if ((at(2) & 0xf8) === 0xa0) {
        steps.push({ kind: 'lea', reg, disp: s32(code, 3) });
        i = 7;
      }
    }
  }
  for (;;) {
    if ((at(i) & 0xf8) === 0x58) {
      steps.push({ kind: 'pop', reg: at(i) & 7 });
      i += 1;
    } else if ((at(i) & 0xf0) === 0x40 && (at(i + 1) & 0xf8) === 0x58) {
      steps.push({ kind: 'pop', reg: ((at(i) & 1) << 3) | (at(i + 1) & 7) });
      i += 2;
    } else break;
  }
  if (at(i) === 0xf2) i += 1; // REPNE prefix (MPX-era `bnd ret`/`bnd jmp`)
  const op = at(i);
  if (op === 0xc3 || op === 0xc2 || (op === 0xf3 && at(i + 1) === 0xc3)) return steps;
  if (op === 0xeb || op === 0xe9) {
    if (i + (op === 0xeb ? 2 : 5) > code.length) return undefined;
    const next = rva + i + (op === 0xeb ? 2 : 5);
    const target = next + Number(op === 0xeb ? s8(at(i + 1)) : s32(code, i + 1));
    const outside = target < entry.begin || target >= entry.end;
    // A jump to the function's own start is a recursive tail call, but only for a primary entry.
    const selfCall = target === entry.begin && (info.flags & UNW_FLAG_CHAININFO) === 0;
    return outside || selfCall ? steps : undefined;
  }
  if (op === 0xff && at(i + 1) === 0x25) return steps; // jmp [rip+disp32]: tail call through an import
  if ((op & 0xf8) === 0x48 && at(i + 1) === 0xff && (at(i + 2) & 0x38) === 0x20) return steps; // REX.W jmp r/m
  return undefined;
}

/** Runs matched epilog steps forward, then the return. */
export function emulateEpilog(state: X64State, memory: VirtualMemory, steps: readonly EpilogStep[]): void {
  for (const s of steps) {
    if (s.kind === 'add') state.gpr[RSP] = add64(state.gpr[RSP]!, s.imm);
    else if (s.kind === 'lea') state.gpr[RSP] = add64(state.gpr[s.reg]!, s.disp);
    else {
      state.gpr[s.reg] = read64(memory, state.gpr[RSP]!);
      state.gpr[RSP] = add64(state.gpr[RSP]!, 8n);
    }
  }
  state.rip = read64(memory, state.gpr[RSP]!);
  state.gpr[RSP] = add64(state.gpr[RSP]!, 8n);
}

/** Version 2: the offset of rva inside one of the described epilogs, or undefined. */
export function findV2Epilog(info: UnwindInfo, entry: FunctionEntry, rva: number): number | undefined {
  const first = info.codes[0];
  if (first?.epilog?.kind !== 'first' || first.epilog.size === 0) return undefined;
  const size = first.epilog.size;
  if (first.epilog.atEnd && rva >= entry.end - size && rva < entry.end) return rva - (entry.end - size);
  for (const c of info.codes.slice(1)) {
    if (c.epilog?.kind !== 'offset') break;
    const start = entry.end - c.epilog.offset;
    if (rva >= start && rva < start + size) return rva - start;
  }
  return undefined;
}

/**
 * Version 2 emulation: undo the pushes the epilog has not popped yet (1 byte per pop, 2 for
 * r8-r15, counted against `offsetInEpilog`), an optional pushfq slot, then return or pop the
 * machine frame.
 */
export function unwindV2Epilog(state: X64State, memory: VirtualMemory, reader: ImageReader, info: UnwindInfo, offsetInEpilog: number): MachineFrame | undefined {
  // The pushes may live in a chained parent (shrink-wrapped functions).
  let current = info;
  let first = current.codes.findIndex((c) => c.op === UWOP.PUSH_NONVOL || c.op === UWOP.PUSH_MACHFRAME);
  for (let hops = 0; first < 0 && current.chained && hops < UNWIND_CHAIN_LIMIT; hops++) {
    current = loadUnwindInfo(reader, current.chained.unwindData);
    first = current.codes.findIndex((c) => c.op === UWOP.PUSH_NONVOL || c.op === UWOP.PUSH_MACHFRAME);
  }
  let bytes = 0;
  let index = first < 0 ? current.codes.length : first;
  for (; index < current.codes.length; index++) {
    const c = current.codes[index]!;
    if (c.op !== UWOP.PUSH_NONVOL) break;
    if (bytes >= offsetInEpilog) {
      state.gpr[c.opInfo] = read64(memory, state.gpr[RSP]!);
      state.gpr[RSP] = add64(state.gpr[RSP]!, 8n);
    }
    bytes += c.opInfo >= 8 ? 2 : 1;
  }
  const next = current.codes[index];
  if (next && next.op === UWOP.ALLOC_SMALL && next.opInfo === 0) {
    if (bytes >= offsetInEpilog) state.gpr[RSP] = add64(state.gpr[RSP]!, 8n);
    index++;
  }
  const last = current.codes[index];
  if (last && last.op === UWOP.PUSH_MACHFRAME) return popMachineFrame(state, memory, false);
  state.rip = read64(memory, state.gpr[RSP]!);
  state.gpr[RSP] = add64(state.gpr[RSP]!, 8n);
  return undefined;
}
