import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';
import { DebuggerError, FormatError } from '../../errors.js';
import { FileSource } from '../../formats/pdb/byte-source.js';
import { Cursor } from '../../formats/pdb/cursor.js';

const CF_RESERVE_PRESENT = 0x0004;
const CF_PREV_OR_NEXT = 0x0003;
const COMPRESS_NONE = 0;
const COMPRESS_MSZIP = 1;
const MSZIP_WINDOW = 32 * 1024;
const MAX_BLOCK_UNCOMPRESSED = 32 * 1024;

/** Folder and file facts of a single-file cabinet (symstore's `.pd_`, `.ex_`, `.sy_`). */
interface CabLayout {
  readonly dataStart: number;
  readonly blockCount: number;
  readonly compression: number;
  readonly dataReserve: number;
  readonly fileName: string;
  readonly fileSize: number;
}

function cabError(message: string, offset?: number): FormatError {
  return new FormatError('cab', `cabinet: ${message}`, offset);
}

function readLayout(source: FileSource): CabLayout {
  const head = new Cursor(source.read(0, Math.min(source.size, 0x10000)), 'cabinet header');
  if (head.u32('signature') !== 0x4643534d) throw cabError("signature 'MSCF' missing", 0);
  head.skip(4, 'reserved1');
  const cbCabinet = head.u32('cbCabinet');
  head.skip(4, 'reserved2');
  const coffFiles = head.u32('coffFiles');
  head.skip(6, 'reserved3/version');
  const cFolders = head.u16('cFolders');
  const cFiles = head.u16('cFiles');
  const flags = head.u16('flags');
  head.skip(4, 'setID/iCabinet');
  if (cbCabinet > source.size) throw cabError(`cbCabinet ${cbCabinet} exceeds the file (${source.size} bytes)`, 8);
  if (flags & CF_PREV_OR_NEXT) throw new DebuggerError('unsupported', 'multi-part cabinets are not supported');
  let folderReserve = 0;
  let dataReserve = 0;
  if (flags & CF_RESERVE_PRESENT) {
    const headerReserve = head.u16('cbCFHeader');
    folderReserve = head.u8('cbCFFolder');
    dataReserve = head.u8('cbCFData');
    head.skip(headerReserve, 'abReserve');
  }
  if (cFolders < 1 || cFiles < 1) throw cabError(`cFolders ${cFolders} / cFiles ${cFiles}: nothing to expand`, 0x1a);
  const dataStart = head.u32('CFFOLDER.coffCabStart');
  const blockCount = head.u16('CFFOLDER.cCFData');
  const compression = head.u16('CFFOLDER.typeCompress') & 0x0f;
  head.skip(folderReserve, 'CFFOLDER.abReserve');
  const files = new Cursor(head.buf, 'cabinet CFFILE', coffFiles);
  const fileSize = files.u32('CFFILE.cbFile');
  const folderStart = files.u32('CFFILE.uoffFolderStart');
  const folder = files.u16('CFFILE.iFolder');
  files.skip(6, 'CFFILE.date/time/attribs');
  const fileName = files.cstring('CFFILE.szName');
  if (folder !== 0 || folderStart !== 0) throw cabError('the first file does not start folder 0', coffFiles);
  if (dataStart >= source.size) throw cabError(`coffCabStart ${dataStart} is past the end`, 0x24);
  return { dataStart, blockCount, compression, dataReserve, fileName, fileSize };
}

/**
 * Expands the first file of a symstore cabinet (stored or MSZIP) into `destPath`, writing via a
 * temporary file so that a failure leaves nothing half-written. Reads and writes block by block:
 * memory stays at one 32 KiB window. LZX cabinets are reported as unsupported.
 */
export function expandCabinet(cabPath: string, destPath: string): { fileName: string; size: number } {
  const source = new FileSource(cabPath, 'cab');
  const tmp = `${destPath}.partial-${process.pid}`;
  let out: number | undefined;
  try {
    const cab = readLayout(source);
    if (cab.compression !== COMPRESS_NONE && cab.compression !== COMPRESS_MSZIP) {
      throw new DebuggerError('unsupported', `cabinet compression type ${cab.compression} (LZX/Quantum) is not supported`);
    }
    out = openSync(tmp, 'w');
    let window: Buffer = Buffer.alloc(0);
    let pos = cab.dataStart;
    let written = 0;
    for (let i = 0; i < cab.blockCount && written < cab.fileSize; i++) {
      const hdr = new Cursor(source.read(pos, 8 + cab.dataReserve), 'cabinet CFDATA');
      hdr.skip(4, 'CFDATA.csum');
      const cbData = hdr.u16('CFDATA.cbData');
      const cbUncomp = hdr.u16('CFDATA.cbUncomp');
      if (cbUncomp > MAX_BLOCK_UNCOMPRESSED) throw cabError(`CFDATA[${i}].cbUncomp ${cbUncomp} exceeds 32 KiB`, pos + 6);
      pos += 8 + cab.dataReserve;
      const data = source.read(pos, cbData);
      pos += cbData;
      let block: Buffer;
      if (cab.compression === COMPRESS_NONE) {
        block = data;
      } else {
        if (data[0] !== 0x43 || data[1] !== 0x4b) throw cabError(`CFDATA[${i}] lacks the MSZIP 'CK' prefix`, pos - cbData);
        try {
          block = inflateRawSync(data.subarray(2), window.length > 0 ? { dictionary: window } : {});
        } catch (err) {
          throw cabError(`CFDATA[${i}] does not inflate (${(err as Error).message})`, pos - cbData);
        }
        window = Buffer.concat([window, block]).subarray(-MSZIP_WINDOW);
      }
      if (block.length !== cbUncomp) throw cabError(`CFDATA[${i}] expands to ${block.length} bytes, cbUncomp says ${cbUncomp}`, pos - cbData);
      const take = Math.min(block.length, cab.fileSize - written);
      writeSync(out, block, 0, take);
      written += take;
    }
    if (written !== cab.fileSize) throw cabError(`data blocks hold ${written} bytes, CFFILE.cbFile says ${cab.fileSize}`);
    closeSync(out);
    out = undefined;
    renameSync(tmp, destPath);
    return { fileName: cab.fileName, size: written };
  } finally {
    if (out !== undefined) closeSync(out);
    rmSync(tmp, { force: true });
    source.close();
  }
}
