import { leUnsigned } from '../memory/virtual-memory.js';
import { RegisterContext } from './registers.js';

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
export function decodeX64Context(b: Uint8Array, source: 'cxr' | 'processor' | 'exception' | 'thread' = 'cxr'): RegisterContext {
  const names = ['rax', 'rcx', 'rdx', 'rbx', 'rsp', 'rbp', 'rsi', 'rdi', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15'];
  const values: Record<string, bigint> = {};
  names.forEach((n, i) => (values[n] = q(b, 0x78 + i * 8)));
  values['rip'] = q(b, 0xf8);
  values['cs'] = w(b, 0x38);
  values['ds'] = w(b, 0x3a);
  values['es'] = w(b, 0x3c);
  values['fs'] = w(b, 0x3e);
  values['gs'] = w(b, 0x40);
  values['ss'] = w(b, 0x42);
  values['efl'] = d(b, 0x44);
  return new RegisterContext('x64', values, source);
}
