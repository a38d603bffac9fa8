/**
 * Opens a synthetic 2 GiB full-memory minidump (Memory64List) and reports how long opening
 * takes and how much memory the process holds. The dump is a sparse file in os.tmpdir(), so
 * it costs almost no disk; it is deleted afterwards.
 *
 *   npx tsx bench/minidump.ts [sizeGiB]
 */
import { rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { ModuleFactory } from '../src/target/module-info.js';
import { openMinidump } from '../src/target/user/minidump-target.js';
import { MinidumpBuilder } from '../test/builders/minidump-builder.js';

const GiB = 1024 ** 3;
const RANGE = 64 * 1024;
const sizeGiB = Number(process.argv[2] ?? 2);
const file = path.join(tmpdir(), `crashkd-bench-${process.pid}.dmp`);
const mb = (n: number): string => `${(n / 1024 / 1024).toFixed(1)} MiB`;

const noSymbols: ModuleFactory = (info) => ({
  ...info,
  symbols: () => ({ kind: 'none', nearest: () => undefined, next: () => undefined, byName: () => [], all: () => [] }),
});

function build(): number {
  const b = new MinidumpBuilder('x64');
  b.header.flags = 0x2n; // MiniDumpWithFullMemory
  b.miscInfo({ processId: 4242, processCreateTime: 1_600_000_000 });
  const ranges = Math.floor((sizeGiB * GiB) / RANGE);
  // Ranges spread over the address space with gaps, as a real process's regions are.
  for (let i = 0; i < ranges; i++) b.memory64Block(0x10000n + BigInt(i) * BigInt(RANGE * 2), RANGE);
  for (let i = 0; i < 64; i++) {
    b.thread({ id: 0x1000 + i, teb: 0x7ff0000000n + BigInt(i * 0x2000), context: { regs: { rip: 0x7ff800001000n + BigInt(i), rsp: 0x10000n + BigInt(i * RANGE * 2) + 0x8000n } } });
  }
  for (let i = 0; i < 200; i++) b.module({ base: 0x7ff800000000n + BigInt(i) * 0x100000n, size: 0x80000, path: `C:\\Windows\\System32\\mod${i}.dll`, cv: { type: 'RSDS', guid: '00112233445566778899AABBCCDDEEFF', age: 1, pdb: `mod${i}.pdb` } });
  return b.writeSparse(file);
}

try {
  const t0 = performance.now();
  const size = build();
  const built = performance.now() - t0;
  const onDisk = statSync(file).blocks * 512;
  global.gc?.();
  const rssBefore = process.memoryUsage().rss;

  const t1 = performance.now();
  const target = openMinidump(file, { moduleFactory: noSymbols });
  const openMs = performance.now() - t1;
  const rssAfter = process.memoryUsage().rss;

  const ranges = target.memory.all;
  const randomReads = (): [number, number] => {
    const t = performance.now();
    let read = 0;
    for (let i = 0; i < 100_000; i++) {
      const r = ranges[(i * 7919) % ranges.length]!;
      read += target.memory.readPartial(r.start + BigInt((i * 104729) % (r.size - 8)), 8).length;
    }
    return [performance.now() - t, read];
  };
  // The first pass touches 100000 file pages the kernel has never seen (cold); the second
  // pass finds them in the page cache and measures the reader itself.
  const [coldMs, read] = randomReads();
  const [warmMs] = randomReads();
  const t3 = performance.now();
  let scanned = 0;
  for (let a = ranges[0]!.start; a < ranges[0]!.start + 0x10000n; a += 4n) scanned += target.memory.readPartial(a, 4).length;
  const seqMs = performance.now() - t3;
  const rssEnd = process.memoryUsage().rss;
  target.close();

  console.log(`synthetic dump: ${mb(size)} logical (${(size / GiB).toFixed(2)} GiB), ${mb(onDisk)} on disk, ${ranges.length} Memory64List ranges, built in ${built.toFixed(0)} ms`);
  console.log(`open: ${openMs.toFixed(1)} ms (${target.units.length} threads, ${target.modules.length} modules, ${mb(target.memory.totalBytes)} of memory)`);
  console.log(`RSS: ${mb(rssBefore)} before open, ${mb(rssAfter)} after open (+${mb(rssAfter - rssBefore)})`);
  console.log(`100000 random 8-byte reads: ${coldMs.toFixed(0)} ms cold, ${warmMs.toFixed(0)} ms warm (${read} bytes each pass)`);
  console.log(`16384 sequential 4-byte reads (a stack scan): ${seqMs.toFixed(1)} ms (${scanned} bytes); RSS at end ${mb(rssEnd)}`);
} finally {
  rmSync(file, { force: true });
}
