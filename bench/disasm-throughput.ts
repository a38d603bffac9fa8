/**
 * Disassembly throughput over a real driver's `.text` (not a timed test): decodes and formats
 * every instruction of Wdf01000.sys's code section as `u` lines and prints instructions/second,
 * once as a single listing held in memory and once streamed in batches of 1000.
 * Run: npx tsx bench/disasm-throughput.ts [path-to-x64-PE]   (ROUNDS=n to change the rounds)
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { disassemble, formatDisasmLine, type DisasmLine, type Symbolizer } from '../src/disasm/index.js';
import { BlockMemory } from '../src/memory/virtual-memory.js';

const DEFAULT_IMAGE = path.resolve(process.cwd(), '../shared/testdata/rizinorg+test-pdb-repository/Wdf01000.sys/a9a9d36ed1000/Wdf01000.sys');
const ROUNDS = Number(process.env['ROUNDS'] ?? 5);
const BATCH = 1000;

/** The `.text` section of a PE32+ file: its bytes and its virtual address (image base + RVA). */
function textSection(file: Buffer): { base: bigint; bytes: Uint8Array; imageBase: bigint; imageSize: number } {
  const pe = file.readUInt32LE(0x3c);
  if (file.readUInt32LE(pe) !== 0x4550) throw new Error('not a PE file');
  const sections = file.readUInt16LE(pe + 6);
  const optSize = file.readUInt16LE(pe + 20);
  const opt = pe + 24;
  if (file.readUInt16LE(opt) !== 0x20b) throw new Error('not a PE32+ (x64) image');
  const imageBase = file.readBigUInt64LE(opt + 24);
  const imageSize = file.readUInt32LE(opt + 56);
  for (let i = 0; i < sections; i++) {
    const s = opt + optSize + 40 * i;
    const name = file.toString('latin1', s, s + 8).replace(/\0+$/, '');
    if (name !== '.text') continue;
    const virtualSize = file.readUInt32LE(s + 8);
    const rva = file.readUInt32LE(s + 12);
    const rawSize = file.readUInt32LE(s + 16);
    const rawPtr = file.readUInt32LE(s + 20);
    const size = Math.min(virtualSize, rawSize);
    return { base: imageBase + BigInt(rva), bytes: new Uint8Array(file.subarray(rawPtr, rawPtr + size)), imageBase, imageSize };
  }
  throw new Error('no .text section');
}

const image = process.argv[2] ?? DEFAULT_IMAGE;
if (!existsSync(image)) {
  console.log(`skipped: ${image} not found`);
  process.exit(0);
}
const text = textSection(readFileSync(image));
const memory = new BlockMemory([{ base: text.base, bytes: text.bytes }]);
const end = text.base + BigInt(text.bytes.length) - 1n;
// A cheap module-relative symbolizer so branch and rip-relative operands take the symbol path.
const moduleEnd = text.imageBase + BigInt(text.imageSize);
const symbolize: Symbolizer = (a) => (a >= text.imageBase && a < moduleEnd ? `Wdf01000+0x${(a - text.imageBase).toString(16)}` : undefined);

/** Formats `lines` as `u` prints them; returns the character count so nothing is optimised away. */
function render(lines: readonly DisasmLine[]): number {
  let chars = 0;
  for (const line of lines) chars += formatDisasmLine(line, 8).length;
  return chars;
}

/** One `u start end` over the whole section: every line is held in memory at once. */
function oneShot(): number {
  const lines = disassemble(memory, text.base, { bitness: 64, end, symbolize });
  render(lines);
  return lines.length;
}

/** `u <next> L3e8` repeatedly, formatting each batch as it comes, the way a pager consumes it. */
function streamed(): number {
  let at = text.base;
  let count = 0;
  while (at <= end) {
    const lines = disassemble(memory, at, { bitness: 64, count: BATCH, end, symbolize });
    render(lines);
    count += lines.length;
    const last = lines[lines.length - 1];
    if (last === undefined || !last.readable) break;
    at = last.address + BigInt(last.length);
  }
  return count;
}

function measure(name: string, run: () => number): void {
  let best = 0;
  for (let round = 1; round <= ROUNDS; round++) {
    const t0 = process.hrtime.bigint();
    const count = run();
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    best = Math.max(best, count / seconds);
    console.log(`${name} round ${round}: ${count} instructions in ${(seconds * 1000).toFixed(1)} ms = ${Math.round(count / seconds).toLocaleString('en-US')}/s`);
  }
  console.log(`${name} best: ${Math.round(best).toLocaleString('en-US')} formatted instructions/s`);
}

console.log(`${path.basename(image)} .text: ${text.bytes.length} bytes at ${text.base.toString(16)}`);
measure('one-shot', oneShot);
measure('streamed', streamed);
