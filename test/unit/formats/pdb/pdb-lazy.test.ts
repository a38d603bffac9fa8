import { describe, expect, it, vi } from 'vitest';
import { BufferSource, type ByteSource } from '../../../../src/formats/pdb/byte-source.js';
import { PdbFile } from '../../../../src/formats/pdb/pdb-file.js';
import { PdbSymbols } from '../../../../src/formats/pdb/pdb-symbols.js';
import {
  SAMPLE_GUID, buildMsf, dbiStream, end, infoStream, moduleStream, proc32, publicsStream, pub32, records, sectionHeaders,
  type ContribSpec, type ModSpec,
} from './pdb-builder.js';

/** Counts bytes read so a test can prove what was not read. */
class CountingSource implements ByteSource {
  bytesRead = 0;
  constructor(private readonly inner: BufferSource) {}
  get size(): number {
    return this.inner.size;
  }
  read(offset: number, length: number): Buffer {
    this.bytesRead += length;
    return this.inner.read(offset, length);
  }
  readInto(offset: number, length: number, target: Uint8Array, targetOffset: number): void {
    this.bytesRead += length;
    this.inner.readInto(offset, length, target, targetOffset);
  }
  close(): void {}
}

/** A record of an arbitrary kind (stands for S_REGREL32, S_FRAMEPROC ... nested in a procedure). */
function opaque(kind: number, size: number): Buffer {
  const r = Buffer.alloc(size, 0xab);
  r.writeUInt16LE(size - 2, 0);
  r.writeUInt16LE(kind, 2);
  return r;
}

/** Sets a procedure record's End field. */
function withEnd(proc: Buffer, endOffset: number): Buffer {
  proc.writeUInt32LE(endOffset, 8);
  return proc;
}

/**
 * `count` modules, module m holding procedures `m_f0..m_f9` at .text 0x1000 + m*0x1000 + i*0x100
 * (length 0x80), one contribution each, and a public on every module's first procedure.
 * Streams: 5 symbol records, 6 publics, 7 section headers, 8.. modules.
 */
function manyModules(count: number): Buffer {
  const mods: ModSpec[] = [];
  const contributions: ContribSpec[] = [];
  const modStreams: Buffer[] = [];
  const pubs: Buffer[] = [];
  for (let m = 0; m < count; m++) {
    const list: Buffer[] = [];
    for (let i = 0; i < 10; i++) list.push(proc32(`m${m}_f${i}`, 1, m * 0x1000 + i * 0x100, 0x80), end());
    const stream = moduleStream(list);
    modStreams.push(stream);
    mods.push({ name: `m${m}.obj`, symStream: 8 + m, symByteSize: stream.length });
    contributions.push({ section: 1, offset: m * 0x1000, size: 0x1000, module: m });
    pubs.push(pub32(`?m${m}_f0@@YAXXZ`, 1, m * 0x1000));
  }
  const rec = records(pubs);
  return buildMsf([
    Buffer.alloc(0), infoStream(SAMPLE_GUID, 1), null,
    dbiStream({ age: 1, publicStream: 6, symRecordStream: 5, modules: mods, contributions, debugStreams: { 5: 7 } }),
    null, rec.buf, publicsStream(rec.offsets), sectionHeaders([['.text', 0x1000, count * 0x1000]]), ...modStreams,
  ]);
}

describe('lazy PDB lookups', () => {
  it('reads only the module whose contribution holds the address, and no public names but the one returned', () => {
    const file = manyModules(40);
    const source = new CountingSource(new BufferSource(file));
    const pdb = PdbFile.fromSource(source);
    const publics = vi.spyOn(pdb, 'publics');
    const syms = new PdbSymbols(pdb);
    expect(syms.nearest(0x1000 + 17 * 0x1000 + 0x345)).toEqual({ name: 'm17_f3', rva: 0x12300, length: 0x80 });
    expect(pdb.loadedModuleCount).toBe(1);
    expect(publics).not.toHaveBeenCalled();
    expect(source.bytesRead).toBeLessThan(file.length / 4);
    // A second lookup in another module reads that module only.
    expect(syms.nearest(0x1000 + 3 * 0x1000 + 0x950)?.name).toBe('m3_f9');
    expect(pdb.loadedModuleCount).toBe(2);
  });

  it('returns the same cached symbol for repeated lookups, including after another module was read', () => {
    const syms = new PdbSymbols(PdbFile.fromBuffer(manyModules(5)));
    const a = syms.nearest(0x2110);
    syms.nearest(0x5110); // another module now fills the scan buffer
    expect(syms.nearest(0x2120)).toBe(a);
    // A name decoded by a record read (its module is no longer in the scan buffer).
    expect(syms.nearest(0x2210)).toEqual({ name: 'm1_f2', rva: 0x2200, length: 0x80 });
    expect(syms.next(0x2200)).toEqual({ name: 'm1_f3', rva: 0x2300, length: 0x80 });
  });

  it('decodes a procedure record by offset whether or not its module is in the scan buffer', () => {
    const pdb = PdbFile.fromBuffer(manyModules(3));
    const expected = pdb.moduleProcedures(0)[4]!;
    pdb.procedureIndex(2);
    expect(pdb.procedureRecord(0, expected.recordOffset)).toEqual(expected);
    pdb.prefetchModule(0);
    expect(pdb.procedureRecord(0, expected.recordOffset)).toEqual(expected);
    expect(pdb.procedureRecord(0, 2)).toBeUndefined();
    expect(pdb.procedureRecord(0, 0x7fffffff)).toBeUndefined();
  });

  it('keeps the procedure records of a module whose locals dominate, so names need no further reads', () => {
    // Each procedure: S_GPROC32, 8 locals of 32 bytes, S_END (End points at it): records are ~15% of the stream.
    const list: Buffer[] = [];
    let pos = 4;
    for (let i = 0; i < 6; i++) {
      const proc = proc32(`kept${i}`, 1, i * 0x20, 0x10);
      pos += proc.length + 8 * 32;
      list.push(withEnd(proc, pos), ...Array.from({ length: 8 }, () => opaque(0x1111, 32)), end());
      pos += 4;
    }
    const mod = moduleStream(list);
    const other = moduleStream([proc32('other', 1, 0xf0, 4), end()]);
    const source = new CountingSource(new BufferSource(buildMsf([
      Buffer.alloc(0), infoStream(SAMPLE_GUID, 1), null,
      dbiStream({ age: 1, modules: [{ name: 'a.obj', symStream: 5, symByteSize: mod.length }, { name: 'b.obj', symStream: 7, symByteSize: other.length }], debugStreams: { 5: 6 } }),
      null, mod, sectionHeaders([['.text', 0x1000, 0x100]]), other,
    ])));
    const pdb = PdbFile.fromSource(source);
    const index = pdb.procedureIndex(0);
    expect(index.records?.length).toBe(6 * 0x30);
    expect(index.records!.length).toBeLessThan(mod.length / 4);
    pdb.procedureIndex(1); // another module takes the scan buffer
    const before = source.bytesRead;
    expect(Array.from({ length: 6 }, (_, i) => pdb.procedureAt(0, i))).toEqual(pdb.moduleProcedures(0));
    const syms = new PdbSymbols(pdb);
    const readsBefore = source.bytesRead;
    expect(syms.nearest(0x1000 + 4 * 0x20 + 3)).toEqual({ name: 'kept4', rva: 0x1080, length: 0x10 });
    expect(source.bytesRead).toBe(readsBefore);
    expect(before).toBeGreaterThan(0);
  });

  it('does not keep the records when they are most of the stream (names are read back on demand)', () => {
    const pdb = PdbFile.fromBuffer(manyModules(2));
    expect(pdb.procedureIndex(0).records).toBeUndefined();
    expect(pdb.procedureAt(0, 3)).toEqual(pdb.moduleProcedures(0)[3]);
  });

  it('sorts procedures that are out of stream order; equal rvas keep stream order', () => {
    const mod = moduleStream([proc32('late', 1, 0x80, 0x10), end(), proc32('early', 1, 0x10, 0x10), end(), proc32('twinA', 1, 0x40, 4), end(), proc32('twinB', 1, 0x40, 8), end()]);
    const pdb = PdbFile.fromBuffer(buildMsf([
      Buffer.alloc(0), infoStream(SAMPLE_GUID, 1), null,
      dbiStream({ age: 1, modules: [{ name: 'a.obj', symStream: 5, symByteSize: mod.length }], contributions: [{ section: 1, offset: 0, size: 0x100, module: 0 }], debugStreams: { 5: 6 } }),
      null, mod, sectionHeaders([['.text', 0x1000, 0x100]]),
    ]));
    const index = pdb.procedureIndex(0);
    expect(Array.from(index.rvas)).toEqual([0x1010, 0x1040, 0x1040, 0x1080]);
    const syms = new PdbSymbols(pdb);
    expect(syms.nearest(0x1045)?.name).toBe('twinA');
    expect(syms.nearest(0x1090)?.name).toBe('late');
    expect(syms.next(0x1010)?.name).toBe('twinA');
  });

  it('jumps over nested records through End, and walks on when End does not point at an S_END', () => {
    // 4 (signature) | A 0x2c | opaque 0x10 | opaque with a bogus length (never read) | S_END | B | S_END | C | S_END
    const a = proc32('A', 1, 0x10, 0x10);
    const bogus = opaque(0x1111, 8);
    bogus.writeUInt16LE(0x7ff0, 0); // would run past the stream if it were walked
    const aEnd = 4 + a.length + 0x10 + bogus.length;
    const b = withEnd(proc32('B', 1, 0x20, 0x10), 3); // End points nowhere useful: walk on
    const c = proc32('C', 1, 0x30, 0x10);
    const mod = moduleStream([withEnd(a, aEnd), opaque(0x1111, 0x10), bogus, end(), b, end(), c, end()]);
    const pdb = PdbFile.fromBuffer(buildMsf([
      Buffer.alloc(0), infoStream(SAMPLE_GUID, 1), null,
      dbiStream({ age: 1, modules: [{ name: 'a.obj', symStream: 5, symByteSize: mod.length }], debugStreams: { 5: 6 } }),
      null, mod, sectionHeaders([['.text', 0x1000, 0x100]]),
    ]));
    const syms = new PdbSymbols(pdb);
    expect(syms.all().map((s) => s.name)).toEqual(['A', 'B', 'C']);
    expect(syms.nearest(0x1035)).toEqual({ name: 'C', rva: 0x1030, length: 0x10 });
  });

  it('sorts publics whose address-map order is not rva order (sections out of address order)', () => {
    const rec = records([pub32('InFirstSection', 1, 0x10), pub32('InSecondSection', 2, 0x10)]);
    const pdb = PdbFile.fromBuffer(buildMsf([
      Buffer.alloc(0), infoStream(SAMPLE_GUID, 1), null,
      dbiStream({ age: 1, publicStream: 6, symRecordStream: 5, debugStreams: { 5: 7 } }),
      null, rec.buf, publicsStream(rec.offsets), sectionHeaders([['.text', 0x5000, 0x100], ['.text2', 0x1000, 0x100]]),
    ]));
    const syms = new PdbSymbols(pdb);
    expect(syms.nearest(0x1015)).toEqual({ name: 'InSecondSection', rva: 0x1010 });
    expect(syms.nearest(0x5015)).toEqual({ name: 'InFirstSection', rva: 0x5010 });
    expect(syms.next(0x1010)?.name).toBe('InFirstSection');
    expect(syms.all().map((s) => s.rva)).toEqual([0x1010, 0x5010]);
  });

  it('falls back to the hash records (any order) when the address map is empty', () => {
    const rec = records([pub32('Second', 1, 0x40), pub32('First', 1, 0x10)]);
    const pdb = PdbFile.fromBuffer(buildMsf([
      Buffer.alloc(0), infoStream(SAMPLE_GUID, 1), null,
      dbiStream({ age: 1, publicStream: 6, symRecordStream: 5, debugStreams: { 5: 7 } }),
      null, rec.buf, publicsStream(rec.offsets, []), sectionHeaders([['.text', 0x1000, 0x100]]),
    ]));
    expect(pdb.publicRecordOffsets().sorted).toBe(false);
    const syms = new PdbSymbols(pdb);
    expect(syms.nearest(0x1020)?.name).toBe('First');
    expect(syms.nearest(0x1050)?.name).toBe('Second');
  });

  it('reads the publics address map without the hash section', () => {
    const many = Array.from({ length: 2000 }, (_, i) => pub32(`P${i}`, 1, i * 0x10));
    const rec = records(many);
    const publics = publicsStream(rec.offsets);
    const file = buildMsf([
      Buffer.alloc(0), infoStream(SAMPLE_GUID, 1), null,
      dbiStream({ age: 1, publicStream: 6, symRecordStream: 5, debugStreams: { 5: 7 } }),
      null, rec.buf, publics, sectionHeaders([['.text', 0x1000, 0x10000]]),
    ]);
    const source = new CountingSource(new BufferSource(file));
    const pdb = PdbFile.fromSource(source);
    const before = source.bytesRead;
    expect(pdb.publicRecordOffsets().offsets.length).toBe(2000);
    const hashBytes = publics.length - 28 - 2000 * 4;
    expect(hashBytes).toBeGreaterThan(16000);
    // Header plus address map plus the symbol records (for their size), not the hash.
    expect(source.bytesRead - before).toBeLessThan(28 + 2000 * 4 + rec.buf.length + 1024);
    expect(new PdbSymbols(pdb).nearest(0x1000 + 1234 * 0x10 + 3)?.name).toBe('P1234');
  });

  it('keeps section contributions as typed arrays and builds the objects only when asked', () => {
    const pdb = PdbFile.fromBuffer(manyModules(3));
    const t = pdb.dbi.contributionTable;
    expect(t.count).toBe(3);
    expect(Array.from(t.offset)).toEqual([0, 0x1000, 0x2000]);
    expect(pdb.dbi.sectionContributions[2]).toEqual({ section: 1, offset: 0x2000, size: 0x1000, characteristics: 0x60000020, moduleIndex: 2 });
    expect(pdb.dbi.sectionContributions).toBe(pdb.dbi.sectionContributions);
  });
});
