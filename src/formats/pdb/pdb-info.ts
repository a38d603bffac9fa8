import { FormatError } from '../../errors.js';
import type { MsfFile } from './msf.js';
import { Cursor } from './cursor.js';

/** PDB info stream (stream 1) facts (formats.md 7.2). */
export interface PdbInfo {
  readonly version: number;
  /** Link time stamp (the NB10 "signature"). */
  readonly signature: number;
  readonly age: number;
  /** Uppercase GUID hex without dashes, Data1..Data3 byte-swapped: the symbol-store spelling. */
  readonly guid: string;
  /** Named streams (`/names`, `/LinkInfo`, ...) to stream index. */
  readonly namedStreams: ReadonlyMap<string, number>;
  /** Feature codes after the named stream map (20140508 = VC140, 0x494E494D 'MINI', ...). */
  readonly features: readonly number[];
}

/** Formats 16 GUID bytes as symbol stores do: Data1 %08X, Data2 %04X, Data3 %04X, Data4 as 8 %02X. */
export function formatGuid(bytes: Buffer): string {
  const hex = (n: number, w: number) => n.toString(16).toUpperCase().padStart(w, '0');
  let s = hex(bytes.readUInt32LE(0), 8) + hex(bytes.readUInt16LE(4), 4) + hex(bytes.readUInt16LE(6), 4);
  for (let i = 8; i < 16; i++) s += hex(bytes[i]!, 2);
  return s;
}

/** Parses stream 1 of `msf`. */
export function readPdbInfo(msf: MsfFile): PdbInfo {
  const c = msf.stream(1, 'PDB info stream').cursor('PDB info stream');
  const version = c.u32('Version');
  const signature = c.u32('Signature');
  const age = c.u32('Age');
  const guid = formatGuid(c.bytes(16, 'GUID'));
  const namedStreams = new Map<string, number>();
  const features: number[] = [];
  // VC2.0-era info streams (version < VC70) carry no GUID; every PDB we meet is VC70+.
  if (c.remaining >= 4) readNamedStreamMap(c, namedStreams);
  while (c.remaining >= 4) features.push(c.u32('feature code'));
  return { version, signature, age, guid, namedStreams, features };
}

function readNamedStreamMap(c: Cursor, out: Map<string, number>): void {
  const stringBytes = c.u32('named stream map string buffer size');
  const strings = c.bytes(stringBytes, 'named stream map strings');
  const size = c.u32('named stream map Size');
  const capacity = c.u32('named stream map Capacity');
  if (size > capacity || capacity > c.remaining) {
    throw new FormatError('pdb', `PDB info stream: named stream map Size ${size} / Capacity ${capacity} is impossible`, c.pos);
  }
  const presentWords = c.u32('named stream map present bitset length');
  c.skip(presentWords * 4, 'named stream map present bitset');
  const deletedWords = c.u32('named stream map deleted bitset length');
  c.skip(deletedWords * 4, 'named stream map deleted bitset');
  for (let i = 0; i < size; i++) {
    const nameOffset = c.u32('named stream name offset');
    const stream = c.u32('named stream index');
    const nameCursor = new Cursor(strings, 'named stream map strings', nameOffset);
    if (nameOffset >= strings.length) nameCursor.need(1, `name offset ${nameOffset}`);
    out.set(nameCursor.cstring('named stream name'), stream);
  }
}
