import { FormatError } from '../../errors.js';
import { Cursor } from './cursor.js';
import { NO_STREAM, type DbiDebugStreams } from './dbi.js';
import type { MsfFile } from './msf.js';

/** One IMAGE_SECTION_HEADER as stored in the PDB's section header stream. */
export interface PdbSectionHeader {
  readonly name: string;
  readonly virtualSize: number;
  readonly virtualAddress: number;
  readonly characteristics: number;
}

const SECTION_HEADER_SIZE = 40;

/** Parses an array of 40-byte IMAGE_SECTION_HEADER records from stream `index`. */
export function readSectionHeaders(msf: MsfFile, index: number, what: string): PdbSectionHeader[] {
  const stream = msf.stream(index, what);
  if (stream.size % SECTION_HEADER_SIZE !== 0) {
    throw new FormatError('pdb', `${what}: size 0x${stream.size.toString(16)} is not a multiple of 40`, 0);
  }
  const c = stream.cursor(what);
  const out: PdbSectionHeader[] = [];
  while (c.remaining >= SECTION_HEADER_SIZE) {
    const raw = c.bytes(8, 'Name');
    const nul = raw.indexOf(0);
    const name = raw.toString('latin1', 0, nul < 0 ? 8 : nul);
    const virtualSize = c.u32('VirtualSize');
    const virtualAddress = c.u32('VirtualAddress');
    c.skip(20, 'raw data/relocation fields');
    const characteristics = c.u32('Characteristics');
    out.push({ name, virtualSize, virtualAddress, characteristics });
  }
  return out;
}

/**
 * Turns PDB `segment:offset` pairs into image RVAs (formats.md 7.6 steps 2-3). When the PDB
 * describes a pre-BBT layout (OmapFromSrc present), offsets are resolved against the original
 * section headers and then moved through the OMAP table.
 */
export class AddressMap {
  private bases: Float64Array | undefined;

  private constructor(
    readonly sections: readonly PdbSectionHeader[],
    private readonly omapFrom: Uint32Array | undefined,
    private readonly omapTo: Uint32Array | undefined,
  ) {}

  /** Builds the map from the DBI optional debug header's stream indices. */
  static fromPdb(msf: MsfFile, streams: DbiDebugStreams): AddressMap {
    const hasOmap = streams.omapFromSrc !== NO_STREAM && msf.hasStream(streams.omapFromSrc)
      && streams.originalSectionHeaders !== NO_STREAM && msf.hasStream(streams.originalSectionHeaders);
    if (hasOmap) {
      const sections = readSectionHeaders(msf, streams.originalSectionHeaders, 'original section header stream');
      const c = msf.stream(streams.omapFromSrc, 'OmapFromSrc stream').cursor('OmapFromSrc stream');
      const n = Math.floor(c.remaining / 8);
      const from = new Uint32Array(n);
      const to = new Uint32Array(n);
      for (let i = 0; i < n; i++) {
        from[i] = c.u32('OMAP from');
        to[i] = c.u32('OMAP to');
        if (i > 0 && from[i]! < from[i - 1]!) throw new FormatError('pdb', `OmapFromSrc stream: entry ${i} is out of order`, i * 8);
      }
      return new AddressMap(sections, from, to);
    }
    if (streams.sectionHeaders === NO_STREAM || !msf.hasStream(streams.sectionHeaders)) {
      return new AddressMap([], undefined, undefined);
    }
    return new AddressMap(readSectionHeaders(msf, streams.sectionHeaders, 'section header stream'), undefined, undefined);
  }

  /** A map over explicit sections (tests, callers that know the image's headers). */
  static fromSections(sections: readonly PdbSectionHeader[]): AddressMap {
    return new AddressMap(sections, undefined, undefined);
  }

  /**
   * Section virtual addresses by 0-based section index, for loops that convert many
   * `segment:offset` pairs: rva = bases[segment - 1] + offset. Undefined when OMAP applies
   * (use toRva then).
   */
  sectionBases(): Float64Array | undefined {
    if (this.omapFrom) return undefined;
    this.bases ??= Float64Array.from(this.sections, (s) => s.virtualAddress);
    return this.bases;
  }

  /** RVA of `segment:offset`, or undefined when the segment is unknown or OMAP drops it. */
  toRva(segment: number, offset: number): number | undefined {
    const section = this.sections[segment - 1];
    if (segment < 1 || section === undefined) return undefined;
    const rva = section.virtualAddress + offset;
    return this.omapFrom ? this.translate(rva) : rva;
  }

  private translate(rva: number): number | undefined {
    const from = this.omapFrom!;
    let lo = 0;
    let hi = from.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (from[mid]! <= rva) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    if (found < 0) return undefined;
    const to = this.omapTo![found]!;
    // A zero target means the source range was removed by the optimiser.
    return to === 0 ? undefined : to + (rva - from[found]!);
  }
}

/**
 * `map.toRva(segment, offset)` for hot loops: uses `bases` (from `map.sectionBases()`) when
 * given, and returns -1 instead of undefined for unmapped pairs and rvas past 32 bits.
 */
export function rvaOf(map: AddressMap, bases: Float64Array | undefined, segment: number, offset: number): number {
  let rva: number;
  if (bases !== undefined) {
    if (segment < 1 || segment > bases.length) return -1;
    rva = bases[segment - 1]! + offset;
  } else {
    const r = map.toRva(segment, offset);
    if (r === undefined) return -1;
    rva = r;
  }
  return rva <= 0xffffffff ? rva : -1;
}
