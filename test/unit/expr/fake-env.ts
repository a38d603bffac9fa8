/** A small EvalEnv fake for the MASM evaluator tests: maps of registers, symbols and memory bytes. */
import type { EvalEnv } from '../../../src/expr/env.js';

/** Options for the fake: radix, kernel/user sign extension, pointer size, extra entries. */
export interface FakeEnvOptions {
  radix?: number;
  kernel?: boolean;
  pointerSize?: 4 | 8;
  registers?: Record<string, bigint>;
  pseudo?: Record<string, bigint>;
  symbols?: Record<string, bigint | 'ambiguous'>;
}

const REGISTERS: Record<string, bigint> = {
  rax: 0x1122334455667788n,
  eax: 0x55667788n,
  al: 0x88n,
  ah: 0x77n,
  rbx: 0x10n,
  ebx: 0x80000010n,
  rcx: 0xfffff88003165180n,
  rsp: 0xfffff88003186c68n,
  rip: 0xfffff80003aab937n,
  r10: 0n,
  r8d: 0x90000000n,
  cs: 0x10n,
};

const PSEUDO: Record<string, bigint> = {
  $ip: 0xfffff80003aab937n,
  $t0: 0x1234n,
  $t1: 0x80000000n,
  $teb: 0x0000008eed57b000n,
  $exp: 0x42n,
};

const SYMBOLS: Record<string, bigint | 'ambiguous'> = {
  nt: 0xfffff80003a5e000n,
  'nt!KeBugCheckEx': 0xfffff80003aab940n,
  KeBugCheckEx: 0xfffff80003aab940n,
  'nt!KiServiceTable': 0xfffff80003a8b300n,
  add: 0x5000n,
  'nt!add': 0x5100n,
  'nt! ?? ::FNODOBFM::`string\'': 0xfffff80003b0c6a0n,
  'nt!std::vector<int>::size': 0x7000n,
  'nt!`anonymous namespace\'::Foo': 0x7100n,
  'cls::member': 0x7200n,
  '?Foo@@YAXXZ': 0x7300n,
  MyCounter: 0x0012fedcn,
  DupName: 'ambiguous',
  'ab!Func': 0x7400n,
};

/** Memory: little-endian bytes keyed by address. */
export function memoryFrom(entries: ReadonlyArray<readonly [bigint, bigint, 1 | 2 | 4 | 8]>): Map<bigint, number> {
  const mem = new Map<bigint, number>();
  for (const [addr, value, size] of entries) {
    for (let k = 0; k < size; k++) mem.set(addr + BigInt(k), Number((value >> BigInt(8 * k)) & 0xffn));
  }
  return mem;
}

const MEMORY = memoryFrom([
  [0x0000008eed57b108n, 0x409n, 8],
  [0x1000n, 0xfffff80003aab940n, 8],
  [0x2000n, 0x1000n, 8],
  [0x3000n, 0x8877665544332211n, 8],
  [0xfffff88003186c68n, 0xfffff80003aab940n, 8],
]);

/** Builds the fake environment. */
export function fakeEnv(opts: FakeEnvOptions = {}): EvalEnv {
  const registers = { ...REGISTERS, ...opts.registers };
  const pseudo = { ...PSEUDO, ...opts.pseudo };
  const symbols = { ...SYMBOLS, ...opts.symbols };
  return {
    radix: opts.radix ?? 16,
    signExtendConstants: opts.kernel ?? true,
    pointerSize: opts.pointerSize ?? 8,
    register: (name) => (Object.hasOwn(registers, name) ? registers[name] : undefined),
    pseudoRegister: (name) => (Object.hasOwn(pseudo, name) ? pseudo[name] : undefined),
    symbol: (name) => (Object.hasOwn(symbols, name) ? symbols[name] : undefined),
    readMemory: (address, size) => {
      let v = 0n;
      for (let k = 0; k < size; k++) {
        const b = MEMORY.get(address + BigInt(k));
        if (b === undefined) return undefined;
        v |= BigInt(b) << BigInt(8 * k);
      }
      return v;
    },
  };
}
