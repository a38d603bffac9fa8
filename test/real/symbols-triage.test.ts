import { existsSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bangSymCommand, symoptCommand } from '../../commands/bang-sym.js';
import { COMMANDS } from '../../commands/index.js';
import { reloadCommand } from '../../commands/reload.js';
import { symfixCommand, symfixPlusCommand } from '../../commands/symfix.js';
import { sympathCommand, sympathPlusCommand } from '../../commands/sympath.js';
import { xCommand } from '../../commands/x.js';
import type { CommandSpec } from '../../src/repl/command.js';
import { Dispatcher } from '../../src/repl/dispatcher.js';
import { Registry } from '../../src/repl/registry.js';
import { createSession } from '../../src/session/create-session.js';
import type { DumpSession } from '../../src/session/dump-session.js';
import { createModuleFactory } from '../../src/symbols/module-factory.js';
import { openKernelDump, type KernelDumpTarget } from '../../src/target/kernel/kernel-dump-target.js';

const testdata = path.resolve(process.cwd(), '../shared/testdata');
const dump = path.join(testdata, 'rizinorg+rizin-testbins/dmp/triage_x64.dmp');
const store = path.join(testdata, 'rizinorg+test-pdb-repository');
const pdb = path.join(store, 'amdppm.pdb/1C19FDDB27BB3399D9B45973EFEAFCF31/amdppm.pdb');
if (!existsSync(dump)) console.warn(`skipping symbolized triage dump tests: ${dump} is absent`);

const MINE = [sympathCommand, sympathPlusCommand, symfixCommand, symfixPlusCommand, reloadCommand, xCommand, bangSymCommand, symoptCommand] as unknown as CommandSpec[];

/**
 * The acceptance run: `-y <store> -i <store> triage_x64.dmp -c "kv; ln fffff8048b58334c;
 * x amdppm!Write*; lm m amdppm"`. The triage dump records no CodeView for its drivers, so the
 * PDB is found through the image's CodeView read from the image path.
 */
describe.skipIf(!existsSync(dump))('real: triage_x64.dmp symbolized with amdppm.pdb', () => {
  let target: KernelDumpTarget | undefined;
  let session: DumpSession | undefined;
  const factory = createModuleFactory({ symbolPath: () => session?.symbolPath ?? '', imagePath: () => session?.imagePath ?? '', memory: () => target?.memory, cacheDir: mkdtempSync(path.join(os.tmpdir(), 'crashkd-triage-')) });
  afterAll(() => target?.close());
  const run = async (line: string): Promise<string[]> => {
    if (!session) {
      target = openKernelDump(dump, { moduleFactory: factory });
      session = createSession(target);
      session.symbolPath = store;
      session.imagePath = store;
    }
    const extra = MINE.filter((c) => !COMMANDS.some((k) => k.name === c.name));
    const d = new Dispatcher(new Registry([...COMMANDS, ...extra]), session);
    return (await d.execute(line, { column: 0 })).map((l) => l.text);
  };

  it('resolves the faulting address through the factory', async () => {
    expect(await run('ln fffff8048b58334c')).toEqual([
      '(fffff804`8b5832dc)   amdppm!WriteIoMemRawEx+0x70   |  (fffff804`8b583370)   amdppm!WriteIoMemRawHidden',
    ]);
    const amdppm = factory.find('amdppm')!;
    expect(amdppm.symbolKind).toBe('pdb');
    expect(amdppm.codeView).toEqual({ pdbName: 'amdppm.pdb', guid: '1C19FDDB27BB3399D9B45973EFEAFCF3', age: 1 });
  });

  it('kv shows symbolized amdppm frames', async () => {
    const kv = await run('kv');
    const amdppmFrames = kv.filter((l) => l.includes(': amdppm!'));
    expect(amdppmFrames.length).toBeGreaterThanOrEqual(6);
    expect(amdppmFrames[0]).toMatch(/ : amdppm!WriteIoMemRawEx\+0x70$/);
    expect(kv.some((l) => /: amdppm\+0x/.test(l))).toBe(false);
  });

  it('x amdppm!Write* lists the Write functions', async () => {
    const x = await run('x amdppm!Write*');
    expect(x).toContain('fffff804`8b5832dc amdppm!WriteIoMemRawEx (<no parameter info>)');
    expect(x).toHaveLength(8);
  });

  it('lm m amdppm shows (pdb symbols) and the PDB path', async () => {
    const lm = await run('lm m amdppm');
    expect(lm[1]).toBe(`fffff804\`8b580000 fffff804\`8b5bb000   amdppm     (pdb symbols)          ${pdb}`);
  });
});
