import { describe, expect, it } from 'vitest';
import { contextFlagsArch, decodeContext } from '../../../../src/formats/minidump/context.js';
import { x64Context, x86Context } from '../../../builders/minidump-builder.js';

/** An x64 CONTEXT with a CONTEXT_EX whose compacted XSAVE area holds AVX (256 bytes) then CET_U. */
function withAvxAndCet(mask: bigint): Uint8Array {
  const b = new Uint8Array(0x4d0 + 0x50 + 64 + 256 + 16);
  b.set(x64Context({ rip: 0x1000n }, 0x10005f));
  const dv = new DataView(b.buffer);
  dv.setInt32(0x4d0 + 0x10, 0x50, true);
  dv.setUint32(0x4d0 + 0x14, 64 + 256 + 16, true);
  const x = 0x4d0 + 0x50;
  dv.setBigUint64(x, mask, true);
  dv.setBigUint64(x + 8, (1n << 63n) | (1n << 11n) | (1n << 2n), true);
  dv.setBigUint64(x + 64 + 256, 3n, true);
  dv.setBigUint64(x + 64 + 256 + 8, 0x7ffe0000n, true);
  return b;
}

describe('CONTEXT decoding', () => {
  it('finds CET_U after the features the compaction mask lists, even when their state is initial', () => {
    const d = decodeContext('x64', withAvxAndCet(1n << 11n), 'thread');
    if (typeof d === 'string') throw new Error(d);
    expect(d.context.ip).toBe(0x1000n);
    expect(d.xstate).toEqual({ mask: 0x800n, compactionMask: 0x8000000000000804n, cetU: { cetUMsr: 3n, ssp: 0x7ffe0000n } });
  });

  it('reports no CET_U state when Mask says it is in its initial configuration', () => {
    const d = decodeContext('x64', withAvxAndCet(0n), 'thread');
    if (typeof d === 'string') throw new Error(d);
    expect(d.xstate).toEqual({ mask: 0n, compactionMask: 0x8000000000000804n });
  });

  it('ignores an XState chunk that points outside the record', () => {
    const b = withAvxAndCet(1n << 11n);
    new DataView(b.buffer).setUint32(0x4d0 + 0x14, 0x10000, true);
    const d = decodeContext('x64', b, 'thread');
    if (typeof d === 'string') throw new Error(d);
    expect(d.xstate).toBeUndefined();
    expect(d.contextFlags).toBe(0x10005f);
  });

  it('tells x86 and x64 contexts apart by their flags', () => {
    expect(contextFlagsArch(x64Context({}))).toBe('x64');
    expect(contextFlagsArch(x86Context({}))).toBe('x86');
    expect(contextFlagsArch(new Uint8Array(8))).toBeUndefined();
  });

  it('explains contexts too short to decode', () => {
    expect(decodeContext('x86', new Uint8Array(0x40), 'thread')).toBe('x86 CONTEXT is 64 bytes, too short to hold the integer registers');
    expect(decodeContext('x64', new Uint8Array(0xff), 'exception')).toBe('x64 CONTEXT is 255 bytes, too short to hold Rip');
  });

  it('reads the x86 debug registers and MXCSR from ExtendedRegisters', () => {
    const b = x86Context({ eip: 0x401000n });
    const dv = new DataView(b.buffer);
    dv.setUint32(0x04, 0x1111, true);
    dv.setUint32(0x18, 0x401, true);
    dv.setUint32(0xcc + 0x18, 0x1f80, true);
    const d = decodeContext('x86', b, 'thread');
    if (typeof d === 'string') throw new Error(d);
    expect(d.debugRegisters).toEqual([0x1111n, 0n, 0n, 0n, 0n, 0x401n]);
    expect(d.mxcsr).toBe(0x1f80);
    expect(d.context.ip).toBe(0x401000n);
  });
});
