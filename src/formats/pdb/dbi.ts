import { FormatError } from '../../errors.js';
import { Cursor } from './cursor.js';
import type { MsfFile } from './msf.js';

/** Stream index meaning "no stream" in DBI fields. */
export const NO_STREAM = 0xffff;

/** DBI header fields we use (formats.md 7.3). */
export interface DbiHeader {
  readonly versionHeader: number;
  readonly age: number;
  readonly globalStreamIndex: number;
  readonly buildNumber: number;
  readonly publicStreamIndex: number;
  readonly symRecordStream: number;
  readonly flags: number;
  /** IMAGE_FILE_MACHINE value: 0x8664 x64, 0x14c x86. */
  readonly machine: number;
}

/** One DBI module (compiland, import library or `* Linker *`). */
export interface DbiModule {
  readonly index: number;
  readonly moduleName: string;
  readonly objFileName: string;
  /** Stream holding the module's symbols, or NO_STREAM. */
  readonly symStream: number;
  /** Bytes of CodeView symbols in that stream, including the 4-byte signature. */
  readonly symByteSize: number;
  readonly sourceFileCount: number;
}

/** A range of an image section that one module contributed. */
export interface SectionContribution {
  /** 1-based section number. */
  readonly section: number;
  readonly offset: number;
  readonly size: number;
  readonly characteristics: number;
  readonly moduleIndex: number;
}

/** Section contributions as parallel typed arrays (valid entries only, in file order). */
export interface ContributionTable {
  readonly count: number;
  /** 1-based section numbers. */
  readonly section: Uint16Array;
  readonly offset: Uint32Array;
  readonly size: Uint32Array;
  readonly characteristics: Uint32Array;
  readonly moduleIndex: Uint16Array;
}

/** One section map entry (segment descriptor). */
export interface SectionMapEntry {
  readonly flags: number;
  readonly frame: number;
  readonly offset: number;
  readonly length: number;
}

/** Stream indices from the optional debug header (0xFFFF = absent). */
export interface DbiDebugStreams {
  readonly fpo: number;
  readonly omapToSrc: number;
  readonly omapFromSrc: number;
  readonly sectionHeaders: number;
  readonly originalSectionHeaders: number;
}

/** The parsed DBI stream. */
export interface DbiStream {
  readonly header: DbiHeader;
  readonly modules: readonly DbiModule[];
  /** The contributions as objects, built on first use from `contributionTable`. */
  readonly sectionContributions: readonly SectionContribution[];
  /** The contributions without one object per entry (what address lookups use). */
  readonly contributionTable: ContributionTable;
  readonly sectionMap: readonly SectionMapEntry[];
  readonly debugStreams: DbiDebugStreams;
}

const SC_VER60 = 0xeffe0000 + 19970605;
const SC_V2 = 0xeffe0000 + 20140516;

/** Parses stream 3 of `msf` (header and the substreams we need). */
export function readDbi(msf: MsfFile): DbiStream {
  const c = msf.stream(3, 'DBI stream').cursor('DBI stream');
  const versionSignature = c.i32('VersionSignature');
  if (versionSignature !== -1) {
    throw new FormatError('pdb', `DBI stream: VersionSignature ${versionSignature} is not -1 (pre-VC7 DBI layout is not supported)`, 0);
  }
  const versionHeader = c.u32('VersionHeader');
  const age = c.u32('Age');
  const globalStreamIndex = c.u16('GlobalStreamIndex');
  const buildNumber = c.u16('BuildNumber');
  const publicStreamIndex = c.u16('PublicStreamIndex');
  c.u16('PdbDllVersion');
  const symRecordStream = c.u16('SymRecordStream');
  c.u16('PdbDllRbld');
  const sizes = {
    modInfo: c.i32('ModInfoSize'),
    secContr: c.i32('SectionContributionSize'),
    secMap: c.i32('SectionMapSize'),
    srcInfo: c.i32('SourceInfoSize'),
    typeServerMap: c.i32('TypeServerMapSize'),
  };
  c.u32('MFCTypeServerIndex');
  const optDbgSize = c.i32('OptionalDbgHeaderSize');
  const ecSize = c.i32('ECSubstreamSize');
  const flags = c.u16('Flags');
  const machine = c.u16('Machine');
  c.u32('Padding');
  const header: DbiHeader = { versionHeader, age, globalStreamIndex, buildNumber, publicStreamIndex, symRecordStream, flags, machine };

  const sub = (size: number, name: string): Cursor => {
    if (size < 0) throw new FormatError('pdb', `DBI stream: ${name} ${size} is negative`, c.pos);
    return new Cursor(c.bytes(size, name), `DBI ${name.replace(/Size$/, '')} substream`);
  };
  const modules = readModules(sub(sizes.modInfo, 'ModInfoSize'));
  const contributionTable = readSectionContributions(sub(sizes.secContr, 'SectionContributionSize'), modules.length);
  const sectionMap = readSectionMap(sub(sizes.secMap, 'SectionMapSize'));
  sub(sizes.srcInfo, 'SourceInfoSize');
  sub(sizes.typeServerMap, 'TypeServerMapSize');
  // EC comes before the optional debug header although the header lists the sizes the other way round.
  sub(ecSize, 'ECSubstreamSize');
  const debugStreams = readDebugHeader(sub(optDbgSize, 'OptionalDbgHeaderSize'));
  let objects: SectionContribution[] | undefined;
  return {
    header, modules, contributionTable, sectionMap, debugStreams,
    get sectionContributions(): readonly SectionContribution[] {
      objects ??= contributionObjects(contributionTable);
      return objects;
    },
  };
}

function readModules(c: Cursor): DbiModule[] {
  const out: DbiModule[] = [];
  const buf = c.buf;
  // Plain reads: a big PDB has thousands of modules, so messages are built only on failure.
  while (c.remaining > 0) {
    const start = c.pos;
    if (start + 0x40 > buf.length) c.need(0x40, `ModInfo[${out.length}]`);
    const symStream = buf.readUInt16LE(start + 0x22);
    const symByteSize = buf.readUInt32LE(start + 0x24);
    const sourceFileCount = buf.readUInt16LE(start + 0x30);
    const nameEnd = buf.indexOf(0, start + 0x40);
    const objEnd = nameEnd < 0 ? -1 : buf.indexOf(0, nameEnd + 1);
    if (objEnd < 0) {
      c.pos = start + 0x40;
      c.cstring(`ModInfo[${out.length}].ModuleName`);
      c.cstring(`ModInfo[${out.length}].ObjFileName`);
    }
    const moduleName = buf.toString('utf8', start + 0x40, nameEnd);
    const objFileName = buf.toString('utf8', nameEnd + 1, objEnd);
    c.pos = objEnd + 1;
    c.align(4);
    out.push({ index: out.length, moduleName, objFileName, symStream, symByteSize, sourceFileCount });
  }
  return out;
}

function readSectionContributions(c: Cursor, moduleCount: number): ContributionTable {
  const empty = (n: number): ContributionTable => ({
    count: 0, section: new Uint16Array(n), offset: new Uint32Array(n), size: new Uint32Array(n),
    characteristics: new Uint32Array(n), moduleIndex: new Uint16Array(n),
  });
  if (c.remaining === 0) return empty(0);
  const version = c.u32('section contribution version');
  const entrySize = version === SC_VER60 ? 28 : version === SC_V2 ? 32 : 0;
  if (entrySize === 0) throw new FormatError('pdb', `DBI section contribution substream: unknown version 0x${version.toString(16)}`, 0);
  const capacity = Math.floor(c.remaining / entrySize);
  const t = empty(capacity);
  const buf = c.buf;
  let n = 0;
  for (let pos = c.pos; pos + entrySize <= buf.length; pos += entrySize) {
    const offset = buf.readInt32LE(pos + 4);
    const size = buf.readInt32LE(pos + 8);
    const moduleIndex = buf.readUInt16LE(pos + 16);
    // Entries with a bogus module or negative extent are skipped rather than trusted.
    if (moduleIndex >= moduleCount || offset < 0 || size <= 0) continue;
    t.section[n] = buf.readUInt16LE(pos);
    t.offset[n] = offset;
    t.size[n] = size;
    t.characteristics[n] = buf.readUInt32LE(pos + 12);
    t.moduleIndex[n] = moduleIndex;
    n++;
  }
  if (n === capacity) return { ...t, count: n };
  return {
    count: n, section: t.section.slice(0, n), offset: t.offset.slice(0, n), size: t.size.slice(0, n),
    characteristics: t.characteristics.slice(0, n), moduleIndex: t.moduleIndex.slice(0, n),
  };
}

function contributionObjects(t: ContributionTable): SectionContribution[] {
  const out: SectionContribution[] = [];
  for (let i = 0; i < t.count; i++) {
    out.push({ section: t.section[i]!, offset: t.offset[i]!, size: t.size[i]!, characteristics: t.characteristics[i]!, moduleIndex: t.moduleIndex[i]! });
  }
  return out;
}

function readSectionMap(c: Cursor): SectionMapEntry[] {
  if (c.remaining === 0) return [];
  const count = c.u16('SectionMap.Count');
  c.u16('SectionMap.LogCount');
  if (count * 20 > c.remaining) throw new FormatError('pdb', `DBI section map: Count ${count} exceeds the substream`, 0);
  const out: SectionMapEntry[] = [];
  for (let i = 0; i < count; i++) {
    const flags = c.u16('SectionMapEntry.Flags');
    c.skip(4, 'SectionMapEntry.Ovl/Group');
    const frame = c.u16('SectionMapEntry.Frame');
    c.skip(4, 'SectionMapEntry names');
    const offset = c.u32('SectionMapEntry.Offset');
    const length = c.u32('SectionMapEntry.SectionLength');
    out.push({ flags, frame, offset, length });
  }
  return out;
}

function readDebugHeader(c: Cursor): DbiDebugStreams {
  const at = (i: number) => (c.buf.length >= (i + 1) * 2 ? c.buf.readUInt16LE(i * 2) : NO_STREAM);
  return { fpo: at(0), omapToSrc: at(3), omapFromSrc: at(4), sectionHeaders: at(5), originalSectionHeaders: at(10) };
}
