import { FormatError } from '../../errors.js';
import { Cursor } from './cursor.js';
import type { MsfFile } from './msf.js';

const GSI_HASH_SIGNATURE = 0xffffffff;
const GSI_HASH_V70 = 0xeffe0000 + 19990810;

/** What the publics stream tells us: where each S_PUB32 lives in the symbol record stream. */
export interface PublicsIndex {
  /** Offsets into the symbol record stream, sorted by (segment, offset) of the records. */
  readonly addressMap: Uint32Array;
  /** Offsets from the GSI hash records (hash order), already converted from their +1 form. */
  readonly hashOffsets: Uint32Array;
}

/** Parses the publics stream (formats.md 7.5): PSGSIHDR, GSI hash records and the address map. */
export function readPublicsStream(msf: MsfFile, index: number, symRecordSize: number): PublicsIndex {
  const where = 'publics stream';
  const c = msf.stream(index, where).cursor(where);
  const symHash = c.u32('SymHash');
  const addrMap = c.u32('AddrMap');
  c.skip(20, 'thunk fields');
  if (addrMap % 4 !== 0) throw new FormatError('pdb', `${where}: AddrMap size ${addrMap} is not a multiple of 4`, 4);
  const hash = new Cursor(c.bytes(symHash, 'SymHash section'), `${where} GSI hash`);
  const map = new Cursor(c.bytes(addrMap, 'address map'), `${where} address map`);
  return { hashOffsets: readGsiHashOffsets(hash, symRecordSize), addressMap: readOffsets(map, addrMap / 4, symRecordSize) };
}

/** Parses a GSI hash section (shared by the publics and globals streams) into record offsets. */
export function readGsiHashOffsets(c: Cursor, symRecordSize: number): Uint32Array {
  if (c.remaining === 0) return new Uint32Array(0);
  const sig = c.u32('GSIHashHeader.VerSignature');
  const ver = c.u32('GSIHashHeader.VerHdr');
  if (sig !== GSI_HASH_SIGNATURE || ver !== GSI_HASH_V70) {
    throw new FormatError('pdb', `${c.where}: GSIHashHeader signature 0x${sig.toString(16)}/0x${ver.toString(16)} is not 0xffffffff/0xf12f091a`, 0);
  }
  const hrSize = c.u32('GSIHashHeader.HrSize');
  c.u32('GSIHashHeader.NumBuckets');
  if (hrSize % 8 !== 0 || hrSize > c.remaining) {
    throw new FormatError('pdb', `${c.where}: GSIHashHeader.HrSize ${hrSize} is not a multiple of 8 within the section`, 8);
  }
  const count = hrSize / 8;
  const out = new Uint32Array(count);
  for (let i = 0; i < count; i++) {
    const off = c.u32('hash record Off');
    c.u32('hash record CRef');
    // Off is stored +1 so that 0 can mean "none".
    if (off === 0 || off - 1 >= symRecordSize) {
      throw new FormatError('pdb', `${c.where}: hash record ${i} Off ${off} is outside the symbol record stream (0x${symRecordSize.toString(16)} bytes)`, c.pos - 8);
    }
    out[i] = off - 1;
  }
  return out;
}

function readOffsets(c: Cursor, count: number, symRecordSize: number): Uint32Array {
  const out = new Uint32Array(count);
  for (let i = 0; i < count; i++) {
    const off = c.u32('address map entry');
    if (off >= symRecordSize) {
      throw new FormatError('pdb', `${c.where}: entry ${i} (0x${off.toString(16)}) is outside the symbol record stream (0x${symRecordSize.toString(16)} bytes)`, i * 4);
    }
    out[i] = off;
  }
  return out;
}
