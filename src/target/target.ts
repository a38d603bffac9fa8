import type { VirtualMemory } from '../memory/virtual-memory.js';
import type { Arch, RegisterContext } from './registers.js';

/** How a module's symbols were obtained; decides `lm`'s column and the load message. */
export type SymbolKind = 'pdb' | 'export' | 'none' | 'breakpad';

/** A named address inside a module, relative to the module base. */
export interface ModuleSymbol {
  readonly name: string;
  readonly rva: number;
  /** Length in bytes when the source knows function bounds (PDB procedures, .sym FUNC). */
  readonly length?: number;
}

/** The symbols of one module, once loaded. */
export interface ModuleSymbols {
  readonly kind: SymbolKind;
  /** Printed once per session, mid-line, the first time the module's symbols are needed. */
  readonly loadMessage?: string;
  /** Path shown by `lm` after the symbol type (pdb path, or image name for exports). */
  readonly file?: string;
  /** The symbol at or before `rva`, if any. */
  nearest(rva: number): ModuleSymbol | undefined;
  /** The first symbol strictly after `rva`, if any (for `ln`). */
  next(rva: number): ModuleSymbol | undefined;
  /** Every symbol with exactly this name (case-insensitive). */
  byName(name: string): readonly ModuleSymbol[];
  /** All symbols sorted by rva. */
  all(): readonly ModuleSymbol[];
}

/** A loaded image. */
export interface Module {
  /** Module name as WinDbg shows it: `nt`, `hal`, `cfosspeed6`. */
  readonly name: string;
  /** Image file name: `ntkrnlmp.exe`, `cfosspeed6.sys`. */
  readonly imageName: string;
  /** Full image path as recorded by the target (`\SystemRoot\system32\DRIVERS\x.sys`). */
  readonly imagePath: string;
  readonly base: bigint;
  readonly size: number;
  readonly timestamp: number;
  readonly checksum: number;
  /** Loads (once) and returns the module's symbols. */
  symbols(): ModuleSymbols;
}

/** A processor (kernel targets) or a thread (user targets). */
export interface ExecutionUnit {
  readonly index: number;
  /** Register context saved in the dump (all zero when none was saved). */
  readonly context: RegisterContext;
  /** Kernel: KPRCB and KPCR addresses, current thread, saved IRQL. */
  readonly prcb?: bigint;
  readonly pcr?: bigint;
  readonly thread?: bigint;
  readonly process?: bigint;
  readonly irql?: number;
  /** User: OS ids and TEB. */
  readonly processId?: number;
  readonly threadId?: number;
  readonly teb?: bigint;
  readonly suspendCount?: number;
  /** Why this unit has no real context, if it has none (said instead of printing garbage). */
  readonly contextNote?: string;
}

/** Bug check code and its four parameters. */
export interface BugCheck {
  readonly code: bigint;
  readonly parameters: readonly [bigint, bigint, bigint, bigint];
}

/** Operating system and dump facts for the banner and `vertarget`. */
export interface SystemInfo {
  /** `Windows 7 Kernel Version 7601 (Service Pack 1) MP (4 procs) Free x64` */
  readonly versionLine: string;
  /** `Product: WinNt, suite: TerminalServer SingleUserTS` or undefined when unknown. */
  readonly productLine?: string;
  /** `Built by: 7601.17514.amd64fre.win7sp1_rtm.101119-1850` or undefined. */
  readonly buildLine?: string;
  readonly kernelBase?: bigint;
  readonly psLoadedModuleList?: bigint;
  /** `Mon Jun 16 20:13:12.844 2014 (UTC + 1:00)` already formatted, or undefined. */
  readonly debugSessionTime?: string;
  /** `0 days 0:49:18.389`, or undefined for "not available". */
  readonly systemUptime?: string;
  readonly processUptime?: string;
  readonly buildNumber: number;
}

/** A dump or scenario opened for reading. Immutable after open. */
export interface Target {
  readonly kind: 'kernel' | 'user';
  readonly arch: Arch;
  readonly pointerSize: 4 | 8;
  /** File path as given by the user. */
  readonly path: string;
  /** `Kernel Complete Dump File: Full address space is available` and the like. */
  readonly dumpKindLine: string;
  readonly memory: VirtualMemory;
  readonly modules: readonly Module[];
  /** Processors (kernel) or threads (user), index order. */
  readonly units: readonly ExecutionUnit[];
  /** The unit selected at open: the bug-check processor or the event thread. */
  readonly initialUnit: number;
  readonly system: SystemInfo;
  readonly bugCheck?: BugCheck;
  /** Non-fatal problems found while opening (truncation, skipped streams). */
  readonly warnings: readonly string[];
}
