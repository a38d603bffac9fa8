import { leUnsigned } from '../memory/virtual-memory.js';
import { RegisterContext, type ContextSource } from './registers.js';

/** Size of an x64 KTRAP_FRAME (same from Server 2003 x64 through Windows 11). */
export const KTRAP_FRAME_SIZE = 0x190;
/** Size of an x64 CONTEXT record. */
export const X64_CONTEXT_SIZE = 0x4d0;

const q = (b: Uint8Array, off: number) => leUnsigned(b, off, 8);
const w = (b: Uint8Array, off: number) => leUnsigned(b, off, 2);
const d = (b: Uint8Array, off: number) => leUnsigned(b, off, 4);

/**
 * Registers held by an x64 KTRAP_FRAME (formats.md 3.2). r12-r15 are not in a trap frame and
 * stay zero, as WinDbg prints them.
 */
export function decodeKTrapFrame(b: Uint8Array): RegisterContext {
  return new RegisterContext(
    'x64',
    {
      rax: q(b, 0x30), rcx: q(b, 0x38), rdx: q(b, 0x40), r8: q(b, 0x48), r9: q(b, 0x50), r10: q(b, 0x58), r11: q(b, 0x60),
      rbx: q(b, 0x140), rdi: q(b, 0x148), rsi: q(b, 0x150), rbp: q(b, 0x158),
      rip: q(b, 0x168), cs: w(b, 0x170), efl: d(b, 0x178), rsp: q(b, 0x180), ss: w(b, 0x188),
      ds: w(b, 0x130), es: w(b, 0x132), fs: w(b, 0x134), gs: w(b, 0x136),
    },
    'trap',
  );
}

/** An x64 CONTEXT record (formats.md 3.1). */
export function decodeX64Context(b: Uint8Array, source: ContextSource = 'cxr', offset = 0): RegisterContext {
  const names = ['rax', 'rcx', 'rdx', 'rbx', 'rsp', 'rbp', 'rsi', 'rdi', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15'];
  const values: Record<string, bigint> = {};
  names.forEach((n, i) => (values[n] = q(b, offset + 0x78 + i * 8)));
  values['rip'] = q(b, offset + 0xf8);
  values['cs'] = w(b, offset + 0x38);
  values['ds'] = w(b, offset + 0x3a);
  values['es'] = w(b, offset + 0x3c);
  values['fs'] = w(b, offset + 0x3e);
  values['gs'] = w(b, offset + 0x40);
  values['ss'] = w(b, offset + 0x42);
  values['efl'] = d(b, offset + 0x44);
  return new RegisterContext('x64', values, source);
}

/** KTRAP_FRAME fields crashkd writes (scenarios), by offset (formats.md 3.2). */
const KTRAP_FIELDS: Record<string, [number, number]> = {
  p1home: [0x00, 8], p2home: [0x08, 8], p3home: [0x10, 8], p4home: [0x18, 8], p5: [0x20, 8],
  previousmode: [0x28, 1], previousirql: [0x29, 1], mxcsr: [0x2c, 4],
  rax: [0x30, 8], rcx: [0x38, 8], rdx: [0x40, 8], r8: [0x48, 8], r9: [0x50, 8], r10: [0x58, 8], r11: [0x60, 8],
  faultaddress: [0xd0, 8], ds: [0x130, 2], es: [0x132, 2], fs: [0x134, 2], gs: [0x136, 2],
  rbx: [0x140, 8], rdi: [0x148, 8], rsi: [0x150, 8], rbp: [0x158, 8], errorcode: [0x160, 8],
  rip: [0x168, 8], cs: [0x170, 2], efl: [0x178, 4], rsp: [0x180, 8], ss: [0x188, 2],
};

/** CONTEXT fields crashkd writes (scenarios), by offset (formats.md 3.1). */
const CONTEXT_FIELDS: Record<string, [number, number]> = (() => {
  const t: Record<string, [number, number]> = {
    contextflags: [0x30, 4], mxcsr: [0x34, 4], cs: [0x38, 2], ds: [0x3a, 2], es: [0x3c, 2], fs: [0x3e, 2], gs: [0x40, 2], ss: [0x42, 2],
    efl: [0x44, 4], rip: [0xf8, 8],
  };
  ['rax', 'rcx', 'rdx', 'rbx', 'rsp', 'rbp', 'rsi', 'rdi', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15'].forEach((n, i) => (t[n] = [0x78 + i * 8, 8]));
  return t;
})();

function encode(size: number, fields: Record<string, [number, number]>, values: Readonly<Record<string, bigint>>): Uint8Array {
  const bytes = new Uint8Array(size);
  const dv = new DataView(bytes.buffer);
  for (const [name, value] of Object.entries(values)) {
    const f = fields[name.toLowerCase()];
    if (!f) throw new RangeError(`'${name}' is not a field of this record`);
    const [off, width] = f;
    for (let i = 0; i < width; i++) dv.setUint8(off + i, Number((value >> BigInt(i * 8)) & 0xffn));
  }
  return bytes;
}

/** Names a KTRAP_FRAME or CONTEXT record accepts, for validation messages. */
export const KTRAP_FRAME_FIELD_NAMES = Object.keys(KTRAP_FIELDS);
export const X64_CONTEXT_FIELD_NAMES = Object.keys(CONTEXT_FIELDS);

/** Bytes of an x64 KTRAP_FRAME holding the given fields (others zero). */
export function encodeKTrapFrame(values: Readonly<Record<string, bigint>>): Uint8Array {
  return encode(KTRAP_FRAME_SIZE, KTRAP_FIELDS, values);
}

/** Bytes of an x64 CONTEXT record holding the given registers (ContextFlags defaults to full). */
export function encodeX64Context(values: Readonly<Record<string, bigint>>): Uint8Array {
  return encode(X64_CONTEXT_SIZE, CONTEXT_FIELDS, { contextflags: 0x10001fn, ...values });
}
