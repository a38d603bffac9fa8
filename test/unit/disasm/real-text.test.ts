import { existsSync, openSync, readSync, closeSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { disassemble, disassembleBackward, formatDisasmLine } from '../../../src/disasm/index.js';
import { BlockMemory } from '../../../src/memory/virtual-memory.js';

const dir = path.resolve(process.cwd(), '../shared/testdata/rizinorg+test-pdb-repository/Wdf01000.sys/a9a9d36ed1000');
const file = path.join(dir, 'Wdf01000.sys');
if (!existsSync(file)) console.warn(`skipping real-code disassembly tests: ${file} not found`);

/** Reads `length` bytes at `offset` of the image. */
function readAt(offset: number, length: number): Buffer {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(length);
    readSync(fd, buf, 0, length, offset);
    return buf;
  } finally {
    closeSync(fd);
  }
}

// From the image's section table: .text at RVA 0x1000, file offset 0x400, image base 0x1c0000000.
const TEXT_VA = 0x1c0001000n;
const TEXT_FILE_OFFSET = 0x400;
const SAMPLE = 0x4000;

describe.skipIf(!existsSync(file))('real x64 code (Wdf01000.sys .text)', () => {
  const memory = () => new BlockMemory([{ base: TEXT_VA, bytes: new Uint8Array(readAt(TEXT_FILE_OFFSET, SAMPLE)) }]);

  it('decodes the first 16 KiB into contiguous, well-formed lines', () => {
    const mem = memory();
    const lines = disassemble(mem, TEXT_VA, { bitness: 64, end: TEXT_VA + BigInt(SAMPLE - 16), symbolize: () => undefined });
    expect(lines.length).toBeGreaterThan(2000);
    let at = TEXT_VA;
    const layout = /^[0-9a-f]{8}`[0-9a-f]{8} [0-9a-f]{2,30} +\S/;
    for (const line of lines) {
      expect(line.address).toBe(at);
      expect(line.readable).toBe(true);
      expect(line.text).not.toBe('???');
      const text = formatDisasmLine(line, 8);
      expect(text).toMatch(layout);
      if (line.bytes.length <= 7) expect(text.charAt(17 + 1 + 15)).toBe(' ');
      at += BigInt(line.length);
    }
  });

  it('ub lands on instruction boundaries found by forward decoding', () => {
    const mem = memory();
    const forward = disassemble(mem, TEXT_VA, { bitness: 64, count: 400, symbolize: () => undefined });
    const target = forward[300]!.address;
    const back = disassembleBackward(mem, target, 8, { bitness: 64, symbolize: () => undefined });
    expect(back.map((l) => l.address)).toEqual(forward.slice(292, 300).map((l) => l.address));
  });
});
