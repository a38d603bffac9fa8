import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileScenario, openScenario } from '../../../src/scenario/compile-scenario.js';
import { parseScenario, ScenarioError } from '../../../src/scenario/load-scenario.js';
import { openTarget } from '../../../src/session/open-target.js';

/** A small valid scenario; each case below breaks one thing in it. Line numbers matter. */
const BASE = `scenario: t
target:
  kind: kernel
  arch: x64
  dumpType: complete
  build: 7601
  sessionTime: 2014-06-21T09:12:44.531Z
processors:
  - context: {rip: 0xfffff80002a01000, rsp: 0xfffff88005a1f7f8}
modules:
  - name: nt
    image: ntkrnlmp.exe
    base: 0xfffff80002a00000
    size: 0x10000
    symbols: pdb
    publics:
      - {name: KeBugCheckEx, rva: 0x1000}
    functions:
      - {begin: KeBugCheckEx, size: 0x100, prolog: [alloc 0x108]}
memory:
  - address: 0xfffff88005a1f7f8
    qwords: [0x1, 0x2]
`;

/** Loads and compiles text; returns the ScenarioError message (fails the test on success or another error). */
function errorOf(text: string): string {
  try {
    const { scenario, locate } = parseScenario(text, 't.yaml');
    compileScenario(scenario, locate, 't.yaml');
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioError);
    return (e as Error).message;
  }
  throw new Error('the scenario loaded, but it should have failed');
}

function replaced(from: string, to: string): string {
  expect(BASE).toContain(from);
  return BASE.replace(from, to);
}

const HAL = `  - name: hal
    image: hal.dll
    base: 0xfffff80002a08000
    size: 0x1000
    symbols: none
memory:`;

describe('scenario validation: every problem is a located ScenarioError', () => {
  it('the base scenario is valid', () => {
    const { scenario, locate } = parseScenario(BASE, 't.yaml');
    const t = compileScenario(scenario, locate, 't.yaml');
    expect(t.modules.map((m) => m.name)).toEqual(['nt']);
    expect(t.units[0]!.context.get('rip')).toBe(0xfffff80002a01000n);
  });

  const cases: [string, string, string][] = [
    ['unknown key (points at the key)', replaced('    symbols: pdb\n', '    symbols: pdb\n    sybmols: pdb\n'), "t.yaml:16:5: unknown key 'sybmols'"],
    ['unknown top-level key', replaced('memory:', 'rgisters: {}\nmemory:'), "t.yaml:20:1: unknown key 'rgisters'"],
    ['bad hex bytes', `${BASE}  - address: 0x1000\n    bytes: 48 8g\n`, 't.yaml:24:12: memory.1.bytes: bytes must be hex digits'],
    ['odd hex digit count', `${BASE}  - address: 0x1000\n    bytes: 48 8\n`, 't.yaml:24:12: odd number of hex digits (3); write each byte as two digits'],
    ['a size that is not a number', replaced('size: 0x10000', 'size: big'), 't.yaml:14:11: modules.0.size: expected a number'],
    ['an address that is not a number', replaced('base: 0xfffff80002a00000', 'base: hello'), 't.yaml:13:11: modules.0.base: expected a hex address like fffff880`06e53328 or 0xfffff88006e53328'],
    ['an address that is a list', replaced('base: 0xfffff80002a00000', 'base: [1]'), 't.yaml:13:11: modules.0.base: expected a number or a hex address like fffff880`06e53328'],
    ['a value over 64 bits', replaced('rsp: 0xfffff88005a1f7f8', 'rsp: 0x1fffff88005a1f7f8'), 't.yaml:9:45: processors.0.context.rsp: value does not fit in 64 bits'],
    ['overlapping memory blocks', `${BASE}  - address: 0xfffff88005a1f800\n    qwords: [3]\n`, 't.yaml:23:14: memory at fffff880`05a1f800 overlaps the block at fffff880`05a1f7f8 (t.yaml:21:14)'],
    ['a function outside its module', replaced('size: 0x100, prolog', 'size: 0x10000, prolog'), 't.yaml:19:9: function 1000-11000 lies outside module nt (code starts at rva 1000, size 10000)'],
    ['a function inside the header page', replaced('{begin: KeBugCheckEx, size', '{begin: 0x800, size'), 't.yaml:19:9: function 800-900 lies outside module nt (code starts at rva 1000, size 10000)'],
    ['a prolog that does not fit its function', replaced('size: 0x100, prolog', 'size: 0x4, prolog'), 't.yaml:19:9: the prolog (7 bytes) does not fit the function (4 bytes)'],
    ['an unknown unwind op', replaced('[alloc 0x108]', '[allocate 0x108]'), 't.yaml:19:53: modules.0.functions.0.prolog.0: unknown unwind op (expected push REG, alloc N, setfp REG N, save REG N, savexmm XMMn N, machframe [errcode])'],
    ['an alloc that is not a multiple of 8', replaced('[alloc 0x108]', '[alloc 0x10c]'), 't.yaml:19:9: alloc 0x10c is not a positive multiple of 8'],
    ['a push of a register that does not exist', replaced('[alloc 0x108]', '[push rxx]'), "t.yaml:19:9: unknown register 'rxx'"],
    ['a chain to a non-function', replaced('prolog: [alloc 0x108]}', 'prolog: [alloc 0x108]}\n      - {begin: 0x2000, size: 0x10, chain: 0x3000}'), 't.yaml:20:9: chain target 3000 is not a function of nt'],
    ['a chain to an unknown symbol', replaced('prolog: [alloc 0x108]}', 'prolog: [alloc 0x108]}\n      - {begin: 0x2000, size: 0x10, chain: KiNothing}'), "t.yaml:20:9: 'KiNothing' is not a public symbol of nt"],
    ['overlapping functions', replaced('prolog: [alloc 0x108]}', 'prolog: [alloc 0x108]}\n      - {begin: 0x1080, size: 0x10}'), 't.yaml:20:9: function 1080-1090 overlaps function 1000-1100 (t.yaml:19:9)'],
    ['a public symbol outside its module', replaced('rva: 0x1000}', 'rva: 0x1000}\n      - {name: Far, rva: 0x20000}'), "t.yaml:18:9: public symbol 'Far' at rva 20000 lies outside module nt (size 10000)"],
    ['a register name that is not a register', replaced('rip: 0xfffff80002a01000', 'rip: 0xfffff80002a01000, rxx: 1'), "t.yaml:9:45: 'rxx' is not a full x64 register"],
    ['a 32-bit register name in a context', replaced('rip: 0xfffff80002a01000', 'rip: 0xfffff80002a01000, eax: 1'), "t.yaml:9:45: 'eax' is not a full x64 register"],
    ['modules that overlap', replaced('memory:', HAL), 't.yaml:22:11: module hal overlaps module nt'],
    ['a module name used twice', replaced('memory:', HAL.replace('hal\n', 'NT\n').replace('0xfffff80002a08000', '0xfffff80002b00000')), "t.yaml:20:11: module name 'NT' is used twice"],
    ['memory over a synthesized header', `${BASE}  - address: 0xfffff80002a00100\n    bytes: 00\n`, 't.yaml:23:14: memory overlaps the synthesized image header of nt (fffff800`02a00000, 1000 bytes)'],
    ['a YAML syntax error', replaced('    symbols: pdb', '    symbols: [pdb'), 't.yaml:16:5: Flow sequence in block collection must be sufficiently indented and end with a ]'],
    ['a tab used for indentation', replaced('  build: 7601\n', '\tbuild: 7601\n'), 't.yaml:6:1: Tabs are not allowed as indentation'],
    ['a duplicate key', replaced('  build: 7601\n', '  build: 7601\n  build: 7600\n'), 't.yaml:7:3: Map keys must be unique'],
    ['a missing required key', replaced('  build: 7601\n', ''), "t.yaml:3:3: missing required key 'build' in target"],
    ['a missing required top-level key', replaced('scenario: t\n', ''), "t.yaml:1:1: missing required key 'scenario'"],
    ['a missing module size', replaced('    size: 0x10000\n', ''), "t.yaml:11:5: missing required key 'size' in modules.0"],
    ['an unknown symbols mode', replaced('symbols: pdb', 'symbols: full'), 't.yaml:15:14: modules.0.symbols: Invalid option: expected one of "pdb"|"export"|"none"'],
    ['no processors', replaced('processors:\n  - context: {rip: 0xfffff80002a01000, rsp: 0xfffff88005a1f7f8}\n', 'processors: []\n'), 't.yaml:8:13: processors: Too small: expected array to have >=1 items'],
    ['a current processor that does not exist', replaced('processors:', 'currentProcessor: 3\nprocessors:'), 't.yaml:8:19: no processor 3'],
  ];
  it.each(cases)('%s', (_name, text, message) => {
    expect(errorOf(text)).toBe(message);
  });

  it('keeps `bytes: 90` as the hex byte 0x90, not the YAML integer ninety', () => {
    const { scenario, locate } = parseScenario(`${BASE}  - address: 0x1000\n    bytes: 90\n  - address: 0x2000\n    bytes: 4889\n`, 't.yaml');
    const t = compileScenario(scenario, locate, 't.yaml');
    expect(t.memory.readPartial(0x1000n, 1)).toEqual(Uint8Array.of(0x90));
    expect(t.memory.readPartial(0x2000n, 2)).toEqual(Uint8Array.of(0x48, 0x89));
  });

  it('accepts WinDbg-style addresses, quoted or not', () => {
    const text = `${BASE}  - address: fffff880\`05a1f900\n    bytes: 01\n  - address: '0xfffff880\`05a1f910'\n    bytes: 02\n`;
    const { scenario, locate } = parseScenario(text, 't.yaml');
    const t = compileScenario(scenario, locate, 't.yaml');
    expect(t.memory.readPartial(0xfffff88005a1f900n, 1)).toEqual(Uint8Array.of(1));
    expect(t.memory.readPartial(0xfffff88005a1f910n, 1)).toEqual(Uint8Array.of(2));
  });
});

describe('a broken scenario never produces a target', () => {
  const dir = mkdtempSync(join(tmpdir(), 'crashkd-scenario-'));
  const broken = join(dir, 'broken.yaml');
  writeFileSync(broken, replaced('size: 0x100, prolog', 'size: 0x4, prolog'));

  it('openScenario throws before returning', () => {
    let target: unknown;
    expect(() => {
      target = openScenario(broken);
    }).toThrow(ScenarioError);
    expect(target).toBeUndefined();
  });

  it('openTarget rejects with the located message', async () => {
    await expect(openTarget(broken)).rejects.toThrow(`${broken}:19:9: the prolog (7 bytes) does not fit the function (4 bytes)`);
  });

  it('an unreadable scenario file is a ScenarioError too', () => {
    expect(() => openScenario(join(dir, 'missing.yaml'))).toThrow(ScenarioError);
  });
});

describe('structured memory blocks', () => {
  const base = `scenario: s
target: {kind: kernel, arch: x64, dumpType: complete, build: 19041, sessionTime: "2024-01-01T00:00:00Z"}
processors: [{context: {rip: 0x1000, rsp: 0x2000}}]
memory:
`;
  it('compiles a trapFrame, a context and strings into their bytes', async () => {
    const { parseScenario } = await import('../../../src/scenario/load-scenario.js');
    const { compileScenario } = await import('../../../src/scenario/compile-scenario.js');
    const text = `${base}  - {address: 0x10000, trapFrame: {rip: 0x1234, rsp: 0x5678, errorCode: 2}}
  - {address: 0x20000, context: {rax: 7, rip: 0x9abc}}
  - {address: 0x30000, ascii: "ab"}
  - {address: 0x30010, utf16: "z"}
`;
    const { scenario, locate } = parseScenario(text, 's.yaml');
    const t = compileScenario(scenario, locate, 's.yaml');
    const q = (a: bigint) => new DataView(t.memory.readPartial(a, 8).buffer.slice(0)).getBigUint64(0, true);
    const at = (a: bigint, n: number) => [...t.memory.readPartial(a, n)];
    expect(q(0x10000n + 0x168n)).toBe(0x1234n);
    expect(q(0x10000n + 0x180n)).toBe(0x5678n);
    expect(q(0x10000n + 0x160n)).toBe(2n);
    expect(t.memory.readPartial(0x10000n, 0x191).length).toBe(0x190);
    expect(q(0x20000n + 0x78n)).toBe(7n);
    expect(q(0x20000n + 0xf8n)).toBe(0x9abcn);
    expect(at(0x30000n, 3)).toEqual([0x61, 0x62, 0]);
    expect(at(0x30010n, 4)).toEqual([0x7a, 0, 0, 0]);
  });

  it('names the bad field of a trapFrame with its location', async () => {
    const { parseScenario } = await import('../../../src/scenario/load-scenario.js');
    const { compileScenario } = await import('../../../src/scenario/compile-scenario.js');
    const { scenario, locate } = parseScenario(`${base}  - {address: 0x10000, trapFrame: {r12: 1}}\n`, 's.yaml');
    expect(() => compileScenario(scenario, locate, 's.yaml')).toThrow(/^s\.yaml:5:\d+: 'r12' is not a KTRAP_FRAME field/);
  });

  it('rejects a block with two kinds of content', async () => {
    const { parseScenario } = await import('../../../src/scenario/load-scenario.js');
    expect(() => parseScenario(`${base}  - {address: 0x10000, ascii: "a", qwords: [1]}\n`, 's.yaml')).toThrow(/exactly one of bytes, qwords, trapFrame, context, ascii or utf16/);
  });
});
