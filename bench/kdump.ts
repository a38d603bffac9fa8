/**
 * Builds a synthetic 8 GiB bitmap kernel dump (type 5, every PFN present, page data left as
 * sparse-file holes), times opening it and reports RSS, then times random 4 KiB virtual reads
 * through the page tables, cold (first touch of random pages over all 8 GiB) and warm (a working
 * set that fits the caches). The file lives in os.tmpdir() and is deleted afterwards.
 *
 *   npx tsx bench/kdump.ts [sizeGiB]
 */
import { rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { ModuleFactory } from '../src/target/module-info.js';
import { openKernelDump } from '../src/target/kernel/kernel-dump-target.js';
import { KernelMachine, PTE, VA, put64, writeBitmapDump } from '../test/builders/kdump-builder.js';

const GiB = 1024 ** 3;
const sizeGiB = Number(process.argv[2] ?? 8);
const totalPages = (sizeGiB * GiB) / 4096;
/** Virtual window mapped 1:1 onto all of physical memory with 4 KiB PTEs. */
const WINDOW = 0xffffb00000000000n;
/** PFNs holding the window's page tables (one PT page per 2 MiB), near the top of memory. */
const PT_BASE = totalPages - totalPages / 512 - 16;
const file = path.join(tmpdir(), `crashkd-kdump-bench-${process.pid}.dmp`);
const mb = (n: number): string => `${(n / 1024 / 1024).toFixed(1)} MiB`;

const noSymbols: ModuleFactory = (info) => ({
  ...info,
  symbols: () => ({ kind: 'none', nearest: () => undefined, next: () => undefined, byName: () => [], all: () => [] }),
});

function build(): number {
  const m = new KernelMachine({
    build: 19041,
    processors: Array.from({ length: 8 }, (_, i) => ({ regs: { rip: VA.kernelBase + 0x1000n + BigInt(i), rsp: VA.hugeBase + 0x8000n } })),
    bugCheck: { code: 0x133, parameters: [1n, 0x1e00n, 0xfffff80000215000n, 0n] },
    modules: Array.from({ length: 150 }, (_, i) => ({
      baseName: i === 0 ? 'ntoskrnl.exe' : `drv${i}.sys`,
      fullName: i === 0 ? '\\SystemRoot\\system32\\ntoskrnl.exe' : `\\SystemRoot\\System32\\drivers\\drv${i}.sys`,
      base: i === 0 ? VA.kernelBase : 0xfffff80010000000n + BigInt(i) * 0x100000n,
      size: 0x80000,
      timestamp: 0x5f000000 + i,
    })),
  });
  // One PT page per 2 MiB of the window, filled directly (2M map4k calls would dominate the build).
  for (let chunk = 0; chunk < totalPages / 512; chunk++) {
    const ptPfn = PT_BASE + chunk;
    const page = m.phys.page(ptPfn);
    for (let k = 0; k < 512; k++) put64(page, k * 8, (BigInt(chunk * 512 + k) << 12n) | PTE.present | PTE.write);
    m.pt.setRaw(WINDOW + BigInt(chunk) * 0x200000n, 2, (BigInt(ptPfn) << 12n) | PTE.present | PTE.write);
  }
  const present = Array.from({ length: totalPages }, (_, i) => i);
  writeBitmapDump(m, file, { type: 5, signature: 'FDMP', present, bitCount: totalPages });
  return statSync(file).size;
}

function randomPages(count: number, seed: number): bigint[] {
  let s = seed >>> 0;
  const out: bigint[] = [];
  for (let i = 0; i < count; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const page = Math.floor((s / 2 ** 32) * (totalPages - totalPages / 64));
    out.push(WINDOW + (BigInt(page) << 12n));
  }
  return out;
}

try {
  const t0 = performance.now();
  const size = build();
  const built = performance.now() - t0;
  const onDisk = statSync(file).blocks * 512;
  global.gc?.();
  const rssBefore = process.memoryUsage().rss;

  const t1 = performance.now();
  const target = openKernelDump(file, { moduleFactory: noSymbols });
  const openMs = performance.now() - t1;
  const rssAfter = process.memoryUsage().rss;

  const pass = (addresses: readonly bigint[]): number => {
    const t = performance.now();
    let bytes = 0;
    for (const a of addresses) bytes += target.memory.readPartial(a, 4096).length;
    if (bytes !== addresses.length * 4096) throw new Error(`short reads: ${bytes}`);
    return addresses.length / ((performance.now() - t) / 1000);
  };
  const cold = pass(randomPages(20_000, 1));
  const working = randomPages(2_000, 2);
  pass(working);
  const warmAddrs = Array.from({ length: 20_000 }, (_, i) => working[(i * 7919) % working.length]!);
  const warm = pass(warmAddrs);
  const rssEnd = process.memoryUsage().rss;

  console.log(`kernel bitmap dump: ${sizeGiB} GiB of physical memory, file ${mb(size)} (${mb(onDisk)} on disk), built in ${built.toFixed(0)} ms`);
  console.log(`open: ${openMs.toFixed(1)} ms; RSS ${mb(rssBefore)} -> ${mb(rssAfter)} (+${mb(rssAfter - rssBefore)})`);
  console.log(`  ${target.units.length} processors, ${target.modules.length} modules, warnings: ${target.warnings.length}`);
  console.log(`random 4 KiB virtual reads: cold ${cold.toFixed(0)} reads/s, warm ${warm.toFixed(0)} reads/s; RSS after reads ${mb(rssEnd)}`);
  target.close();
} finally {
  rmSync(file, { force: true });
}
