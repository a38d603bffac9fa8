import { describe, expect, it } from 'vitest';
import { DebuggerError, FormatError } from '../../../../src/errors.js';
import { PdbFile } from '../../../../src/formats/pdb/pdb-file.js';
import { PdbSymbols } from '../../../../src/formats/pdb/pdb-symbols.js';
import {
  SAMPLE_GUID, buildMsf, dbiStream, end, gsiHash, infoStream, moduleStream, omap, proc32, procRef, pub32,
  publicsStream, records, sectionHeaders, type DbiSpec,
} from './pdb-builder.js';

/**
 * Stream layout used below: 0 old dir, 1 info, 2 TPI (nil), 3 DBI, 4 IPI (nil), 5 symbol records,
 * 6 publics, 7 section headers, 8 module 0 symbols, 9 globals.
 */
function samplePdb(blockSize = 512, dbiPatch: Partial<DbiSpec> = {}): Buffer {
  const modRecs = records([
    proc32('staticHelper', 1, 0x10, 0x20, true), end(),
    proc32('Outer::method', 1, 0x40, 0x30), end(),
  ]);
  const mod0 = moduleStream([modRecs.buf]);
  const recs = records([
    pub32('?method@Outer@@QEAAXXZ', 1, 0x40),
    pub32('DriverEntry', 1, 0x100),
    pub32('gTable', 2, 0x8, 0),
    // SymOffset counts from the stream start, so the 4-byte CV signature is included.
    procRef('Outer::method', 4 + modRecs.offsets[2]!, 1),
  ]);
  const pubOffsets = recs.offsets.slice(0, 3);
  return buildMsf([
    Buffer.alloc(0),
    infoStream(SAMPLE_GUID, 2),
    null,
    dbiStream({
      age: 2,
      publicStream: 6,
      symRecordStream: 5,
      globalStream: 9,
      modules: [{ name: 'a.obj', symStream: 8, symByteSize: mod0.length }, { name: 'b.obj' }],
      contributions: [{ section: 1, offset: 0, size: 0x100, module: 0 }, { section: 1, offset: 0x100, size: 0x80, module: 1 }],
      debugStreams: { 5: 7 },
      ...dbiPatch,
    }),
    null,
    recs.buf,
    publicsStream(pubOffsets),
    sectionHeaders([['.text', 0x1000, 0x200], ['.data', 0x3000, 0x100]]),
    mod0,
    gsiHash([recs.offsets[3]!]),
  ], blockSize);
}

function formatError(fn: () => unknown): FormatError {
  try {
    fn();
  } catch (err) {
    if (err instanceof FormatError) return err;
    throw err;
  }
  throw new Error('expected a FormatError');
}

describe('PDB reader on synthetic files', () => {
  for (const bs of [512, 1024, 2048, 4096]) {
    it(`reads block size ${bs}`, () => {
      const pdb = PdbFile.fromBuffer(samplePdb(bs));
      expect(pdb.msf.superBlock.blockSize).toBe(bs);
      expect(pdb.info.guid).toBe('00112233445566778899AABBCCDDEEFF');
      expect(pdb.age).toBe(2);
      expect(pdb.dbi.modules.map((m) => m.moduleName)).toEqual(['a.obj', 'b.obj']);
      expect(pdb.publics().map((p) => p.name)).toEqual(['?method@Outer@@QEAAXXZ', 'DriverEntry', 'gTable']);
    });
  }

  it('merges publics and procedures; statics come from the module stream', () => {
    const syms = new PdbSymbols(PdbFile.fromBuffer(samplePdb()));
    expect(syms.nearest(0x1015)).toEqual({ name: 'staticHelper', rva: 0x1010, length: 0x20 });
    expect(syms.nearest(0x1041)).toEqual({ name: 'Outer::method', rva: 0x1040, length: 0x30 });
    expect(syms.nearest(0x1200)).toEqual({ name: 'DriverEntry', rva: 0x1100 });
    expect(syms.nearest(0x100f)).toBeUndefined();
    expect(syms.next(0x1000)?.name).toBe('staticHelper');
    expect(syms.next(0x1010)?.name).toBe('Outer::method');
    expect(syms.next(0x1040)?.name).toBe('DriverEntry');
    expect(syms.next(0x1100)?.name).toBe('gTable');
    expect(syms.all().map((s) => `${s.rva.toString(16)} ${s.name}`)).toEqual([
      '1010 staticHelper', '1040 Outer::method', '1100 DriverEntry', '3008 gTable',
    ]);
  });

  it('falls back to every module when the DBI has no section contributions', () => {
    const syms = new PdbSymbols(PdbFile.fromBuffer(samplePdb(512, { contributions: [] })));
    expect(syms.nearest(0x1015)).toEqual({ name: 'staticHelper', rva: 0x1010, length: 0x20 });
    expect(syms.next(0x1010)?.name).toBe('Outer::method');
  });

  it('byName is case-insensitive and uses procedure references from the globals stream', () => {
    const syms = new PdbSymbols(PdbFile.fromBuffer(samplePdb()));
    expect(syms.byName('outer::METHOD')).toEqual([{ name: 'Outer::method', rva: 0x1040, length: 0x30 }]);
    expect(syms.byName('?method@Outer@@QEAAXXZ')).toEqual([{ name: 'Outer::method', rva: 0x1040 }]);
    expect(syms.byName('driverentry')).toEqual([{ name: 'DriverEntry', rva: 0x1100 }]);
    expect(syms.byName('nothing')).toEqual([]);
  });

  it('maps addresses through OMAP and the original section headers', () => {
    const base = samplePdb();
    const pdb = PdbFile.fromBuffer(base);
    expect(pdb.addressMap().toRva(1, 0x40)).toBe(0x1040);
    const streams = [
      Buffer.alloc(0), infoStream(SAMPLE_GUID, 1), null,
      dbiStream({ age: 1, publicStream: 6, symRecordStream: 5, debugStreams: { 5: 7, 4: 8, 10: 9 } }),
      null,
      records([pub32('Moved', 1, 0x20)]).buf,
      publicsStream([0]),
      sectionHeaders([['.text', 0x1000, 0x100]]),
      omap([[0x1000, 0x5000], [0x1010, 0x6000], [0x1030, 0]]),
      sectionHeaders([['.text', 0x1000, 0x100]]),
    ];
    const omapped = PdbFile.fromBuffer(buildMsf(streams));
    expect(omapped.addressMap().toRva(1, 0x8)).toBe(0x5008);
    expect(omapped.addressMap().toRva(1, 0x20)).toBe(0x6010);
    expect(omapped.addressMap().toRva(1, 0x30)).toBeUndefined();
    expect(new PdbSymbols(omapped).nearest(0x6015)).toEqual({ name: 'Moved', rva: 0x6010 });
  });

  describe('malformed files fail with a FormatError naming the field', () => {
    it('rejects a missing magic and PDB 2.00', () => {
      expect(formatError(() => PdbFile.fromBuffer(Buffer.alloc(4096))).message).toMatch(/MSF 7.00 magic/);
      const v2 = Buffer.alloc(4096);
      v2.write('Microsoft C/C++ program database 2.00\r\n\x1aJG', 'latin1');
      expect(() => PdbFile.fromBuffer(v2)).toThrow(DebuggerError);
      expect(() => PdbFile.fromBuffer(v2)).toThrow(/2\.00/);
    });

    it('rejects a bad BlockSize', () => {
      const f = samplePdb();
      f.writeUInt32LE(768, 0x20);
      expect(formatError(() => PdbFile.fromBuffer(f)).message).toMatch(/BlockSize 768/);
    });

    it('rejects NumBlocks larger than the file', () => {
      const f = samplePdb();
      f.writeUInt32LE(f.length / 512 + 10, 0x28);
      expect(formatError(() => PdbFile.fromBuffer(f)).message).toMatch(/NumBlocks/);
    });

    it('rejects a block map address out of range', () => {
      const f = samplePdb();
      f.writeUInt32LE(9999, 0x34);
      expect(formatError(() => PdbFile.fromBuffer(f)).message).toMatch(/BlockMapAddr 9999/);
    });

    it('rejects a directory whose stream count exceeds its size', () => {
      const f = samplePdb();
      const mapBlock = f.readUInt32LE(0x34);
      const dirBlock = f.readUInt32LE(mapBlock * 512);
      f.writeUInt32LE(0x10000000, dirBlock * 512);
      expect(formatError(() => PdbFile.fromBuffer(f)).message).toMatch(/NumStreams/);
    });

    it('rejects a stream block number past NumBlocks', () => {
      const f = samplePdb();
      const mapBlock = f.readUInt32LE(0x34);
      const dirBlock = f.readUInt32LE(mapBlock * 512);
      // Directory: count, 10 sizes, then the first block number (stream 1's).
      f.writeUInt32LE(0xfffff, dirBlock * 512 + 4 + 10 * 4);
      expect(formatError(() => PdbFile.fromBuffer(f)).message).toMatch(/block 0 of stream 1/);
    });

    it('rejects a DBI stream with an old VersionSignature or overlong substreams', () => {
      const dbi = dbiStream({ age: 1 });
      dbi.writeInt32LE(0, 0);
      const a = buildMsf([Buffer.alloc(0), infoStream(SAMPLE_GUID, 1), null, dbi]);
      expect(formatError(() => PdbFile.fromBuffer(a)).message).toMatch(/VersionSignature/);
      const dbi2 = dbiStream({ age: 1 });
      dbi2.writeInt32LE(0x7fff, 0x18);
      const b = buildMsf([Buffer.alloc(0), infoStream(SAMPLE_GUID, 1), null, dbi2]);
      expect(formatError(() => PdbFile.fromBuffer(b)).message).toMatch(/ModInfoSize/);
    });

    it('rejects a publics address map entry outside the symbol record stream', () => {
      const streams = [
        Buffer.alloc(0), infoStream(SAMPLE_GUID, 1), null,
        dbiStream({ age: 1, publicStream: 6, symRecordStream: 5, debugStreams: { 5: 7 } }), null,
        records([pub32('A', 1, 0)]).buf, publicsStream([0], [0x4000]), sectionHeaders([['.text', 0x1000, 0x10]]),
      ];
      expect(formatError(() => PdbFile.fromBuffer(buildMsf(streams)).publics()).message).toMatch(/address map: entry 0/);
    });

    it('rejects a module symbol record whose length runs past the stream', () => {
      const mod = moduleStream([proc32('f', 1, 0, 4)]);
      mod.writeUInt16LE(0x7000, 4);
      const streams = [
        Buffer.alloc(0), infoStream(SAMPLE_GUID, 1), null,
        dbiStream({ age: 1, modules: [{ name: 'm', symStream: 5, symByteSize: mod.length }], debugStreams: { 5: 6 } }), null,
        mod, sectionHeaders([['.text', 0x1000, 0x10]]),
      ];
      expect(formatError(() => PdbFile.fromBuffer(buildMsf(streams)).moduleProcedures(0)).message).toMatch(/RecordLength 28672/);
    });

    it('rejects a missing stream referenced by the DBI header', () => {
      const streams = [Buffer.alloc(0), infoStream(SAMPLE_GUID, 1), null, dbiStream({ age: 1, publicStream: 40 })];
      const pdb = PdbFile.fromBuffer(buildMsf(streams));
      expect(formatError(() => pdb.publics()).message).toMatch(/PublicStreamIndex 40/);
      expect(formatError(() => PdbFile.fromBuffer(buildMsf([Buffer.alloc(0), infoStream(SAMPLE_GUID, 1)]))).message).toMatch(/DBI stream: stream 3 does not exist/);
    });
  });
});
