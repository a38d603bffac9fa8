import type { MemoryBlock } from '../../../src/memory/virtual-memory.js';

/** A little-endian byte block under construction, for synthetic kernel objects. */
export class Block {
  readonly bytes: Uint8Array;
  private readonly view: DataView;

  constructor(
    readonly base: bigint,
    size: number,
  ) {
    this.bytes = new Uint8Array(size);
    this.view = new DataView(this.bytes.buffer);
  }

  u8(offset: number, v: number): this {
    this.view.setUint8(offset, v);
    return this;
  }

  u16(offset: number, v: number): this {
    this.view.setUint16(offset, v, true);
    return this;
  }

  u32(offset: number, v: number): this {
    this.view.setUint32(offset, v, true);
    return this;
  }

  u64(offset: number, v: bigint): this {
    this.view.setBigUint64(offset, v, true);
    return this;
  }

  /** UTF-16LE text at `offset`. */
  utf16(offset: number, text: string): this {
    for (let i = 0; i < text.length; i++) this.u16(offset + i * 2, text.charCodeAt(i));
    return this;
  }

  /** 8-bit text at `offset`. */
  ascii(offset: number, text: string): this {
    for (let i = 0; i < text.length; i++) this.u8(offset + i, text.charCodeAt(i));
    return this;
  }

  get block(): MemoryBlock {
    return { base: this.base, bytes: this.bytes };
  }
}
