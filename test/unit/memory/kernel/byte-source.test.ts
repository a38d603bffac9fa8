import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BufferByteSource, FileByteSource } from '../../../../src/memory/kernel/byte-source.js';

const dir = mkdtempSync(join(tmpdir(), 'crashkd-bytes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const data = new Uint8Array(5 * 4096 + 100);
for (let i = 0; i < data.length; i++) data[i] = (i * 31 + (i >> 12)) & 0xff;
const path = join(dir, 'f.bin');
writeFileSync(path, data);

describe('FileByteSource', () => {
  it('reads within a page, across pages and at end of file', () => {
    const s = FileByteSource.open(path, { maxPages: 8 });
    try {
      expect(s.size).toBe(data.length);
      expect(s.read(10, 20)).toEqual(data.subarray(10, 30));
      expect(s.read(4090, 20)).toEqual(data.subarray(4090, 4110));
      expect(s.read(data.length - 10, 50)).toEqual(data.subarray(data.length - 10));
      expect(s.read(data.length, 4)).toHaveLength(0);
      expect(s.read(-1, 4)).toHaveLength(0);
      expect(s.read(3 * 4096 + 5, 5 * 4096)).toEqual(data.subarray(3 * 4096 + 5));
    } finally {
      s.close();
    }
  });

  it('keeps at most maxPages pages and evicts the least recently used', () => {
    const s = FileByteSource.open(path, { maxPages: 4 });
    try {
      for (let p = 0; p < 6; p++) s.read(p * 4096, 8);
      expect(s.cachedPages).toBe(4);
      expect(s.stats.misses).toBe(6);
      s.read(5 * 4096, 8);
      expect(s.stats.hits).toBe(1);
      // Page 0 was evicted first: reading it again is a miss.
      s.read(0, 8);
      expect(s.stats.misses).toBe(7);
      expect(s.cachedPages).toBe(4);
    } finally {
      s.close();
    }
  });

  it('bypasses the cache for large reads and refuses reads after close', () => {
    const s = FileByteSource.open(path, { maxPages: 4 });
    s.read(0, 5 * 4096);
    expect(s.stats.direct).toBe(1);
    expect(s.cachedPages).toBe(0);
    s.close();
    expect(() => s.read(0, 4)).toThrow();
  });
});

describe('BufferByteSource', () => {
  it('returns short reads at the end', () => {
    const s = new BufferByteSource(new Uint8Array([1, 2, 3]));
    expect(s.read(1, 10)).toEqual(new Uint8Array([2, 3]));
    expect(s.read(3, 1)).toHaveLength(0);
  });
});
