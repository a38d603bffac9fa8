/**
 * PDB lookup benchmark: `npx tsx bench/pdb.ts [file.pdb] [--no-synthetic] [--runs N] [--tsx]`.
 *
 * 1. The largest PDB under ../shared/testdata (or the given one), 2. two synthetic ~100 MB PDBs
 * with 2,000 modules and 200,000 publics, built with the test PDB builder
 * (test/unit/formats/pdb/large-pdb.ts) into os.tmpdir() and deleted afterwards: "worst case" (every module byte a procedure record: 1M procedures, the
 * most a lookup can have to read and scan) and "typical" (the byte mix of the real PDBs in
 * testdata: procedures with nested locals, C13 line data, a type stream, data publics). Each
 * is measured in fresh child processes (`--runs`, default 5; min and median reported, since a
 * shared machine's speed varies from run to run): open, first lookup, 10,000 random lookups in
 * .text reading each result's name (cold, then again warm), bytes actually read, RSS growth,
 * and the heap + external memory still held after a GC (the reader's own data, without V8's
 * code and heap reservations). The children run this file bundled by esbuild, as dist/ ships
 * the reader (`--tsx` runs them under tsx instead, whose CommonJS interop turns every
 * cross-module reference into a getter call). 3. amdppm through the module factory (store
 * search, identity check, open, first symbolization), as a session pays for it. Then a goals
 * table.
 *
 * Goals (issue 7): first lookup < 100 ms, 10,000 lookups < 50 ms, RSS growth < 2x bytes read.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { FileSource, type ByteSource } from '../src/formats/pdb/byte-source.js';
import { PdbFile } from '../src/formats/pdb/pdb-file.js';
import { PdbSymbols } from '../src/formats/pdb/pdb-symbols.js';
import { createModuleFactory } from '../src/symbols/module-factory.js';
import { TYPICAL, WORST_CASE, writeSyntheticPdb } from '../test/unit/formats/pdb/large-pdb.js';

const mib = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MiB`;
const self = fileURLToPath(import.meta.url);
const testdata = path.resolve(path.dirname(self), '../../shared/testdata');
const GOAL = { firstMs: 100, lookupsMs: 50, rssRatio: 2 };
const LOOKUPS = 10_000;

/** What one measurement reports back to the parent (one JSON line on stdout). */
interface Result {
  label: string;
  openMs: number;
  firstMs: number;
  coldMs: number;
  warmMs: number;
  bytesRead: number;
  rssGrowth: number;
  /** heapUsed + external growth after a full GC: what the reader keeps. */
  retained: number;
}

function findPdbs(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) findPdbs(p, out);
    else if (entry.isFile() && /\.pdb$/i.test(entry.name)) out.push(p);
  }
  return out;
}

/** Counts bytes read so the bench can show that only the needed streams were touched. */
class CountingSource implements ByteSource {
  bytesRead = 0;
  constructor(private readonly inner: FileSource) {}
  get size(): number {
    return this.inner.size;
  }
  read(offset: number, length: number): Buffer {
    this.bytesRead += length;
    return this.inner.read(offset, length);
  }
  readInto(offset: number, length: number, target: Uint8Array, targetOffset: number): void {
    this.bytesRead += length;
    this.inner.readInto(offset, length, target, targetOffset);
  }
  close(): void {
    this.inner.close();
  }
}

/** Deterministic pseudo-random addresses (xorshift) so runs are comparable. */
function randomRvas(lo: number, hi: number, n: number): number[] {
  let seed = 0x2545f491;
  const rand = () => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) / 0x100000000;
  };
  return Array.from({ length: n }, () => lo + Math.floor(rand() * (hi - lo)));
}

/** heapUsed + external now, after a full GC when the process was started with --expose-gc. */
function heldMemory(): number {
  (globalThis as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
}

/** Measures one PDB in this process, prints the report and a RESULT line for the parent. */
function measure(file: string, label: string): void {
  const heldBefore = heldMemory();
  const rssBefore = process.memoryUsage().rss;
  const source = new CountingSource(new FileSource(file));
  let t = performance.now();
  const pdb = PdbFile.fromSource(source, file);
  const syms = new PdbSymbols(pdb);
  const openMs = performance.now() - t;
  const bytesAtOpen = source.bytesRead;
  const sections = pdb.addressMap().sections;
  const text = sections.find((s) => s.name === '.text') ?? sections[0];
  const lo = text?.virtualAddress ?? 0x1000;
  const hi = lo + (text?.virtualSize ?? 0x10000);
  // The first lookup pays for the section headers, the publics, the contributions and one module.
  t = performance.now();
  const first = syms.nearest(lo + Math.floor((hi - lo) / 2));
  const firstMs = performance.now() - t;
  const bytesAfterFirst = source.bytesRead;
  const addrs = randomRvas(lo, hi, LOOKUPS);
  // Each result's name is read, as a caller printing it would.
  let hits = 0;
  let nameBytes = 0;
  t = performance.now();
  for (const a of addrs) {
    const s = syms.nearest(a);
    if (s) hits++;
    nameBytes += s?.name.length ?? 0;
  }
  const coldMs = performance.now() - t;
  // Same addresses again: every module they need is indexed now, so this is search plus cached names.
  t = performance.now();
  for (const a of addrs) nameBytes += syms.nearest(a)?.name.length ?? 0;
  const warmMs = performance.now() - t;
  const rssGrowth = process.memoryUsage().rss - rssBefore;
  const retained = heldMemory() - heldBefore;
  const bytesRead = source.bytesRead;
  const perLookup = (ms: number) => `${((ms * 1000) / addrs.length).toFixed(2)} us each`;

  console.log(`file              ${file}`);
  console.log(`file size         ${mib(statSync(file).size)} (${pdb.msf.streamCount} streams, block size ${pdb.msf.superBlock.blockSize})`);
  console.log(`modules           ${pdb.dbi.modules.length} (${pdb.dbi.sectionContributions.length} section contributions)`);
  console.log(`open              ${openMs.toFixed(2)} ms (read ${mib(bytesAtOpen)})`);
  console.log(`first lookup      ${firstMs.toFixed(2)} ms -> ${first?.name ?? '(none)'}; bytes read so far ${mib(bytesAfterFirst)}`);
  console.log(`${LOOKUPS} lookups    ${coldMs.toFixed(2)} ms cold (${perLookup(coldMs)}, ${hits} hits, ${nameBytes} name bytes over both passes)`);
  console.log(`${LOOKUPS} again      ${warmMs.toFixed(2)} ms warm (${perLookup(warmMs)})`);
  console.log(`module streams    ${pdb.loadedModuleCount} of ${pdb.dbi.modules.length} read`);
  console.log(`bytes read total  ${mib(bytesRead)} of ${mib(source.size)}`);
  console.log(`RSS growth        ${mib(rssGrowth)} (${(rssGrowth / Math.max(1, bytesRead)).toFixed(2)}x bytes read)`);
  console.log(`retained          ${mib(retained)} heap + external after GC (${(retained / Math.max(1, bytesRead)).toFixed(2)}x bytes read)`);
  syms.close();
  const result: Result = { label, openMs, firstMs, coldMs, warmMs, bytesRead, rssGrowth, retained };
  console.log(`RESULT ${JSON.stringify(result)}`);
}

/** Min and median of every measured PDB, for the goals table. */
const summaries: Result[] = [];

/** How children run `measure`: a command line before `--measure file label`. */
type Runner = readonly string[];

/** Bundles this file with esbuild into `outfile` (the form dist/ ships) and returns the runner for it. */
function bundledRunner(outfile: string): Runner {
  // Loaded here, not imported, so the bundle itself (run from os.tmpdir()) needs no packages.
  const { buildSync } = createRequire(import.meta.url)('esbuild') as typeof import('esbuild');
  buildSync({
    entryPoints: [self], outfile, bundle: true, platform: 'node', format: 'esm', target: 'node20',
    external: ['esbuild'], logLevel: 'warning',
  });
  return [process.execPath, '--expose-gc', outfile];
}

/** Measures `file` in `runs` fresh processes; prints the first run's report and one line per run. */
function measureRuns(runner: Runner, file: string, label: string, runs: number): void {
  const results: Result[] = [];
  for (let i = 0; i < runs; i++) {
    const r = spawnSync(runner[0]!, [...runner.slice(1), '--measure', file, label], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    for (const line of r.stdout.split('\n')) {
      if (line.startsWith('RESULT ')) results.push(JSON.parse(line.slice(7)) as Result);
      else if (line !== '' && i === 0) console.log(line);
    }
    if (r.status !== 0) console.log(`(run ${i + 1} of ${file} failed with status ${r.status})`);
  }
  if (results.length === 0) return;
  console.log(`runs              ${results.map((r) => `first ${r.firstMs.toFixed(1)} / cold ${r.coldMs.toFixed(1)} / warm ${r.warmMs.toFixed(1)} ms`).join('; ')}`);
  const pick = (f: (r: Result) => number, q: 'min' | 'median') => {
    const v = results.map(f).sort((a, b) => a - b);
    return q === 'min' ? v[0]! : v[(v.length - 1) >> 1]!;
  };
  const summary = (q: 'min' | 'median'): Result => ({
    label: `${label} (${q} of ${results.length})`,
    openMs: pick((r) => r.openMs, q), firstMs: pick((r) => r.firstMs, q), coldMs: pick((r) => r.coldMs, q),
    warmMs: pick((r) => r.warmMs, q), bytesRead: pick((r) => r.bytesRead, q), rssGrowth: pick((r) => r.rssGrowth, q),
    retained: pick((r) => r.retained, q),
  });
  summaries.push(summary('min'), summary('median'));
}

/** amdppm through the module factory: store search, identity check, open, first symbolization. */
function measureFactory(): void {
  const store = path.join(testdata, 'rizinorg+test-pdb-repository');
  if (!existsSync(store)) return;
  const t0 = performance.now();
  const factory = createModuleFactory({ symbolPath: () => store, imagePath: () => store, memory: () => undefined, cacheDir: os.tmpdir() });
  const m = factory({ name: 'amdppm', imageName: 'amdppm.sys', imagePath: 'amdppm.sys', base: 0xfffff8048b580000n, size: 0x3b000, timestamp: 0xc9c03000, checksum: 0 });
  const sym = m.symbols().nearest(0x334c);
  const firstMs = performance.now() - t0;
  const addrs = randomRvas(0x1000, 0x3b000, LOOKUPS);
  const t1 = performance.now();
  for (const a of addrs) m.symbols().nearest(a);
  const manyMs = performance.now() - t1;
  console.log('');
  console.log('module factory    amdppm.sys (CodeView read from the image file, PDB from the store)');
  console.log(`first symbolize   ${firstMs.toFixed(2)} ms -> ${sym?.name ?? '(none)'}+0x${(0x334c - (sym?.rva ?? 0)).toString(16)}`);
  console.log(`${LOOKUPS} lookups    ${manyMs.toFixed(2)} ms`);
}

/** One line per PDB and statistic: each figure against its goal. */
function printGoals(results: readonly Result[]): void {
  const mark = (ok: boolean) => (ok ? 'ok' : 'MISSED');
  console.log('\ngoals (issue 7): first lookup < 100 ms, 10,000 lookups < 50 ms, RSS growth < 2x bytes read');
  for (const r of results) {
    const ratio = r.rssGrowth / Math.max(1, r.bytesRead);
    const held = r.retained / Math.max(1, r.bytesRead);
    console.log(
      `${r.label.padEnd(36)} open ${r.openMs.toFixed(1)} ms; first ${r.firstMs.toFixed(1)} ms ${mark(r.firstMs < GOAL.firstMs)}; ` +
        `10k cold ${r.coldMs.toFixed(1)} ms ${mark(r.coldMs < GOAL.lookupsMs)}; 10k warm ${r.warmMs.toFixed(1)} ms ${mark(r.warmMs < GOAL.lookupsMs)}; ` +
        `RSS ${ratio.toFixed(2)}x ${mark(ratio < GOAL.rssRatio)} (retained ${held.toFixed(2)}x)`,
    );
  }
}

if (process.argv[2] === '--measure') {
  measure(process.argv[3]!, process.argv[4] ?? path.basename(process.argv[3]!));
} else {
  const args = process.argv.slice(2);
  const flag = (name: string) => args.includes(name);
  const runsAt = args.indexOf('--runs');
  const runs = runsAt >= 0 ? Math.max(1, Number(args[runsAt + 1]) || 1) : 5;
  const given = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--runs');
  const real = given ?? (existsSync(testdata) ? findPdbs(testdata).sort((a, b) => statSync(b).size - statSync(a).size)[0] : undefined);
  const tmp = path.join(os.tmpdir(), `crashkd-pdb-bench-${process.pid}`);
  const bundle = `${tmp}.mjs`;
  const synthetic = `${tmp}.pdb`;
  try {
    const runner = flag('--tsx') ? [process.execPath, '--expose-gc', ...process.execArgv, self] : bundledRunner(bundle);
    console.log(`children run ${flag('--tsx') ? 'under tsx' : 'an esbuild bundle of this file'}, ${runs} runs each`);
    if (real) measureRuns(runner, real, path.basename(real), runs);
    else console.log(`no PDB found under ${testdata}`);
    if (!flag('--no-synthetic')) {
      for (const shape of [WORST_CASE, TYPICAL]) {
        const t = performance.now();
        console.log('');
        console.log(writeSyntheticPdb(synthetic, shape));
        console.log(`built in ${(performance.now() - t).toFixed(0)} ms`);
        measureRuns(runner, synthetic, shape.label, runs);
        rmSync(synthetic, { force: true });
      }
    }
  } finally {
    rmSync(synthetic, { force: true });
    rmSync(bundle, { force: true });
  }
  measureFactory();
  printGoals(summaries);
}
