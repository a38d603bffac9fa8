/**
 * Thread CONTEXT records: x64 (formats.md 3.1, 0x4D0 bytes) and x86 (3.3, 0x2CC bytes), each
 * optionally followed by a CONTEXT_EX / XSTATE tail. Only the integer, control and segment registers
 * become a RegisterContext; the rest is kept as raw facts for later commands.
 */
import type { Arch, ContextSource } from '../../target/registers.js';
import { RegisterContext } from '../../target/registers.js';
import { CONTEXT_AMD64, CONTEXT_X86, CONTEXT_XSTATE_BIT } from './constants.js';
import { decodeX64Context } from '../../target/context-records.js';
import { i32, u32, u64 } from './le.js';

/** Shortest x64 CONTEXT that still holds Rip (0xF8). */
const X64_MIN = 0x100;
/** Shortest x86 CONTEXT that still holds SegSs (0xC8). */
const X86_MIN = 0xcc;
/** sizeof(CONTEXT) on x64 and x86; CONTEXT_EX follows it when XSTATE is present. */
const X64_CONTEXT_SIZE = 0x4d0;
const X86_CONTEXT_SIZE = 0x2cc;
/** sizeof(XSAVE_AREA_HEADER). */
const XSAVE_HEADER_SIZE = 64;
/** XSTATE_CET_U feature bit. */
const XSTATE_CET_U = 11;
/** Compacted-format sizes of the user features that may precede CET_U (Intel SDM 13.4, CPUID 0xD). */
const XSTATE_FEATURE_SIZES: Readonly<Record<number, number>> = { 2: 256, 3: 64, 4: 64, 5: 64, 6: 512, 7: 1024 };

/** User-mode CET state (XSTATE_CET_U): the U_CET MSR and the shadow-stack pointer. */
export interface CetUserState {
  readonly cetUMsr: bigint;
  readonly ssp: bigint;
}

/** What the XSAVE area header says, and CET_U when it could be located. */
export interface XStateInfo {
  readonly mask: bigint;
  readonly compactionMask: bigint;
  readonly cetU?: CetUserState;
}

/** A decoded CONTEXT record. */
export interface DecodedContext {
  readonly context: RegisterContext;
  readonly contextFlags: number;
  /** Dr0-Dr3, Dr6, Dr7. */
  readonly debugRegisters: readonly bigint[];
  readonly mxcsr?: number;
  readonly xstate?: XStateInfo;
}

/** Decodes a CONTEXT for `arch`, or returns a reason string when the bytes cannot be one. */
export function decodeContext(arch: Arch, bytes: Uint8Array, source: ContextSource): DecodedContext | string {
  return arch === 'x64' ? decodeX64(bytes, source) : decodeX86(bytes, source);
}

/** Architecture a CONTEXT's flags claim, if they claim one. */
export function contextFlagsArch(bytes: Uint8Array): Arch | undefined {
  if (bytes.length >= 0x34) {
    const f64 = u32(bytes, 0x30);
    if ((f64 & 0xffff0000) === CONTEXT_AMD64) return 'x64';
  }
  if (bytes.length >= 4) {
    const f32 = u32(bytes, 0);
    if ((f32 & 0xffff0000) === CONTEXT_X86) return 'x86';
  }
  return undefined;
}

function decodeX64(b: Uint8Array, source: ContextSource): DecodedContext | string {
  if (b.length < X64_MIN) return `x64 CONTEXT is ${b.length} bytes, too short to hold Rip`;
  const contextFlags = u32(b, 0x30);
  const context = decodeX64Context(b, source);
  const debugRegisters = [0x48, 0x50, 0x58, 0x60, 0x68, 0x70].map((o) => u64(b, o));
  const xstate = (contextFlags & CONTEXT_XSTATE_BIT) !== 0 ? decodeXState(b, X64_CONTEXT_SIZE) : undefined;
  return { context, contextFlags, debugRegisters, mxcsr: u32(b, 0x34), ...(xstate ? { xstate } : {}) };
}

/**
 * CONTEXT_EX sits right after the CONTEXT (0x4D0 bytes on x64, 0x2CC on x86): three
 * CONTEXT_CHUNKs {Offset i32, Length u32} (All, Legacy, XState), offsets relative to
 * CONTEXT_EX itself. The XState chunk starts with XSAVE_AREA_HEADER {Mask, CompactionMask,
 * Reserved[6]}. In the compacted form (CompactionMask bit 63) every feature listed in
 * CompactionMask takes room, in bit order; Mask says which ones hold saved (non-initial) state.
 * Seen: tiny-exe-with-cet-xsave.dmp (x64) XState {0x50, 0x50}, Mask 0x800, CompactionMask
 * 0x8000000000000800; the x86 one has Mask 0 and CompactionMask 0x8000000000000804 (AVX + CET_U).
 */
function decodeXState(b: Uint8Array, contextSize: number): XStateInfo | undefined {
  if (b.length < contextSize + 0x18) return undefined;
  const chunkOffset = i32(b, contextSize + 0x10);
  const chunkLength = u32(b, contextSize + 0x14);
  const start = contextSize + chunkOffset;
  if (chunkOffset <= 0 || chunkLength < XSAVE_HEADER_SIZE || start + chunkLength > b.length) return undefined;
  const mask = u64(b, start);
  const compactionMask = u64(b, start + 8);
  const info: XStateInfo = { mask, compactionMask };
  const cetBit = 1n << BigInt(XSTATE_CET_U);
  if ((mask & cetBit) === 0n || (compactionMask & (1n << 63n)) === 0n || (compactionMask & cetBit) === 0n) return info;
  let at = start + XSAVE_HEADER_SIZE;
  for (let bit = 2; bit < XSTATE_CET_U; bit++) {
    if ((compactionMask & (1n << BigInt(bit))) === 0n) continue;
    const size = XSTATE_FEATURE_SIZES[bit];
    if (size === undefined) return info; // a feature of unknown size precedes CET_U
    at += size;
  }
  if (at + 16 > start + chunkLength) return info;
  return { ...info, cetU: { cetUMsr: u64(b, at), ssp: u64(b, at + 8) } };
}

function decodeX86(b: Uint8Array, source: ContextSource): DecodedContext | string {
  if (b.length < X86_MIN) return `x86 CONTEXT is ${b.length} bytes, too short to hold the integer registers`;
  const r = (o: number): bigint => BigInt(u32(b, o));
  const context = new RegisterContext(
    'x86',
    {
      edi: r(0x9c), esi: r(0xa0), ebx: r(0xa4), edx: r(0xa8), ecx: r(0xac), eax: r(0xb0),
      ebp: r(0xb4), eip: r(0xb8), cs: r(0xbc) & 0xffffn, efl: r(0xc0), esp: r(0xc4), ss: r(0xc8) & 0xffffn,
      gs: r(0x8c) & 0xffffn, fs: r(0x90) & 0xffffn, es: r(0x94) & 0xffffn, ds: r(0x98) & 0xffffn,
    },
    source,
  );
  const debugRegisters = [0x04, 0x08, 0x0c, 0x10, 0x14, 0x18].map((o) => r(o));
  // ExtendedRegisters (FXSAVE image) holds MXCSR at +0x18 when present.
  const mxcsr = b.length >= 0xcc + 0x1c ? u32(b, 0xcc + 0x18) : undefined;
  const contextFlags = u32(b, 0);
  const xstate = (contextFlags & CONTEXT_XSTATE_BIT) !== 0 ? decodeXState(b, X86_CONTEXT_SIZE) : undefined;
  return { context, contextFlags, debugRegisters, ...(mxcsr !== undefined ? { mxcsr } : {}), ...(xstate ? { xstate } : {}) };
}
