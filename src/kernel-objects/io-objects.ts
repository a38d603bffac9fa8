import type { VirtualMemory } from '../memory/virtual-memory.js';
import { readCountedString } from './counted-string.js';
import { readPointer, readU16, readU32, readU8, tick } from './kernel-view.js';
import type { Lookup } from './lookup.js';
import { found, missing } from './lookup.js';

/*
 * x64 I/O manager objects. The layouts are the public WDK (wdm.h) definitions, unchanged from
 * Windows 7 to Windows 10 19041-19045 x64; offsets as the 19041 kernel's type information shows
 * them (6point6/drakvuf src/plugins/apimon/structs/_IRP.h, _IO_STACK_LOCATION.h,
 * _DEVICE_OBJECT.h, _DRIVER_OBJECT.h):
 *
 * IRP (size 0xd0, stack locations follow it):
 *   +0x00 Type (SHORT, IO_TYPE_IRP = 6)   +0x02 Size
 *   +0x42 StackCount (CHAR)               +0x43 CurrentLocation (CHAR)
 *   +0x98 Tail.Overlay.Thread             +0xb8 Tail.Overlay.CurrentStackLocation
 * IO_STACK_LOCATION (size 0x48):
 *   +0x00 MajorFunction  +0x01 MinorFunction  +0x02 Flags  +0x03 Control
 *   +0x08 Parameters (0x20 bytes)  +0x28 DeviceObject  +0x30 FileObject
 *   +0x38 CompletionRoutine        +0x40 Context
 * DEVICE_OBJECT:
 *   +0x00 Type (IO_TYPE_DEVICE = 3)  +0x02 Size  +0x08 DriverObject  +0x10 NextDevice
 *   +0x18 AttachedDevice             +0x40 DeviceExtension
 * DRIVER_OBJECT (size 0x150):
 *   +0x00 Type (IO_TYPE_DRIVER = 4)  +0x08 DeviceObject  +0x18 DriverStart  +0x20 DriverSize
 *   +0x38 DriverName (UNICODE_STRING) +0x70 MajorFunction[28]
 */

/** Type field of a DEVICE_OBJECT (wdm.h IO_TYPE_DEVICE). */
export const IO_TYPE_DEVICE = 3;
/** Type field of a DRIVER_OBJECT (IO_TYPE_DRIVER). */
export const IO_TYPE_DRIVER = 4;
/** Type field of an IRP (IO_TYPE_IRP). */
export const IO_TYPE_IRP = 6;

/** Size of the fixed x64 IRP header; the stack locations follow it. */
export const IRP_HEADER_SIZE = 0xd0;
/** Size of one x64 IO_STACK_LOCATION. */
export const IO_STACK_LOCATION_SIZE = 0x48;

const IRP = { type: 0x0, size: 0x2, stackCount: 0x42, currentLocation: 0x43, thread: 0x98, currentStackLocation: 0xb8 } as const;
const STACK = { major: 0x0, minor: 0x1, flags: 0x2, control: 0x3, deviceObject: 0x28, fileObject: 0x30, completionRoutine: 0x38, context: 0x40 } as const;
const DEVICE = { type: 0x0, driverObject: 0x08, nextDevice: 0x10, attachedDevice: 0x18, deviceExtension: 0x40 } as const;
const DRIVER = { type: 0x0, deviceObject: 0x08, driverStart: 0x18, driverSize: 0x20, driverName: 0x38, majorFunction: 0x70 } as const;

/** IRP_MJ_POWER: the MajorFunction of power IRPs. */
export const IRP_MJ_POWER = 0x16;

/** The IRP header fields the analysis and commands read. */
export interface IrpInfo {
  readonly address: bigint;
  readonly size: number;
  readonly stackCount: number;
  /** 1-based index of the current location; StackCount + 1 once the IRP left every driver. */
  readonly currentLocation: number;
  readonly thread: bigint;
  /** Tail.Overlay.CurrentStackLocation. */
  readonly currentStackLocation: bigint;
}

/** One IO_STACK_LOCATION. */
export interface IoStackLocation {
  readonly address: bigint;
  readonly majorFunction: number;
  readonly minorFunction: number;
  readonly flags: number;
  readonly control: number;
  readonly deviceObject: bigint;
  readonly fileObject: bigint;
  readonly completionRoutine: bigint;
  readonly context: bigint;
}

/** The DEVICE_OBJECT fields that tie a device to its driver and stack. */
export interface DeviceObjectInfo {
  readonly address: bigint;
  readonly driverObject: bigint;
  readonly nextDevice: bigint;
  readonly attachedDevice: bigint;
  readonly deviceExtension: bigint;
}

/** The DRIVER_OBJECT fields that name a driver and place its image. */
export interface DriverObjectInfo {
  readonly address: bigint;
  readonly deviceObject: bigint;
  readonly driverStart: bigint;
  readonly driverSize: number;
  /** DriverName text (`\Driver\contosousb`), when its buffer is in the dump. */
  readonly name?: string;
}

function typeCheck(memory: VirtualMemory, address: bigint, expected: number, what: string): string | undefined {
  const type = readU16(memory, address);
  if (type === undefined) return `${what} ${tick(address)} is not in this dump`;
  if (type !== expected) return `${tick(address)} is not ${what === 'IRP' ? 'an' : 'a'} ${what} (Type ${type}, expected ${expected})`;
  return undefined;
}

/** Reads the IRP at `address`; missing when it is unreadable or its Type is not IO_TYPE_IRP. */
export function readIrp(memory: VirtualMemory, address: bigint): Lookup<IrpInfo> {
  const bad = typeCheck(memory, address, IO_TYPE_IRP, 'IRP');
  if (bad) return missing(bad);
  const at = (o: number): bigint => address + BigInt(o);
  const size = readU16(memory, at(IRP.size));
  const stackCount = readU8(memory, at(IRP.stackCount));
  const currentLocation = readU8(memory, at(IRP.currentLocation));
  const thread = readPointer(memory, at(IRP.thread));
  const currentStackLocation = readPointer(memory, at(IRP.currentStackLocation));
  if (size === undefined || stackCount === undefined || currentLocation === undefined || thread === undefined || currentStackLocation === undefined) {
    return missing(`the header of IRP ${tick(address)} is not all in this dump`);
  }
  return found({ address, size, stackCount, currentLocation, thread, currentStackLocation });
}

/**
 * The IRP's current stack location, checked against its header: CurrentLocation must name one of
 * the StackCount locations and CurrentStackLocation must point at it (IRP + 0xd0 + (n-1) * 0x48).
 */
export function currentStackLocation(memory: VirtualMemory, irp: IrpInfo): Lookup<IoStackLocation> {
  const n = irp.currentLocation;
  if (n < 1 || n > irp.stackCount) {
    return missing(`IRP ${tick(irp.address)} has no current stack location (CurrentLocation ${n} of ${irp.stackCount}: it left every driver)`);
  }
  const expected = irp.address + BigInt(IRP_HEADER_SIZE + (n - 1) * IO_STACK_LOCATION_SIZE);
  if (irp.currentStackLocation !== expected) {
    return missing(`IRP ${tick(irp.address)}: CurrentStackLocation ${tick(irp.currentStackLocation)} does not match CurrentLocation ${n} (${tick(expected)})`);
  }
  return readStackLocation(memory, expected);
}

/** Reads the IO_STACK_LOCATION at `address`. */
export function readStackLocation(memory: VirtualMemory, address: bigint): Lookup<IoStackLocation> {
  const at = (o: number): bigint => address + BigInt(o);
  const head = readU32(memory, address);
  const deviceObject = readPointer(memory, at(STACK.deviceObject));
  const fileObject = readPointer(memory, at(STACK.fileObject));
  const completionRoutine = readPointer(memory, at(STACK.completionRoutine));
  const context = readPointer(memory, at(STACK.context));
  if (head === undefined || deviceObject === undefined || fileObject === undefined || completionRoutine === undefined || context === undefined) {
    return missing(`the I/O stack location at ${tick(address)} is not in this dump`);
  }
  return found({
    address,
    majorFunction: head & 0xff,
    minorFunction: (head >>> 8) & 0xff,
    flags: (head >>> 16) & 0xff,
    control: (head >>> 24) & 0xff,
    deviceObject,
    fileObject,
    completionRoutine,
    context,
  });
}

/** Reads the DEVICE_OBJECT at `address`; missing unless its Type is IO_TYPE_DEVICE. */
export function readDeviceObject(memory: VirtualMemory, address: bigint): Lookup<DeviceObjectInfo> {
  const bad = typeCheck(memory, address, IO_TYPE_DEVICE, 'device object');
  if (bad) return missing(bad);
  const at = (o: number): bigint => address + BigInt(o);
  const driverObject = readPointer(memory, at(DEVICE.driverObject));
  const nextDevice = readPointer(memory, at(DEVICE.nextDevice));
  const attachedDevice = readPointer(memory, at(DEVICE.attachedDevice));
  const deviceExtension = readPointer(memory, at(DEVICE.deviceExtension));
  if (driverObject === undefined || nextDevice === undefined || attachedDevice === undefined || deviceExtension === undefined) {
    return missing(`device object ${tick(address)} is not all in this dump`);
  }
  return found({ address, driverObject, nextDevice, attachedDevice, deviceExtension });
}

/** Reads the DRIVER_OBJECT at `address`; missing unless its Type is IO_TYPE_DRIVER. */
export function readDriverObject(memory: VirtualMemory, address: bigint): Lookup<DriverObjectInfo> {
  const bad = typeCheck(memory, address, IO_TYPE_DRIVER, 'driver object');
  if (bad) return missing(bad);
  const at = (o: number): bigint => address + BigInt(o);
  const deviceObject = readPointer(memory, at(DRIVER.deviceObject));
  const driverStart = readPointer(memory, at(DRIVER.driverStart));
  const driverSize = readU32(memory, at(DRIVER.driverSize));
  if (deviceObject === undefined || driverStart === undefined || driverSize === undefined) {
    return missing(`driver object ${tick(address)} is not all in this dump`);
  }
  const name = readCountedString(memory, at(DRIVER.driverName), true, 8)?.text;
  return found({ address, deviceObject, driverStart, driverSize, ...(name !== undefined ? { name } : {}) });
}

/** DRIVER_OBJECT.MajorFunction[index], the driver's dispatch routine for that major code. */
export function dispatchRoutine(memory: VirtualMemory, driver: bigint, major: number): bigint | undefined {
  if (major < 0 || major > 0x1b) return undefined;
  return readPointer(memory, driver + BigInt(DRIVER.majorFunction + major * 8));
}
