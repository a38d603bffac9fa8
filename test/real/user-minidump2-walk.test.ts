import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BreakpadSymbols } from '../../src/formats/breakpad/breakpad-symbols.js';
import { BreakpadSymFile } from '../../src/formats/breakpad/sym-file.js';
import { Dispatcher } from '../../src/repl/dispatcher.js';
import { breakpadForModules, createSession, stackWalkerFor } from '../../src/session/create-session.js';
import { openTarget } from '../../src/session/open-target.js';
import { createModuleFactory } from '../../src/symbols/module-factory.js';
import { ModuleIndex } from '../../src/symbols/module-index.js';
import type { ModuleInfo } from '../../src/target/module-info.js';
import type { Target } from '../../src/target/target.js';
import { MinidumpTarget } from '../../src/target/user/minidump-target.js';
import type { BreakpadLookup } from '../../src/unwind/x86/breakpad-lookup.js';
import { userRegistry } from '../unit/user/synthetic-dumps.js';

const DIR = path.resolve(process.cwd(), '../shared/testdata/google+breakpad/src/processor/testdata');
const present = existsSync(path.join(DIR, 'minidump2.dmp'));
if (!present) console.warn(`skipping minidump2 Breakpad unwind tests: ${DIR} is absent`);

/** breakpad's minidump2.stackwalk.out, thread 0: function text and eip/esp/ebp of each frame. */
function breakpadFrames(): { func: string; eip: bigint; esp: bigint; ebp: bigint; foundBy: string }[] {
  const text = readFileSync(path.join(DIR, 'minidump2.stackwalk.out'), 'utf8');
  const thread = text.slice(text.indexOf('Thread 0'), text.indexOf('Loaded modules'));
  const frames: { func: string; eip: bigint; esp: bigint; ebp: bigint; foundBy: string }[] = [];
  for (const m of thread.matchAll(/^ ?\d+ {2}\S+!(.+?)(?: \[.*\])?\n\s+eip = (0x[0-9a-f]+)\s+esp = (0x[0-9a-f]+)\s+ebp = (0x[0-9a-f]+)[\s\S]*?Found by: (.+)$/gm)) {
    frames.push({ func: m[1]!, eip: BigInt(m[2]!), esp: BigInt(m[3]!), ebp: BigInt(m[4]!), foundBy: m[5]! });
  }
  return frames;
}

/**
 * Opens minidump2 with modules that remember their CodeView identity; `.sym` files are found
 * in Breakpad's `symbols/<pdb>/<GUID><age>/<name>.sym` layout, and optionally serve as the
 * modules' symbols too.
 */
async function open(withSymbols: boolean): Promise<{ target: Target; lookup: BreakpadLookup }> {
  const cache = new Map<string, BreakpadSymFile | undefined>();
  const infos: ModuleInfo[] = [];
  const symFor = (info: ModuleInfo): BreakpadSymFile | undefined => {
    const cv = info.codeView;
    if (!cv) return undefined;
    const pdb = cv.pdbName.replace(/^.*[\\/]/, '');
    const file = path.join(DIR, 'symbols', pdb, `${cv.guid}${cv.age.toString(16).toUpperCase()}`, `${pdb.replace(/\.pdb$/i, '')}.sym`);
    if (!cache.has(file)) cache.set(file, existsSync(file) ? BreakpadSymFile.open(file) : undefined);
    return cache.get(file);
  };
  const target = await openTarget(path.join(DIR, 'minidump2.dmp'), {
    moduleFactory: (memory) => {
      const basic = createModuleFactory({ symbolPath: () => '', imagePath: () => '', memory });
      return (info) => {
        infos.push(info);
        const sym = withSymbols ? symFor(info) : undefined;
        if (!sym) return basic(info);
        const symbols = new BreakpadSymbols(sym);
        return { ...info, symbols: () => symbols };
      };
    },
  });
  const index = new ModuleIndex(target.modules);
  const lookup: BreakpadLookup = (pc) => {
    const m = index.find(pc);
    const info = m && infos.find((i) => i.base === m.base);
    const sym = info && symFor(info);
    return sym && m ? { sym, moduleBase: m.base } : undefined;
  };
  return { target, lookup };
}

describe.skipIf(!present)('minidump2.dmp with Breakpad STACK WIN data', () => {
  it('walks the exception context to the four frames of minidump2.stackwalk.out', async () => {
    const expected = breakpadFrames();
    expect(expected.map((f) => f.func)).toEqual(["`anonymous namespace'::CrashFunction", 'main', '__tmainCRTStartup', 'BaseProcessStart + 0x23']);
    const { target, lookup } = await open(false);
    const context = (target as MinidumpTarget).exception!.context!;
    const walk = stackWalkerFor(target, lookup)(context);
    expect(walk.frames.map((f) => [f.instructionPointer, f.stackPointer, f.framePointer])).toEqual(expected.map((f) => [f.eip, f.esp, f.ebp]));
    // "Found by: call frame info" = STACK WIN data; the shared frame model calls it 'unwind'.
    expect(expected.slice(1).every((f) => f.foundBy === 'call frame info')).toBe(true);
    expect(walk.frames.map((f) => f.trust)).toEqual(['context', 'cfi', 'cfi', 'cfi']);
    expect(walk.stopReason).toBe('end of stack (the unwind data gives return address 0)');
  });

  it("names the frames like breakpad through the .sym files' FUNC and PUBLIC records", async () => {
    const expected = breakpadFrames();
    const { target, lookup } = await open(false);
    const walk = stackWalkerFor(target, lookup)((target as MinidumpTarget).exception!.context!);
    const names = walk.frames.map((f) => {
      const hit = lookup(f.instructionPointer)!;
      const symbols = new BreakpadSymbols(hit.sym);
      // Callers are named at their call instruction, one byte before the return address.
      const rva = Number(f.instructionPointer - hit.moduleBase) - (f.index > 0 ? 1 : 0);
      const s = symbols.nearest(rva)!;
      return s.length !== undefined ? s.name : `${s.name} + 0x${(Number(f.instructionPointer - hit.moduleBase) - s.rva).toString(16)}`;
    });
    expect(names).toEqual(expected.map((f) => f.func));
  });

  it('kv after .ecxr shows the four frames with their symbols', async () => {
    const { target, lookup } = await open(true);
    const session = createSession(target, undefined, lookup);
    const d = new Dispatcher(userRegistry(), session);
    await d.execute('.ecxr', { column: 7 });
    const lines = (await d.execute('kv', { column: 7 })).map((l) => l.text);
    expect(lines[0]).toBe('  *** Stack trace for last set context - .thread/.cxr resets it');
    const rows = lines.filter((l) => /^[0-9a-f]{8} [0-9a-f]{8} /.test(l)).map((l) => {
      const f = l.split(' ');
      return [f[0], f[1], f.slice(5).join(' ')];
    });
    expect(rows).toEqual([
      ['0012fe88', '00404200', "test_app!`anonymous namespace'::CrashFunction+0xe"],
      ['0012ff70', '004053ec', 'test_app!main+0x50'],
      ['0012ffc0', '7c816fd7', 'test_app!__tmainCRTStartup+0x15f'],
      ['0012fff0', '00000000', 'kernel32!BaseProcessStart+0x23'],
    ]);
  });

  it('with the symbol-path factory (-y symbols), breakpadForModules gives kv the same frames', async () => {
    const symbolPath = path.join(DIR, 'symbols');
    const target = await openTarget(path.join(DIR, 'minidump2.dmp'), {
      moduleFactory: (memory) => createModuleFactory({ symbolPath: () => symbolPath, imagePath: () => '', memory }),
    });
    const session = createSession(target, undefined, breakpadForModules(target.modules));
    const d = new Dispatcher(userRegistry(), session);
    await d.execute('.ecxr', { column: 7 });
    const calls = (await d.execute('kv', { column: 7 })).map((l) => l.text).filter((l) => /^[0-9a-f]{8} /.test(l)).map((l) => l.split(' ').slice(5).join(' '));
    expect(calls).toEqual(["test_app!`anonymous namespace'::CrashFunction+0xe", 'test_app!main+0x50', 'test_app!__tmainCRTStartup+0x15f', 'kernel32!BaseProcessStart+0x23']);
  });
});
