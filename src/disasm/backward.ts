/**
 * `ub`: disassembly of the instructions that end just before an address. x86 code cannot be
 * decoded backwards, so this is a heuristic:
 *
 * 1. Take the window of `count * 15` bytes before `address` (the longest `count` instructions
 *    can be). If part of it is unreadable, the window starts at the lowest s for which
 *    [s, address) is wholly readable (binary search: that property only turns true as s grows).
 * 2. Decode one instruction at every byte offset of the window (one decode per offset), which
 *    links each offset to the offset after its instruction. Undecodable bytes link nowhere.
 * 3. From each offset, follow the links: a start point "lands" when the chain hits `address`
 *    exactly. Pick the lowest landing start point, i.e. the decode spanning the most bytes.
 *    x86 decodes resynchronise within a few instructions, so over a full window the landing
 *    chains share their last instructions and the choice does not matter. It matters when the
 *    window is clipped by unreadable memory: then the window starts at a block or page start,
 *    and "most instructions" (the first idea) would prefer a misaligned start that packs in
 *    more short instructions (`5c` pop rsp / `24 08` and al,8 inside `48895c2408`).
 * 4. Return the last `count` instructions of that chain (fewer if the chain is shorter), or
 *    nothing when no start point lands (unreadable memory before `address`).
 */
import type { VirtualMemory } from '../memory/virtual-memory.js';
import { MAX_INSTRUCTION_LENGTH } from './decode-stream.js';
import { disassemble } from './disassemble.js';
import { loadIced } from './iced-loader.js';
import type { DisasmLine, Symbolizer } from './types.js';

/** Upper bound on the window so a huge `L` cannot make us read megabytes backwards. */
const MAX_WINDOW = 1 << 20;

/** Options of {@link disassembleBackward}. */
export interface BackwardOptions {
  bitness: 32 | 64;
  symbolize: Symbolizer;
}

/** The `count` instructions ending just before `address` (see the module comment for the heuristic). */
export function disassembleBackward(memory: VirtualMemory, address: bigint, count: number, options: BackwardOptions): DisasmLine[] {
  if (count <= 0) return [];
  const window = readWindow(memory, address, Math.min(count * MAX_INSTRUCTION_LENGTH, MAX_WINDOW));
  if (window === undefined) return [];
  const { start, bytes } = window;
  const next = instructionLinks(bytes, options.bitness);
  const size = bytes.length;
  // Walk from the end so each offset's chain length is known from its successor.
  const chain = new Int32Array(size); // instructions until landing; 0 = does not land
  let best = -1;
  for (let off = size - 1; off >= 0; off--) {
    const n = next[off]!;
    const length = n === size ? 1 : n > 0 && n < size && chain[n]! > 0 ? chain[n]! + 1 : 0;
    chain[off] = length;
    if (length > 0) best = off;
  }
  if (best < 0) return [];
  let off = best;
  for (let skip = chain[best]! - count; skip > 0; skip--) off = next[off]!;
  const take = Math.min(count, chain[best]!);
  return disassemble(memory, start + BigInt(off), { bitness: options.bitness, count: take, symbolize: options.symbolize });
}

function readWindow(memory: VirtualMemory, address: bigint, size: number): { start: bigint; bytes: Uint8Array } | undefined {
  const first = address - BigInt(size) < 0n ? 0n : address - BigInt(size);
  const full = memory.readPartial(first, Number(address - first));
  if (full.length === Number(address - first)) return { start: first, bytes: full };
  // "[s, address) is readable" only turns true as s grows, so binary-search the lowest such s.
  let lo = first + BigInt(full.length) + 1n;
  let hi = address;
  while (lo < hi) {
    const mid = lo + (hi - lo) / 2n;
    if (memory.readPartial(mid, Number(address - mid)).length === Number(address - mid)) hi = mid;
    else lo = mid + 1n;
  }
  if (lo >= address) return undefined;
  return { start: lo, bytes: memory.readPartial(lo, Number(address - lo)) };
}

/** next[off] = offset just after the instruction decoded at `off`, or -1 if none decodes there. */
function instructionLinks(bytes: Uint8Array, bitness: 32 | 64): Int32Array {
  const x = loadIced();
  const next = new Int32Array(bytes.length);
  const dec = new x.Decoder(bitness, bytes, x.DecoderOptions.None);
  const insn = new x.Instruction();
  try {
    for (let off = 0; off < bytes.length; off++) {
      dec.position = off;
      dec.decodeOut(insn);
      next[off] = insn.isInvalid ? -1 : off + insn.length;
    }
  } finally {
    insn.free();
    dec.free();
  }
  return next;
}
