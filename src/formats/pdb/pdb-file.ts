import { FormatError } from '../../errors.js';
import { AddressMap } from './address-map.js';
import { BufferSource, FileSource, type ByteSource } from './byte-source.js';
import { NO_STREAM, readDbi, type DbiStream } from './dbi.js';
import { MsfFile } from './msf.js';
import { readPdbInfo, type PdbInfo } from './pdb-info.js';
import { readGsiHashOffsets, readPublicsStream } from './publics-stream.js';
import {
  decodeProcRef, decodeProcedure, decodePublic, forEachRecord,
  type ProcedureRef, type ProcedureSymbol, type PublicSymbol,
} from './symbol-records.js';

/** CodeView signature at the start of a module symbol stream (CV_SIGNATURE_C13). */
const CV_SIGNATURE_C13 = 4;

/**
 * A PDB opened for reading. At open only the MSF directory, the info stream and the DBI stream
 * are read; everything else (section headers, symbol records, module streams) is read on first
 * use and cached, so a large PDB costs only the streams a lookup needs. TPI/IPI are never read.
 */
export class PdbFile {
  readonly info: PdbInfo;
  readonly dbi: DbiStream;
  private addressMapCache: AddressMap | undefined;
  private symRecordCache: Buffer | undefined;
  private publicsCache: PublicSymbol[] | undefined;
  private procRefCache: ProcedureRef[] | undefined;
  private readonly moduleProcCache = new Map<number, readonly ProcedureSymbol[]>();

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

  /** Every S_PUB32 in the publics stream's address-map order (sorted by segment:offset). */
  publics(): readonly PublicSymbol[] {
    if (this.publicsCache) return this.publicsCache;
    const idx = this.streamIndex(this.dbi.header.publicStreamIndex, 'PublicStreamIndex');
    const records = this.symbolRecords();
    const out: PublicSymbol[] = [];
    if (idx !== undefined) {
      const index = readPublicsStream(this.msf, idx, records.length);
      const offsets = index.addressMap.length > 0 ? index.addressMap : index.hashOffsets;
      for (const off of offsets) {
        const pub = decodePublic(records, off);
        if (!pub) throw new FormatError('pdb', `publics stream: entry at symbol record offset 0x${off.toString(16)} is not a valid S_PUB32`, off);
        out.push(pub);
      }
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
    const mod = this.dbi.modules[moduleIndex];
    if (!mod) throw new FormatError('pdb', `module index ${moduleIndex} is out of range (${this.dbi.modules.length} modules)`);
    const out: ProcedureSymbol[] = [];
    const symStream = this.streamIndex(mod.symStream, `ModInfo[${moduleIndex}].ModuleSymStream`);
    if (symStream !== undefined && mod.symByteSize >= 4) {
      const where = `module ${moduleIndex} symbol stream`;
      const stream = this.msf.stream(symStream, where);
      if (mod.symByteSize > stream.size) {
        throw new FormatError('pdb', `ModInfo[${moduleIndex}].SymByteSize 0x${mod.symByteSize.toString(16)} exceeds its stream (0x${stream.size.toString(16)} bytes)`);
      }
      const buf = stream.read(0, mod.symByteSize, where);
      const sig = buf.readUInt32LE(0);
      if (sig !== CV_SIGNATURE_C13) throw new FormatError('pdb', `${where}: CodeView signature ${sig} is not 4 (C13)`, 0);
      forEachRecord(buf, 4, buf.length, where, (_kind, offset) => {
        const proc = decodeProcedure(buf, offset);
        if (proc) out.push(proc);
      });
    }
    this.moduleProcCache.set(moduleIndex, out);
    return out;
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

  /** Number of module streams already parsed (for tests and the bench: proves laziness). */
  get loadedModuleCount(): number {
    return this.moduleProcCache.size;
  }

  /** Releases the file handle; cached results stay usable. */
  close(): void {
    this.msf.close();
  }
}
