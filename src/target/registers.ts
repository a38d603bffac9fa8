/**
 * Register contexts. Values are bigint; a context knows its architecture and which registers
 * it really holds (a trap frame lacks r12-r15, a zeroed processor holds zeros).
 */

/** Architectures crashkd understands. */
export type Arch = 'x64' | 'x86';

/** Full-width x64 registers in CONTEXT order. */
export const X64_REGISTERS = [
  'rax', 'rcx', 'rdx', 'rbx', 'rsp', 'rbp', 'rsi', 'rdi',
  'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15',
  'rip', 'efl', 'cs', 'ds', 'es', 'fs', 'gs', 'ss',
] as const;

/** Full-width x86 registers. */
export const X86_REGISTERS = [
  'eax', 'ecx', 'edx', 'ebx', 'esp', 'ebp', 'esi', 'edi',
  'eip', 'efl', 'cs', 'ds', 'es', 'fs', 'gs', 'ss',
] as const;

/** Where a register context came from; `r` and `k` print differently for some. */
export type ContextSource = 'processor' | 'trap' | 'cxr' | 'thread' | 'exception' | 'frame';

interface SubRegister {
  readonly base: string;
  readonly shift: bigint;
  readonly bits: bigint;
}

const SUB_REGISTERS: Record<string, SubRegister> = (() => {
  const t: Record<string, SubRegister> = {};
  const legacy = ['ax', 'cx', 'dx', 'bx', 'sp', 'bp', 'si', 'di'];
  for (const r of legacy) {
    t[`e${r}`] = { base: `r${r}`, shift: 0n, bits: 32n };
    t[r] = { base: `r${r}`, shift: 0n, bits: 16n };
  }
  for (const r of ['a', 'b', 'c', 'd']) {
    t[`${r}l`] = { base: `r${r}x`, shift: 0n, bits: 8n };
    t[`${r}h`] = { base: `r${r}x`, shift: 8n, bits: 8n };
  }
  for (const r of ['sp', 'bp', 'si', 'di']) t[`${r}l`] = { base: `r${r}`, shift: 0n, bits: 8n };
  for (let i = 8; i <= 15; i++) {
    t[`r${i}d`] = { base: `r${i}`, shift: 0n, bits: 32n };
    t[`r${i}w`] = { base: `r${i}`, shift: 0n, bits: 16n };
    t[`r${i}b`] = { base: `r${i}`, shift: 0n, bits: 8n };
  }
  t['eip'] = { base: 'rip', shift: 0n, bits: 32n };
  t['ip'] = { base: 'rip', shift: 0n, bits: 16n };
  return t;
})();

const X86_SUB: Record<string, SubRegister> = {
  ax: { base: 'eax', shift: 0n, bits: 16n }, bx: { base: 'ebx', shift: 0n, bits: 16n },
  cx: { base: 'ecx', shift: 0n, bits: 16n }, dx: { base: 'edx', shift: 0n, bits: 16n },
  si: { base: 'esi', shift: 0n, bits: 16n }, di: { base: 'edi', shift: 0n, bits: 16n },
  sp: { base: 'esp', shift: 0n, bits: 16n }, bp: { base: 'ebp', shift: 0n, bits: 16n },
  al: { base: 'eax', shift: 0n, bits: 8n }, ah: { base: 'eax', shift: 8n, bits: 8n },
  bl: { base: 'ebx', shift: 0n, bits: 8n }, bh: { base: 'ebx', shift: 8n, bits: 8n },
  cl: { base: 'ecx', shift: 0n, bits: 8n }, ch: { base: 'ecx', shift: 8n, bits: 8n },
  dl: { base: 'edx', shift: 0n, bits: 8n }, dh: { base: 'edx', shift: 8n, bits: 8n },
  ip: { base: 'eip', shift: 0n, bits: 16n },
};

/** EFLAGS bits addressable as registers (`r zf`). */
const FLAG_BITS: Record<string, bigint> = { cf: 0n, pf: 2n, af: 4n, zf: 6n, sf: 7n, tf: 8n, if: 9n, df: 10n, of: 11n };

/** Width in bits of a named register or sub-register, or undefined if the name is not a register. */
export function registerWidth(arch: Arch, name: string): number | undefined {
  const n = name.toLowerCase();
  const full: readonly string[] = arch === 'x64' ? X64_REGISTERS : X86_REGISTERS;
  if (full.includes(n)) {
    if (['cs', 'ds', 'es', 'fs', 'gs', 'ss'].includes(n)) return 16;
    if (n === 'efl') return 32;
    return arch === 'x64' ? 64 : 32;
  }
  const sub = (arch === 'x64' ? SUB_REGISTERS : X86_SUB)[n];
  if (sub) return Number(sub.bits);
  if (n in FLAG_BITS) return 1;
  if (n === 'iopl') return 2;
  return undefined;
}

/** An immutable set of register values for one architecture. */
export class RegisterContext {
  private readonly values: ReadonlyMap<string, bigint>;

  constructor(
    readonly arch: Arch,
    values: Readonly<Record<string, bigint>>,
    readonly source: ContextSource = 'processor',
  ) {
    const m = new Map<string, bigint>();
    const names: readonly string[] = arch === 'x64' ? X64_REGISTERS : X86_REGISTERS;
    for (const n of names) m.set(n, values[n] ?? 0n);
    this.values = m;
  }

  /** Value of a register, sub-register or flag; undefined for names that are not registers. */
  get(name: string): bigint | undefined {
    const n = name.toLowerCase();
    const direct = this.values.get(n);
    if (direct !== undefined) return direct;
    const sub = (this.arch === 'x64' ? SUB_REGISTERS : X86_SUB)[n];
    if (sub) return ((this.values.get(sub.base) ?? 0n) >> sub.shift) & ((1n << sub.bits) - 1n);
    const bit = FLAG_BITS[n];
    if (bit !== undefined) return ((this.values.get('efl') ?? 0n) >> bit) & 1n;
    if (n === 'iopl') return ((this.values.get('efl') ?? 0n) >> 12n) & 3n;
    return undefined;
  }

  /** A copy with one register (or sub-register, or flag) replaced; undefined if not a register. */
  with(name: string, value: bigint): RegisterContext | undefined {
    const n = name.toLowerCase();
    const next: Record<string, bigint> = Object.fromEntries(this.values);
    if (this.values.has(n)) {
      const width = BigInt(registerWidth(this.arch, n) ?? 64);
      next[n] = value & ((1n << width) - 1n);
    } else {
      const sub = (this.arch === 'x64' ? SUB_REGISTERS : X86_SUB)[n];
      const bit = FLAG_BITS[n];
      if (sub) {
        const mask = ((1n << sub.bits) - 1n) << sub.shift;
        // Writing a 32-bit x64 register zero-extends, as the CPU does.
        const keep = this.arch === 'x64' && sub.bits === 32n ? 0n : (next[sub.base] ?? 0n) & ~mask;
        next[sub.base] = keep | ((value << sub.shift) & mask);
      } else if (bit !== undefined) {
        const efl = next['efl'] ?? 0n;
        next['efl'] = (value & 1n) === 1n ? efl | (1n << bit) : efl & ~(1n << bit);
      } else return undefined;
    }
    return new RegisterContext(this.arch, next, this.source);
  }

  /** The same values, tagged with another source. */
  as(source: ContextSource): RegisterContext {
    return new RegisterContext(this.arch, Object.fromEntries(this.values), source);
  }

  /** Instruction pointer. */
  get ip(): bigint {
    return this.values.get(this.arch === 'x64' ? 'rip' : 'eip') ?? 0n;
  }

  /** Stack pointer. */
  get sp(): bigint {
    return this.values.get(this.arch === 'x64' ? 'rsp' : 'esp') ?? 0n;
  }

  /** Frame pointer. */
  get fp(): bigint {
    return this.values.get(this.arch === 'x64' ? 'rbp' : 'ebp') ?? 0n;
  }

  /** All full-width values. */
  entries(): ReadonlyMap<string, bigint> {
    return this.values;
  }
}
