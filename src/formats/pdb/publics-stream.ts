import { FormatError } from '../../errors.js';
import { Cursor } from './cursor.js';
import type { MsfFile } from './msf.js';

const GSI_HASH_SIGNATURE = 0xffffffff;
const GSI_HASH_V70 = 0xeffe0000 + 19990810;

const PSGSI_HEADER_SIZE = 28;
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * Symbol record offsets of the publics in address order, reading only the PSGSIHDR and the
 * address map (the hash section is skipped; it is read only when the address map is empty, and
 * then its offsets come back in hash order for the caller to sort).
 */
export function readPublicsAddressMap(msf: MsfFile, index: number, symRecordSize: number): { offsets: Uint32Array; sorted: boolean } {
  const where = 'publics stream';
  const stream = msf.stream(index, where);
  const hdr = new Cursor(stream.read(0, Math.min(PSGSI_HEADER_SIZE, stream.size), 'PSGSIHDR'), where);
  const symHash = hdr.u32('SymHash');
  const addrMap = hdr.u32('AddrMap');
  hdr.skip(20, 'thunk fields');
  if (addrMap % 4 !== 0) throw new FormatError('pdb', `${where}: AddrMap size ${addrMap} is not a multiple of 4`, 4);
  if (PSGSI_HEADER_SIZE + symHash + addrMap > stream.size) {
    throw new FormatError('pdb', `${where}: SymHash ${symHash} + AddrMap ${addrMap} run past the end (0x${stream.size.toString(16)} bytes)`, 0);
  }
  if (addrMap === 0) {
    const hash = new Cursor(stream.read(PSGSI_HEADER_SIZE, symHash, 'SymHash section'), `${where} GSI hash`);
    return { offsets: readGsiHashOffsets(hash, symRecordSize), sorted: false };
  }
  const map = new Cursor(stream.read(PSGSI_HEADER_SIZE + symHash, addrMap, 'address map'), `${where} address map`);
  return { offsets: readOffsets(map, addrMap / 4, symRecordSize), sorted: true };
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
  c.need(count * 4, 'address map');
  const buf = c.buf;
  const at = buf.byteOffset + c.pos;
  let out: Uint32Array;
  if (LITTLE_ENDIAN && at % 4 === 0) {
    // Aligned little-endian u32s are copied as they are.
    out = new Uint32Array(buf.buffer, at, count).slice();
  } else {
    out = new Uint32Array(count);
    for (let i = 0; i < count; i++) out[i] = buf.readUInt32LE(c.pos + i * 4);
  }
  for (let i = 0; i < count; i++) {
    const off = out[i]!;
    if (off >= symRecordSize) {
      throw new FormatError('pdb', `${c.where}: entry ${i} (0x${off.toString(16)}) is outside the symbol record stream (0x${symRecordSize.toString(16)} bytes)`, i * 4);
    }
  }
  return out;
}
