/**
 * Turns iced's MASM text into dbgeng's where they differ: symbolized memory operands and
 * immediates, 8-digit moffs addresses on x86, and explicit operands of string instructions.
 */
import type { Instruction } from 'iced-x86';
import type { Iced } from './iced-loader.js';
import { masmHex, mnemonicColumn, symbolicAddress } from './text-format.js';
import type { Symbolizer } from './types.js';

/** Immediates below this are constants, never worth a symbol lookup. */
const MIN_OFFSET_IMMEDIATE = 0x10000n;

/** Enum values looked up once after iced is loaded. */
export interface IcedConstants {
  readonly opImm32: number;
  readonly opImm64: number;
  /** First of the nine string-operand kinds (MemorySegSI..MemoryESRDI, cycling 16/32/64-bit). */
  readonly opStringFirst: number;
  readonly opStringLast: number;
  readonly regNone: number;
  readonly regDs: number;
  readonly moffsCodes: ReadonlySet<number>;
}

/** Reads the enum values the text fix-ups need. */
export function icedConstants(x: Iced): IcedConstants {
  const c = x.Code;
  return {
    opImm32: x.OpKind.Immediate32,
    opImm64: x.OpKind.Immediate64,
    opStringFirst: x.OpKind.MemorySegSI,
    opStringLast: x.OpKind.MemoryESRDI,
    regNone: x.Register.None,
    regDs: x.Register.DS,
    moffsCodes: new Set([c.Mov_AL_moffs8, c.Mov_AX_moffs16, c.Mov_EAX_moffs32, c.Mov_moffs8_AL, c.Mov_moffs16_AX, c.Mov_moffs32_EAX]),
  };
}

/** `[0FFFFF80003AAB017h]` -> `[nt!Foo+0x17 (fffff800`03aab017)]` (or the bare address). */
export function fixIpRelative(text: string, target: bigint, symbolize: Symbolizer, bitness: 32 | 64): string {
  const open = text.indexOf('[');
  const close = text.indexOf(']', open);
  if (open < 0 || close < 0) return text;
  return `${text.slice(0, open + 1)}${symbolicAddress(target, symbolize(target), bitness)}${text.slice(close)}`;
}

/**
 * x86 memory operands without a base register: a symbolized displacement becomes
 * `[nt!X (83f7ebac)]` or, with an index, `nt!X (7eb31f00)[edx*4]`; unresolved moffs
 * addresses are printed with 8 digits (`fs:[00000124h]`).
 */
export function fixAbsolute32(text: string, insn: Instruction, k: IcedConstants, symbolize: Symbolizer): string {
  if (insn.memoryBase !== k.regNone) return text;
  const open = text.indexOf('[');
  const close = text.indexOf(']', open);
  if (open < 0 || close < 0) return text;
  const disp = insn.memoryDisplacement & 0xffffffffn;
  const isDs = insn.memorySegment === k.regDs;
  const sym = isDs ? symbolize(disp) : undefined;
  if (sym !== undefined) {
    const hasIndex = insn.memoryIndex !== k.regNone;
    const segStart = text.startsWith('ds:', open - 3) ? open - 3 : open;
    const symbolic = symbolicAddress(disp, sym, 32);
    if (!hasIndex) return `${text.slice(0, segStart)}[${symbolic}]${text.slice(close + 1)}`;
    const inner = text.slice(open + 1, close);
    const plus = inner.lastIndexOf('+');
    const index = plus < 0 ? inner : inner.slice(0, plus);
    return `${text.slice(0, segStart)}${symbolic}[${index}]${text.slice(close + 1)}`;
  }
  if (k.moffsCodes.has(insn.code)) {
    return `${text.slice(0, open + 1)}${disp.toString(16).toUpperCase().padStart(8, '0')}h${text.slice(close)}`;
  }
  return text;
}

/** A trailing immediate that names a symbol becomes `offset nt!X (804daec0)`. */
export function fixOffsetImmediate(text: string, insn: Instruction, k: IcedConstants, bitness: 32 | 64, symbolize: Symbolizer): string {
  const n = insn.opCount;
  if (n === 0) return text;
  const last = n - 1;
  const kind = insn.opKind(last);
  if (kind !== (bitness === 32 ? k.opImm32 : k.opImm64)) return text;
  const value = insn.immediate(last) & (bitness === 32 ? 0xffffffffn : 0xffffffffffffffffn);
  if (value < MIN_OFFSET_IMMEDIATE) return text;
  const rendered = masmHex(value);
  if (!text.endsWith(rendered)) return text;
  const sym = symbolize(value);
  if (sym === undefined) return text;
  return `${text.slice(0, text.length - rendered.length)}offset ${symbolicAddress(value, sym, bitness)}`;
}

const STRING_OP = /^((?:rep|repe|repne) )?(movs|cmps|stos|lods|scas|ins|outs)([bwdq])$/;
const SIZE_WORD: Readonly<Record<string, string>> = { b: 'byte', w: 'word', d: 'dword', q: 'qword' };

/**
 * dbgeng spells string instructions with their operands: `rep movs qword ptr [rdi],qword ptr [rsi]`
 * on x64, `rep movs dword ptr es:[edi],dword ptr [esi]` on x86. Returns undefined when `text`
 * is not an operand-less string instruction.
 */
export function explicitStringOperands(text: string, insn: Instruction, k: IcedConstants, bitness: 32 | 64, segmentName: (reg: number) => string): string | undefined {
  const m = STRING_OP.exec(text);
  if (m === null) return undefined;
  const prefix = m[1] ?? '';
  const op = m[2]!;
  const size = `${SIZE_WORD[m[3]!]!} ptr `;
  // Address size comes from the operand kind iced chose (67h prefix gives esi/edi in 64-bit code).
  const width = addressWidth(insn, k, bitness);
  const si = width === 64 ? 'rsi' : width === 32 ? 'esi' : 'si';
  const di = width === 64 ? 'rdi' : width === 32 ? 'edi' : 'di';
  const override = insn.segmentPrefix;
  const srcSeg = override !== k.regNone ? `${segmentName(override)}:` : '';
  const dst = `${size}${bitness === 64 ? '' : 'es:'}[${di}]`;
  const src = `${size}${srcSeg}[${si}]`;
  let operands: string;
  switch (op) {
    case 'movs': operands = `${dst},${src}`; break;
    case 'cmps': operands = `${src},${dst}`; break;
    case 'stos': case 'scas': operands = dst; break;
    case 'lods': operands = src; break;
    case 'ins': operands = `${dst},dx`; break;
    default: operands = `dx,${src}`; break;
  }
  return mnemonicColumn(`${prefix}${op}`) + operands;
}

function addressWidth(insn: Instruction, k: IcedConstants, bitness: 32 | 64): 16 | 32 | 64 {
  for (let i = 0; i < insn.opCount; i++) {
    const kind = insn.opKind(i);
    if (kind >= k.opStringFirst && kind <= k.opStringLast) return ([16, 32, 64] as const)[(kind - k.opStringFirst) % 3]!;
  }
  return bitness;
}
