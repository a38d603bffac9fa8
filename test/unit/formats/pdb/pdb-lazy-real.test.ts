import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PdbFile } from '../../../../src/formats/pdb/pdb-file.js';
import { PdbSymbols } from '../../../../src/formats/pdb/pdb-symbols.js';
import { upperBound } from '../../../../src/formats/pdb/sorted-symbols.js';
import { undecorateName } from '../../../../src/formats/pdb/undecorate.js';

const testdata = path.resolve(process.cwd(), '../shared/testdata');
if (!existsSync(testdata)) console.warn(`skipping lazy-reader checks on real PDBs: ${testdata} is absent`);

const PDBS = {
  amdppm: 'rizinorg+test-pdb-repository/amdppm.pdb/1C19FDDB27BB3399D9B45973EFEAFCF31/amdppm.pdb',
  sigsegv: 'llvm-mirror+lldb/test/Shell/Minidump/Windows/Sigsegv/Inputs/sigsegv.pdb',
  regtest64: 'mozilla+dump_syms/test_data/windows/dump_syms_regtest64.pdb',
  crashWithException: 'getsentry+symbolic/symbolic-testutils/fixtures/windows/CrashWithException.pdb',
  testPdb: 'llvm-mirror+lldb/unittests/SymbolFile/PDB/Inputs/test-pdb.pdb',
} as const;

const opened: PdbFile[] = [];
function open(rel: string): PdbFile {
  const pdb = PdbFile.open(path.join(testdata, rel));
  opened.push(pdb);
  return pdb;
}
afterAll(() => opened.forEach((p) => p.close()));

/** Every symbol decoded the eager way (full record walk, every public), sorted by rva. */
function reference(pdb: PdbFile): { rvas: Uint32Array; list: { rva: number; name: string; proc: boolean }[] } {
  const map = pdb.addressMap();
  const list: { rva: number; name: string; proc: boolean }[] = [];
  for (const p of pdb.publics()) {
    const rva = map.toRva(p.segment, p.offset);
    if (rva !== undefined) list.push({ rva, name: undecorateName(p.name, pdb.isX86), proc: false });
  }
  for (const m of pdb.dbi.modules) {
    for (const p of pdb.moduleProcedures(m.index)) {
      const rva = map.toRva(p.segment, p.offset);
      if (rva !== undefined) list.push({ rva, name: p.name, proc: true });
    }
  }
  list.sort((a, b) => a.rva - b.rva);
  return { rvas: Uint32Array.from(list, (s) => s.rva), list };
}

describe.skipIf(!existsSync(testdata))('lazy PDB reader against the eager decoders on real PDBs', () => {
  for (const [label, rel] of Object.entries(PDBS)) {
    it(`${label}: each module's procedure index equals the full record walk`, () => {
      const pdb = open(rel);
      const map = pdb.addressMap();
      let total = 0;
      for (const m of pdb.dbi.modules) {
        const eager = pdb.moduleProcedures(m.index)
          .flatMap((p) => {
            const rva = map.toRva(p.segment, p.offset);
            return rva === undefined ? [] : [[rva, p.recordOffset] as const];
          })
          .sort((a, b) => a[0] - b[0]);
        const index = pdb.procedureIndex(m.index);
        expect(Array.from(index.rvas, (rva, i) => [rva, index.recordOffsets[i]!])).toEqual(eager);
        total += eager.length;
      }
      expect(total).toBe({ amdppm: 1, sigsegv: 5, regtest64: 248, crashWithException: 110, testPdb: 5 }[label]);
    });

    it(`${label}: nearest and next at every byte of .text agree with the eager symbol list`, () => {
      const ref = reference(open(rel));
      const pdb = open(rel);
      const syms = new PdbSymbols(pdb);
      const text = pdb.addressMap().sections.find((s) => s.name === '.text')!;
      let checked = 0;
      const wrong: string[] = [];
      for (let a = text.virtualAddress - 16; a < text.virtualAddress + text.virtualSize + 16; a++) {
        checked++;
        const i = upperBound(ref.rvas, a) - 1;
        const got = syms.nearest(a);
        if (a % 7 === 0 && syms.next(a)?.rva !== ref.rvas[upperBound(ref.rvas, a)]) wrong.push(`next(0x${a.toString(16)}) = ${syms.next(a)?.rva}`);
        if (i < 0) {
          if (got !== undefined) wrong.push(`nearest(0x${a.toString(16)}) = ${got.name}, expected nothing`);
          continue;
        }
        const rva = ref.rvas[i]!;
        let first = i;
        while (first > 0 && ref.rvas[first - 1] === rva) first--;
        const group = ref.list.slice(first, i + 1);
        const procs = group.filter((s) => s.proc);
        // A procedure wins at its rva (with its length); otherwise the first public in address-map order.
        const ok = got !== undefined && got.rva === rva && (got.length !== undefined) === (procs.length > 0)
          && (procs.length > 0 ? procs.some((p) => p.name === got.name) : got.name === group[0]!.name);
        if (!ok) wrong.push(`nearest(0x${a.toString(16)}) = ${JSON.stringify(got)}, expected rva 0x${rva.toString(16)} ${group.map((g) => g.name).join('|')}`);
      }
      expect(wrong.slice(0, 5)).toEqual([]);
      expect(checked).toBeGreaterThan(4000);
    });
  }

  it('regtest64: a procedure decoded by record read equals the record walk, for every module', () => {
    const pdb = open(PDBS.regtest64);
    for (const m of pdb.dbi.modules) pdb.procedureIndex(m.index);
    for (const m of pdb.dbi.modules) {
      const other = (m.index + 1) % pdb.dbi.modules.length;
      pdb.prefetchModule(other); // so the record is read from the file, not the scan buffer
      for (const p of pdb.moduleProcedures(m.index)) expect(pdb.procedureRecord(m.index, p.recordOffset)).toEqual(p);
    }
  });

  it('every module of every PDB: procedureAt (kept records or read back) equals the record walk', () => {
    let kept = 0;
    for (const rel of Object.values(PDBS)) {
      const pdb = open(rel);
      for (const m of pdb.dbi.modules) {
        const index = pdb.procedureIndex(m.index);
        if (index.records) kept++;
        const byOffset = new Map(pdb.moduleProcedures(m.index).map((p) => [p.recordOffset, p]));
        for (let i = 0; i < index.length; i++) expect(pdb.procedureAt(m.index, i)).toEqual(byOffset.get(index.recordOffsets[i]!));
      }
    }
    // Locals and inline sites dominate real module streams, so most modules keep their records.
    expect(kept).toBeGreaterThan(50);
  });

  it('regtest64: contribution objects equal the typed table', () => {
    const dbi = open(PDBS.regtest64).dbi;
    const t = dbi.contributionTable;
    expect(dbi.sectionContributions.length).toBe(t.count);
    expect(t.count).toBeGreaterThan(1000);
    dbi.sectionContributions.forEach((c, i) => {
      expect([c.section, c.offset, c.size, c.characteristics, c.moduleIndex]).toEqual([t.section[i], t.offset[i], t.size[i], t.characteristics[i], t.moduleIndex[i]]);
    });
  });
});
