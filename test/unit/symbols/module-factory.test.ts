import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BlockMemory, type VirtualMemory } from '../../../src/memory/virtual-memory.js';
import { createModuleFactory, factoryOf, type ModuleFactoryOptions } from '../../../src/symbols/module-factory.js';
import type { ModuleInfo } from '../../../src/target/module-info.js';
import { PeBuilder } from '../../builders/pe-builder.js';
import {
  AMDPPM_CV, AMDPPM_PDB, BREAKPAD_STORE, REGTEST_CV, REGTEST_PDB, RIZIN_STORE, SIGSEGV_PDB, TESTDATA, removeTemps, storeCopy, tempDir,
} from './symbol-server.js';

if (!existsSync(TESTDATA)) console.warn(`skipping module-factory tests on real PDBs: ${TESTDATA} is absent`);
afterAll(removeTemps);

const AMDPPM: ModuleInfo = {
  name: 'amdppm', imageName: 'amdppm.sys', imagePath: String.raw`\SystemRoot\System32\drivers\amdppm.sys`,
  base: 0xfffff8048b580000n, size: 0x3b000, timestamp: 0xc9c03000, checksum: 0x3d6e3,
};

function factory(o: Partial<ModuleFactoryOptions> = {}) {
  return createModuleFactory({ symbolPath: () => '', imagePath: () => '', memory: () => undefined, cacheDir: tempDir('crashkd-cache-'), ...o });
}

describe.skipIf(!existsSync(TESTDATA))('module factory: PDB, .sym, exports, none', () => {
  it('resolves amdppm rva 0x334c to WriteIoMemRawEx+0x70 through a store on the symbol path, lazily', () => {
    const f = factory({ symbolPath: () => RIZIN_STORE });
    const m = f({ ...AMDPPM, codeView: AMDPPM_CV });
    expect(m.symbolsLoaded).toBe(false);
    expect(factoryOf(m)).toBe(f);
    const s = m.symbols();
    expect(m.symbolsLoaded).toBe(true);
    expect(s.kind).toBe('pdb');
    expect(s.file).toBe(AMDPPM_PDB);
    expect(s.loadMessage).toBeUndefined();
    const sym = s.nearest(0x334c)!;
    expect(sym.name).toBe('WriteIoMemRawEx');
    expect(0x334c - sym.rva).toBe(0x70);
    expect(m.privateSymbols).toBe(false);
    expect(m.isCode(0x334c)).toBe(true);
  });

  it('reads the CodeView record from the image file when the dump has none (triage dumps)', () => {
    const f = factory({ symbolPath: () => RIZIN_STORE, imagePath: () => RIZIN_STORE });
    const m = f(AMDPPM);
    expect(m.symbols().kind).toBe('pdb');
    expect(m.codeView).toEqual({ pdbName: 'amdppm.pdb', guid: '1C19FDDB27BB3399D9B45973EFEAFCF3', age: 1 });
    // The image is also found through the symbol path alone, as WinDbg searches it for images.
    expect(factory({ symbolPath: () => `srv*${RIZIN_STORE}` })(AMDPPM).symbols().kind).toBe('pdb');
  });

  it('gives WinDbg\'s "could not be loaded" message when nothing is found', () => {
    const f = factory({ symbolPath: () => tempDir() });
    const s = f(AMDPPM).symbols();
    expect(s.kind).toBe('none');
    expect(s.file).toBeUndefined();
    expect(s.loadMessage).toBe('*** ERROR: Module load completed but symbols could not be loaded for amdppm.sys');
    expect(s.nearest(0x334c)).toBeUndefined();
    const noStamp = f({ ...AMDPPM, name: 'man', imageName: 'man.sys', timestamp: 0 }).symbols();
    expect(noStamp.loadMessage).toBe('*** WARNING: Unable to verify timestamp for man.sys\n*** ERROR: Module load completed but symbols could not be loaded for man.sys');
  });

  it('rejects a PDB whose age differs, unless loose matching (SYMOPT_LOAD_ANYTHING) is on', () => {
    const store = tempDir();
    const copy = storeCopy(store, 'amdppm.pdb/1C19FDDB27BB3399D9B45973EFEAFCF35/amdppm.pdb', AMDPPM_PDB);
    const f = factory({ symbolPath: () => `srv*${store}` });
    const m = f({ ...AMDPPM, codeView: { ...AMDPPM_CV, age: 5 } });
    expect(m.symbols().kind).toBe('none');
    f.noisy = true;
    f.reload();
    expect(m.symbols().loadMessage?.split('\n')).toContain(`DBGHELP: ${copy} - mismatched pdb`);
    f.noisy = false;
    f.symbolOptions |= 0x40;
    f.reload('amdppm');
    expect(m.symbolsLoaded).toBe(false);
    expect(m.symbols().kind).toBe('pdb');
    expect(m.mismatched).toBe(true);
    expect(m.symbols().nearest(0x334c)?.name).toBe('WriteIoMemRawEx');
  });

  it('marks private PDBs and writes the noisy trace into the load message', () => {
    const f = factory({ symbolPath: () => path.dirname(REGTEST_PDB) });
    f.noisy = true;
    const m = f({ name: 'dump_syms_regtest64', imageName: 'dump_syms_regtest64.exe', imagePath: 'x', base: 0x140000000n, size: 0x1a000, timestamp: 0x589dfd11, checksum: 0, codeView: REGTEST_CV });
    const s = m.symbols();
    expect(s.kind).toBe('pdb');
    expect(m.privateSymbols).toBe(true);
    expect(s.loadMessage).toBe(`DBGHELP: dump_syms_regtest64 - private symbols & lines \n        ${REGTEST_PDB}`);
  });

  it('falls back to a Breakpad .sym filed under the PDB key', () => {
    const f = factory({ symbolPath: () => BREAKPAD_STORE });
    const m = f({ name: 'test_app', imageName: 'test_app.exe', imagePath: 'x', base: 0x400000n, size: 0x2d000, timestamp: 0x45d35f6c, checksum: 0, codeView: { pdbName: 'c:\\test_app.pdb', guid: '5A9832E5287241C1838ED98914E9B7FF', age: 1 } });
    const s = m.symbols();
    expect(s.kind).toBe('breakpad');
    expect(s.file).toBe(path.join(BREAKPAD_STORE, 'test_app.pdb/5A9832E5287241C1838ED98914E9B7FF1/test_app.sym'));
    expect(s.loadMessage).toBeUndefined();
  });
});

describe('module factory: export symbols from target memory or the image file', () => {
  const BASE = 0x7ff600000000n;
  function synth(withCv?: boolean) {
    const b = new PeBuilder({ imageBase: BASE, timeDateStamp: 0x12345678 });
    const dataRva = b.data([1, 2, 3, 4, 5, 6, 7, 8], 8);
    b.exports('synth.dll', [{ name: 'SynthStart', rva: 0x1000 }, { name: 'SynthRun', rva: 0x1100 }, { name: 'SynthTable', rva: dataRva }, { rva: 0x1200 }]);
    if (withCv) {
      const guid = [0x9f, 0x7a, 0xd4, 0x7d, 0xe8, 0xc2, 0x9a, 0x49, 0xa7, 0x8e, 0xc1, 0x4a, 0xe2, 0xc9, 0x65, 0xa2];
      b.codeView({ rsds: { guid, age: 1, path: 'C:\\build\\sigsegv.pdb' } });
    }
    return { pe: b.build(), dataRva };
  }
  const info = (size: number): ModuleInfo => ({ name: 'synth', imageName: 'synth.dll', imagePath: 'C:\\x\\synth.dll', base: BASE, size, timestamp: 0x12345678, checksum: 0 });

  it('reads exports from memory, with WinDbg\'s export message and function/data kinds', () => {
    const { pe, dataRva } = synth();
    const memory: VirtualMemory = new BlockMemory([{ base: BASE, bytes: pe.image }]);
    const f = factory({ memory: () => memory });
    const m = f(info(pe.sizeOfImage));
    const s = m.symbols();
    expect(s.kind).toBe('export');
    expect(s.file).toBe('synth.dll');
    expect(s.loadMessage).toBe('*** ERROR: Symbol file could not be found.  Defaulted to export symbols for synth.dll - ');
    expect(s.all().map((x) => [x.name, x.rva])).toEqual([['SynthStart', 0x1000], ['SynthRun', 0x1100], ['Ordinal4', 0x1200], ['SynthTable', dataRva]]);
    expect(s.nearest(0x1105)?.name).toBe('SynthRun');
    expect(m.isCode(0x1100)).toBe(true);
    expect(m.isCode(dataRva)).toBe(false);
  });

  it('reads exports from an image file found by name/TIMESTAMPSIZE/name when memory lacks the image', () => {
    const { pe } = synth();
    const store = tempDir();
    const file = path.join(store, `synth.dll/12345678${pe.sizeOfImage.toString(16)}/synth.dll`);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, pe.file);
    const m = factory({ imagePath: () => store })(info(pe.sizeOfImage));
    expect(m.symbols().kind).toBe('export');
    expect(m.symbols().byName('SynthRun')).toEqual([{ name: 'SynthRun', rva: 0x1100 }]);
  });

  it.skipIf(!existsSync(TESTDATA))('uses the CodeView record found in memory to load the matching PDB', () => {
    const { pe } = synth(true);
    const memory = new BlockMemory([{ base: BASE, bytes: pe.image }]);
    const m = factory({ memory: () => memory, symbolPath: () => path.dirname(SIGSEGV_PDB) })(info(pe.sizeOfImage));
    expect(m.symbols().kind).toBe('pdb');
    expect(m.symbols().file).toBe(SIGSEGV_PDB);
    expect(m.codeView?.guid).toBe('7DD47A9FC2E8499AA78EC14AE2C965A2');
  });

  it('keeps a registry: find by module or image name, reload one or all', () => {
    const { pe } = synth();
    const memory = new BlockMemory([{ base: BASE, bytes: pe.image }]);
    const f = factory({ memory: () => memory });
    const a = f(info(pe.sizeOfImage));
    const b = f({ ...info(pe.sizeOfImage), name: 'other', imageName: 'other.dll', base: BASE + 0x100000n });
    expect(f.modules).toEqual([a, b]);
    expect(f.find('SYNTH.DLL')).toBe(a);
    expect(f.find('other')).toBe(b);
    a.symbols();
    b.symbols();
    expect(f.reload('synth').map((m) => m.name)).toEqual(['synth']);
    expect([a.symbolsLoaded, b.symbolsLoaded]).toEqual([false, true]);
    expect(f.reload('nosuch')).toEqual([]);
    expect(f.reload()).toHaveLength(2);
    expect(b.symbolsLoaded).toBe(false);
  });
});
