/**
 * Search throughput (not a timed test): 256 MiB of mapped memory in 16 blocks with gaps, filled
 * like a kernel dump (zero pages, pointer-rich pages, noise), then `s -q` for a qword that is
 * nowhere in it, so every byte is scanned. Runs once to warm up, then ROUNDS times, through the
 * whole command (parse, dispatcher, engine) and through the engine alone; prints GB/s.
 * Run: npx tsx bench/search.ts   (ROUNDS=n to change the rounds; target >= 1 GB/s)
 */
import { randomFillSync } from 'node:crypto';
import { COMMANDS } from '../commands/index.js';
import { BlockMemory, type MemoryBlock } from '../src/memory/virtual-memory.js';
import { encodeUnits, searchMemory } from '../src/memory/search.js';
import { Dispatcher } from '../src/repl/dispatcher.js';
import { Registry } from '../src/repl/registry.js';
import { createSession } from '../src/session/create-session.js';
import { RegisterContext } from '../src/target/registers.js';
import type { Target } from '../src/target/target.js';

const ROUNDS = Number(process.env['ROUNDS'] ?? 5);
const BLOCKS = 16;
const BLOCK_SIZE = 16 << 20;
const BASE = 0xfffffa8000000000n;
const ABSENT = 0xfffffa7fdeadbeefn;

/** One block: a quarter zero pages, a quarter kernel pointers, a quarter small integers, a quarter noise. */
function fill(index: number): Uint8Array {
  const b = new Uint8Array(BLOCK_SIZE);
  const q = BLOCK_SIZE / 4;
  const view = new DataView(b.buffer);
  for (let o = q; o < 2 * q; o += 8) view.setBigUint64(o, BASE + BigInt((o * 0x9e37) & 0xfffff8) + BigInt(index), true);
  for (let o = 2 * q; o < 3 * q; o += 4) view.setUint32(o, (o >>> 4) & 0xffff, true);
  randomFillSync(b.subarray(3 * q));
  // Noise could hold the qword by chance (odds 2^-61): rule it out so the scan is full.
  for (let o = 3 * q; o < 4 * q; o += 8) if (view.getBigUint64(o, true) === ABSENT) view.setBigUint64(o, 0n, true);
  return b;
}

const blocks: MemoryBlock[] = [];
for (let i = 0; i < BLOCKS; i++) blocks.push({ base: BASE + BigInt(i) * BigInt(BLOCK_SIZE + 0x10000), bytes: fill(i) });
const memory = new BlockMemory(blocks);
const start = BASE;
const end = blocks[BLOCKS - 1]!.base + BigInt(BLOCK_SIZE);
const mapped = BLOCKS * BLOCK_SIZE;

const target: Target = {
  kind: 'kernel',
  arch: 'x64',
  pointerSize: 8,
  path: 'bench.dmp',
  dumpKindLine: 'Kernel Complete Dump File: Full address space is available',
  memory,
  modules: [],
  units: [{ index: 0, context: new RegisterContext('x64', { rip: BASE, rsp: BASE }) }],
  initialUnit: 0,
  system: { versionLine: 'bench', buildNumber: 7601 },
  warnings: [],
};
const dispatcher = new Dispatcher(new Registry(COMMANDS), createSession(target));
const hex = (v: bigint) => `${(v >> 32n).toString(16)}\`${(v & 0xffffffffn).toString(16).padStart(8, '0')}`;
const command = `s -q ${hex(start)} L?${(end - start).toString(16)} ${hex(ABSENT)}`;

async function viaCommand(): Promise<number> {
  const lines = await dispatcher.execute(command, { column: 0 });
  if (lines.length !== 0) throw new Error(`unexpected output: ${lines.map((l) => l.text).join(' | ')}`);
  return mapped;
}

async function viaEngine(pattern: Uint8Array, alignment: 1 | 4 | 8): Promise<number> {
  const r = await searchMemory(memory, { start, end, pattern, alignment, maxHits: 1 });
  if (r.hits.length !== 0) throw new Error('unexpected hit');
  return r.bytesScanned;
}

async function time(label: string, f: () => Promise<number>): Promise<void> {
  await f();
  let bytes = 0;
  const t0 = performance.now();
  for (let i = 0; i < ROUNDS; i++) bytes += await f();
  const ms = (performance.now() - t0) / ROUNDS;
  const gbs = bytes / ROUNDS / (ms / 1000) / 1e9;
  console.log(`${label.padEnd(44)} ${ms.toFixed(1).padStart(7)} ms   ${gbs.toFixed(2)} GB/s`);
}

console.log(`${mapped / (1 << 20)} MiB mapped in ${BLOCKS} blocks, ${ROUNDS} warm rounds each`);
console.log(`> ${command}`);
await time('s -q (absent qword, full command)', viaCommand);
await time('engine -q absent qword', () => viaEngine(encodeUnits([ABSENT], 8), 8));
await time('engine -q absent small qword (0x12345)', () => viaEngine(encodeUnits([0x12345n], 8), 8));
await time('engine -d absent dword', () => viaEngine(encodeUnits([0x87654321n], 4), 4));
await time('engine -a absent string', () => viaEngine(new TextEncoder().encode('crashkd-absent'), 1));
await time('engine -b 00 00 00 7f (leading zeros)', () => viaEngine(Uint8Array.from([0, 0, 0, 0x7f, 0x13]), 1));
