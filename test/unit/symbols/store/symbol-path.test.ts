import { describe, expect, it } from 'vitest';
import { imageKey, keyLocations, pdbKey, safeFileName, breakpadSymName, compressedName } from '../../../../src/symbols/store/store-keys.js';
import { formatSymbolPath, parseSymbolPath } from '../../../../src/symbols/store/symbol-path.js';
import { searchRoots } from '../../../../src/symbols/store/locate.js';

describe('parseSymbolPath', () => {
  it('parses folders, srv cascades, symsrv and cache elements', () => {
    const text = String.raw`C:\syms; srv*C:\cache*https://msdl.microsoft.com/download/symbols;SRV*https://sym.example.com;srv**https://x.test/s;cache*D:\c;cache*;symsrv*symsrv.dll*\\share\store*E:\down;;  "C:\with space"  `;
    expect(parseSymbolPath(text)).toEqual([
      { kind: 'folder', path: String.raw`C:\syms` },
      { kind: 'server', stores: [String.raw`C:\cache`], url: 'https://msdl.microsoft.com/download/symbols' },
      { kind: 'server', stores: [], url: 'https://sym.example.com' },
      { kind: 'server', stores: [undefined], url: 'https://x.test/s' },
      { kind: 'cache', path: String.raw`D:\c` },
      { kind: 'cache', path: undefined },
      { kind: 'server', stores: [String.raw`\\share\store`, String.raw`E:\down`], dll: 'symsrv.dll' },
      { kind: 'folder', path: String.raw`C:\with space` },
    ]);
  });

  it('keeps only what precedes the URL in a cascade', () => {
    expect(parseSymbolPath('srv*/a*/b*https://u.test*/c')).toEqual([{ kind: 'server', stores: ['/a', '/b'], url: 'https://u.test' }]);
  });

  it('round-trips through formatSymbolPath', () => {
    const text = 'srv*/home/u/sym*https://msdl.microsoft.com/download/symbols;/opt/pdbs;cache*;symsrv*symsrv.dll*/a*/b';
    expect(formatSymbolPath(parseSymbolPath(text))).toBe(text);
  });

  it('derives local search roots, substituting the default store for empty tokens', () => {
    const roots = searchRoots(parseSymbolPath('/f;srv**https://u.test;cache*;srv*/s1*/s2;/f'), '/home/u/.cache/crashkd/sym');
    expect(roots).toEqual([
      { dir: '/f', kind: 'folder' },
      { dir: '/home/u/.cache/crashkd/sym', kind: 'store' },
      { dir: '/s1', kind: 'store' },
      { dir: '/s2', kind: 'store' },
    ]);
    expect(searchRoots(parseSymbolPath('srv**https://u.test'))).toEqual([]);
  });
});

describe('store keys', () => {
  it('formats PDB keys as GUID + hex age without padding', () => {
    expect(pdbKey({ pdbName: 'amdppm.pdb', guid: '1C19FDDB27BB3399D9B45973EFEAFCF3', age: 1 })).toBe('1C19FDDB27BB3399D9B45973EFEAFCF31');
    expect(pdbKey({ pdbName: 'x.pdb', guid: 'e95bb5e08ce640a09c3dbf3dfa3abcb4', age: 0x2a })).toBe('E95BB5E08CE640A09C3DBF3DFA3ABCB42A');
    expect(pdbKey({ pdbName: 'old.pdb', guid: '3A1B2C4D', age: 2 })).toBe('3A1B2C4D2');
  });

  it('formats image keys as %08X timestamp + %x size', () => {
    expect(imageKey({ name: 'amdppm.sys', timestamp: 0xc9c03000, size: 0x3b000 })).toBe('C9C030003b000');
    expect(imageKey({ name: 'x.exe', timestamp: 0x589dfd11, size: 0x1a000 })).toBe('589DFD111a000');
    expect(imageKey({ name: 'y.dll', timestamp: 0x1234, size: 0x1000 })).toBe('000012341000');
  });

  it('accepts only single safe file names', () => {
    expect(safeFileName(String.raw`d:\os\obj\amd64fre\amdppm.pdb`)).toBe('amdppm.pdb');
    expect(safeFileName('/build/out/a.pdb')).toBe('a.pdb');
    expect(safeFileName('..')).toBeUndefined();
    expect(safeFileName('x/..')).toBeUndefined();
    expect(safeFileName('C:')).toBeUndefined();
    expect(safeFileName('')).toBeUndefined();
  });

  it('spells compressed and Breakpad names and the two-tier layout', () => {
    expect(compressedName('ntkrnlmp.pdb')).toBe('ntkrnlmp.pd_');
    expect(breakpadSymName('test_app.pdb')).toBe('test_app.sym');
    expect(breakpadSymName('libfoo.so')).toBe('libfoo.so.sym');
    expect(keyLocations('ntdll.dll', 'AB1', true)[0]).toEqual({ dir: 'nt/ntdll.dll/AB1', file: 'ntdll.dll' });
    expect(keyLocations('a.pdb', 'AB1', true)[0]).toEqual({ dir: 'a/a.pdb/AB1', file: 'a.pdb' });
    expect(keyLocations('Foo.pdb', 'C9C030003b000', false).map((l) => l.dir)).toEqual([
      'Foo.pdb/C9C030003b000', 'Foo.pdb/c9c030003b000', 'Foo.pdb/C9C030003B000',
      'foo.pdb/C9C030003b000', 'foo.pdb/c9c030003b000', 'foo.pdb/C9C030003B000',
      'FOO.PDB/C9C030003b000', 'FOO.PDB/c9c030003b000', 'FOO.PDB/C9C030003B000',
    ]);
  });
});
