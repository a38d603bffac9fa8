import { describe, expect, it } from 'vitest';
import {
  currentStackLocation, dispatchRoutine, IRP_MJ_POWER, readDeviceObject, readDriverObject, readIrp, readStackLocation,
} from '../../../src/kernel-objects/io-objects.js';
import { CHAIN, chainMemory } from './irp-chain.js';

describe('x64 I/O objects', () => {
  it('reads the IRP header and its current stack location', () => {
    const m = chainMemory();
    const irp = readIrp(m, CHAIN.irp);
    expect(irp).toEqual({
      ok: true,
      value: { address: CHAIN.irp, size: 0x1a8, stackCount: 3, currentLocation: 2, thread: 0xffff900000050000n, currentStackLocation: CHAIN.irp + 0x118n },
    });
    const loc = irp.ok ? currentStackLocation(m, irp.value) : undefined;
    expect(loc).toEqual({
      ok: true,
      value: {
        address: CHAIN.irp + 0x118n, majorFunction: IRP_MJ_POWER, minorFunction: 2, flags: 0, control: 0xe1,
        deviceObject: CHAIN.device, fileObject: 0n, completionRoutine: 0xfffff80512345678n, context: 0x1234n,
      },
    });
  });

  it('reads the device object and the driver object with its name and power routine', () => {
    const m = chainMemory();
    expect(readDeviceObject(m, CHAIN.device)).toEqual({
      ok: true,
      value: { address: CHAIN.device, driverObject: CHAIN.driver, nextDevice: 0n, attachedDevice: 0n, deviceExtension: CHAIN.device + 0x150n },
    });
    expect(readDriverObject(m, CHAIN.driver)).toEqual({
      ok: true,
      value: { address: CHAIN.driver, deviceObject: CHAIN.device, driverStart: CHAIN.driverStart, driverSize: 0x8000, name: '\\Driver\\fabrikam' },
    });
    expect(dispatchRoutine(m, CHAIN.driver, IRP_MJ_POWER)).toBe(CHAIN.driverStart + 0x1010n);
    expect(dispatchRoutine(m, CHAIN.driver, 0x1c)).toBeUndefined();
  });

  it('refuses objects whose Type is wrong or that are not in memory', () => {
    expect(readIrp(chainMemory({ irpType: 5 }), CHAIN.irp)).toEqual({ ok: false, missing: 'ffff9000`00010000 is not an IRP (Type 5, expected 6)' });
    expect(readDeviceObject(chainMemory({ deviceType: 4 }), CHAIN.device)).toEqual({
      ok: false, missing: 'ffff9000`00020000 is not a device object (Type 4, expected 3)',
    });
    expect(readDriverObject(chainMemory(), CHAIN.device)).toEqual({ ok: false, missing: 'ffff9000`00020000 is not a driver object (Type 3, expected 4)' });
    expect(readIrp(chainMemory(), 0x1000n)).toEqual({ ok: false, missing: 'IRP 00000000`00001000 is not in this dump' });
    expect(readStackLocation(chainMemory(), 0x1000n).ok).toBe(false);
  });

  it('has no current stack location once the IRP left every driver, or when the pointer disagrees', () => {
    const done = readIrp(chainMemory({ currentLocation: 4 }), CHAIN.irp);
    expect(done.ok && currentStackLocation(chainMemory(), done.value)).toEqual({
      ok: false, missing: 'IRP ffff9000`00010000 has no current stack location (CurrentLocation 4 of 3: it left every driver)',
    });
    const odd = readIrp(chainMemory({ currentStackLocation: CHAIN.irp + 0xd0n }), CHAIN.irp);
    expect(odd.ok && currentStackLocation(chainMemory(), odd.value)).toEqual({
      ok: false,
      missing: 'IRP ffff9000`00010000: CurrentStackLocation ffff9000`000100d0 does not match CurrentLocation 2 (ffff9000`00010118)',
    });
  });

  it('leaves the name out when its buffer is not in the dump', () => {
    const d = readDriverObject(chainMemory({ dropName: true }), CHAIN.driver);
    expect(d.ok && d.value.name).toBeUndefined();
  });
});
