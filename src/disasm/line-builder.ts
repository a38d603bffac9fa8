/**
 * Builds one DisasmLine from a decoded iced Instruction. Formatting is the expensive part
 * (a wasm call plus a string crossing the boundary), so texts that depend only on the bytes
 * are cached by byte sequence: real code repeats `mov rcx,rbx`, `push rbx`, `int 3` and
 * the like constantly (Wdf01000.sys: 104k position-independent instructions, 18k distinct).
 */
import type { Formatter, Instruction } from 'iced-x86';
import { loadIced, windbgFormatter } from './iced-loader.js';
import {
  explicitStringOperands,
  fixAbsolute32,
  fixIpRelative,
  fixOffsetImmediate,
  icedConstants,
  type IcedConstants,
} from './operand-text.js';
import { mnemonicColumn, symbolicAddress } from './text-format.js';
import type { DecodeOptions, DisasmLine } from './types.js';

/** Longest operand-less string-instruction text iced prints (`repne scasb`). */
const MAX_STRING_OP_TEXT = 11;
/** Entries per cache before it is dropped and refilled (bounds memory on huge listings). */
const CACHE_LIMIT = 1 << 16;
const CHAR: readonly string[] = Array.from({ length: 256 }, (_, i) => String.fromCharCode(i));
/** Legacy prefixes change what formatMnemonic prints (`bnd jmp`, `hnt je`). */
const LEGACY_PREFIXES = new Set([0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65, 0x66, 0x67, 0xf0, 0xf2, 0xf3]);

interface CachedText {
  readonly text: string;
  readonly flow: number;
}

interface Engine {
  readonly k: IcedConstants;
  readonly f: Formatter;
  readonly fcUncond: number;
  readonly fcCond: number;
  readonly fcCall: number;
  readonly fcIndirectCall: number;
  readonly fcIndirectBranch: number;
  readonly fcReturn: number;
  readonly fcXbegin: number;
  readonly fcNext: number;
  readonly farFirst: number;
  readonly farLast: number;
  readonly nearFirst: number;
  readonly nearLast: number;
  /** Position-independent texts by byte string, one cache per bitness. */
  readonly texts: { 32: Map<string, CachedText>; 64: Map<string, CachedText> };
  /** Mnemonics of unprefixed near branches by iced Code. */
  readonly branchMnemonics: Map<number, string>;
}

let engine: Engine | undefined;

function getEngine(): Engine {
  if (engine !== undefined) return engine;
  const x = loadIced();
  const fc = x.FlowControl;
  engine = {
    k: icedConstants(x),
    f: windbgFormatter(),
    fcUncond: fc.UnconditionalBranch,
    fcCond: fc.ConditionalBranch,
    fcCall: fc.Call,
    fcIndirectCall: fc.IndirectCall,
    fcIndirectBranch: fc.IndirectBranch,
    fcReturn: fc.Return,
    fcXbegin: fc.XbeginXabortXend,
    fcNext: fc.Next,
    farFirst: x.OpKind.FarBranch16,
    farLast: x.OpKind.FarBranch32,
    nearFirst: x.OpKind.NearBranch16,
    nearLast: x.OpKind.NearBranch64,
    texts: { 32: new Map(), 64: new Map() },
    branchMnemonics: new Map(),
  };
  return engine;
}

/** The bytes as a Latin-1 string: one allocation for the common lengths. */
function byteKey(b: Uint8Array, s: number, end: number): string {
  switch (end - s) {
    case 1: return CHAR[b[s]!]!;
    case 2: return String.fromCharCode(b[s]!, b[s + 1]!);
    case 3: return String.fromCharCode(b[s]!, b[s + 1]!, b[s + 2]!);
    case 4: return String.fromCharCode(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!);
    case 5: return String.fromCharCode(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!);
    case 6: return String.fromCharCode(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!);
    case 7: return String.fromCharCode(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!);
    default: {
      let key = '';
      for (let i = s; i < end; i++) key += CHAR[b[i]!]!;
      return key;
    }
  }
}

function remember<K, V>(map: Map<K, V>, key: K, value: V): void {
  if (map.size >= CACHE_LIMIT) map.clear();
  map.set(key, value);
}

function line(e: Engine, address: bigint, bytes: Uint8Array, length: number, text: string, flow: number, branchTarget: bigint | undefined): DisasmLine {
  return {
    address,
    bytes,
    text,
    length,
    readable: true,
    branchTarget,
    isCall: flow === e.fcCall || flow === e.fcIndirectCall,
    isReturn: flow === e.fcReturn,
    isUnconditionalJump: flow === e.fcUncond || flow === e.fcIndirectBranch,
    isConditionalJump: flow === e.fcCond,
  };
}

/**
 * The line for the valid instruction just decoded into `insn` from `chunk[pos, pos+length)`.
 * Cache hits skip formatting entirely, so callers need not check `insn.isInvalid` first when
 * this returns a line; `undefined` means the instruction was invalid and nothing was built.
 */
export function buildLine(insn: Instruction, chunk: Uint8Array, pos: number, length: number, address: bigint, options: DecodeOptions): DisasmLine | undefined {
  const e = getEngine();
  const { bitness } = options;
  const end = pos + length;
  const key = byteKey(chunk, pos, end);
  const cache = e.texts[bitness];
  const hit = cache.get(key);
  if (hit !== undefined) return line(e, address, chunk.subarray(pos, end), length, hit.text, hit.flow, undefined);
  if (insn.isInvalid) return undefined;

  let flow = insn.flowControl;
  let branchTarget: bigint | undefined;
  if (flow === e.fcUncond || flow === e.fcCond || flow === e.fcCall || flow === e.fcXbegin) {
    const kind = insn.op0Kind;
    if (kind >= e.nearFirst && kind <= e.nearLast) branchTarget = insn.nearBranchTarget;
    // iced counts syscall/sysenter/vmcall as calls; for `uf /c` and flow analysis they are not.
    else if (flow === e.fcCall && (kind < e.farFirst || kind > e.farLast)) flow = e.fcNext;
  }
  if (branchTarget !== undefined) {
    // iced's JS build has no symbol resolver, so branch operands are built here.
    const text = branchMnemonic(e, insn, chunk[pos]!) + symbolicAddress(branchTarget, options.symbolize(branchTarget), bitness);
    return line(e, address, chunk.subarray(pos, end), length, text, flow, branchTarget);
  }
  const fixed = fixText(e, insn, e.f.format(insn), options);
  if (fixed.cacheable) remember(cache, key, { text: fixed.text, flow });
  return line(e, address, chunk.subarray(pos, end), length, fixed.text, flow, undefined);
}

function branchMnemonic(e: Engine, insn: Instruction, firstByte: number): string {
  if (LEGACY_PREFIXES.has(firstByte)) return mnemonicColumn(e.f.formatMnemonic(insn));
  const code = insn.code;
  let m = e.branchMnemonics.get(code);
  if (m === undefined) {
    m = mnemonicColumn(e.f.formatMnemonic(insn));
    remember(e.branchMnemonics, code, m);
  }
  return m;
}

/** Text after dbgeng fix-ups, and whether it depends only on the instruction bytes. */
function fixText(e: Engine, insn: Instruction, text: string, options: DecodeOptions): { text: string; cacheable: boolean } {
  const { k } = e;
  const { bitness, symbolize } = options;
  if (text.length <= MAX_STRING_OP_TEXT) {
    const s = explicitStringOperands(text, insn, k, bitness, (reg) => e.f.formatRegister(reg));
    if (s !== undefined) return { text: s, cacheable: true };
  }
  let out = text;
  let cacheable = true;
  if (out.includes('[')) {
    if (bitness === 64) {
      if (insn.isIpRelMemoryOperand) {
        out = fixIpRelative(out, insn.ipRelMemoryAddress, symbolize, 64);
        cacheable = false;
      }
    } else if (insn.memoryBase === k.regNone) {
      out = fixAbsolute32(out, insn, k, symbolize);
      cacheable = false;
    }
  }
  // Only a trailing hex immediate of 5+ digits can be an address worth a lookup.
  if (out.charCodeAt(out.length - 1) === 104 /* h */) {
    const sep = Math.max(out.lastIndexOf(','), out.lastIndexOf(' '));
    if (out.length - sep - 1 >= 6) {
      out = fixOffsetImmediate(out, insn, k, bitness, symbolize);
      cacheable = false;
    }
  }
  return { text: out, cacheable };
}
