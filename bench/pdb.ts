/**
 * PDB lookup benchmark: `npx tsx bench/pdb.ts [file.pdb]`. Opens the largest PDB under
 * ../shared/testdata (or the given one), times the first lookup (which loads the publics and
 * whatever module streams it needs) and 10,000 random address lookups, and prints how many
 * bytes were actually read and the process RSS.
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { FileSource, type ByteSource } from '../src/formats/pdb/byte-source.js';
import { PdbFile } from '../src/formats/pdb/pdb-file.js';
import { PdbSymbols } from '../src/formats/pdb/pdb-symbols.js';

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

const mib = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MiB`;
const testdata = path.resolve(process.cwd(), '../shared/testdata');
const file = process.argv[2] ?? findPdbs(testdata).sort((a, b) => statSync(b).size - statSync(a).size)[0];
if (!file) {
  console.log(`no PDB found under ${testdata}`);
  process.exit(0);
}

const rssBefore = process.memoryUsage().rss;
const source = new CountingSource(new FileSource(file));
let t = performance.now();
const pdb = PdbFile.fromSource(source, file);
const syms = new PdbSymbols(pdb);
const openMs = performance.now() - t;

// The first lookup pays for section headers, the symbol record stream, the publics and the
// module streams near the address; aim it at the image's middle without peeking at sections.
t = performance.now();
const first = syms.nearest(0x1000 + 0x800);
const firstMs = performance.now() - t;
const bytesAfterFirst = source.bytesRead;

const publics = pdb.publics();
const sections = pdb.addressMap().sections;
const text = sections.find((s) => s.name === '.text') ?? sections[0];
const lo = text?.virtualAddress ?? 0x1000;
const hi = lo + (text?.virtualSize ?? 0x10000);

// Deterministic pseudo-random addresses (xorshift) so runs are comparable.
let seed = 0x2545f491;
const rand = () => {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) / 0x100000000;
};
const addrs = Array.from({ length: 10_000 }, () => lo + Math.floor(rand() * (hi - lo)));
let hits = 0;
t = performance.now();
for (const a of addrs) if (syms.nearest(a)) hits++;
const randomMs = performance.now() - t;
// Same addresses again: every module stream they need is parsed now, so this is pure search.
t = performance.now();
for (const a of addrs) syms.nearest(a);
const warmMs = performance.now() - t;

console.log(`file              ${file}`);
console.log(`file size         ${mib(statSync(file).size)} (${pdb.msf.streamCount} streams, block size ${pdb.msf.superBlock.blockSize})`);
console.log(`modules/publics   ${pdb.dbi.modules.length} modules, ${publics.length} publics`);
console.log(`open              ${openMs.toFixed(2)} ms`);
console.log(`first lookup      ${firstMs.toFixed(2)} ms -> ${first?.name ?? '(none)'}; bytes read so far ${mib(bytesAfterFirst)}`);
console.log(`10,000 lookups    ${randomMs.toFixed(2)} ms (${((randomMs * 1000) / addrs.length).toFixed(2)} us each, ${hits} hits)`);
console.log(`10,000 again      ${warmMs.toFixed(2)} ms (${((warmMs * 1000) / addrs.length).toFixed(2)} us each, module streams cached)`);
console.log(`module streams    ${pdb.loadedModuleCount} of ${pdb.dbi.modules.length} parsed`);
console.log(`bytes read total  ${mib(source.bytesRead)} of ${mib(source.size)}`);
console.log(`RSS               ${mib(process.memoryUsage().rss)} (was ${mib(rssBefore)} before opening)`);
syms.close();
