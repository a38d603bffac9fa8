/** Test helpers: memory from hex strings and a table-driven symbolizer. */
import { BlockMemory } from '../../../src/memory/virtual-memory.js';
import type { Symbolizer } from '../../../src/disasm/index.js';

/** Bytes from a hex string that may contain spaces. */
export function hexToBytes(hex: string): Uint8Array {
  return Uint8Array.from(Buffer.from(hex.replace(/\s+/g, ''), 'hex'));
}

/** Memory made of hex-string blocks. */
export function memoryOf(...blocks: Array<[bigint, string]>): BlockMemory {
  return new BlockMemory(blocks.map(([base, hex]) => ({ base, bytes: hexToBytes(hex) })));
}

/** A symbolizer that knows exactly the given addresses. */
export function symbolsOf(table: Record<string, string>): Symbolizer {
  const map = new Map<bigint, string>(Object.entries(table).map(([k, v]) => [BigInt(k), v]));
  return (address) => map.get(address);
}

/** Symbolizer that never resolves. */
export const noSymbols: Symbolizer = () => undefined;

/** The seed's bytes at fffff800`03aab937 (nt!KeFlushProcessWriteBuffers+0x63). */
export const SEED_ADDRESS = 0xfffff80003aab937n;
export const SEED_BYTES = 'f3 90 8b 83 80 20 00 00 3b c5 75 f4 40 0f b6 c6 44 0f 22 c0 4c 8d 5c 24 60 49 8b 5b 10';
export const seedSymbols = symbolsOf({ '0xfffff80003aab937': 'nt!KeFlushProcessWriteBuffers+0x63' });
