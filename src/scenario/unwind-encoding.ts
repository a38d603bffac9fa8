import { ScenarioError } from './load-scenario.js';

/** x64 register numbers used by UNWIND_CODE OpInfo. */
const GPR = ['rax', 'rcx', 'rdx', 'rbx', 'rsp', 'rbp', 'rsi', 'rdi', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15'];

/** An encoded UNWIND_INFO (without the chained RUNTIME_FUNCTION, which needs final rvas). */
export interface EncodedUnwind {
  readonly prologSize: number;
  readonly frameRegister: number;
  readonly frameOffset: number;
  /** UNWIND_CODE slots, already in reverse prolog order. */
  readonly slots: readonly number[];
}

function num(s: string): number {
  return Number(s.startsWith('0x') ? Number.parseInt(s.slice(2), 16) : Number.parseInt(s, 10));
}

function reg(name: string, where: string): number {
  const i = GPR.indexOf(name.toLowerCase());
  if (i < 0) throw new ScenarioError(`${where}: unknown register '${name}'`);
  return i;
}

/**
 * Encodes prolog operations (in execution order) as UNWIND_CODEs. Each op gets the prolog
 * offset just past the instruction that performs it, using the usual encodings' sizes, so
 * partial-prolog unwinding behaves as on real code.
 */
export function encodeProlog(ops: readonly string[], where: string): EncodedUnwind {
  let offset = 0;
  let frameRegister = 0;
  let frameOffset = 0;
  const codes: number[][] = [];
  const u16 = (v: number) => [v & 0xffff];
  const u32 = (v: number) => [v & 0xffff, (v >>> 16) & 0xffff];
  for (const op of ops) {
    const [kind, a = '', b = ''] = op.toLowerCase().split(/\s+/);
    const code = (o: number, info: number) => (offset & 0xff) | ((o | (info << 4)) << 8);
    switch (kind) {
      case 'push': {
        const r = reg(a, where);
        offset += r >= 8 ? 2 : 1;
        codes.push([code(0, r)]);
        break;
      }
      case 'alloc': {
        const n = num(a);
        if (n % 8 !== 0 || n === 0) throw new ScenarioError(`${where}: alloc ${a} is not a positive multiple of 8`);
        if (n <= 128) {
          offset += 4;
          codes.push([code(2, (n - 8) / 8)]);
        } else if (n <= 0x7fff8) {
          offset += 7;
          codes.push([code(1, 0), ...u16(n / 8)]);
        } else {
          offset += 7;
          codes.push([code(1, 1), ...u32(n)]);
        }
        break;
      }
      case 'setfp': {
        const n = num(b);
        if (n % 16 !== 0 || n > 240) throw new ScenarioError(`${where}: setfp offset ${b} must be a multiple of 16 up to 0xf0`);
        frameRegister = reg(a, where);
        frameOffset = n / 16;
        offset += n < 128 ? 5 : 8;
        codes.push([code(3, 0)]);
        break;
      }
      case 'save': {
        const n = num(b);
        if (n % 8 !== 0) throw new ScenarioError(`${where}: save offset ${b} is not a multiple of 8`);
        offset += n < 128 ? 5 : 8;
        codes.push(n / 8 <= 0xffff ? [code(4, reg(a, where)), ...u16(n / 8)] : [code(5, reg(a, where)), ...u32(n)]);
        break;
      }
      case 'savexmm': {
        const x = Number(a.replace('xmm', ''));
        const n = num(b);
        if (n % 16 !== 0 || x > 15) throw new ScenarioError(`${where}: savexmm needs xmm0-15 and a multiple of 16`);
        offset += n < 128 ? 6 : 9;
        codes.push(n / 16 <= 0xffff ? [code(8, x), ...u16(n / 16)] : [code(9, x), ...u32(n)]);
        break;
      }
      case 'machframe':
        // Pushed by the processor before the first instruction: offset 0 unless ops precede it.
        codes.push([code(10, a === 'errcode' ? 1 : 0)]);
        break;
      default:
        throw new ScenarioError(`${where}: unknown unwind op '${op}'`);
    }
  }
  if (offset > 255) throw new ScenarioError(`${where}: prolog is ${offset} bytes, more than UNWIND_INFO can describe`);
  if (codes.flat().length > 255) throw new ScenarioError(`${where}: too many unwind codes`);
  return { prologSize: offset, frameRegister, frameOffset, slots: codes.reverse().flat() };
}
