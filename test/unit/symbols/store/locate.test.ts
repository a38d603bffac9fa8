import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { expandCabinet } from '../../../../src/symbols/store/cabinet.js';
import { findBreakpadSym, findImage, findPdb } from '../../../../src/symbols/store/locate.js';
import { openModuleSymbols } from '../../../../src/symbols/store/open-symbols.js';
import { findPdbWithRemote, type RemoteFetcher } from '../../../../src/symbols/store/remote.js';
import { buildCabinet } from './cab-builder.js';

const testdata = path.resolve(process.cwd(), '../shared/testdata');
if (!existsSync(testdata)) console.warn(`skipping symbol-store tests on real files: ${testdata} is absent`);

const RIZIN_STORE = path.join(testdata, 'rizinorg+test-pdb-repository');
const BREAKPAD_STORE = path.join(testdata, 'google+breakpad/src/processor/testdata/symbols');
const DUMP_SYMS_DIR = path.join(testdata, 'mozilla+dump_syms/test_data/windows');
const SIGSEGV_PDB = path.join(testdata, 'llvm-mirror+lldb/test/Shell/Minidump/Windows/Sigsegv/Inputs/sigsegv.pdb');

const AMDPPM = { pdbName: String.raw`amdppm.pdb`, guid: '1C19FDDB27BB3399D9B45973EFEAFCF3', age: 1 };
const REGTEST = { pdbName: String.raw`c:\build\dump_syms_regtest64.pdb`, guid: '72E103A85CB249078B76B2E7C06257B1', age: 3 };
const SIGSEGV = { pdbName: 'sigsegv.pdb', guid: '7DD47A9FC2E8499AA78EC14AE2C965A2', age: 1 };
const SIGSEGV_KEY = '7DD47A9FC2E8499AA78EC14AE2C965A21';

const temps: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(path.join(os.tmpdir(), 'crashkd-store-'));
  temps.push(d);
  return d;
}
afterAll(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe.skipIf(!existsSync(testdata))('symbol store lookup on testdata', () => {
  it('finds amdppm.pdb under name.pdb/GUIDAGE/name.pdb and validates GUID and DBI age', () => {
    const r = findPdb(AMDPPM, { symbolPath: `srv*${RIZIN_STORE}*https://msdl.microsoft.com/download/symbols` });
    expect(r.found).toEqual({ path: path.join(RIZIN_STORE, 'amdppm.pdb/1C19FDDB27BB3399D9B45973EFEAFCF31/amdppm.pdb'), how: 'store' });
    expect(r.rejected).toEqual([]);
  });

  it('rejects a PDB whose age does not match and keeps searching', () => {
    const dir = tempDir();
    const key = path.join(dir, 'amdppm.pdb', '1C19FDDB27BB3399D9B45973EFEAFCF35');
    mkdirSync(key, { recursive: true });
    copyFileSync(path.join(RIZIN_STORE, 'amdppm.pdb/1C19FDDB27BB3399D9B45973EFEAFCF31/amdppm.pdb'), path.join(key, 'amdppm.pdb'));
    const r = findPdb({ ...AMDPPM, age: 5 }, { symbolPath: `srv*${dir}` });
    expect(r.found).toBeUndefined();
    expect(r.rejected).toEqual([{ path: path.join(key, 'amdppm.pdb'), reason: 'age mismatch: PDB has 1, image wants 5' }]);
  });

  it('finds a plain-folder PDB by the last component of a full RSDS path', () => {
    const r = findPdb(REGTEST, { symbolPath: `${RIZIN_STORE};${DUMP_SYMS_DIR}` });
    expect(r.found).toEqual({ path: path.join(DUMP_SYMS_DIR, 'dump_syms_regtest64.pdb'), how: 'folder' });
    const wrong = findPdb({ ...REGTEST, guid: '00000000000000000000000000000000' }, { symbolPath: DUMP_SYMS_DIR });
    expect(wrong.found).toBeUndefined();
    expect(wrong.rejected[0]?.reason).toMatch(/^GUID mismatch: PDB has 72E103A85CB249078B76B2E7C06257B1/);
  });

  it('finds an image by name/TIMESTAMPSIZE/name (lower-case key on disk) and checks the PE header', () => {
    const r = findImage({ name: 'amdppm.sys', timestamp: 0xc9c03000, size: 0x3b000 }, { symbolPath: `srv*${RIZIN_STORE}` });
    expect(r.found?.path).toBe(path.join(RIZIN_STORE, 'amdppm.sys/c9c030003b000/amdppm.sys'));
    expect(findImage({ name: 'amdppm.sys', timestamp: 0xc9c03000, size: 0x3c000 }, { symbolPath: `srv*${RIZIN_STORE}` }).found).toBeUndefined();
    const plain = findImage({ name: 'dump_syms_regtest64.exe', timestamp: 0x589dfd11, size: 0x1a000 }, { symbolPath: DUMP_SYMS_DIR });
    expect(plain.found).toEqual({ path: path.join(DUMP_SYMS_DIR, 'dump_syms_regtest64.exe'), how: 'folder' });
  });

  it('finds a Breakpad .sym under name.pdb/ID/name.sym and checks its MODULE id', () => {
    const cv = { pdbName: 'test_app.pdb', guid: '5A9832E5287241C1838ED98914E9B7FF', age: 1 };
    const r = findBreakpadSym(cv, { symbolPath: `srv*${BREAKPAD_STORE}` });
    expect(r.found?.path).toBe(path.join(BREAKPAD_STORE, 'test_app.pdb/5A9832E5287241C1838ED98914E9B7FF1/test_app.sym'));
    expect(findBreakpadSym({ ...cv, age: 2 }, { symbolPath: BREAKPAD_STORE }).found).toBeUndefined();
  });

  it('openModuleSymbols prefers the PDB and falls back to a Breakpad .sym', () => {
    const symbolPath = `srv*${RIZIN_STORE};srv*${BREAKPAD_STORE}`;
    const pdb = openModuleSymbols(AMDPPM, { symbolPath });
    expect(pdb.found?.symbols.kind).toBe('pdb');
    expect(pdb.found?.symbols.file).toBe(path.join(RIZIN_STORE, 'amdppm.pdb/1C19FDDB27BB3399D9B45973EFEAFCF31/amdppm.pdb'));
    expect(pdb.found?.symbols.nearest(0x334c)?.name).toBe('WriteIoMemRawEx');
    const sym = openModuleSymbols({ pdbName: 'kernel32.pdb', guid: 'BCE8785C57B44245A669896B6A19B954', age: 2 }, { symbolPath });
    expect(sym.found?.symbols.kind).toBe('breakpad');
    expect(sym.found?.symbols.nearest(0x16fd7)?.name).toBe('BaseProcessStart');
    const none = openModuleSymbols({ ...AMDPPM, age: 9 }, { symbolPath });
    expect(none.found).toBeUndefined();
    expect(none.lookups).toHaveLength(2);
    expect(none.lookups[0]!.tried.length).toBeGreaterThan(0);
  });

  it('refuses names that are not a single safe component', () => {
    const r = findPdb({ ...AMDPPM, pdbName: 'x\\..' }, { symbolPath: RIZIN_STORE });
    expect(r.found).toBeUndefined();
    expect(r.rejected[0]?.reason).toMatch(/safe/);
  });

  it('uses the two-tier layout when index2.txt exists', () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'index2.txt'), '');
    const key = path.join(dir, 'si', 'sigsegv.pdb', SIGSEGV_KEY);
    mkdirSync(key, { recursive: true });
    copyFileSync(SIGSEGV_PDB, path.join(key, 'sigsegv.pdb'));
    expect(findPdb(SIGSEGV, { symbolPath: `srv*${dir}` }).found).toEqual({ path: path.join(key, 'sigsegv.pdb'), how: 'store' });
  });

  it('follows file.ptr (PATH: prefix) and reports MSG: entries', () => {
    const dir = tempDir();
    const key = path.join(dir, 'sigsegv.pdb', SIGSEGV_KEY);
    mkdirSync(key, { recursive: true });
    writeFileSync(path.join(key, 'file.ptr'), `PATH:${SIGSEGV_PDB}\r\n`);
    expect(findPdb(SIGSEGV, { symbolPath: `srv*${dir}` }).found).toEqual({ path: SIGSEGV_PDB, how: 'pointer' });
    writeFileSync(path.join(key, 'file.ptr'), 'MSG: withdrawn by publisher');
    const r = findPdb(SIGSEGV, { symbolPath: `srv*${dir}` });
    expect(r.found).toBeUndefined();
    expect(r.rejected).toEqual([{ path: path.join(key, 'file.ptr'), reason: 'withdrawn by publisher' }]);
  });

  for (const compression of ['none', 'mszip'] as const) {
    it(`expands a compressed .pd_ (${compression}) into the cache and validates it`, () => {
      const store = tempDir();
      const cache = tempDir();
      const key = path.join(store, 'sigsegv.pdb', SIGSEGV_KEY);
      mkdirSync(key, { recursive: true });
      writeFileSync(path.join(key, 'sigsegv.pd_'), buildCabinet('sigsegv.pdb', readFileSync(SIGSEGV_PDB), compression));
      const unexpanded = findPdb(SIGSEGV, { symbolPath: `srv*${store}` });
      expect(unexpanded.found).toEqual({ path: path.join(key, 'sigsegv.pd_'), how: 'store', compressed: true });
      const r = findPdb(SIGSEGV, { symbolPath: `srv*${store}`, expandInto: cache });
      const dest = path.join(cache, 'sigsegv.pdb', SIGSEGV_KEY, 'sigsegv.pdb');
      expect(r.found).toEqual({ path: dest, how: 'expanded' });
      expect(readFileSync(dest).equals(readFileSync(SIGSEGV_PDB))).toBe(true);
    });
  }

  it('goes to the remote fetcher only after local stores miss, downloading into the cascade store', async () => {
    const cache = tempDir();
    const calls: string[] = [];
    const remote: RemoteFetcher = {
      async fetch(url, rel, dest) {
        calls.push(`${url} ${rel}`);
        if (rel !== `sigsegv.pdb/${SIGSEGV_KEY}/sigsegv.pdb`) return false;
        mkdirSync(path.dirname(dest), { recursive: true });
        copyFileSync(SIGSEGV_PDB, dest);
        return true;
      },
    };
    const r = await findPdbWithRemote(SIGSEGV, { symbolPath: `srv*${cache}*https://sym.test/s`, remote });
    expect(calls).toEqual([`https://sym.test/s sigsegv.pdb/${SIGSEGV_KEY}/sigsegv.pdb`]);
    expect(r.found).toEqual({ path: path.join(cache, 'sigsegv.pdb', SIGSEGV_KEY, 'sigsegv.pdb'), how: 'store' });
    // Second lookup is local: the fetcher is not called again.
    await findPdbWithRemote(SIGSEGV, { symbolPath: `srv*${cache}*https://sym.test/s`, remote });
    expect(calls).toHaveLength(1);
  });

  it('tries the compressed name and file.ptr on a remote miss, and uses cache* for srv*url', async () => {
    const cache = tempDir();
    const calls: string[] = [];
    const remote: RemoteFetcher = { fetch: async (_u, rel, dest) => (calls.push(`${rel} -> ${dest}`), false) };
    const r = await findPdbWithRemote(SIGSEGV, { symbolPath: `cache*${cache};srv*https://sym.test`, remote });
    expect(r.found).toBeUndefined();
    expect(calls).toEqual(['sigsegv.pdb', 'sigsegv.pd_', 'file.ptr'].map((f) => `sigsegv.pdb/${SIGSEGV_KEY}/${f} -> ${path.join(cache, 'sigsegv.pdb', SIGSEGV_KEY, f)}`));
  });
});

describe('cabinet expansion', () => {
  it('expands multi-block MSZIP content whose window carries across blocks', () => {
    const dir = tempDir();
    const text = Buffer.from(Array.from({ length: 5000 }, (_, i) => `line ${i % 700} of the symbol file\n`).join(''));
    writeFileSync(path.join(dir, 'a.pd_'), buildCabinet('a.pdb', text, 'mszip'));
    expect(expandCabinet(path.join(dir, 'a.pd_'), path.join(dir, 'a.pdb'))).toEqual({ fileName: 'a.pdb', size: text.length });
    expect(readFileSync(path.join(dir, 'a.pdb')).equals(text)).toBe(true);
  });

  it('rejects a bad signature, LZX and short data without leaving a file behind', () => {
    const dir = tempDir();
    const good = buildCabinet('a.pdb', Buffer.from('x'.repeat(100)), 'none');
    const bad = Buffer.from(good);
    bad.write('XXXX', 0, 'latin1');
    writeFileSync(path.join(dir, 'bad.pd_'), bad);
    expect(() => expandCabinet(path.join(dir, 'bad.pd_'), path.join(dir, 'bad.pdb'))).toThrow(/MSCF/);
    const lzx = Buffer.from(good);
    lzx.writeUInt16LE(0x1503, 42);
    writeFileSync(path.join(dir, 'lzx.pd_'), lzx);
    expect(() => expandCabinet(path.join(dir, 'lzx.pd_'), path.join(dir, 'lzx.pdb'))).toThrow(/compression type 3/);
    const short = Buffer.from(good);
    short.writeUInt32LE(200, 44);
    writeFileSync(path.join(dir, 'short.pd_'), short);
    expect(() => expandCabinet(path.join(dir, 'short.pd_'), path.join(dir, 'short.pdb'))).toThrow(/cbFile says 200/);
    expect(existsSync(path.join(dir, 'short.pdb'))).toBe(false);
  });
});
