import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FormatError } from '../../../../src/errors.js';
import { BreakpadSymbols } from '../../../../src/formats/breakpad/breakpad-symbols.js';
import { BreakpadSymFile } from '../../../../src/formats/breakpad/sym-file.js';
import { functionBaseName, parseCfiRules, parseStackWin } from '../../../../src/formats/breakpad/sym-records.js';

const testdata = path.resolve(process.cwd(), '../shared/testdata');
const symbols = path.join(testdata, 'google+breakpad/src/processor/testdata/symbols');
const TEST_APP = path.join(symbols, 'test_app.pdb/5A9832E5287241C1838ED98914E9B7FF1/test_app.sym');
const KERNEL32 = path.join(symbols, 'kernel32.pdb/BCE8785C57B44245A669896B6A19B9542/kernel32.sym');
const REGTEST = path.join(testdata, 'mozilla+dump_syms/test_data/windows/dump_syms_regtest64.sym');
if (!existsSync(testdata)) console.warn(`skipping real .sym tests: ${testdata} is absent`);

const SMALL = [
  'MODULE windows x86_64 00112233445566778899AABBCCDDEEFF1 small.pdb',
  'INFO CODE_ID 5A0000001000 small.dll',
  'FILE 0 c:\\src\\small.cc',
  'FUNC 1000 20 0 ns::Widget::draw(int, char const*) const',
  '1000 10 12 0',
  '1010 10 13 0',
  'FUNC m 1040 8 0 folded()',
  'PUBLIC 1040 0 ?folded@@YAXXZ',
  'PUBLIC 1100 0 RawExport',
  'PUBLIC 1200 0 <unknown in small.dll>',
  'STACK CFI INIT 1000 20 .cfa: $rsp 8 + .ra: .cfa 8 - ^',
  'STACK CFI 1004 .cfa: $rsp 16 + $rbx: .cfa 16 - ^',
  'STACK CFI 1008 .cfa: $rsp 48 +',
  'STACK WIN 4 1000 20 4 0 8 0 10 0 1 $T0 $ebp = $eip $T0 4 + ^ =',
  'STACK WIN 0 1000 30 0 0 4 0 0 0 0 1',
  '',
].join('\r\n');

describe('Breakpad .sym records', () => {
  it('parses MODULE, FUNC, PUBLIC and INFO CODE_ID', () => {
    const f = BreakpadSymFile.fromText(SMALL);
    expect(f.module).toEqual({ os: 'windows', arch: 'x86_64', id: '00112233445566778899AABBCCDDEEFF1', name: 'small.pdb' });
    expect(f.codeId()).toBe('5A0000001000');
    expect(f.functions()).toEqual([
      { rva: 0x1000, size: 0x20, paramSize: 0, name: 'ns::Widget::draw(int, char const*) const', multiple: false },
      { rva: 0x1040, size: 8, paramSize: 0, name: 'folded()', multiple: true },
    ]);
    expect(f.publics().map((p) => p.name)).toEqual(['?folded@@YAXXZ', 'RawExport', '<unknown in small.dll>']);
  });

  it('applies CFI deltas in address order', () => {
    const f = BreakpadSymFile.fromText(SMALL);
    expect(f.cfiAt(0x1002)?.rules).toEqual({ '.cfa': '$rsp 8 +', '.ra': '.cfa 8 - ^' });
    expect(f.cfiAt(0x1006)?.rules).toEqual({ '.cfa': '$rsp 16 +', '.ra': '.cfa 8 - ^', $rbx: '.cfa 16 - ^' });
    expect(f.cfiAt(0x101f)?.rules['.cfa']).toBe('$rsp 48 +');
    expect(f.cfiAt(0x1020)).toBeUndefined();
  });

  it('prefers FRAME_DATA over FPO STACK WIN records', () => {
    const f = BreakpadSymFile.fromText(SMALL);
    expect(f.stackWinAt(0x1010)).toMatchObject({ type: 4, paramSize: 8, localsSize: 0x10, programString: '$T0 $ebp = $eip $T0 4 + ^ =' });
    expect(f.stackWinAt(0x1025)).toMatchObject({ type: 0, codeSize: 0x30, allocatesBasePointer: true });
    expect(f.stackWinAt(0x1030)).toBeUndefined();
  });

  it('drops parameter lists for shown names but keeps operator()', () => {
    expect(functionBaseName('main(int, char**)')).toBe('main');
    expect(functionBaseName('ns::Widget::draw(int, char const*) const')).toBe('ns::Widget::draw');
    expect(functionBaseName('Foo::operator()(int)')).toBe('Foo::operator()');
    expect(functionBaseName('Foo::operator()')).toBe('Foo::operator()');
    expect(functionBaseName('`anonymous namespace\'::CrashFunction')).toBe('`anonymous namespace\'::CrashFunction');
    expect(functionBaseName('std::function<void (int)>::operator()(int) const')).toBe('std::function<void (int)>::operator()');
  });

  it('rejects malformed lines with the line number and field', () => {
    expect(() => BreakpadSymFile.fromText('FUNC 1000 2 0 f\n')).toThrow(/line 1: a .sym file must start with a MODULE/);
    const bad = BreakpadSymFile.fromText('MODULE windows x86 AA a.pdb\nFUNC 10zz 2 0 f\n');
    expect(() => bad.functions()).toThrow(FormatError);
    expect(() => bad.functions()).toThrow(/line 2: FUNC address '10zz' is not hex/);
    expect(() => parseStackWin('STACK WIN 4 1000 20 4 0 8 0 10 0', 7)).toThrow(/line 7: STACK WIN has_program_string is missing/);
    expect(() => parseCfiRules('$rsp 8 +', 3)).toThrow(/line 3: CFI rule '\$rsp' has no register/);
    const orphan = BreakpadSymFile.fromText('MODULE windows x86 AA a.pdb\nSTACK CFI 1000 .cfa: $esp 4 +\n');
    expect(() => orphan.cfiRecords()).toThrow(/line 2: STACK CFI delta before any STACK CFI INIT/);
  });

  it('rejects a line longer than the bound without reading it all into one string', () => {
    const huge = `MODULE windows x86 AA a.pdb\nFUNC 1 1 0 ${'x'.repeat((1 << 20) + 10)}`;
    expect(() => BreakpadSymFile.fromText(huge).functions()).toThrow(/longer than/);
  });
});

describe('BreakpadSymbols', () => {
  it('merges FUNC and PUBLIC, FUNC first, and skips <unknown> placeholders', () => {
    const s = new BreakpadSymbols(BreakpadSymFile.fromText(SMALL));
    expect(s.kind).toBe('breakpad');
    expect(s.nearest(0x1015)).toEqual({ name: 'ns::Widget::draw', rva: 0x1000, length: 0x20 });
    expect(s.nearest(0x1041)).toEqual({ name: 'folded', rva: 0x1040, length: 8 });
    expect(s.nearest(0x1300)).toEqual({ name: 'RawExport', rva: 0x1100 });
    expect(s.next(0x1000)?.name).toBe('folded');
    expect(s.all().map((x) => x.name)).toEqual(['ns::Widget::draw', 'folded', 'RawExport']);
    expect(s.byName('NS::WIDGET::DRAW')).toEqual([{ name: 'ns::Widget::draw', rva: 0x1000, length: 0x20 }]);
    expect(s.byName('ns::Widget::draw(int, char const*) const')).toHaveLength(1);
    expect(s.byName('rawexport')).toEqual([{ name: 'RawExport', rva: 0x1100 }]);
  });
});

describe.skipIf(!existsSync(testdata))('Breakpad .sym files from testdata', () => {
  it('test_app.sym resolves the minidump2 stack (breakpad stackwalk reference)', () => {
    const s = BreakpadSymbols.open(TEST_APP);
    expect(s.sym.module).toMatchObject({ arch: 'x86', id: '5A9832E5287241C1838ED98914E9B7FF1', name: 'test_app.pdb' });
    // minidump2.stackwalk.out, test_app.exe loaded at 0x400000.
    expect(s.nearest(0x429e)).toEqual({ name: "`anonymous namespace'::CrashFunction", rva: 0x4290, length: 0x18 });
    expect(s.nearest(0x4200)).toEqual({ name: 'main', rva: 0x41b0, length: 0x86 });
    expect(s.nearest(0x53ec)?.name).toBe('__tmainCRTStartup');
    expect(s.sym.stackWinAt(0x4200)).toMatchObject({ type: 4, rva: 0x41b0, codeSize: 0x86, prologSize: 0x13, paramSize: 8, localsSize: 0xe0 });
    // Overlapping `STACK WIN 4 42ae 18` / `42af 14`: the first range wins.
    expect(s.sym.stackWinAt(0x42b0)?.rva).toBe(0x42ae);
    s.close();
  });

  it('kernel32.sym: BaseProcessStart + 0x23 (stackwalk frame 3, base 0x7c800000)', () => {
    const s = BreakpadSymbols.open(KERNEL32);
    const hit = s.nearest(0x16fd7);
    expect(hit).toEqual({ name: 'BaseProcessStart', rva: 0x16fb4 });
    expect(0x16fd7 - hit!.rva).toBe(0x23);
    expect(s.sym.functions()).toHaveLength(0);
    expect(s.sym.stackWinAt(0x16fd7)).toMatchObject({ type: 4, rva: 0x16fb4, codeSize: 0x4f, savedRegsSize: 8, localsSize: 0x1c });
    s.close();
  });

  it('dump_syms_regtest64.sym: FUNC with parameters, CFI and CODE_ID', () => {
    const s = BreakpadSymbols.open(REGTEST);
    expect(s.sym.codeId()).toBe('589DFD111A000');
    expect(s.nearest(0x1020)).toEqual({ name: 'main', rva: 0x1010, length: 0x6a });
    expect(s.byName('main(int, char**)')[0]?.rva).toBe(0x1010);
    expect(s.sym.cfiAt(0x1010)?.rules).toEqual({ '.cfa': '$rsp 80 +', '.ra': '.cfa 8 - ^' });
    expect(s.sym.cfiRecords().length).toBeGreaterThan(100);
    s.close();
  });
});
