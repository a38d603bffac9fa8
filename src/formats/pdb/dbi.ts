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
  readonly sectionContributions: readonly SectionContribution[];
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
  const sectionContributions = readSectionContributions(sub(sizes.secContr, 'SectionContributionSize'), modules.length);
  const sectionMap = readSectionMap(sub(sizes.secMap, 'SectionMapSize'));
  sub(sizes.srcInfo, 'SourceInfoSize');
  sub(sizes.typeServerMap, 'TypeServerMapSize');
  // EC comes before the optional debug header although the header lists the sizes the other way round.
  sub(ecSize, 'ECSubstreamSize');
  const debugStreams = readDebugHeader(sub(optDbgSize, 'OptionalDbgHeaderSize'));
  return { header, modules, sectionContributions, sectionMap, debugStreams };
}

function readModules(c: Cursor): DbiModule[] {
  const out: DbiModule[] = [];
  while (c.remaining > 0) {
    const start = c.pos;
    c.need(0x40, `ModInfo[${out.length}]`);
    c.skip(0x22, 'ModInfo header');
    const symStream = c.u16('ModuleSymStream');
    const symByteSize = c.u32('SymByteSize');
    c.skip(8, 'C11ByteSize/C13ByteSize');
    const sourceFileCount = c.u16('SourceFileCount');
    c.pos = start + 0x40;
    const moduleName = c.cstring(`ModInfo[${out.length}].ModuleName`);
    const objFileName = c.cstring(`ModInfo[${out.length}].ObjFileName`);
    c.align(4);
    out.push({ index: out.length, moduleName, objFileName, symStream, symByteSize, sourceFileCount });
  }
  return out;
}

function readSectionContributions(c: Cursor, moduleCount: number): SectionContribution[] {
  if (c.remaining === 0) return [];
  const version = c.u32('section contribution version');
  const entrySize = version === SC_VER60 ? 28 : version === SC_V2 ? 32 : 0;
  if (entrySize === 0) throw new FormatError('pdb', `DBI section contribution substream: unknown version 0x${version.toString(16)}`, 0);
  const out: SectionContribution[] = [];
  while (c.remaining >= entrySize) {
    const start = c.pos;
    const section = c.u16('SectionContrib.Section');
    c.u16('padding');
    const offset = c.i32('SectionContrib.Offset');
    const size = c.i32('SectionContrib.Size');
    const characteristics = c.u32('SectionContrib.Characteristics');
    const moduleIndex = c.u16('SectionContrib.ModuleIndex');
    c.pos = start + entrySize;
    // Entries with a bogus module or negative extent are skipped rather than trusted.
    if (moduleIndex >= moduleCount || offset < 0 || size <= 0) continue;
    out.push({ section, offset, size, characteristics, moduleIndex });
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
