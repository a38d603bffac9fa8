import { describe, expect, it } from 'vitest';
import { BufferSource } from '../../../../src/formats/pdb/byte-source.js';
import { MsfFile } from '../../../../src/formats/pdb/msf.js';
import { Arena } from '../../../../src/formats/pdb/procedure-index.js';
import { buildMsf } from './pdb-builder.js';

const BS = 512;

/** Stream 1 spans three blocks; its blocks are then stored in reverse physical order. */
function scrambled(): { file: Buffer; data: Buffer } {
  const data = Buffer.from(Array.from({ length: 3 * BS - 100 }, (_, i) => (i * 7 + 3) & 0xff));
  const file = buildMsf([Buffer.alloc(0), data], BS);
  const dirBlock = file.readUInt32LE(file.readUInt32LE(0x34) * BS);
  const list = dirBlock * BS + 4 + 2 * 4; // NumStreams, two sizes, then stream 1's block numbers
  const [b0, b1, b2] = [0, 1, 2].map((i) => file.readUInt32LE(list + i * 4)) as [number, number, number];
  expect([b1 - b0, b2 - b1]).toEqual([1, 1]);
  const first = Buffer.from(file.subarray(b0 * BS, b0 * BS + BS));
  file.copy(file, b0 * BS, b2 * BS, b2 * BS + BS);
  first.copy(file, b2 * BS);
  file.writeUInt32LE(b2, list);
  file.writeUInt32LE(b0, list + 8);
  return { file, data };
}

describe('MSF stream reads', () => {
  it('reads ranges across blocks that are not consecutive on disk', () => {
    const { file, data } = scrambled();
    const s = new MsfFile(new BufferSource(file)).stream(1, 'test stream');
    expect(s.read(0, data.length).equals(data)).toBe(true);
    expect(s.read(100, 1000).equals(data.subarray(100, 1100))).toBe(true);
    expect(s.read(BS - 3, 6).equals(data.subarray(BS - 3, BS + 3))).toBe(true);
    expect(s.read(BS + 10, 20).equals(data.subarray(BS + 10, BS + 30))).toBe(true);
    const target = Buffer.alloc(1200, 0xee);
    s.readInto(300, 1000, target, 7);
    expect(target.subarray(7, 1007).equals(data.subarray(300, 1300))).toBe(true);
    expect(target[6]).toBe(0xee);
    expect(target[1007]).toBe(0xee);
  });

  it('rejects reads outside the stream or past the target', () => {
    const { file, data } = scrambled();
    const s = new MsfFile(new BufferSource(file)).stream(1, 'test stream');
    expect(() => s.read(data.length - 4, 8, 'field X')).toThrow(/field X \(0x8 bytes at 0x598\) lies outside the stream/);
    expect(() => s.readInto(0, 100, Buffer.alloc(50), 0)).toThrow(/does not fit the buffer/);
    expect(s.read(10, 0).length).toBe(0);
  });

  it('returns a range on consecutive blocks from one source read, without a copy', () => {
    const data = Buffer.from(Array.from({ length: 3 * BS }, (_, i) => i & 0xff));
    const file = buildMsf([Buffer.alloc(0), data], BS);
    const s = new MsfFile(new BufferSource(file)).stream(1, 'test stream');
    const got = s.read(BS - 10, BS + 20);
    expect(got.equals(data.subarray(BS - 10, 2 * BS + 10))).toBe(true);
    expect(got.buffer).toBe(file.buffer);
  });

  it('reads bytes past the end of a truncated file as zero', () => {
    const file = buildMsf([Buffer.alloc(0), Buffer.alloc(BS, 1)], BS);
    const msf = new MsfFile(new BufferSource(file));
    const target = Buffer.alloc(20, 0xee);
    msf.readFileInto(file.length - 10, 20, target, 0);
    expect(target.subarray(0, 10).equals(file.subarray(file.length - 10))).toBe(true);
    expect(target.subarray(10).equals(Buffer.alloc(10))).toBe(true);
  });
});

describe('Arena', () => {
  it('hands out disjoint zeroed u32 views, growing its chunks, and large requests on their own', () => {
    const arena = new Arena(1 << 16);
    const views = [3, 1000, 4000, 5, 3000].map((n) => arena.u32(n));
    views.forEach((v, i) => v.fill(i + 1));
    views.forEach((v, i) => expect(v.every((x) => x === i + 1)).toBe(true));
    expect(views.map((v) => v.length)).toEqual([3, 1000, 4000, 5, 3000]);
    expect(views[0]!.buffer).toBe(views[1]!.buffer);
    const big = arena.u32(1 << 13);
    expect(big.length).toBe(1 << 13);
    expect(big.every((x) => x === 0)).toBe(true);
    expect(big.buffer).not.toBe(views[4]!.buffer);
  });

  it('hands out disjoint byte views', () => {
    const arena = new Arena(1 << 16);
    const views = [10, 5000, 7, 9000].map((n) => arena.bytes(n));
    views.forEach((v, i) => v.fill(i + 1));
    views.forEach((v, i) => expect(v.every((x) => x === i + 1)).toBe(true));
    expect(views.map((v) => v.length)).toEqual([10, 5000, 7, 9000]);
    expect(arena.bytes(1 << 15).length).toBe(1 << 15);
  });
});
