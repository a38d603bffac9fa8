import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FormatError } from '../../../../src/errors.js';
import { BlockMemory } from '../../../../src/memory/virtual-memory.js';
import { layeredImageReader, memoryImageReader, type ImageReader } from '../../../../src/formats/pe/image-reader.js';
import { fileImageReader } from '../../../../src/formats/pe/file-image-reader.js';
import { parsePeHeaders } from '../../../../src/formats/pe/pe-headers.js';
import { PeImage } from '../../../../src/formats/pe/pe-image.js';
import { parseCodeViewRecord } from '../../../../src/formats/pe/debug-directory.js';
import { decodeUnwindInfo, UWOP } from '../../../../src/formats/pe/unwind-info.js';
import { PeBuilder, type BuiltPe } from '../../../builders/pe-builder.js';

const bytesReader = (b: Uint8Array): ImageReader => ({ read: (rva, len) => b.subarray(Math.max(0, rva), Math.max(0, rva + len)) });
const openBytes = (b: Uint8Array): PeImage => PeImage.open(bytesReader(b));
const GUID = [0xa8, 0x03, 0xe1, 0x72, 0xb2, 0x5c, 0x07, 0x49, 0x8b, 0x76, 0xb2, 0xe7, 0xc0, 0x62, 0x57, 0xb1];

const tmp = mkdtempSync(path.join(tmpdir(), 'crashkd-pe-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function sample(): BuiltPe {
  const b = new PeBuilder({ imageBase: 0x1c0000000n, timeDateStamp: 0x589dfd11, checksum: 0x3d883 });
  b.code(0x1000, [0x48, 0x83, 0xec, 0x28, 0xc3]);
  b.func(0x1000, 0x1010, { prologSize: 4, codes: [{ at: 4, op: 'ALLOC_SMALL', size: 0x28 }] });
  const parent = b.func(0x1020, 0x1040, { version: 2, prologSize: 2, codes: [{ at: 2, op: 'EPILOG', opInfo: 1 }, { at: 0, op: 'EPILOG', opInfo: 0 }, { at: 2, op: 'PUSH_NONVOL', reg: 3 }] });
  b.func(0x1040, 0x1050, { prologSize: 0, codes: [], chained: { begin: 0x1020, end: 0x1040, unwindData: parent.unwindRva } });
  b.runtimeFunction(0x1050, 0x1060, parent.entryRva + 1); // indirect: use the entry for 0x1020
  b.exports('sample.sys', [{ name: 'Zeta', rva: 0x1000 }, { name: 'Alpha', rva: 0x1020 }, { rva: 0x1040 }, { name: 'Fwd', forwarder: 'ntoskrnl.KeBugCheckEx' }], 5);
  b.codeView({ rsds: { guid: GUID, age: 3, path: 'C:\\x\\sample.pdb' } });
  return b.build();
}

describe('PE parser on builder images', () => {
  it('reads headers, sections and directories of a PE32+ image', () => {
    const img = openBytes(sample().image);
    const h = img.headers;
    expect(h).toMatchObject({ machine: 0x8664, timeDateStamp: 0x589dfd11, magic: 0x20b, is64: true, imageBase: 0x1c0000000n, checksum: 0x3d883 });
    expect(h.sections.map((s) => [s.name, s.virtualAddress])).toEqual([['.text', 0x1000], ['.pdata', 0x5000], ['.rdata', 0x6000]]);
    expect(h.dataDirectories[3]).toEqual({ rva: 0x5000, size: 48 });
    expect(img.codeId).toBe(`589DFD11${h.sizeOfImage.toString(16)}`);
  });

  it('reads a PE32 image (ImageBase u32, directories at 0x60)', () => {
    const b = new PeBuilder({ pe32: true, imageBase: 0x400000n });
    b.exports('x.dll', [{ name: 'f', rva: 0x1000 }]);
    const img = openBytes(b.build().image);
    expect(img.headers).toMatchObject({ machine: 0x14c, magic: 0x10b, is64: false, imageBase: 0x400000n });
    expect(img.exports()?.exports).toEqual([{ name: 'f', ordinal: 1, rva: 0x1000 }]);
  });

  it('decodes exports: names, ordinal-only entries, forwarders skipped', () => {
    const ex = openBytes(sample().image).exports()!;
    expect(ex.dllName).toBe('sample.sys');
    expect(ex.ordinalBase).toBe(5);
    expect(ex.exports).toEqual([
      { name: 'Alpha', ordinal: 6, rva: 0x1020 },
      { name: 'Zeta', ordinal: 5, rva: 0x1000 },
      { name: undefined, ordinal: 7, rva: 0x1040 },
    ]);
  });

  it('reads RSDS through memory and through the file (PointerToRawData)', () => {
    const built = sample();
    const mem = openBytes(built.image).codeView();
    expect(mem).toEqual({ signature: 'RSDS', guid: '72E103A8-5CB2-4907-8B76-B2E7C06257B1', age: 3, pdbPath: 'C:\\x\\sample.pdb', symbolKey: '72E103A85CB249078B76B2E7C06257B13' });
    const file = path.join(tmp, 'sample.sys');
    writeFileSync(file, built.file);
    const r = fileImageReader(file);
    try {
      expect(new PeImage(r, r.headers).codeView()).toEqual(mem);
    } finally {
      r.close();
    }
  });

  it('reads NB10 records', () => {
    const b = new PeBuilder();
    b.codeView({ nb10: { signature: 0x3a2b1c0d, age: 2, path: 'old.pdb' } });
    expect(openBytes(b.build().image).codeView()).toEqual({ signature: 'NB10', nb10Signature: 0x3a2b1c0d, age: 2, pdbPath: 'old.pdb', symbolKey: '3A2B1C0D2' });
    expect(parseCodeViewRecord(new Uint8Array([0x4e, 0x42, 0x31, 0x31, 0, 0, 0, 0]))).toBeUndefined();
    expect(() => parseCodeViewRecord(new Uint8Array([0x52, 0x53, 0x44, 0x53, 1]))).toThrow(/RSDS record is 5 bytes/);
  });

  it('looks up functions, following indirect entries', () => {
    const img = openBytes(sample().image);
    expect(img.lookupFunction(0x1005)).toEqual({ begin: 0x1000, end: 0x1010, unwindData: 0x6000 });
    expect(img.lookupFunction(0x1010)).toBeUndefined();
    const parent = img.lookupFunction(0x1020)!;
    expect(img.lookupFunction(0x1055)).toEqual(parent);
    expect(img.runtimeFunctions.find(0x1055)?.unwindData).toBe(0x500c + 1);
  });

  it('decodes chained info and v2 epilog descriptors', () => {
    const img = openBytes(sample().image);
    const child = img.unwindInfo(img.lookupFunction(0x1040)!.unwindData);
    expect(child.chained).toEqual({ begin: 0x1020, end: 0x1040, unwindData: img.lookupFunction(0x1020)!.unwindData });
    const parent = img.unwindInfo(child.chained!.unwindData);
    expect(parent.codes.map((c) => c.epilog ?? c.op)).toEqual([{ kind: 'first', size: 2, atEnd: true }, { kind: 'padding' }, UWOP.PUSH_NONVOL]);
  });

  it('maps RVAs through the section table for files, zero-filling past SizeOfRawData', () => {
    const built = sample();
    const file = path.join(tmp, 'map.sys');
    writeFileSync(file, built.file);
    const r = fileImageReader(file);
    try {
      expect([...r.read(0x1000, 5)]).toEqual([0x48, 0x83, 0xec, 0x28, 0xc3]);
      expect([...r.read(0x5000, 48)]).toEqual([...built.image.subarray(0x5000, 0x5030)]);
      expect(r.read(0x5030, 0x200).every((v) => v === 0)).toBe(true);
      expect(r.read(built.sizeOfImage - 4, 100).length).toBe(4);
      expect(r.read(built.sizeOfImage + 1, 4).length).toBe(0);
    } finally {
      r.close();
    }
  });

  it('reads a module from target memory and fills missing pages from the file', () => {
    const built = sample();
    const base = 0xfffff80001000000n;
    const memory = new BlockMemory([{ base, bytes: built.image.subarray(0, 0x5000) }]);
    // The .pdata page is missing from memory: the table is empty rather than an error.
    expect(PeImage.open(memoryImageReader(memory, base)).runtimeFunctions.count).toBe(0);
    const layered = layeredImageReader([memoryImageReader(memory, base), bytesReader(built.image)]);
    expect(PeImage.open(layered).lookupFunction(0x1003)?.begin).toBe(0x1000);
  });
});

describe('malformed PE input throws FormatError naming the field', () => {
  const patched = (edit: (b: Uint8Array, v: DataView) => void): Uint8Array => {
    const b = sample().image.slice();
    edit(b, new DataView(b.buffer));
    return b;
  };
  const cases: [string, (b: Uint8Array, v: DataView) => void, RegExp][] = [
    ['bad MZ', (b) => (b[0] = 0), /e_magic/],
    ['e_lfanew past the image', (_, v) => v.setUint32(0x3c, 0x7fffff00, true), /e_lfanew/],
    ['bad PE signature', (b) => (b[0x80] = 0x4e), /signature/],
    ['bad optional-header magic', (_, v) => v.setUint16(0x98, 0x30b, true), /Magic/],
    ['SizeOfImage zero', (_, v) => v.setUint32(0x98 + 0x38, 0, true), /SizeOfImage/],
    ['NumberOfSections huge', (_, v) => v.setUint16(0x86, 0xffff, true), /section table/],
    ['exception directory outside the image', (_, v) => v.setUint32(0x98 + 0x70 + 3 * 8, 0x7ffffff0, true), /exception directory/],
  ];
  for (const [name, edit, message] of cases) {
    it(name, () => {
      const b = patched(edit);
      const run = (): unknown => {
        const img = openBytes(b);
        return img.runtimeFunctions;
      };
      expect(run).toThrow(FormatError);
      expect(run).toThrow(message);
    });
  }

  it('export counts beyond the image', () => {
    const img = openBytes(sample().image);
    const dir = img.headers.dataDirectories[0]!.rva;
    const b = patched((_, v) => v.setUint32(dir + 0x14, 0x40000000, true));
    expect(() => openBytes(b).exports()).toThrow(/NumberOfFunctions/);
  });

  it('export name ordinal beyond NumberOfFunctions', () => {
    const dir = openBytes(sample().image).headers.dataDirectories[0]!.rva;
    const b = patched((bb, v) => v.setUint16(v.getUint32(dir + 0x24, true), 99, true));
    expect(() => openBytes(b).exports()).toThrow(/AddressOfNameOrdinals\[0\] = 99/);
  });

  it('unwind info: bad version, unknown op, slot overflow, info past the image', () => {
    const build = (bytes: number[]): Uint8Array => {
      const b = new PeBuilder();
      const rva = b.data(bytes);
      expect(rva).toBe(0x6000);
      return b.build().image;
    };
    const decode = (img: Uint8Array, rva = 0x6000, limit = img.length): unknown => decodeUnwindInfo(bytesReader(img), rva, limit);
    expect(() => decode(build([3, 0, 0, 0]))).toThrow(/Version 3/);
    expect(() => decode(build([1, 0, 1, 0, 0, 0x0b, 0, 0]))).toThrow(/unknown UnwindOp 11/);
    expect(() => decode(build([1, 0, 1, 0, 0, 0x11, 0, 0]))).toThrow(/needs 3 slots, only 1 remain/);
    expect(() => decode(build([1, 0, 1, 0, 0, 0x04, 0, 0]))).toThrow(/needs 2 slots/);
    expect(() => decode(build([1, 0, 0xff, 0]), 0x6000, 0x6100)).toThrow(/CountOfCodes 255 runs past the image/);
    expect(() => decode(build([0x21, 0, 0, 0, 0, 0x10, 0, 0, 0xff, 0xff, 0, 0]))).toThrow(/chained RUNTIME_FUNCTION/);
    expect(() => decode(build([1, 0, 0, 0]), 0x7ffffff0)).toThrow(/outside the image/);
  });

  it('is not fooled by a truncated file', () => {
    const file = path.join(tmp, 'trunc.sys');
    writeFileSync(file, sample().file.subarray(0, 0x100));
    expect(() => fileImageReader(file)).toThrow(/section table|optional header/);
    writeFileSync(file, new Uint8Array([0x4d, 0x5a]));
    expect(() => fileImageReader(file)).toThrow(/DOS header: only 2 of 64 bytes/);
  });

  it('headers parse from memory reader with default limit', () => {
    expect(parsePeHeaders(bytesReader(sample().image)).sizeOfImage).toBeGreaterThan(0x6000);
  });
});
