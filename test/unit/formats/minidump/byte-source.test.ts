import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BufferSource, FileSource } from '../../../../src/formats/minidump/byte-source.js';

const dir = mkdtempSync(path.join(tmpdir(), 'crashkd-src-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** 4100 KiB whose every dword holds its own offset: any misplaced byte shows. */
function file(): { path: string; bytes: Uint8Array } {
  const bytes = new Uint8Array(4100 * 1024 + 6);
  const dv = new DataView(bytes.buffer);
  for (let o = 0; o + 4 <= bytes.length; o += 4) dv.setUint32(o, o, true);
  const p = path.join(dir, 'src.bin');
  writeFileSync(p, bytes);
  return { path: p, bytes };
}

describe('FileSource', () => {
  const { path: p, bytes } = file();

  it('reads within a block, across blocks and up to the end of the file', () => {
    const s = new FileSource(p);
    expect(s.size).toBe(bytes.length);
    expect(s.read(8, 8)).toEqual(bytes.subarray(8, 16));
    expect(s.read(0xffc, 8)).toEqual(bytes.subarray(0xffc, 0x1004));
    expect(s.read(bytes.length - 4, 16)).toEqual(bytes.subarray(bytes.length - 4));
    expect(s.read(bytes.length, 4)).toHaveLength(0);
    expect(s.read(0x3000, 0x5000)).toEqual(bytes.subarray(0x3000, 0x8000));
    s.close();
  });

  it('keeps returned arrays intact when a cache slot is reused', () => {
    const s = new FileSource(p);
    const first = s.read(16, 8);
    // Block 1024 maps to the same slot as block 0 in a 1024-slot direct-mapped cache.
    expect(s.read(1024 * 4096 + 16, 4)).toEqual(bytes.subarray(1024 * 4096 + 16, 1024 * 4096 + 20));
    expect(first).toEqual(bytes.subarray(16, 24));
    expect(s.read(20, 4)).toEqual(bytes.subarray(20, 24));
    s.close();
  });

  it('copies into a destination and reads nothing after close', () => {
    const s = new FileSource(p);
    const dest = new Uint8Array(12);
    expect(s.readInto(0x1ffc, dest, 4, 8)).toBe(8);
    expect(dest.subarray(4)).toEqual(bytes.subarray(0x1ffc, 0x2004));
    s.close();
    expect(s.read(0, 4)).toHaveLength(0);
    expect(s.readInto(0, dest, 0, 4)).toBe(0);
  });
});

describe('BufferSource', () => {
  it('returns copies and clips at the end', () => {
    const b = new Uint8Array([1, 2, 3, 4]);
    const s = new BufferSource(b);
    const got = s.read(2, 10);
    expect(got).toEqual(new Uint8Array([3, 4]));
    got[0] = 99;
    expect(b[2]).toBe(3);
    expect(s.read(-1, 2)).toHaveLength(0);
  });
});
