/**
 * A kernel target whose only memory is the `.text` section of a real x64 driver, so `u` can be
 * timed through the dispatcher over real code. The rest of the target (processors, system
 * facts) is borrowed from the seed scenario.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import path from 'node:path';
import { BlockMemory } from '../../src/memory/virtual-memory.js';
import { DumpSession } from '../../src/session/dump-session.js';
import type { Module, ModuleSymbols, Target } from '../../src/target/target.js';

/** The code section of a PE32+ image, placed at its virtual address. */
export interface TextSection {
  readonly base: bigint;
  readonly bytes: Uint8Array;
  readonly imageBase: bigint;
  readonly imageSize: number;
}

function readAt(fd: number, offset: number, length: number, fileSize: number): Buffer {
  if (offset < 0 || length < 0 || offset + length > fileSize) throw new Error(`read of ${length} bytes at ${offset} is outside the file`);
  const buf = Buffer.alloc(length);
  readSync(fd, buf, 0, length, offset);
  return buf;
}

/** Reads the headers and the `.text` section of the PE32+ file at `file` with positioned reads. */
export function readTextSection(file: string): TextSection {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    const pe = readAt(fd, 0x3c, 4, size).readUInt32LE(0);
    const head = readAt(fd, pe, 24 + 240, size);
    if (head.readUInt32LE(0) !== 0x4550) throw new Error(`${file}: not a PE file`);
    const sections = head.readUInt16LE(6);
    const optSize = head.readUInt16LE(20);
    if (head.readUInt16LE(24) !== 0x20b) throw new Error(`${file}: not a PE32+ (x64) image`);
    const imageBase = head.readBigUInt64LE(24 + 24);
    const imageSize = head.readUInt32LE(24 + 56);
    const table = readAt(fd, pe + 24 + optSize, 40 * sections, size);
    for (let i = 0; i < sections; i++) {
      const s = table.subarray(40 * i, 40 * i + 40);
      if (s.toString('latin1', 0, 8).replace(/\0+$/, '') !== '.text') continue;
      const length = Math.min(s.readUInt32LE(8), s.readUInt32LE(16));
      const bytes = readAt(fd, s.readUInt32LE(20), length, size);
      return { base: imageBase + BigInt(s.readUInt32LE(12)), bytes: new Uint8Array(bytes), imageBase, imageSize };
    }
    throw new Error(`${file}: no .text section`);
  } finally {
    closeSync(fd);
  }
}

const NO_SYMBOLS: ModuleSymbols = { kind: 'none', nearest: () => undefined, next: () => undefined, byName: () => [], all: () => [] };

/**
 * A session over `like` with its memory replaced by `text` and its module list by the one
 * driver. `u` never walks stacks, so the session's walker only reports that it has none.
 */
export function textSession(like: Target, file: string, text: TextSection): DumpSession {
  const imageName = path.basename(file);
  const module: Module = {
    name: imageName.replace(/\.[^.]*$/, ''),
    imageName,
    imagePath: file,
    base: text.imageBase,
    size: text.imageSize,
    timestamp: 0,
    checksum: 0,
    symbols: () => NO_SYMBOLS,
  };
  const target: Target = { ...like, memory: new BlockMemory([{ base: text.base, bytes: text.bytes }]), modules: [module] };
  return new DumpSession(target, () => {
    throw new Error('the .text bench target has no stacks');
  });
}
