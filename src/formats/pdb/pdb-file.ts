import { FormatError } from '../../errors.js';
import { AddressMap } from './address-map.js';
import { BufferSource, FileSource, type ByteSource } from './byte-source.js';
import { NO_STREAM, readDbi, type DbiModule, type DbiStream } from './dbi.js';
import { MsfFile, type MsfStream } from './msf.js';
import { readPdbInfo, type PdbInfo } from './pdb-info.js';
import { Arena, ProcedureIndex } from './procedure-index.js';
import { readGsiHashOffsets, readPublicsAddressMap } from './publics-stream.js';
import {
  decodeProcRef, decodeProcedure, decodePublic, forEachRecord,
  type ProcedureRef, type ProcedureSymbol, type PublicSymbol,
} from './symbol-records.js';

/** CodeView signature at the start of a module symbol stream (CV_SIGNATURE_C13). */
const CV_SIGNATURE_C13 = 4;
/** Module streams up to this size are read into one reused buffer; larger ones get their own. */
const SCRATCH_LIMIT = 16 * 1024 * 1024;
/** Bytes read to decode one procedure record (names are short); longer records are read again whole. */
const RECORD_WINDOW = 256;

/**
 * A PDB opened for reading. At open only the MSF directory, the info stream and the DBI stream
 * are read; everything else (section headers, symbol records, module streams) is read on first
 * use, so a large PDB costs only the streams a lookup needs. TPI/IPI are never read.
 *
 * Module streams are not kept: each is read into one reused buffer and scanned into a
 * ProcedureIndex (typed arrays, plus a copy of the procedure records when they are a small part
 * of the stream, as usual). A procedure whose record was not kept is read back from the file
 * when a lookup returns it. Fresh memory for every module stream would cost more than the
 * reads. After close(), lookups that need such a read fail with a FormatError.
 */
export class PdbFile {
  readonly info: PdbInfo;
  readonly dbi: DbiStream;
  private addressMapCache: AddressMap | undefined;
  private symRecordCache: Buffer | undefined;
  private publicsCache: PublicSymbol[] | undefined;
  private publicOffsetsCache: { offsets: Uint32Array; sorted: boolean } | undefined;
  private procRefCache: ProcedureRef[] | undefined;
  private readonly moduleProcCache = new Map<number, readonly ProcedureSymbol[]>();
  private readonly procIndexCache = new Map<number, ProcedureIndex>();
  private readonly modulesLoaded = new Set<number>();
  /** Procedures in all ProcedureIndexes built so far (the next index's `base`). */
  private proceduresIndexed = 0;
  private readonly arena = new Arena();
  /** Per module: its symbol stream, null when it has none, undefined until looked up. */
  private readonly moduleStreams: (MsfStream | null | undefined)[] = [];
  private scratch = Buffer.alloc(0);
  /** One procedure record at a time; grown for the rare record longer than the window. */
  private recordBuffer = Buffer.allocUnsafe(RECORD_WINDOW);
  /** Module whose symbol bytes are in `scratch` now (-1: none). */
  private scratchModule = -1;

  constructor(readonly msf: MsfFile, readonly path?: string) {
    this.info = readPdbInfo(msf);
    this.dbi = readDbi(msf);
  }

  /** Opens `path` with positioned reads; the caller must `close()` it. */
  static open(path: string): PdbFile {
    const source = new FileSource(path);
    try {
      return new PdbFile(new MsfFile(source), path);
    } catch (err) {
      source.close();
      throw err;
    }
  }

  /** A PDB already in memory. */
  static fromBuffer(buf: Buffer): PdbFile {
    return new PdbFile(new MsfFile(new BufferSource(buf)));
  }

  /** A PDB over any byte source. */
  static fromSource(source: ByteSource, path?: string): PdbFile {
    return new PdbFile(new MsfFile(source), path);
  }

  /** Age to match against a CodeView record: the DBI header's (tools may bump the info stream's alone). */
  get age(): number {
    return this.dbi.header.age || this.info.age;
  }

  /** True for an x86 (IMAGE_FILE_MACHINE_I386) PDB, where C names carry `_` decoration. */
  get isX86(): boolean {
    return this.dbi.header.machine === 0x14c;
  }

  /** segment:offset -> RVA mapping (section headers, OMAP). */
  addressMap(): AddressMap {
    this.addressMapCache ??= AddressMap.fromPdb(this.msf, this.dbi.debugStreams);
    return this.addressMapCache;
  }

  /** The global symbol record stream (publics, procrefs, global data), read once. */
  symbolRecords(): Buffer {
    if (this.symRecordCache === undefined) {
      const idx = this.streamIndex(this.dbi.header.symRecordStream, 'SymRecordStream');
      this.symRecordCache = idx === undefined
        ? Buffer.alloc(0)
        : this.msf.stream(idx, 'symbol record stream').readAll('symbol record stream');
    }
    return this.symRecordCache;
  }

  /**
   * Symbol record offsets of the publics: address-map order (`sorted`), or hash order when the
   * address map is empty. Empty without a publics stream.
   */
  publicRecordOffsets(): { offsets: Uint32Array; sorted: boolean } {
    if (this.publicOffsetsCache) return this.publicOffsetsCache;
    const idx = this.streamIndex(this.dbi.header.publicStreamIndex, 'PublicStreamIndex');
    this.publicOffsetsCache = idx === undefined
      ? { offsets: new Uint32Array(0), sorted: true }
      : readPublicsAddressMap(this.msf, idx, this.symbolRecords().length);
    return this.publicOffsetsCache;
  }

  /** Every S_PUB32 in the publics stream's address-map order (sorted by segment:offset). */
  publics(): readonly PublicSymbol[] {
    if (this.publicsCache) return this.publicsCache;
    const records = this.symbolRecords();
    const out: PublicSymbol[] = [];
    for (const off of this.publicRecordOffsets().offsets) {
      const pub = decodePublic(records, off);
      if (!pub) throw new FormatError('pdb', `publics stream: entry at symbol record offset 0x${off.toString(16)} is not a valid S_PUB32`, off);
      out.push(pub);
    }
    this.publicsCache = out;
    return out;
  }

  /** S_PROCREF / S_LPROCREF records from the globals stream (hash order). */
  procedureRefs(): readonly ProcedureRef[] {
    if (this.procRefCache) return this.procRefCache;
    const records = this.symbolRecords();
    const out: ProcedureRef[] = [];
    const idx = this.streamIndex(this.dbi.header.globalStreamIndex, 'GlobalStreamIndex');
    if (idx !== undefined) {
      const c = this.msf.stream(idx, 'globals stream').cursor('globals stream GSI hash');
      for (const off of readGsiHashOffsets(c, records.length)) {
        const ref = decodeProcRef(records, off);
        if (ref && ref.moduleIndex < this.dbi.modules.length) out.push(ref);
      }
    }
    this.procRefCache = out;
    return out;
  }

  /** Procedures and thunks of DBI module `moduleIndex`, in stream order; empty without a stream. */
  moduleProcedures(moduleIndex: number): readonly ProcedureSymbol[] {
    const cached = this.moduleProcCache.get(moduleIndex);
    if (cached) return cached;
    const out: ProcedureSymbol[] = [];
    const bytes = this.moduleSymbolBytes(moduleIndex);
    this.modulesLoaded.add(moduleIndex);
    if (bytes) {
      forEachRecord(bytes, 4, bytes.length, `module ${moduleIndex} symbol stream`, (_kind, offset) => {
        const proc = decodeProcedure(bytes, offset);
        if (proc) out.push(proc);
      });
    }
    this.moduleProcCache.set(moduleIndex, out);
    return out;
  }

  /** Procedure rvas and record offsets of module `moduleIndex` (typed arrays, no names); cached. */
  procedureIndex(moduleIndex: number): ProcedureIndex {
    let index = this.procIndexCache.get(moduleIndex);
    if (index) return index;
    const bytes = this.moduleSymbolBytes(moduleIndex);
    index = bytes ? ProcedureIndex.scan(bytes, bytes.length, this.addressMap(), moduleIndex, this.arena, this.proceduresIndexed) : ProcedureIndex.empty;
    this.proceduresIndexed += index.length;
    this.modulesLoaded.add(moduleIndex);
    this.procIndexCache.set(moduleIndex, index);
    return index;
  }

  /** Procedure `i` of module `moduleIndex`'s ProcedureIndex, decoded from the kept records or read back. */
  procedureAt(moduleIndex: number, i: number): ProcedureSymbol | undefined {
    const index = this.procedureIndex(moduleIndex);
    const recordOffset = index.recordOffsets[i];
    if (recordOffset === undefined) return undefined;
    if (index.records && index.recordAt) {
      const at = index.recordAt[i]!;
      return decodeProcedure(index.records, at, recordOffset - at);
    }
    return this.procedureRecord(moduleIndex, recordOffset);
  }

  /**
   * Decodes the procedure or thunk record at `recordOffset` in module `moduleIndex`'s stream
   * (what a ProcedureIndex or an S_PROCREF points at): one small read, or none when that
   * module's bytes are still in the scan buffer.
   */
  procedureRecord(moduleIndex: number, recordOffset: number): ProcedureSymbol | undefined {
    const mod = this.module(moduleIndex);
    if (this.scratchModule === moduleIndex) return decodeProcedure(this.scratch.subarray(0, mod.symByteSize), recordOffset);
    const stream = this.moduleStream(moduleIndex);
    if (!stream || recordOffset < 4 || recordOffset + 4 > mod.symByteSize) return undefined;
    const where = 'module symbol record';
    let rec = this.recordBuffer;
    const have = Math.min(RECORD_WINDOW, mod.symByteSize - recordOffset);
    stream.readInto(recordOffset, have, rec, 0, where);
    const total = 2 + (rec[0]! | (rec[1]! << 8));
    if (total > have) {
      if (recordOffset + total > mod.symByteSize) return undefined;
      if (total > rec.length) {
        rec = Buffer.concat([rec.subarray(0, have)], total);
        this.recordBuffer = rec;
      }
      stream.readInto(recordOffset + have, total - have, rec, have, where);
    }
    // Bytes past the record are stale, but the decoder stops at the record's own length.
    return decodeProcedure(rec, 0, recordOffset);
  }

  /**
   * Reads module `moduleIndex`'s symbol bytes into the scan buffer, so procedureRecord on it
   * needs no reads until another module is read (for callers that decode a whole module).
   */
  prefetchModule(moduleIndex: number): void {
    if (this.scratchModule !== moduleIndex) this.moduleSymbolBytes(moduleIndex);
  }

  /**
   * Module `moduleIndex`'s symbol bytes (signature checked), read into the reused scan buffer:
   * valid until the next module read. Undefined when the module has no symbol stream.
   */
  private moduleSymbolBytes(moduleIndex: number): Buffer | undefined {
    const mod = this.module(moduleIndex);
    const stream = this.moduleStream(moduleIndex);
    if (!stream) return undefined;
    const size = mod.symByteSize;
    const where = 'module symbol stream';
    let buf: Buffer;
    if (this.scratchModule === moduleIndex) {
      buf = this.scratch.subarray(0, size);
    } else if (size <= SCRATCH_LIMIT) {
      if (this.scratch.length < size) this.scratch = Buffer.allocUnsafe(Math.max(size, Math.min(SCRATCH_LIMIT, this.scratch.length * 2)));
      this.scratchModule = -1;
      stream.readInto(0, size, this.scratch, 0, where);
      this.scratchModule = moduleIndex;
      buf = this.scratch.subarray(0, size);
    } else {
      buf = stream.read(0, size, where);
    }
    const sig = buf.readUInt32LE(0);
    if (sig !== CV_SIGNATURE_C13) throw new FormatError('pdb', `module ${moduleIndex} symbol stream: CodeView signature ${sig} is not 4 (C13)`, 0);
    return buf;
  }

  /** Module `moduleIndex`'s symbol stream when it has one with at least a signature, else undefined; cached. */
  private moduleStream(moduleIndex: number): MsfStream | undefined {
    const cached = this.moduleStreams[moduleIndex];
    if (cached !== undefined) return cached ?? undefined;
    const mod = this.module(moduleIndex);
    const symStream = this.streamIndex(mod.symStream, `ModInfo[${moduleIndex}].ModuleSymStream`);
    let stream: MsfStream | null = null;
    if (symStream !== undefined && mod.symByteSize >= 4) {
      stream = this.msf.stream(symStream, `module ${moduleIndex} symbol stream`);
      if (mod.symByteSize > stream.size) {
        throw new FormatError('pdb', `ModInfo[${moduleIndex}].SymByteSize 0x${mod.symByteSize.toString(16)} exceeds its stream (0x${stream.size.toString(16)} bytes)`);
      }
    }
    this.moduleStreams[moduleIndex] = stream;
    return stream ?? undefined;
  }

  private module(moduleIndex: number): DbiModule {
    const mod = this.dbi.modules[moduleIndex];
    if (!mod) throw new FormatError('pdb', `module index ${moduleIndex} is out of range (${this.dbi.modules.length} modules)`);
    return mod;
  }

  /**
   * A stream index taken from the DBI: 0xFFFF or a nil stream means "absent" (undefined); an
   * index past the directory is a malformed file.
   */
  private streamIndex(index: number, field: string): number | undefined {
    if (index === NO_STREAM) return undefined;
    if (index >= this.msf.streamCount) {
      throw new FormatError('pdb', `DBI ${field} ${index} is past the stream directory (${this.msf.streamCount} streams)`);
    }
    return this.msf.hasStream(index) ? index : undefined;
  }

  /** Number of distinct modules whose symbols were loaded so far (for tests and the bench: proves laziness). */
  get loadedModuleCount(): number {
    return this.modulesLoaded.size;
  }

  /** Releases the file handle; cached results stay usable. */
  close(): void {
    this.msf.close();
  }
}
