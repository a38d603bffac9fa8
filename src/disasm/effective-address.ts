/**
 * The effective-address annotation `r` appends to the current instruction:
 * `ss:0018:fffffa60`005f1a70=000000000000007f`, `ds:00000000`00000000=????????`,
 * `ds:00007ffa`443a2740={ucrtbase!_finite (00007ffa`4ac3c080)}` for calls through memory.
 */
import { formatPointer, hex } from '../memory/address.js';
import { leUnsigned, type VirtualMemory } from '../memory/virtual-memory.js';
import type { RegisterContext } from '../target/registers.js';
import { loadIced, windbgFormatter } from './iced-loader.js';
import { symbolicAddress } from './text-format.js';
import type { DisasmLine, Symbolizer } from './types.js';

const MAX_ANNOTATED_SIZE = 16;

/** Options of {@link effectiveAddressAnnotation}. */
export interface AnnotationOptions {
  /** Kernel full contexts (and x86) print the selector: `ss:0018:...`. */
  withSelector: boolean;
  /**
   * fs/gs bases, when known. WinDbg prints the segment offset (`fs:003b:00000018`) but reads
   * the value at base + offset; without a base the value is read at the offset itself.
   */
  segmentBases?: { fs?: bigint; gs?: bigint };
  /** Resolves the target of a call/jmp through memory to print `{sym (addr)}`. */
  symbolize?: Symbolizer;
}

/**
 * The annotation for `line` evaluated in `regs`, without the leading space; '' when the
 * instruction has no (accessed) memory operand. String instructions and `lea` get none.
 */
export function effectiveAddressAnnotation(line: DisasmLine, regs: RegisterContext, memory: VirtualMemory, opts: AnnotationOptions): string {
  if (!line.readable || line.bytes.length === 0) return '';
  const x = loadIced();
  const f = windbgFormatter();
  const bitness = regs.arch === 'x64' ? 64 : 32;
  const pointerSize = bitness === 64 ? 8 : 4;
  const dec = new x.Decoder(bitness, line.bytes, x.DecoderOptions.None);
  const insn = new x.Instruction();
  try {
    dec.ip = line.address;
    dec.decodeOut(insn);
    if (insn.isInvalid) return '';
    let hasMemory = false;
    for (let i = 0; i < insn.opCount && !hasMemory; i++) hasMemory = insn.opKind(i) === x.OpKind.Memory;
    if (!hasMemory) return '';
    const mnemonic = insn.mnemonic;
    // These name an address without touching memory.
    if (mnemonic === x.Mnemonic.Lea || mnemonic === x.Mnemonic.Nop || mnemonic === x.Mnemonic.Prefetchnta) return '';
    const size = x.MemorySizeExt.size(insn.memorySize);
    // Whole-state operands (fxsave, xsave, zmm) would print hundreds of digits; WinDbg's
    // behaviour there is unverified, so they get no annotation.
    if (size === 0 || size > MAX_ANNOTATED_SIZE) return '';

    const base = insn.memoryBase;
    const index = insn.memoryIndex;
    let wide = bitness === 64;
    let ea: bigint;
    if (base === x.Register.RIP || base === x.Register.EIP) {
      ea = insn.memoryDisplacement;
      wide = wide && base === x.Register.RIP;
    } else {
      ea = insn.memoryDisplacement;
      if (base !== x.Register.None) {
        ea += registerValue(regs, f.formatRegister(base));
        if (x.RegisterExt.size(base) < 8) wide = false;
      }
      if (index !== x.Register.None) {
        ea += registerValue(regs, f.formatRegister(index)) * BigInt(insn.memoryIndexScale);
        if (x.RegisterExt.size(index) < 8 && !x.RegisterExt.isVectorRegister(index)) wide = false;
      }
    }
    ea &= wide ? 0xffffffffffffffffn : 0xffffffffn;

    const seg = f.formatRegister(insn.memorySegment);
    const segBase = seg === 'fs' ? opts.segmentBases?.fs : seg === 'gs' ? opts.segmentBases?.gs : undefined;
    const readAt = segBase === undefined ? ea : (ea + segBase) & 0xffffffffffffffffn;
    const bytes = memory.readPartial(readAt, size);
    let value: string;
    if (bytes.length < size) value = '?'.repeat(size * 2);
    else {
      const v = leUnsigned(bytes, 0, size);
      const flow = insn.flowControl;
      const through = flow === x.FlowControl.IndirectCall || flow === x.FlowControl.IndirectBranch;
      const sym = through && opts.symbolize !== undefined ? opts.symbolize(v) : undefined;
      value = sym !== undefined ? `{${symbolicAddress(v, sym, bitness)}}` : hex(v, size * 2);
    }
    const selector = opts.withSelector ? `${hex(regs.get(seg) ?? 0n, 4)}:` : '';
    return `${seg}:${selector}${formatPointer(ea, pointerSize)}=${value}`;
  } finally {
    insn.free();
    dec.free();
  }
}

function registerValue(regs: RegisterContext, name: string): bigint {
  return regs.get(name) ?? 0n;
}
