import { FormatError } from '../../errors.js';
import type { ByteSource } from '../../formats/kdump/binary.js';
import type { DumpHeader64 } from '../../formats/kdump/dump-header.js';
import type { KdDebuggerData } from '../../formats/kdump/kdbg.js';
import type { TriageDump64 } from '../../formats/kdump/triage-dump.js';
import { parseTriageDrivers } from '../../formats/kdump/triage-drivers.js';
import type { VirtualMemory } from '../../memory/virtual-memory.js';
import type { ModuleInfo } from '../module-info.js';
import { moduleNameFromImage } from '../module-info.js';
import { readImageIdentity } from './image-identity.js';
import { walkLoadedModuleList } from './loaded-modules.js';

/** Inputs for the kernel module list. */
export interface KernelModuleInputs {
  readonly source: ByteSource;
  readonly memory: VirtualMemory;
  readonly header: DumpHeader64;
  readonly triage?: TriageDump64;
  readonly kdbg?: KdDebuggerData;
}

/** Module facts and a warning when the list could not be read completely. */
export interface KernelModuleList {
  readonly infos: readonly ModuleInfo[];
  readonly warning?: string;
}

/** Last path component: `\SystemRoot\system32\ntoskrnl.exe` -> `ntoskrnl.exe`. */
function baseName(path: string): string {
  return path.replace(/^.*[\\/]/, '');
}

/**
 * WinDbg's module name: the kernel is always `nt` whatever its file is called (ntoskrnl.exe,
 * ntkrnlmp.exe, ntkrpamp.exe); everything else is the image name without its extension.
 */
function moduleName(imageName: string, isKernel: boolean): string {
  return isKernel ? 'nt' : moduleNameFromImage(imageName);
}

function isKernelImage(base: bigint, index: number, imageName: string, kdbg: KdDebuggerData | undefined): boolean {
  if (kdbg && kdbg.kernBase !== 0n) return base === kdbg.kernBase;
  // Without KDBG: the loader always puts the kernel first in load order.
  return index === 0 && /^nt(oskrnl|krnlmp|krnlpa|krpamp)\.exe$/i.test(imageName);
}

function triageModules(inp: KernelModuleInputs, triage: TriageDump64): KernelModuleList {
  let drivers;
  try {
    drivers = parseTriageDrivers(inp.source, triage);
  } catch (e) {
    if (!(e instanceof FormatError)) throw e;
    return { infos: [], warning: `WARNING: triage driver list is unreadable (${e.message})` };
  }
  const infos = drivers.map((d, i): ModuleInfo => {
    const imageName = baseName(d.path) || `unknown_${d.base.toString(16)}`;
    return {
      name: moduleName(imageName, isKernelImage(d.base, i, imageName, inp.kdbg)),
      imageName,
      imagePath: d.path,
      base: d.base,
      size: d.size,
      timestamp: d.timestamp,
      checksum: d.checksum,
    };
  });
  return { infos };
}

function listModules(inp: KernelModuleInputs): KernelModuleList {
  const head = inp.header.psLoadedModuleList || inp.kdbg?.psLoadedModuleList || 0n;
  if (head === 0n) return { infos: [], warning: 'WARNING: the dump names no PsLoadedModuleList; no kernel module list' };
  const walk = walkLoadedModuleList(inp.memory, head);
  const infos = walk.entries.map((e, i): ModuleInfo => {
    const imageName = e.baseName || baseName(e.fullName) || `unknown_${e.base.toString(16)}`;
    const id = readImageIdentity(inp.memory, e.base, e.size);
    return {
      name: moduleName(imageName, isKernelImage(e.base, i, imageName, inp.kdbg)),
      imageName,
      imagePath: e.fullName || imageName,
      base: e.base,
      size: e.size,
      // The list entry has no timestamp (its +0x80 is LoadedImports/CoverageSection, formats.md 2.6).
      timestamp: id.timestamp ?? 0,
      checksum: id.checksum ?? e.checksum,
      ...(id.codeView ? { codeView: id.codeView } : {}),
    };
  });
  return { infos, ...(walk.warning ? { warning: walk.warning } : {}) };
}

/** Kernel modules: the triage driver list for mini dumps, PsLoadedModuleList otherwise. */
export function kernelModuleInfos(inp: KernelModuleInputs): KernelModuleList {
  return inp.triage ? triageModules(inp, inp.triage) : listModules(inp);
}
