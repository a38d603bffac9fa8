import { describe, expect, it } from 'vitest';
import { countedStringBufferOffset, readCountedString } from '../../../src/kernel-objects/counted-string.js';
import { BlockMemory } from '../../../src/memory/virtual-memory.js';
import { Block } from './byte-blocks.js';

const STRUCT = 0xffff800000001000n;
const BUFFER = 0xffff800000002000n;

describe('readCountedString', () => {
  it('reads a UNICODE_STRING up to Length bytes, ignoring what follows', () => {
    const s = new Block(STRUCT, 0x10).u16(0, 0x0e).u16(2, 0x20).u64(8, BUFFER);
    const b = new Block(BUFFER, 0x20).utf16(0, '\\Driver\\XYZ');
    const v = readCountedString(new BlockMemory([s.block, b.block]), STRUCT, true, 8);
    expect(v).toEqual({ address: STRUCT, length: 0x0e, maximumLength: 0x20, buffer: BUFFER, text: '\\Driver' });
  });

  it('reads an x64 ANSI_STRING with the Buffer at +8 and an x86 one at +4', () => {
    expect(countedStringBufferOffset(8)).toBe(8);
    expect(countedStringBufferOffset(4)).toBe(4);
    const x64 = new Block(STRUCT, 0x10).u16(0, 12).u16(2, 13).u64(8, BUFFER);
    const text = new Block(BUFFER, 0x10).ascii(0, 'ntoskrnl.exe');
    expect(readCountedString(new BlockMemory([x64.block, text.block]), STRUCT, false, 8)?.text).toBe('ntoskrnl.exe');
    const x86 = new Block(0x1000n, 8).u16(0, 4).u16(2, 5).u32(4, 0x2000);
    const t86 = new Block(0x2000n, 8).ascii(0, 'abcdefg');
    expect(readCountedString(new BlockMemory([x86.block, t86.block]), 0x1000n, false, 4)).toEqual({
      address: 0x1000n, length: 4, maximumLength: 5, buffer: 0x2000n, text: 'abcd',
    });
  });

  it('gives the header without text when the buffer is not in memory, undefined when the header is not', () => {
    const s = new Block(STRUCT, 0x10).u16(0, 4).u16(2, 4).u64(8, BUFFER);
    const mem = new BlockMemory([s.block]);
    expect(readCountedString(mem, STRUCT, true, 8)).toEqual({ address: STRUCT, length: 4, maximumLength: 4, buffer: BUFFER });
    expect(readCountedString(mem, STRUCT + 0x100n, true, 8)).toBeUndefined();
  });

  it('drops the stray byte of an odd UNICODE Length and reads Length 0 as empty', () => {
    const s = new Block(STRUCT, 0x20).u16(0, 5).u16(2, 6).u64(8, BUFFER).u16(0x10, 0).u16(0x12, 0).u64(0x18, 0n);
    const b = new Block(BUFFER, 8).utf16(0, 'abc');
    const mem = new BlockMemory([s.block, b.block]);
    expect(readCountedString(mem, STRUCT, true, 8)?.text).toBe('ab');
    expect(readCountedString(mem, STRUCT + 0x10n, true, 8)?.text).toBe('');
  });
});
