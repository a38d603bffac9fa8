import { BlockMemory } from '../../../src/memory/virtual-memory.js';
import { Block } from './byte-blocks.js';

/** Addresses of the synthetic blocked-IRP chain. */
export const CHAIN = {
  irp: 0xffff900000010000n,
  device: 0xffff900000020000n,
  driver: 0xffff900000030000n,
  name: 0xffff900000030200n,
  driverStart: 0xfffff80540000000n,
} as const;

/** What to break in the chain. */
export interface ChainOptions {
  readonly irpType?: number;
  readonly deviceType?: number;
  readonly currentLocation?: number;
  /** Overrides Tail.Overlay.CurrentStackLocation. */
  readonly currentStackLocation?: bigint;
  readonly driverName?: string;
  /** Leave the DriverName buffer out of memory. */
  readonly dropName?: boolean;
}

/**
 * x64 memory holding an IRP with 3 stack locations, current location 2 (IRP_MJ_POWER,
 * IRP_MN_SET_POWER) at a device whose driver is `\Driver\fabrikam` (image at 0xfffff805`40000000).
 */
export function chainMemory(o: ChainOptions = {}): BlockMemory {
  const n = o.currentLocation ?? 2;
  const irp = new Block(CHAIN.irp, 0xd0 + 3 * 0x48)
    .u16(0, o.irpType ?? 6)
    .u16(2, 0x1a8)
    .u8(0x42, 3)
    .u8(0x43, n)
    .u64(0x98, 0xffff900000050000n)
    .u64(0xb8, o.currentStackLocation ?? CHAIN.irp + BigInt(0xd0 + (n - 1) * 0x48));
  const loc = 0xd0 + 0x48;
  irp.u8(loc, 0x16).u8(loc + 1, 2).u8(loc + 2, 0).u8(loc + 3, 0xe1).u64(loc + 0x28, CHAIN.device).u64(loc + 0x38, 0xfffff80512345678n).u64(loc + 0x40, 0x1234n);
  const device = new Block(CHAIN.device, 0x50).u16(0, o.deviceType ?? 3).u16(2, 0x150).u64(8, CHAIN.driver).u64(0x18, 0n).u64(0x40, CHAIN.device + 0x150n);
  const name = o.driverName ?? '\\Driver\\fabrikam';
  const driver = new Block(CHAIN.driver, 0x150)
    .u16(0, 4)
    .u16(2, 0x150)
    .u64(8, CHAIN.device)
    .u64(0x18, CHAIN.driverStart)
    .u32(0x20, 0x8000)
    .u16(0x38, name.length * 2)
    .u16(0x3a, name.length * 2 + 2)
    .u64(0x40, CHAIN.name)
    .u64(0x70 + 0x16 * 8, CHAIN.driverStart + 0x1010n);
  const text = new Block(CHAIN.name, 0x100).utf16(0, name);
  return new BlockMemory([irp.block, device.block, driver.block, ...(o.dropName ? [] : [text.block])]);
}
