import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BufferSource } from '../../../../src/formats/minidump/byte-source.js';
import { DumpMemory, normaliseRanges } from '../../../../src/formats/minidump/dump-memory.js';
import { readExact, readUnsigned } from '../../../../src/memory/virtual-memory.js';
import { openMinidump, openMinidumpBytes } from '../../../../src/target/user/minidump-target.js';
import { MinidumpBuilder } from '../../../builders/minidump-builder.js';
import { recordingModules } from './fake-modules.js';

function pattern(n: number, seed: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = (i * 7 + seed) & 0xff;
  return b;
}

function open(b: MinidumpBuilder) {
  return openMinidumpBytes(b.build(), { moduleFactory: recordingModules().factory });
}

const dir = mkdtempSync(path.join(tmpdir(), 'crashkd-mdmp-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('minidump memory', () => {
  it('reads MemoryList blocks and returns the readable prefix at a gap', () => {
    const a = pattern(0x100, 1);
    const t = open(new MinidumpBuilder('x86').thread({ id: 1 }).memoryBlock(0x12f000n, a).memoryBlock(0x400000n, pattern(16, 9)));
    expect(t.memory.readPartial(0x12f010n, 4)).toEqual(a.subarray(0x10, 0x14));
    expect(t.memory.readPartial(0x12f0f8n, 16)).toEqual(a.subarray(0xf8, 0x100));
    expect(t.memory.readPartial(0x12e000n, 4)).toHaveLength(0);
    expect(readUnsigned(t.memory, 0x400000n, 4)).toBe(0x1e171009n);
    expect(() => readExact(t.memory, 0x400008n, 16)).toThrow('Memory access error');
  });

  it('reads Memory64List ranges laid out back to back from BaseRva', () => {
    const b = new MinidumpBuilder('x64').thread({ id: 1 });
    const blocks = [0x10000n, 0x7ffe0000n, 0x9897d0d000n].map((start, i) => ({ start, bytes: pattern(0x1000 * (i + 1), i) }));
    for (const blk of blocks) b.memory64Block(blk.start, blk.bytes);
    const t = open(b);
    for (const blk of blocks) {
      expect(t.memory.readPartial(blk.start, blk.bytes.length)).toEqual(blk.bytes);
    }
    expect(t.memory.all.map((r) => r.start)).toEqual(blocks.map((x) => x.start));
  });

  it('reads across adjacent ranges as one', () => {
    const t = open(new MinidumpBuilder('x64').thread({ id: 1 }).memory64Block(0x1000n, pattern(0x1000, 1)).memory64Block(0x2000n, pattern(0x1000, 2)));
    const got = t.memory.readPartial(0x1ffcn, 8);
    expect([...got]).toEqual([...pattern(0x1000, 1).subarray(0xffc), ...pattern(0x1000, 2).subarray(0, 4)]);
  });

  it('resolves overlapping ranges: the earlier-starting range keeps the shared bytes', () => {
    const big = pattern(0x200, 3);
    const inner = new Uint8Array(0x40).fill(0xee);
    const tail = new Uint8Array(0x100).fill(0xaa);
    const t = open(
      new MinidumpBuilder('x86')
        .thread({ id: 1 })
        .memoryBlock(0x5000n, big)
        .memoryBlock(0x5080n, inner) // fully inside: dropped
        .memoryBlock(0x5180n, tail), // overlaps the end: trimmed to 0x5200..0x5280
    );
    expect(t.memory.all.map((r) => [r.start, r.size])).toEqual([[0x5000n, 0x200], [0x5200n, 0x80]]);
    expect(t.memory.readPartial(0x5080n, 4)).toEqual(big.subarray(0x80, 0x84));
    expect(t.memory.readPartial(0x51fen, 4)).toEqual(new Uint8Array([big[0x1fe]!, big[0x1ff]!, 0xaa, 0xaa]));
    expect(t.memory.readPartial(0x5280n, 1)).toHaveLength(0);
  });

  it('normalises equal-start ranges by keeping the larger', () => {
    const r = normaliseRanges([
      { start: 0x100n, size: 0x10, fileOffset: 1000 },
      { start: 0x100n, size: 0x40, fileOffset: 2000 },
      { start: 0x0n, size: 0, fileOffset: 0 },
    ]);
    expect(r).toEqual([{ start: 0x100n, size: 0x40, fileOffset: 2000 }]);
  });

  it('adds thread stack descriptors as memory', () => {
    const stack = pattern(0x40, 5);
    const t = open(new MinidumpBuilder('x86').thread({ id: 1, stack: { start: 0x97f6e8n, bytes: stack } }));
    expect(t.memory.readPartial(0x97f6e8n, 0x40)).toEqual(stack);
    expect(t.threads[0]).toMatchObject({ stackStart: 0x97f6e8n, stackSize: 0x40 });
  });

  it('reads lazily from a file with positioned reads', () => {
    const file = path.join(dir, 'lazy.dmp');
    const data = pattern(0x3000, 11);
    const size = new MinidumpBuilder('x64').thread({ id: 1 }).memory64Block(0x7ff000000000n, data).memory64Block(0x7ff000100000n, 0x10000).writeSparse(file);
    const t = openMinidump(file, { moduleFactory: recordingModules().factory });
    expect(t.path).toBe(file);
    expect(t.memory.readPartial(0x7ff000001234n, 8)).toEqual(data.subarray(0x1234, 0x123c));
    expect(t.memory.readPartial(0x7ff000100000n, 4)).toEqual(new Uint8Array(4)); // sparse hole reads as zeros
    expect(t.memory.totalBytes).toBe(0x13000);
    expect(size).toBeGreaterThan(0x13000);
    t.close();
    expect(t.memory.readPartial(0x7ff000001234n, 8)).toHaveLength(0);
  });

  it('DumpMemory refuses negative addresses and empty lengths', () => {
    const m = new DumpMemory(new BufferSource(new Uint8Array(16)), [{ start: 0n, size: 16, fileOffset: 0 }]);
    expect(m.readPartial(-1n, 4)).toHaveLength(0);
    expect(m.readPartial(0n, 0)).toHaveLength(0);
    expect(m.readPartial(12n, 8)).toHaveLength(4);
  });
});
