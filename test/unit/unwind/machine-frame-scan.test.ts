import { describe, expect, it } from 'vitest';
import { BlockMemory } from '../../../src/memory/virtual-memory.js';
import { scanForMachineFrame } from '../../../src/unwind/stack-scan.js';
import type { UnwindDataProvider } from '../../../src/unwind/types.js';

const CODE = 0xfffff80010002000n;
const provider: UnwindDataProvider = {
  findFunction: () => undefined,
  isInModule: (pc) => pc >= 0xfffff80010001000n && pc < 0xfffff80010010000n,
};

function stack(base: bigint, qwords: bigint[]): BlockMemory {
  const bytes = new Uint8Array(qwords.length * 8);
  const dv = new DataView(bytes.buffer);
  qwords.forEach((q, i) => dv.setBigUint64(i * 8, q, true));
  return new BlockMemory([{ base, bytes }]);
}

describe('scanForMachineFrame', () => {
  const SP = 0xffff850429890000n;

  it('finds a kernel machine frame and ignores stale code pointers before it', () => {
    const mem = stack(SP, [CODE + 5n, 0n, CODE + 9n, CODE, 0x10n, 0x40286n, SP + 0x200n, 0x18n]);
    expect(scanForMachineFrame(mem, provider, SP)).toEqual({ slot: SP + 0x18n, rip: CODE, rsp: SP + 0x200n });
  });

  it('rejects frames whose cs, ss, eflags or rsp are implausible', () => {
    const bad = [
      [CODE, 0x33n, 0x246n, SP + 0x200n, 0x2bn], // user-mode selectors
      [CODE, 0x10n, 0x284n & ~2n, SP + 0x200n, 0x18n], // reserved eflags bit clear
      [CODE, 0x10n, 0x286n, SP - 8n, 0x18n], // rsp below the frame
      [CODE, 0x10n, 0x286n, SP + 0x100000n, 0x18n], // rsp on another stack
      [0x1000n, 0x10n, 0x286n, SP + 0x200n, 0x18n], // rip outside modules
    ];
    for (const q of bad) expect(scanForMachineFrame(stack(SP, q), provider, SP)).toBeUndefined();
  });
});
