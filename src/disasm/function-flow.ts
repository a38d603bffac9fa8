/**
 * `uf`: a function's basic blocks, found by following jumps (not calls) from its start.
 * Blocks come back sorted by address, so out-of-line chunks below the entry come first, as
 * WinDbg prints them.
 */
import type { VirtualMemory } from '../memory/virtual-memory.js';
import { decodeStream } from './decode-stream.js';
import type { DisasmLine, Symbolizer } from './types.js';

/** Default cap on decoded instructions, so a runaway flow cannot hang the session. */
export const DEFAULT_MAX_FUNCTION_INSTRUCTIONS = 10000;
const DECODE_HINT = 256;

/** Options of {@link disassembleFunction}. */
export interface FunctionOptions {
  bitness: 32 | 64;
  symbolize: Symbolizer;
  /** Function extent [begin, end) when known (PDB or unwind data); jumps leaving it are not followed. */
  bounds?: { begin: bigint; end: bigint };
  maxInstructions?: number;
}

/** True when control never falls through to the next instruction. */
function endsFlow(line: DisasmLine): boolean {
  if (!line.readable || line.isReturn || line.isUnconditionalJump) return true;
  const t = line.text;
  // int 3 pads after no-return calls; int 29h is __fastfail; ud2 and undecodable bytes trap.
  return t === 'int     3' || t === 'int     29h' || t === 'ud2' || t === '???';
}

/**
 * Disassembles the function at `start` into basic blocks. Without `bounds`, an unconditional or
 * conditional jump to an address that is exactly a symbol (not `sym+0x..`) is taken to be a
 * tail call into another function and is not followed.
 */
export function disassembleFunction(memory: VirtualMemory, start: bigint, options: FunctionOptions): DisasmLine[][] {
  const max = options.maxInstructions ?? DEFAULT_MAX_FUNCTION_INSTRUCTIONS;
  const { bounds, symbolize } = options;
  const lines = new Map<bigint, DisasmLine>();
  const leaders = new Set<bigint>([start]);
  const work: bigint[] = [start];

  const follow = (target: bigint): boolean => {
    if (bounds !== undefined) return target >= bounds.begin && target < bounds.end;
    if (target === start) return true;
    const name = symbolize(target);
    return name === undefined || name.includes('+');
  };

  while (work.length > 0 && lines.size < max) {
    const at = work.pop()!;
    if (lines.has(at)) continue;
    decodeStream(memory, at, options, DECODE_HINT, (line) => {
      if (lines.has(line.address)) {
        leaders.add(line.address);
        return false;
      }
      lines.set(line.address, line);
      if (line.branchTarget !== undefined && !line.isCall && follow(line.branchTarget)) {
        leaders.add(line.branchTarget);
        work.push(line.branchTarget);
      }
      if (line.isConditionalJump) leaders.add(line.address + BigInt(line.length));
      return !endsFlow(line) && lines.size < max;
    });
  }
  return toBlocks(lines, leaders);
}

function toBlocks(lines: ReadonlyMap<bigint, DisasmLine>, leaders: ReadonlySet<bigint>): DisasmLine[][] {
  const sorted = [...lines.values()].sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
  const blocks: DisasmLine[][] = [];
  let block: DisasmLine[] = [];
  let prev: DisasmLine | undefined;
  for (const line of sorted) {
    const split =
      prev === undefined ||
      leaders.has(line.address) ||
      endsFlow(prev) ||
      prev.isConditionalJump ||
      prev.address + BigInt(prev.length) !== line.address;
    if (split && block.length > 0) {
      blocks.push(block);
      block = [];
    }
    block.push(line);
    prev = line;
  }
  if (block.length > 0) blocks.push(block);
  return blocks;
}
