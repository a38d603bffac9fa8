/**
 * Builds small synthetic PDBs for corner cases, written from the layout notes in
 * formats.md section 7 (it does not import src/formats layouts, so it checks them).
 */

const MAGIC = Buffer.from('Microsoft C/C++ MSF 7.00\r\n\x1aDS\0\0\0', 'latin1');

function u16(v: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(v);
  return b;
}
function u32(v: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(v >>> 0);
  return b;
}
function pad4(b: Buffer): Buffer {
  return b.length % 4 === 0 ? b : Buffer.concat([b, Buffer.alloc(4 - (b.length % 4))]);
}
function cstr(s: string): Buffer {
  return Buffer.from(`${s}\0`, 'utf8');
}

/** An MSF 7.00 file holding `streams` (null = nil stream). Returns the file and where each stream's blocks went. */
export function buildMsf(streams: readonly (Buffer | null)[], blockSize = 512): Buffer {
  const blocks: Buffer[] = [Buffer.alloc(blockSize), Buffer.alloc(blockSize), Buffer.alloc(blockSize)];
  const alloc = (data: Buffer): number[] => {
    const ids: number[] = [];
    for (let off = 0; off < data.length; off += blockSize) {
      const b = Buffer.alloc(blockSize);
      data.copy(b, 0, off, Math.min(data.length, off + blockSize));
      ids.push(blocks.length);
      blocks.push(b);
    }
    return ids;
  };
  const dirParts: Buffer[] = [u32(streams.length)];
  for (const s of streams) dirParts.push(u32(s === null ? 0xffffffff : s.length));
  for (const s of streams) if (s !== null) for (const id of alloc(s)) dirParts.push(u32(id));
  const dir = Buffer.concat(dirParts);
  const dirBlocks = alloc(dir);
  const map = Buffer.concat(dirBlocks.map(u32));
  const mapBlock = alloc(map)[0]!;
  const sb = blocks[0]!;
  MAGIC.copy(sb, 0);
  sb.writeUInt32LE(blockSize, 0x20);
  sb.writeUInt32LE(1, 0x24);
  sb.writeUInt32LE(blocks.length, 0x28);
  sb.writeUInt32LE(dir.length, 0x2c);
  sb.writeUInt32LE(mapBlock, 0x34);
  return Buffer.concat(blocks);
}

/** PDB info stream: version, signature, age, GUID bytes, empty named-stream map, VC140 feature. */
export function infoStream(guid: Buffer, age: number, signature = 0x12345678): Buffer {
  return Buffer.concat([u32(20000404), u32(signature), u32(age), guid, u32(0), u32(0), u32(0), u32(0), u32(0), u32(20140508)]);
}

/** A DBI module for dbiStream(). */
export interface ModSpec {
  name: string;
  obj?: string;
  symStream?: number;
  symByteSize?: number;
}

/** A section contribution for dbiStream(). */
export interface ContribSpec {
  section: number;
  offset: number;
  size: number;
  module: number;
  characteristics?: number;
}

/** DBI stream options. */
export interface DbiSpec {
  age: number;
  machine?: number;
  globalStream?: number;
  publicStream?: number;
  symRecordStream?: number;
  modules?: readonly ModSpec[];
  contributions?: readonly ContribSpec[];
  /** Optional debug header stream indices by slot (5 = section headers, 4 = OmapFromSrc, 10 = original headers). */
  debugStreams?: Record<number, number>;
}

/** DBI stream with header, ModInfo, section contributions, empty section map/source info, optional debug header. */
export function dbiStream(spec: DbiSpec): Buffer {
  const mods = (spec.modules ?? []).map((m) => {
    const fixed = Buffer.alloc(0x40);
    fixed.writeUInt16LE(0xffff, 0x04);
    fixed.writeUInt16LE(m.symStream ?? 0xffff, 0x22);
    fixed.writeUInt32LE(m.symByteSize ?? 0, 0x24);
    return pad4(Buffer.concat([fixed, cstr(m.name), cstr(m.obj ?? m.name)]));
  });
  const modInfo = Buffer.concat(mods);
  const sc = Buffer.concat([
    u32(0xeffe0000 + 19970605),
    ...(spec.contributions ?? []).map((c) => {
      const e = Buffer.alloc(28);
      e.writeUInt16LE(c.section, 0);
      e.writeInt32LE(c.offset, 4);
      e.writeInt32LE(c.size, 8);
      e.writeUInt32LE(c.characteristics ?? 0x60000020, 12);
      e.writeUInt16LE(c.module, 16);
      return e;
    }),
  ]);
  const secMap = Buffer.concat([u16(0), u16(0)]);
  const dbg = Buffer.alloc(11 * 2, 0xff);
  for (const [slot, stream] of Object.entries(spec.debugStreams ?? {})) dbg.writeUInt16LE(stream, Number(slot) * 2);
  const h = Buffer.alloc(64);
  h.writeInt32LE(-1, 0);
  h.writeUInt32LE(19990903, 4);
  h.writeUInt32LE(spec.age, 8);
  h.writeUInt16LE(spec.globalStream ?? 0xffff, 0x0c);
  h.writeUInt16LE(spec.publicStream ?? 0xffff, 0x10);
  h.writeUInt16LE(spec.symRecordStream ?? 0xffff, 0x14);
  h.writeInt32LE(modInfo.length, 0x18);
  h.writeInt32LE(sc.length, 0x1c);
  h.writeInt32LE(secMap.length, 0x20);
  h.writeInt32LE(0, 0x24);
  h.writeInt32LE(0, 0x28);
  h.writeInt32LE(dbg.length, 0x30);
  h.writeInt32LE(0, 0x34);
  h.writeUInt16LE(spec.machine ?? 0x8664, 0x3a);
  return Buffer.concat([h, modInfo, sc, secMap, dbg]);
}

/** An S_PUB32 record, padded to 4 bytes. */
export function pub32(name: string, segment: number, offset: number, flags = 2): Buffer {
  const body = Buffer.concat([u32(flags), u32(offset), u16(segment), cstr(name)]);
  return record(0x110e, body);
}

/** An S_GPROC32 (or S_LPROC32 when `local`) record. */
export function proc32(name: string, segment: number, offset: number, length: number, local = false): Buffer {
  const body = Buffer.alloc(0x23);
  body.writeUInt32LE(length, 0x0c);
  body.writeUInt32LE(offset, 0x1c);
  body.writeUInt16LE(segment, 0x20);
  return record(local ? 0x110f : 0x1110, Buffer.concat([body, cstr(name)]));
}

/** An S_PROCREF record pointing at `symOffset` in module `module1` (1-based). */
export function procRef(name: string, symOffset: number, module1: number): Buffer {
  return record(0x1125, Buffer.concat([u32(0), u32(symOffset), u16(module1), cstr(name)]));
}

/** S_END. */
export function end(): Buffer {
  return record(0x0006, Buffer.alloc(0));
}

function record(kind: number, body: Buffer): Buffer {
  const unpadded = 4 + body.length;
  const total = Math.ceil(unpadded / 4) * 4;
  const out = Buffer.alloc(total);
  out.writeUInt16LE(total - 2, 0);
  out.writeUInt16LE(kind, 2);
  body.copy(out, 4);
  return out;
}

/** Concatenates records and returns the buffer plus each record's offset. */
export function records(list: readonly Buffer[]): { buf: Buffer; offsets: number[] } {
  const offsets: number[] = [];
  let pos = 0;
  for (const r of list) {
    offsets.push(pos);
    pos += r.length;
  }
  return { buf: Buffer.concat(list), offsets };
}

/** A GSI hash section (header + records, empty bucket bitmap) for record `offsets`. */
export function gsiHash(offsets: readonly number[]): Buffer {
  const hr = Buffer.concat(offsets.map((o) => Buffer.concat([u32(o + 1), u32(1)])));
  const buckets = Buffer.alloc(((4096 + 32) / 32) * 4);
  return Buffer.concat([u32(0xffffffff), u32(0xeffe0000 + 19990810), u32(hr.length), u32(buckets.length), hr, buckets]);
}

/** Publics stream: PSGSIHDR, GSI hash, and the address map in the given (already sorted) order. */
export function publicsStream(offsets: readonly number[], addressMap: readonly number[] = offsets): Buffer {
  const hash = gsiHash(offsets);
  const map = Buffer.concat(addressMap.map(u32));
  const hdr = Buffer.alloc(28);
  hdr.writeUInt32LE(hash.length, 0);
  hdr.writeUInt32LE(map.length, 4);
  return Buffer.concat([hdr, hash, map]);
}

/** Module symbol stream: CV signature 4 then the records. */
export function moduleStream(list: readonly Buffer[]): Buffer {
  return Buffer.concat([u32(4), ...list]);
}

/** Section header stream from (name, virtualAddress, virtualSize). */
export function sectionHeaders(list: readonly [string, number, number][]): Buffer {
  return Buffer.concat(
    list.map(([name, va, size]) => {
      const h = Buffer.alloc(40);
      h.write(name.slice(0, 8), 0, 'latin1');
      h.writeUInt32LE(size, 8);
      h.writeUInt32LE(va, 12);
      h.writeUInt32LE(0x60000020, 36);
      return h;
    }),
  );
}

/** OMAP stream from (from, to) pairs. */
export function omap(pairs: readonly [number, number][]): Buffer {
  return Buffer.concat(pairs.map(([f, t]) => Buffer.concat([u32(f), u32(t)])));
}

/** GUID bytes whose symbol-store spelling is 00112233445566778899AABBCCDDEEFF. */
export const SAMPLE_GUID = Buffer.from('33221100554477668899aabbccddeeff', 'hex');
