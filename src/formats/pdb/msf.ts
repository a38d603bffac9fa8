import { DebuggerError, FormatError } from '../../errors.js';
import type { ByteSource } from './byte-source.js';
import { Cursor } from './cursor.js';

// formats.md 7.1: "Microsoft C/C++ MSF 7.00\r\n" 0x1A 'D' 'S' 0 0 0
const MSF7_MAGIC = Buffer.from('Microsoft C/C++ MSF 7.00\r\n\x1aDS\0\0\0', 'latin1');
const MSF2_MAGIC = Buffer.from('Microsoft C/C++ program database 2.00\r\n\x1aJG', 'latin1');
const SUPERBLOCK_SIZE = 0x34;
const NIL_STREAM_SIZE = 0xffffffff;

/** MSF superblock fields (formats.md 7.1). */
export interface MsfSuperBlock {
  readonly blockSize: number;
  readonly freeBlockMapBlock: number;
  readonly numBlocks: number;
  readonly numDirectoryBytes: number;
}

/** One stream of an MSF file, read lazily block by block. */
export class MsfStream {
  constructor(
    private readonly msf: MsfFile,
    readonly index: number,
    readonly size: number,
    private readonly blocks: Uint32Array,
  ) {}

  /**
   * `length` bytes from `offset` in the stream. Only the bytes asked for are read (not whole
   * blocks), and a range whose blocks are physically consecutive comes back from one read with
   * no further copy.
   */
  read(offset: number, length: number, field = 'data'): Buffer {
    this.check(offset, length, field);
    if (length === 0) return Buffer.alloc(0);
    const fileOffset = this.contiguousFileOffset(offset, length);
    if (fileOffset !== undefined && fileOffset + length <= this.msf.source.size) return this.msf.source.read(fileOffset, length);
    const out = Buffer.allocUnsafe(length);
    this.copyRuns(offset, length, out, 0);
    return out;
  }

  /** Copies `length` bytes from `offset` in the stream into `target` (a reused buffer) at `targetOffset`. */
  readInto(offset: number, length: number, target: Uint8Array, targetOffset: number, field = 'data'): void {
    this.check(offset, length, field);
    if (targetOffset < 0 || targetOffset + length > target.length) {
      throw new FormatError('pdb', `stream ${this.index}: ${field} (0x${length.toString(16)} bytes) does not fit the buffer`, offset);
    }
    if (length === 0) return;
    // The common case (a record inside one block, or a stream laid out in order) is one read.
    const fileOffset = this.contiguousFileOffset(offset, length);
    if (fileOffset !== undefined) this.msf.readFileInto(fileOffset, length, target, targetOffset);
    else this.copyRuns(offset, length, target, targetOffset);
  }

  private check(offset: number, length: number, field: string): void {
    if (offset < 0 || length < 0 || offset + length > this.size) {
      throw new FormatError('pdb', `stream ${this.index}: ${field} (0x${length.toString(16)} bytes at 0x${offset.toString(16)}) lies outside the stream (0x${this.size.toString(16)} bytes)`, offset);
    }
  }

  /** File offset of stream bytes [offset, offset+length) when their blocks are consecutive on disk. */
  private contiguousFileOffset(offset: number, length: number): number | undefined {
    const bs = this.msf.superBlock.blockSize;
    const first = Math.floor(offset / bs);
    const last = Math.floor((offset + length - 1) / bs);
    const start = this.blocks[first]!;
    for (let i = first + 1; i <= last; i++) if (this.blocks[i] !== start + (i - first)) return undefined;
    return start * bs + (offset - first * bs);
  }

  private copyRuns(offset: number, length: number, target: Uint8Array, targetOffset: number): void {
    const bs = this.msf.superBlock.blockSize;
    const last = Math.floor((offset + length - 1) / bs);
    let done = 0;
    while (done < length) {
      const pos = offset + done;
      const i = Math.floor(pos / bs);
      // Coalesce runs of physically consecutive blocks (the common case for large streams).
      let run = 1;
      while (i + run <= last && this.blocks[i + run] === this.blocks[i]! + run) run++;
      const within = pos - i * bs;
      const n = Math.min(run * bs - within, length - done);
      this.msf.readFileInto(this.blocks[i]! * bs + within, n, target, targetOffset + done);
      done += n;
    }
  }

  /** The whole stream. */
  readAll(field = 'stream'): Buffer {
    return this.read(0, this.size, field);
  }

  /** A cursor over the whole stream, labelled for errors. */
  cursor(where: string): Cursor {
    return new Cursor(this.readAll(where), where);
  }
}

/**
 * An MSF 7.00 container (formats.md 7.1): superblock, stream directory (via the block map
 * indirection), and lazily read streams. Only the directory is read at open.
 */
export class MsfFile {
  readonly superBlock: MsfSuperBlock;
  private readonly streamSizes: Uint32Array;
  private readonly streamBlocks: Uint32Array[];

  constructor(readonly source: ByteSource) {
    if (source.size < SUPERBLOCK_SIZE) throw new FormatError('pdb', `file too small for an MSF superblock (${source.size} bytes)`, 0);
    const head = source.read(0, Math.min(source.size, 4096));
    if (head.subarray(0, MSF2_MAGIC.length).equals(MSF2_MAGIC)) {
      throw new DebuggerError('unsupported', 'PDB 2.00 (MSF 2.00) files are not supported');
    }
    if (!head.subarray(0, MSF7_MAGIC.length).equals(MSF7_MAGIC)) {
      throw new FormatError('pdb', 'not a PDB: MSF 7.00 magic missing at offset 0', 0);
    }
    const c = new Cursor(head, 'MSF superblock', MSF7_MAGIC.length);
    const blockSize = c.u32('BlockSize');
    if (blockSize !== 512 && blockSize !== 1024 && blockSize !== 2048 && blockSize !== 4096) {
      throw new FormatError('pdb', `MSF superblock: BlockSize ${blockSize} is not 512, 1024, 2048 or 4096`, 0x20);
    }
    const freeBlockMapBlock = c.u32('FreeBlockMapBlock');
    const numBlocks = c.u32('NumBlocks');
    const numDirectoryBytes = c.u32('NumDirectoryBytes');
    c.u32('Unknown');
    // A truncated file still gets a chance: only blocks actually present may be referenced.
    const blocksInFile = Math.ceil(source.size / blockSize);
    if (numBlocks === 0 || numBlocks > blocksInFile) {
      throw new FormatError('pdb', `MSF superblock: NumBlocks ${numBlocks} does not fit the file (${blocksInFile} blocks of ${blockSize})`, 0x28);
    }
    if (numDirectoryBytes < 4 || numDirectoryBytes > numBlocks * blockSize) {
      throw new FormatError('pdb', `MSF superblock: NumDirectoryBytes ${numDirectoryBytes} is impossible`, 0x2c);
    }
    this.superBlock = { blockSize, freeBlockMapBlock, numBlocks, numDirectoryBytes };

    const dirBlockCount = Math.ceil(numDirectoryBytes / blockSize);
    const mapBlockCount = Math.ceil((dirBlockCount * 4) / blockSize);
    if (SUPERBLOCK_SIZE + mapBlockCount * 4 > blockSize) {
      throw new FormatError('pdb', `MSF superblock: BlockMapAddr list (${mapBlockCount} blocks) does not fit the superblock`, 0x34);
    }
    const dirBlocks = new Uint32Array(dirBlockCount);
    let filled = 0;
    for (let m = 0; m < mapBlockCount; m++) {
      const mapBlock = this.checkBlock(c.u32('BlockMapAddr'), 'BlockMapAddr');
      const map = new Cursor(this.readBlocks(mapBlock, 1), 'MSF block map');
      while (filled < dirBlockCount && map.remaining >= 4) {
        dirBlocks[filled] = this.checkBlock(map.u32('directory block number'), 'directory block number');
        filled++;
      }
    }
    const dir = new Cursor(this.gather(dirBlocks, numDirectoryBytes), 'MSF stream directory');
    const numStreams = dir.u32('NumStreams');
    if (numStreams > (numDirectoryBytes - 4) / 4) {
      throw new FormatError('pdb', `MSF stream directory: NumStreams ${numStreams} exceeds the directory size`, 0);
    }
    this.streamSizes = new Uint32Array(numStreams);
    for (let i = 0; i < numStreams; i++) this.streamSizes[i] = dir.buf.readUInt32LE(4 + i * 4);
    dir.pos = 4 + numStreams * 4;
    // Plain loops here: a directory can list hundreds of thousands of blocks, so error
    // messages are built only when a check fails.
    this.streamBlocks = [];
    const limit = this.superBlock.numBlocks;
    for (let i = 0; i < numStreams; i++) {
      const size = this.streamSizes[i]!;
      const count = size === NIL_STREAM_SIZE ? 0 : Math.ceil(size / blockSize);
      if (count * 4 > dir.remaining) {
        throw new FormatError('pdb', `MSF stream directory: block list of stream ${i} (${count} blocks) runs past the directory`, dir.pos);
      }
      const blocks = new Uint32Array(count);
      for (let b = 0; b < count; b++) {
        const block = dir.buf.readUInt32LE(dir.pos + b * 4);
        if (block >= limit || block === 0) this.checkBlock(block, `block ${b} of stream ${i}`);
        blocks[b] = block;
      }
      dir.pos += count * 4;
      this.streamBlocks.push(blocks);
    }
  }

  /** Number of entries in the stream directory. */
  get streamCount(): number {
    return this.streamSizes.length;
  }

  /** True when `index` names a stream that exists (not nil, in range). */
  hasStream(index: number): boolean {
    return index >= 0 && index < this.streamSizes.length && this.streamSizes[index] !== NIL_STREAM_SIZE;
  }

  /** Stream `index`; throws FormatError naming `what` when it does not exist. */
  stream(index: number, what: string): MsfStream {
    if (!this.hasStream(index)) {
      throw new FormatError('pdb', `${what}: stream ${index} does not exist (directory has ${this.streamSizes.length} streams)`);
    }
    return new MsfStream(this, index, this.streamSizes[index]!, this.streamBlocks[index]!);
  }

  /**
   * Copies file bytes [offset, offset+length) into `target`; bytes past the end of a truncated
   * file (the last block may be short) read as zero, as the block reader pads them.
   */
  readFileInto(offset: number, length: number, target: Uint8Array, targetOffset: number): void {
    const have = Math.max(0, Math.min(length, this.source.size - offset));
    if (have < length) target.fill(0, targetOffset + have, targetOffset + length);
    if (have === 0) return;
    if (this.source.readInto) this.source.readInto(offset, have, target, targetOffset);
    else target.set(this.source.read(offset, have), targetOffset);
  }

  /** Raw read of `count` consecutive blocks starting at `block` (the last one may be short at EOF). */
  readBlocks(block: number, count: number): Buffer {
    const bs = this.superBlock.blockSize;
    const offset = block * bs;
    const length = Math.min(count * bs, this.source.size - offset);
    if (length <= 0) throw new FormatError('pdb', `MSF block ${block} lies past the end of the file`, offset);
    const buf = this.source.read(offset, length);
    if (length === count * bs) return buf;
    const padded = Buffer.alloc(count * bs);
    buf.copy(padded);
    return padded;
  }

  /** Releases the file handle. */
  close(): void {
    this.source.close();
  }

  private checkBlock(block: number, field: string): number {
    if (block >= this.superBlock.numBlocks || block === 0) {
      throw new FormatError('pdb', `MSF: ${field} ${block} is out of range (NumBlocks ${this.superBlock.numBlocks})`);
    }
    return block;
  }

  private gather(blocks: Uint32Array, size: number): Buffer {
    const bs = this.superBlock.blockSize;
    const out = Buffer.alloc(blocks.length * bs);
    blocks.forEach((b, i) => this.readBlocks(b, 1).copy(out, i * bs));
    return out.subarray(0, size);
  }
}
