import { deflateRawSync } from 'node:zlib';

/**
 * A one-file Microsoft cabinet as symstore writes `.pd_` files (formats.md 8.1): CFHEADER,
 * one CFFOLDER, one CFFILE, then CFDATA blocks of at most 32 KiB, stored or MSZIP ('CK' + raw
 * deflate whose window carries over between blocks).
 */
export function buildCabinet(name: string, content: Buffer, compression: 'none' | 'mszip'): Buffer {
  const blocks: Buffer[] = [];
  let window = Buffer.alloc(0);
  for (let off = 0; off < content.length || off === 0; off += 0x8000) {
    const raw = content.subarray(off, off + 0x8000);
    let data: Buffer;
    if (compression === 'none') {
      data = raw;
    } else {
      const deflated = deflateRawSync(raw, window.length > 0 ? { dictionary: window } : {});
      data = Buffer.concat([Buffer.from('CK', 'latin1'), deflated]);
      window = Buffer.concat([window, raw]).subarray(-0x8000);
    }
    const hdr = Buffer.alloc(8);
    hdr.writeUInt16LE(data.length, 4);
    hdr.writeUInt16LE(raw.length, 6);
    blocks.push(hdr, data);
    if (content.length === 0) break;
  }
  const file = Buffer.concat([Buffer.alloc(16), Buffer.from(`${name}\0`, 'latin1')]);
  file.writeUInt32LE(content.length, 0);
  const headerSize = 36 + 8;
  const dataStart = headerSize + file.length;
  const body = Buffer.concat(blocks);
  const header = Buffer.alloc(headerSize);
  header.write('MSCF', 0, 'latin1');
  header.writeUInt32LE(dataStart + body.length, 8);
  header.writeUInt32LE(headerSize, 16);
  header.writeUInt8(3, 24);
  header.writeUInt8(1, 25);
  header.writeUInt16LE(1, 26);
  header.writeUInt16LE(1, 28);
  header.writeUInt32LE(dataStart, 36);
  header.writeUInt16LE(blocks.length / 2, 40);
  header.writeUInt16LE(compression === 'none' ? 0 : 1, 42);
  return Buffer.concat([header, file, body]);
}
