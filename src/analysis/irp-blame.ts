import type { DumpSession } from '../session/dump-session.js';
import type { Module } from '../target/target.js';
import { tick } from '../kernel-objects/kernel-view.js';
import { currentStackLocation, readDeviceObject, readDriverObject, readIrp } from '../kernel-objects/io-objects.js';
import type { Lookup } from '../kernel-objects/lookup.js';
import { found, missing } from '../kernel-objects/lookup.js';

/** The chain from a blocked IRP to the module of the driver holding it. */
export interface IrpChain {
  readonly irp: bigint;
  /** The IRP's current IO_STACK_LOCATION. */
  readonly stackLocation: bigint;
  readonly majorFunction: number;
  readonly minorFunction: number;
  /** IO_STACK_LOCATION.DeviceObject: the device that has the IRP. */
  readonly deviceObject: bigint;
  /** DEVICE_OBJECT.DriverObject. */
  readonly driverObject: bigint;
  /** DRIVER_OBJECT.DriverName (`\Driver\contosousb`), when readable. */
  readonly driverName?: string;
  readonly module: Module;
  /** How the module was found: by the last component of DriverName, or by DriverStart. */
  readonly matchedBy: 'name' | 'driver-start';
}

/** True for the bug checks whose Arg4 is the IRP a driver held too long: 0x9F subtype 3. */
export function isBlockedIrpBugCheck(code: bigint, params: readonly bigint[]): boolean {
  return code === 0x9fn && params[0] === 3n;
}

/** The module a driver's name designates: `\Driver\USBHUB3` -> module USBHUB3 (or image USBHUB3.sys). */
function moduleByDriverName(session: DumpSession, name: string): Module | undefined {
  const last = name.slice(name.lastIndexOf('\\') + 1).toLowerCase();
  if (last === '') return undefined;
  const mods = session.target.modules;
  return mods.find((m) => m.name.toLowerCase() === last) ?? mods.find((m) => m.imageName.toLowerCase().replace(/\.[^.]*$/, '') === last);
}

/**
 * Follows a blocked IRP as WinDbg's analysis does for 0x9F subtype 3: IRP -> its current stack
 * location -> DeviceObject -> DriverObject -> driver name -> loaded module (DriverStart when the
 * name matches no module). Every object's Type is checked, so a stray pointer ends the chain with
 * a reason instead of a wrong name. x64 layouts only (see io-objects.ts).
 */
export function followBlockedIrp(session: DumpSession, irpAddress: bigint): Lookup<IrpChain> {
  const t = session.target;
  if (t.arch !== 'x64') return missing('crashkd follows IRPs on x64 targets only');
  const m = t.memory;
  const irp = readIrp(m, irpAddress);
  if (!irp.ok) return irp;
  const loc = currentStackLocation(m, irp.value);
  if (!loc.ok) return loc;
  const device = readDeviceObject(m, loc.value.deviceObject);
  if (!device.ok) return device;
  const driver = readDriverObject(m, device.value.driverObject);
  if (!driver.ok) return driver;
  const name = driver.value.name;
  const byName = name !== undefined ? moduleByDriverName(session, name) : undefined;
  const byStart = byName ? undefined : session.symbols.modules.find(driver.value.driverStart);
  const module = byName ?? byStart;
  if (!module) {
    const what = name !== undefined ? `${name} (DriverStart ${tick(driver.value.driverStart)})` : `driver object ${tick(driver.value.address)} (DriverStart ${tick(driver.value.driverStart)})`;
    return missing(`no loaded module matches ${what}`);
  }
  return found({
    irp: irpAddress,
    stackLocation: loc.value.address,
    majorFunction: loc.value.majorFunction,
    minorFunction: loc.value.minorFunction,
    deviceObject: loc.value.deviceObject,
    driverObject: device.value.driverObject,
    ...(name !== undefined ? { driverName: name } : {}),
    module,
    matchedBy: byName ? 'name' : 'driver-start',
  });
}
