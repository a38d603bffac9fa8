import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ModuleFactory } from '../../../../src/target/module-info.js';
import type { KernelMachine, MachineSpec } from '../../../builders/kdump-builder.js';
import { VA } from '../../../builders/kdump-builder.js';

/** A module factory with no symbols, for reader tests. */
export const noSymbols: ModuleFactory = (info) => ({
  ...info,
  symbols: () => ({ kind: 'none', nearest: () => undefined, next: () => undefined, byName: () => [], all: () => [] }),
});

/** A temporary directory removed by the returned cleanup. */
export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'crashkd-kdump-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** GUID bytes whose symbol-server form is 1C19FDDB27BB3399D9B45973EFEAFCF3. */
export const NT_GUID = new Uint8Array([0xdb, 0xfd, 0x19, 0x1c, 0xbb, 0x27, 0x99, 0x33, 0xd9, 0xb4, 0x59, 0x73, 0xef, 0xea, 0xfc, 0xf3]);

/** Stack of processor 0: inside the 1 GiB page. */
export const STACK0 = VA.hugeBase + 0x1f00n;
/** KeBugCheckEx stand-in inside the 2 MiB kernel page. */
export const RIP0 = VA.kernelBase + 0x1a80n;

/** A three-processor 19041 machine with three modules. */
export function standardSpec(over: Partial<MachineSpec> = {}): MachineSpec {
  return {
    build: 19041,
    processors: [
      { regs: { rip: RIP0, rsp: STACK0, rax: 0x1111n, r15: 0xf15n, efl: 0x40286n }, irql: 2 },
      { regs: { rip: VA.kernelBase + 0x2000n, rsp: 0xffffa00000003000n, rbx: 0xbbn }, placement: 'processor-state' },
      { regs: {}, placement: 'none' },
    ],
    bugCheck: { code: 0x1000007e, parameters: [0xffffffffc0000005n, 0xfffff8048b58334cn, 0x1n, 0x2n] },
    modules: [
      { baseName: 'ntoskrnl.exe', fullName: '\\SystemRoot\\system32\\ntoskrnl.exe', base: VA.kernelBase, size: 0x1046000, timestamp: 0x0d8333e6, checksum: 0xabcd, pdb: { guid: NT_GUID, age: 1, name: 'ntkrnlmp.pdb' } },
      { baseName: 'hal.dll', fullName: '\\SystemRoot\\system32\\hal.dll', base: 0xfffff80000800000n, size: 0x6000, timestamp: 0x1a7be8e9 },
      { baseName: 'amdppm.sys', fullName: '\\SystemRoot\\System32\\drivers\\amdppm.sys', base: 0xfffff80000900000n, size: 0x3b000, timestamp: 0xc9c03000, headerInDump: false },
    ],
    systemTime: 0x01d707f23dbb3399n,
    systemUpTime: 0x23bc1e9n,
    timeZoneBiasMinutes: -120,
    ...over,
  };
}

/** Writes recognisable bytes on processor 0's stack. */
export function writeStack(m: KernelMachine): Uint8Array {
  const bytes = new Uint8Array(0x200);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7 + 3) & 0xff;
  m.writeVa(STACK0, bytes);
  return bytes;
}
