/**
 * The decoding engine behind `u`, `ub` and `uf`: reads target memory in bounded chunks,
 * decodes with one reused iced Decoder per chunk and one Instruction per call, and hands
 * WinDbg-formatted lines to a visitor. Every wasm object is freed in `finally`.
 */
import type { VirtualMemory } from '../memory/virtual-memory.js';
import { loadIced, type Iced } from './iced-loader.js';
import { buildLine } from './line-builder.js';
import type { DecodeOptions, DisasmLine } from './types.js';

/** Longest legal x86 instruction. */
export const MAX_INSTRUCTION_LENGTH = 15;
const CHUNK_MIN = 64;
const CHUNK_MAX = 64 * 1024;
const LENGTHS: readonly bigint[] = Array.from({ length: 16 }, (_, i) => BigInt(i));

let iced: Iced | undefined;

/** The `??              ???` line for an address that cannot be read. */
export function unreadableLine(address: bigint): DisasmLine {
  return {
    address,
    bytes: new Uint8Array(0),
    text: '???',
    length: 1,
    readable: false,
    branchTarget: undefined,
    isCall: false,
    isReturn: false,
    isUnconditionalJump: false,
    isConditionalJump: false,
  };
}

function invalidLine(address: bigint, bytes: Uint8Array): DisasmLine {
  return { ...unreadableLine(address), bytes, readable: true };
}

/**
 * Decodes from `address` onward, calling `visit` per line until it returns false. An
 * unreadable spot produces one `readable: false` line and ends the stream. `bytesHint` is
 * roughly how many bytes the caller needs; it only sizes the reads.
 */
export function decodeStream(
  memory: VirtualMemory,
  address: bigint,
  options: DecodeOptions,
  bytesHint: number,
  visit: (line: DisasmLine) => boolean,
): void {
  const x = (iced ??= loadIced());
  const noMoreBytes = x.DecoderError.NoMoreBytes;
  const { bitness } = options;
  const mask = bitness === 32 ? 0xffffffffn : 0xffffffffffffffffn;
  let cur = address & mask;
  let remaining = Math.max(0, bytesHint);
  const insn = new x.Instruction();
  try {
    for (;;) {
      const want = Math.min(CHUNK_MAX, Math.max(CHUNK_MIN, remaining + MAX_INSTRUCTION_LENGTH));
      const bytes = memory.readPartial(cur, want);
      if (bytes.length === 0) {
        visit(unreadableLine(cur));
        return;
      }
      // A short read means the bytes after the chunk are unreadable; otherwise stop early
      // enough that every instruction decoded here is wholly inside the chunk.
      const atEnd = bytes.length < want;
      const safe = atEnd ? bytes.length : bytes.length - MAX_INSTRUCTION_LENGTH;
      let pos = 0;
      const dec = new x.Decoder(bitness, bytes, x.DecoderOptions.None);
      try {
        dec.ip = cur;
        while (pos < bytes.length && pos <= safe) {
          dec.decodeOut(insn);
          let len = insn.length;
          let line = buildLine(insn, bytes, pos, len, cur, options);
          if (line === undefined) {
            if (dec.lastError === noMoreBytes) {
              visit(unreadableLine(cur));
              return;
            }
            len = 1;
            line = invalidLine(cur, bytes.subarray(pos, pos + 1));
            dec.position = pos + 1;
            dec.ip = (cur + 1n) & mask;
          }
          pos += len;
          remaining -= len;
          cur += LENGTHS[len]!;
          if (cur > mask) cur &= mask;
          if (!visit(line)) return;
        }
      } finally {
        dec.free();
      }
      if (atEnd && pos >= bytes.length) {
        visit(unreadableLine(cur));
        return;
      }
    }
  } finally {
    insn.free();
  }
}
