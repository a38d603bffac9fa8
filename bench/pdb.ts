/**
 * PDB lookup benchmark: `npx tsx bench/pdb.ts [file.pdb | --no-synthetic]`.
 *
 * 1. The largest PDB under ../shared/testdata (or the given one), 2. a synthetic ~100 MB PDB
 * (2,000 modules of procedures, 200,000 publics) written to os.tmpdir(), each measured in a
 * child process so RSS is not inflated by the builder: open, first lookup, 10,000 random
 * lookups, bytes actually read, RSS growth. 3. amdppm through the module factory (store search,
 * identity check, open, first symbolization), as a session pays for it.
 *
 * Goals (issue 7): first lookup < 100 ms, 10,000 lookups < 50 ms, RSS growth < 2x bytes read.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync, rmSync, statSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { FileSource, type ByteSource } from '../src/formats/pdb/byte-source.js';
import { PdbFile } from '../src/formats/pdb/pdb-file.js';
import { PdbSymbols } from '../src/formats/pdb/pdb-symbols.js';
import { createModuleFactory } from '../src/symbols/module-factory.js';
import {
  SAMPLE_GUID, buildMsf, dbiStream, infoStream, moduleStream, proc32, publicsStream, pub32, records, sectionHeaders,
} from '../test/unit/formats/pdb/pdb-builder.js';

const mib = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MiB`;
const testdata = path.resolve(process.cwd(), '../shared/testdata');

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
  constructor(private readonly inner: ByteSource) {}
  get size(): number {
    return this.inner.size;
  }
  read(offset: number, length: number): Buffer {
    this.bytesRead += length;
    return this.inner.read(offset, length);
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

/** Measures one PDB in this process and prints the report. */
function measure(file: string): void {
  const rssBefore = process.memoryUsage().rss;
  const source = new CountingSource(new FileSource(file));
  let t = performance.now();
  const pdb = PdbFile.fromSource(source, file);
  const syms = new PdbSymbols(pdb);
  const openMs = performance.now() - t;
  const sections = pdb.addressMap().sections;
  const text = sections.find((s) => s.name === '.text') ?? sections[0];
  const lo = text?.virtualAddress ?? 0x1000;
  const hi = lo + (text?.virtualSize ?? 0x10000);
  // The first lookup pays for the symbol record stream, the publics and the module streams near it.
  t = performance.now();
  const first = syms.nearest(lo + Math.floor((hi - lo) / 2));
  const firstMs = performance.now() - t;
  const bytesAfterFirst = source.bytesRead;
  const addrs = randomRvas(lo, hi, 10_000);
  let hits = 0;
  t = performance.now();
  for (const a of addrs) if (syms.nearest(a)) hits++;
  const randomMs = performance.now() - t;
  // Same addresses again: every module stream they need is parsed now, so this is pure search.
  t = performance.now();
  for (const a of addrs) syms.nearest(a);
  const warmMs = performance.now() - t;
  const growth = process.memoryUsage().rss - rssBefore;

  console.log(`file              ${file}`);
  console.log(`file size         ${mib(statSync(file).size)} (${pdb.msf.streamCount} streams, block size ${pdb.msf.superBlock.blockSize})`);
  console.log(`modules/publics   ${pdb.dbi.modules.length} modules, ${pdb.publics().length} publics`);
  console.log(`open              ${openMs.toFixed(2)} ms`);
  console.log(`first lookup      ${firstMs.toFixed(2)} ms -> ${first?.name ?? '(none)'}; bytes read so far ${mib(bytesAfterFirst)}`);
  console.log(`10,000 lookups    ${randomMs.toFixed(2)} ms (${((randomMs * 1000) / addrs.length).toFixed(2)} us each, ${hits} hits)`);
  console.log(`10,000 again      ${warmMs.toFixed(2)} ms (${((warmMs * 1000) / addrs.length).toFixed(2)} us each, module streams cached)`);
  console.log(`module streams    ${pdb.loadedModuleCount} of ${pdb.dbi.modules.length} parsed`);
  console.log(`bytes read total  ${mib(source.bytesRead)} of ${mib(source.size)}`);
  console.log(`RSS growth        ${mib(growth)} (${(growth / Math.max(1, source.bytesRead)).toFixed(2)}x bytes read)`);
  syms.close();
}

/**
 * Writes a synthetic PDB of about `targetMb`: modules of S_GPROC32 procedures laid out one
 * after another in .text (one contribution each), plus one S_PUB32 per ten procedures.
 */
function writeSyntheticPdb(file: string, targetMb: number): void {
  const procsPerModule = 1000;
  const procBytes = 94; // S_GPROC32 with a ~40-character name, padded
  const moduleCount = Math.max(1, Math.round((targetMb * 1024 * 1024) / (procsPerModule * procBytes)));
  const firstModuleStream = 8;
  const modStreams: Buffer[] = [];
  const pubs: Buffer[] = [];
  const mods = [];
  const contributions = [];
  let offset = 0;
  for (let m = 0; m < moduleCount; m++) {
    const list: Buffer[] = [];
    const start = offset;
    for (let p = 0; p < procsPerModule; p++) {
      const name = `Mod${m}_Function${p}_WithAReasonablyLongName`;
      list.push(proc32(name, 1, offset, 0x30));
      if (p % 10 === 0) pubs.push(pub32(`?${name}@@YAXXZ`, 1, offset));
      offset += 0x40;
    }
    const stream = moduleStream(list);
    modStreams.push(stream);
    mods.push({ name: `mod${m}.obj`, symStream: firstModuleStream + m, symByteSize: stream.length });
    contributions.push({ section: 1, offset: start, size: offset - start, module: m });
  }
  const rec = records(pubs);
  const streams: (Buffer | null)[] = [
    Buffer.alloc(0),
    infoStream(SAMPLE_GUID, 1),
    null,
    dbiStream({ age: 1, publicStream: 6, symRecordStream: 5, modules: mods, contributions, debugStreams: { 5: 7 } }),
    null,
    rec.buf,
    publicsStream(rec.offsets),
    sectionHeaders([['.text', 0x1000, offset]]),
    ...modStreams,
  ];
  const bytes = buildMsf(streams, 4096);
  const fd = openSync(file, 'w');
  try {
    writeSync(fd, bytes);
  } finally {
    closeSync(fd);
  }
}

/** Runs `measure(file)` in a fresh process (same loader flags as this one). */
function measureInChild(file: string): void {
  const self = fileURLToPath(import.meta.url);
  const r = spawnSync(process.execPath, [...process.execArgv, self, '--measure', file], { stdio: 'inherit' });
  if (r.status !== 0) console.log(`(measurement of ${file} failed with status ${r.status})`);
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
  const addrs = randomRvas(0x1000, 0x3b000, 10_000);
  const t1 = performance.now();
  for (const a of addrs) m.symbols().nearest(a);
  const manyMs = performance.now() - t1;
  console.log('');
  console.log('module factory    amdppm.sys (CodeView read from the image file, PDB from the store)');
  console.log(`first symbolize   ${firstMs.toFixed(2)} ms -> ${sym?.name ?? '(none)'}+0x${(0x334c - (sym?.rva ?? 0)).toString(16)}`);
  console.log(`10,000 lookups    ${manyMs.toFixed(2)} ms`);
}

if (process.argv[2] === '--measure') {
  measure(process.argv[3]!);
} else {
  const arg = process.argv[2];
  const real = arg && arg !== '--no-synthetic' ? arg : existsSync(testdata) ? findPdbs(testdata).sort((a, b) => statSync(b).size - statSync(a).size)[0] : undefined;
  if (real) measureInChild(real);
  else console.log(`no PDB found under ${testdata}`);
  if (arg !== '--no-synthetic') {
    const synthetic = path.join(os.tmpdir(), `crashkd-pdb-bench-${process.pid}.pdb`);
    try {
      const t = performance.now();
      writeSyntheticPdb(synthetic, 100);
      console.log(`\nsynthetic PDB built in ${(performance.now() - t).toFixed(0)} ms`);
      measureInChild(synthetic);
    } finally {
      rmSync(synthetic, { force: true });
    }
  }
  measureFactory();
}
