import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bangSymCommand, symoptCommand } from '../../../commands/bang-sym.js';
import { COMMANDS } from '../../../commands/index.js';
import { reloadCommand } from '../../../commands/reload.js';
import { symfixCommand, symfixPlusCommand } from '../../../commands/symfix.js';
import { sympathCommand, sympathPlusCommand } from '../../../commands/sympath.js';
import { parseXArgs, xCommand } from '../../../commands/x.js';
import type { CommandSpec } from '../../../src/repl/command.js';
import { Dispatcher } from '../../../src/repl/dispatcher.js';
import { Registry } from '../../../src/repl/registry.js';
import { DumpSession } from '../../../src/session/dump-session.js';
import { BlockMemory } from '../../../src/memory/virtual-memory.js';
import { createModuleFactory, type SymbolModuleFactory } from '../../../src/symbols/module-factory.js';
import { RegisterContext } from '../../../src/target/registers.js';
import type { Target } from '../../../src/target/target.js';
import { PeBuilder } from '../../builders/pe-builder.js';
import { AMDPPM_CV, AMDPPM_PDB, RIZIN_STORE, TESTDATA, removeTemps, storeCopy, tempDir } from './symbol-server.js';

if (!existsSync(TESTDATA)) console.warn(`skipping symbol command tests: ${TESTDATA} is absent`);
afterAll(removeTemps);

const MINE = [sympathCommand, sympathPlusCommand, symfixCommand, symfixPlusCommand, reloadCommand, xCommand, bangSymCommand, symoptCommand] as unknown as CommandSpec[];
const SYNTH_BASE = 0xfffff80000200000n;
const AMDPPM_BASE = 0xfffff8048b580000n;

interface Rig {
  readonly run: (line: string) => Promise<string[]>;
  readonly session: DumpSession;
  readonly factory: SymbolModuleFactory;
  readonly cache: string;
}

/** A kernel session with three factory modules: amdppm (PDB in a store), synth (exports in memory), nodata (nothing). */
function rig(symbolPath = RIZIN_STORE): Rig {
  const b = new PeBuilder({ imageBase: SYNTH_BASE, timeDateStamp: 0x5a5a1234 });
  const table = b.data([0, 0, 0, 0, 0, 0, 0, 0], 8);
  b.exports('synth.sys', [{ name: 'SynthStart', rva: 0x1000 }, { name: 'SynthRun', rva: 0x1100 }, { name: 'SynthTable', rva: table }]);
  const pe = b.build();
  const memory = new BlockMemory([{ base: SYNTH_BASE, bytes: pe.image }]);
  let session: DumpSession | undefined;
  const cache = tempDir('crashkd-cmd-');
  const factory = createModuleFactory({ symbolPath: () => session?.symbolPath ?? '', imagePath: () => '', memory: () => memory, cacheDir: cache });
  const modules = [
    factory({ name: 'synth', imageName: 'synth.sys', imagePath: 'synth.sys', base: SYNTH_BASE, size: pe.sizeOfImage, timestamp: 0x5a5a1234, checksum: 1 }),
    factory({ name: 'amdppm', imageName: 'amdppm.sys', imagePath: 'amdppm.sys', base: AMDPPM_BASE, size: 0x3b000, timestamp: 0xc9c03000, checksum: 1, codeView: AMDPPM_CV }),
    factory({ name: 'nodata', imageName: 'nodata.sys', imagePath: 'nodata.sys', base: 0xfffff80000400000n, size: 0x1000, timestamp: 0x1234, checksum: 1 }),
  ];
  const target: Target = {
    kind: 'kernel', arch: 'x64', pointerSize: 8, path: 'rig.dmp', dumpKindLine: 'Kernel Complete Dump File: Full address space is available',
    memory, modules, units: [{ index: 0, context: new RegisterContext('x64', {}) }], initialUnit: 0,
    system: { versionLine: 'Windows 10 Kernel Version 19041 MP (1 procs) Free x64', buildNumber: 19041 }, warnings: [],
  };
  session = new DumpSession(target, () => ({ frames: [] }) as never);
  session.symbolPath = symbolPath;
  const extra = MINE.filter((c) => !COMMANDS.some((k) => k.name === c.name));
  const d = new Dispatcher(new Registry([...COMMANDS, ...extra]), session);
  const s = session;
  return { session: s, factory, cache, run: async (line) => (await d.execute(line, { column: 0 })).map((l) => l.text) };
}

describe('.sympath, .sympath+, .symfix', () => {
  it('shows, replaces and appends to the path, with the expanded form', async () => {
    const r = rig('');
    expect(await r.run('.sympath')).toEqual(['Symbol search path is: <empty>', 'Expanded Symbol search path is: <empty>']);
    expect(await r.run('.sympath /sym/a;srv**https://sym.example/s')).toEqual([
      'Symbol search path is: /sym/a;srv**https://sym.example/s',
      `Expanded Symbol search path is: /sym/a;srv*${r.cache}*https://sym.example/s`,
    ]);
    expect(r.session.symbolPath).toBe('/sym/a;srv**https://sym.example/s');
    expect((await r.run('.sympath+ cache*'))[0]).toBe('Symbol search path is: /sym/a;srv**https://sym.example/s;cache*');
  });

  it('.symfix sets srv*cache*msdl and prints nothing; .symfix+ appends', async () => {
    const r = rig('/x');
    expect(await r.run('.symfix /my/cache')).toEqual([]);
    expect(r.session.symbolPath).toBe('srv*/my/cache*https://msdl.microsoft.com/download/symbols');
    await r.run('.sympath /x');
    await r.run('.symfix+');
    expect(r.session.symbolPath).toBe(`/x;srv*${r.cache}*https://msdl.microsoft.com/download/symbols`);
    expect(await r.run('.sympath srv*')).toEqual(['Symbol search path is: srv*', `Expanded Symbol search path is: srv*${r.cache}*https://msdl.microsoft.com/download/symbols`]);
  });
});

describe.skipIf(!existsSync(TESTDATA))('x, .reload, !sym, .symopt on factory modules', () => {
  it('x lists matches with WinDbg\'s function and data suffixes, loading symbols once', async () => {
    const r = rig();
    expect(await r.run('x amdppm!WriteIoMem*')).toEqual([
      'fffff804`8b58324c amdppm!WriteIoMemRaw (<no parameter info>)',
      'fffff804`8b5832dc amdppm!WriteIoMemRawEx (<no parameter info>)',
      'fffff804`8b583370 amdppm!WriteIoMemRawHidden (<no parameter info>)',
    ]);
    const synth = await r.run('x synth!Synth*');
    expect(synth[0]).toBe('*** ERROR: Symbol file could not be found.  Defaulted to export symbols for synth.sys - ');
    expect(synth.slice(1)).toEqual([
      'fffff800`00201000 synth!SynthStart (<no parameter info>)',
      'fffff800`00201100 synth!SynthRun (<no parameter info>)',
      expect.stringMatching(/^fffff800`0020[0-9a-f]{4} synth!SynthTable = <no type information>$/),
    ]);
    // The load message is printed once per module.
    expect(await r.run('x synth!SynthRun')).toEqual(['fffff800`00201100 synth!SynthRun (<no parameter info>)']);
    expect(await r.run('x amdppm!NoSuchThing*')).toEqual([]);
    expect(await r.run('x /v synth!SynthRun')).toEqual(['pub func   fffff800`00201100    0 synth!SynthRun (<no parameter info>)']);
    // `*!` loads every module, so nodata's message appears now, once.
    expect(await r.run('x /2 /n *!Synth?un')).toEqual([
      '*** ERROR: Module load completed but symbols could not be loaded for nodata.sys',
      'fffff800`00201100 synth!SynthRun',
    ]);
    expect(await r.run('x /1 *!Synth?un')).toEqual(['synth!SynthRun']);
  });

  it('parses x options and patterns', () => {
    expect(parseXArgs(' /v /n nt!Ke*')).toEqual({ verbose: true, sort: 'name', modulePattern: 'nt', symbolPattern: 'Ke*' });
    expect(parseXArgs('KeBugCheckEx')).toEqual({ verbose: false, sort: 'address', modulePattern: '*', symbolPattern: 'KeBugCheckEx' });
    expect(parseXArgs('/s 10 /1 !foo')).toEqual({ verbose: false, sort: 'address', only: 1, modulePattern: '*', symbolPattern: 'foo' });
  });

  it('.reload prints the loading lines and defers; /f loads now and prints the messages', async () => {
    const r = rig();
    await r.run('x amdppm!WriteIoMemRawEx');
    const amdppm = r.factory.find('amdppm')!;
    expect(amdppm.symbolsLoaded).toBe(true);
    expect(await r.run('.reload')).toEqual(['Loading Kernel Symbols', '...', 'Loading User Symbols']);
    expect(amdppm.symbolsLoaded).toBe(false);
    expect(await r.run('.reload /f')).toEqual([
      'Loading Kernel Symbols', '...', 'Loading User Symbols',
      '*** ERROR: Symbol file could not be found.  Defaulted to export symbols for synth.sys - ',
      '*** ERROR: Module load completed but symbols could not be loaded for nodata.sys',
    ]);
    expect(r.factory.modules.map((m) => m.symbolKind)).toEqual(['export', 'pdb', 'none']);
    expect(await r.run('.reload amdppm.sys')).toEqual([]);
    expect(amdppm.symbolsLoaded).toBe(false);
    expect(await r.run('.reload /f nodata')).toEqual(['*** ERROR: Module load completed but symbols could not be loaded for nodata.sys']);
    expect(await r.run('.reload /u synth')).toEqual([]);
    expect(r.factory.find('synth')!.symbolsLoaded).toBe(false);
    expect(await r.run('.reload nosuch')).toEqual([
      '"nosuch" was not found in the image list.',
      'Debugger will attempt to load "nosuch" at given base 00000000`00000000.',
      '',
      'Please provide the full image name, including the extension (i.e. kernel32.dll)',
      'for more reliable results.Base address and size overrides can be given as',
      '.reload <image.ext>=<base>,<size>.',
      'Unable to add module at 00000000`00000000',
    ]);
  });

  it('!sym noisy puts the search trace into load messages; quiet turns it off', async () => {
    const r = rig();
    expect(await r.run('!sym')).toEqual(['!sym <noisy/quiet - prompts/prompts off> - quiet mode - symbol prompts on']);
    expect(await r.run('!sym noisy')).toEqual(['noisy mode - symbol prompts on']);
    expect(r.factory.noisy).toBe(true);
    expect(await r.run('.reload /f amdppm')).toEqual([
      `DBGHELP: ${path.join(RIZIN_STORE, 'amdppm.pdb')} - file not found`,
      'DBGHELP: amdppm - public symbols  ',
      `        ${AMDPPM_PDB}`,
    ]);
    expect(await r.run('!sym prompts off')).toEqual(['noisy mode - symbol prompts off']);
    expect(await r.run('!sym quiet')).toEqual(['quiet mode - symbol prompts off']);
    expect(r.factory.noisy).toBe(false);
  });

  it('.symopt shows the options; +0x40 enables loose matching and retries mismatched modules', async () => {
    const store = tempDir();
    storeCopy(store, 'amdppm.pdb/1C19FDDB27BB3399D9B45973EFEAFCF35/amdppm.pdb', AMDPPM_PDB);
    const r = rig(`srv*${store}`);
    const amdppm = r.factory.find('amdppm')!;
    // Make the module ask for an age the copy does not carry.
    Object.assign(amdppm.info, { codeView: { ...AMDPPM_CV, age: 5 } });
    expect((await r.run('x amdppm!WriteIoMemRawEx'))).toEqual(['*** ERROR: Module load completed but symbols could not be loaded for amdppm.sys']);
    expect(await r.run('.symopt')).toEqual([
      'Symbol options are 0x30337:',
      '  0x00000001 - SYMOPT_CASE_INSENSITIVE',
      '  0x00000002 - SYMOPT_UNDNAME',
      '  0x00000004 - SYMOPT_DEFERRED_LOADS',
      '  0x00000010 - SYMOPT_LOAD_LINES',
      '  0x00000020 - SYMOPT_OMAP_FIND_NEAREST',
      '  0x00000100 - SYMOPT_NO_UNQUALIFIED_LOADS',
      '  0x00000200 - SYMOPT_FAIL_CRITICAL_ERRORS',
      '  0x00010000 - SYMOPT_AUTO_PUBLICS',
      '  0x00020000 - SYMOPT_NO_IMAGE_SEARCH',
    ]);
    const plus = await r.run('.symopt+ 0x40');
    expect(plus[0]).toBe('Symbol options are 0x30377:');
    expect(plus).toContain('  0x00000040 - SYMOPT_LOAD_ANYTHING');
    expect(amdppm.symbolsLoaded).toBe(false);
    expect(await r.run('x amdppm!WriteIoMemRawEx')).toEqual(['fffff804`8b5832dc amdppm!WriteIoMemRawEx (<no parameter info>)']);
    expect(amdppm.mismatched).toBe(true);
    expect((await r.run('.symopt- 40'))[0]).toBe('Symbol options are 0x30337:');
    expect(amdppm.symbolsLoaded).toBe(false);
  });
});
