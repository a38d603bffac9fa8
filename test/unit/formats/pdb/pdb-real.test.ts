import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PdbFile } from '../../../../src/formats/pdb/pdb-file.js';
import { PdbSymbols } from '../../../../src/formats/pdb/pdb-symbols.js';
import { readPdbutilReference } from './pdbutil-reference.js';

const testdata = path.resolve(process.cwd(), '../shared/testdata');
if (!existsSync(testdata)) console.warn(`skipping real-PDB tests: ${testdata} is absent`);

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

describe.skipIf(!existsSync(testdata))('PDB reader against llvm-pdbutil references', () => {
  for (const [label, rel] of Object.entries(PDBS)) {
    describe(label, () => {
      const ref = readPdbutilReference(path.join(testdata, `${rel}.llvm-pdbutil.txt`));

      it('matches the summary (MSF geometry, signature, age, GUID)', () => {
        const pdb = open(rel);
        expect(pdb.msf.superBlock.blockSize).toBe(ref.blockSize);
        expect(pdb.msf.superBlock.numBlocks).toBe(ref.numBlocks);
        expect(pdb.msf.streamCount).toBe(ref.numStreams);
        expect(pdb.info.signature).toBe(ref.signature);
        expect(pdb.info.age).toBe(ref.age);
        expect(pdb.info.guid).toBe(ref.guid);
        expect(pdb.info.version).toBe(20000404);
      });

      it('lists the same modules with the same symbol streams', () => {
        const pdb = open(rel);
        expect(ref.modules.length).toBeGreaterThan(0);
        expect(pdb.dbi.modules.map((m) => ({ name: m.moduleName, obj: m.objFileName, debugStream: m.symStream }))).toEqual(ref.modules);
      });

      it('decodes every public symbol (name, segment:offset, function flag)', () => {
        const pdb = open(rel);
        const key = (p: { name: string; segment: number; offset: number }) => `${p.segment}:${p.offset}:${p.name}`;
        const mine = pdb.publics().map((p) => `${key(p)}:${p.flags & 2 ? 'function' : 'none'}`).sort();
        const theirs = ref.publics.map((p) => `${key(p)}:${p.flags}`).sort();
        expect(theirs.length).toBeGreaterThan(0);
        expect(mine).toEqual(theirs);
      });

      it('returns publics in address order', () => {
        const pubs = open(rel).publics();
        for (let i = 1; i < pubs.length; i++) {
          const a = pubs[i - 1]!;
          const b = pubs[i]!;
          expect(a.segment < b.segment || (a.segment === b.segment && a.offset <= b.offset)).toBe(true);
        }
      });
    });
  }

  it('amdppm: DBI age (1, the RSDS age in the store path) differs from the info stream age (3)', () => {
    const pdb = open(PDBS.amdppm);
    expect(pdb.info.age).toBe(3);
    expect(pdb.dbi.header.age).toBe(1);
    expect(pdb.age).toBe(1);
    expect(pdb.dbi.header.machine).toBe(0x8664);
  });

  it('amdppm: rva 0x334c is WriteIoMemRawEx+0x70 (rizin: WriteIoMemRawEx+112)', () => {
    const syms = new PdbSymbols(open(PDBS.amdppm));
    const s = syms.nearest(0x334c);
    expect(s?.name).toBe('WriteIoMemRawEx');
    expect(0x334c - s!.rva).toBe(0x70);
    expect(syms.next(0x334c)?.name).toBe('WriteIoMemRawHidden');
    expect(syms.byName('writeiomemrawex').map((x) => x.rva)).toEqual([0x32dc]);
  });

  it('amdppm: absolute-segment publics (__guard_flags) are not given an rva', () => {
    const syms = new PdbSymbols(open(PDBS.amdppm));
    expect(syms.byName('__guard_flags')).toEqual([]);
    expect(syms.all().length).toBe(953);
  });

  it('x86 test-pdb: C publics lose the leading underscore, C++ publics are undecorated', () => {
    const syms = new PdbSymbols(open(PDBS.testPdb));
    const pubNames = open(PDBS.testPdb).publics().map((p) => p.name);
    expect(pubNames).toContain('_main');
    expect(syms.byName('main').map((s) => s.rva)).toEqual([0x1050]);
    expect(syms.byName('_main').length).toBe(1);
    expect(syms.nearest(0x1000 + 144)?.name).toBe('foo');
    expect(syms.nearest(0x1000 + 64)?.name).toBe('_purecall');
  });

  it('sigsegv: crash(bool) at 0x10b0 shows as the procedure name `crash`', () => {
    const syms = new PdbSymbols(open(PDBS.sigsegv));
    const s = syms.nearest(0x10b0 + 41);
    expect(s).toMatchObject({ name: 'crash', rva: 0x10b0 });
    expect(s?.length).toBeGreaterThan(41);
  });

  it('regtest64: C++ procedures win over decorated publics at the same rva', () => {
    const syms = new PdbSymbols(open(PDBS.regtest64));
    expect(syms.nearest(0x1080)).toEqual({ name: 'google_breakpad::C::C', rva: 0x1080, length: 0x26 });
    expect(syms.nearest(0x10d5)).toEqual({ name: "google_breakpad::C::`scalar deleting destructor'", rva: 0x10d0, length: 0x36 });
    expect(syms.nearest(0x0fff)).toBeUndefined();
  });

  it('reads module streams lazily: one lookup touches few modules', () => {
    const pdb = PdbFile.open(path.join(testdata, PDBS.regtest64));
    opened.push(pdb);
    const syms = new PdbSymbols(pdb);
    syms.nearest(0x1020);
    expect(pdb.loadedModuleCount).toBeLessThanOrEqual(2);
    syms.all();
    expect(pdb.loadedModuleCount).toBe(pdb.dbi.modules.length);
  });

  for (const [label, rel, sym] of [
    ['regtest64', PDBS.regtest64, 'mozilla+dump_syms/test_data/windows/dump_syms_regtest64.sym'],
    ['CrashWithException', PDBS.crashWithException, `${PDBS.crashWithException}.sym`],
  ] as const) {
    it(`${label}: every .sym FUNC record has a procedure with the same rva and length`, () => {
      const syms = new PdbSymbols(open(rel));
      const byRva = new Map<number, number[]>();
      for (const s of syms.all()) if (s.length !== undefined) byRva.set(s.rva, [...(byRva.get(s.rva) ?? []), s.length]);
      const funcs = readFileSync(path.join(testdata, sym), 'utf8')
        .split(/\r?\n/)
        .flatMap((l) => {
          const m = /^FUNC (?:m )?([0-9a-f]+) ([0-9a-f]+) /.exec(l);
          return m ? [[parseInt(m[1]!, 16), parseInt(m[2]!, 16)] as const] : [];
        });
      expect(funcs.length).toBeGreaterThan(50);
      const missing = funcs.filter(([rva, size]) => !(byRva.get(rva) ?? []).includes(size));
      expect(missing).toEqual([]);
      // Every lookup inside a FUNC lands on a symbol at that FUNC's start.
      for (const [rva, size] of funcs) expect(syms.nearest(rva + size - 1)?.rva).toBe(rva);
    });
  }
});
