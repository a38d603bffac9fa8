/**
 * A user-mode minidump as a Target: threads are the execution units, modules come from the
 * ModuleList through the caller's ModuleFactory, memory is read lazily from the file. The
 * minidump-only facts later commands need (`.exr -1`, `.ecxr`, `.lastevent`, `~*`, `lm`
 * unloaded list) are extra read-only properties.
 */
import { BufferSource, FileSource, type ByteSource } from '../../formats/minidump/byte-source.js';
import { hasMinidumpSignature } from '../../formats/minidump/header.js';
import { MiniDumpWithFullMemory } from '../../formats/minidump/constants.js';
import type { XStateInfo } from '../../formats/minidump/context.js';
import { DumpMemory } from '../../formats/minidump/dump-memory.js';
import type { MemoryRegionInfo } from '../../formats/minidump/memory-lists.js';
import { readMinidump, type MinidumpFile } from '../../formats/minidump/minidump-file.js';
import type { RawBreakpadInfo } from '../../formats/minidump/misc-streams.js';
import { moduleNameFromImage, type ModuleFactory, type ModuleInfo } from '../module-info.js';
import { RegisterContext, type Arch } from '../registers.js';
import type { ExecutionUnit, Module, SystemInfo, Target } from '../target.js';
import { formatSessionTime, formatUptime, productLine, userVersionLine, zoneOffsetMinutes } from './system-lines.js';

/** Banner line for a dump without full memory (windbg-commands.md 3.1 table). */
export const USER_MINI_DUMP_LINE = 'User Mini Dump File: Only registers, stack and portions of memory are available';
/** Banner line for a full-memory dump (`.dump /ma`, procdump -ma). */
export const USER_FULL_DUMP_LINE = 'User Mini Dump File with Full Memory: Only application data is available';

/** The stored exception (`.exr -1`, `.ecxr`, `.lastevent`). Pointer-sized values are masked to the target width. */
export interface MinidumpExceptionRecord {
  readonly threadId: number;
  /** Index of the thread with `threadId` in `units`, if it is there. */
  readonly threadIndex?: number;
  readonly code: number;
  readonly flags: number;
  /** Address of a chained EXCEPTION_RECORD in the target, 0 when none. */
  readonly record: bigint;
  readonly address: bigint;
  readonly parameters: readonly bigint[];
  /** Exception-time registers (what `.ecxr` switches to). */
  readonly context?: RegisterContext;
}

/** An entry of the unloaded-module list (`lm` "Unloaded modules:"). */
export interface UnloadedModuleInfo {
  readonly name: string;
  readonly imageName: string;
  readonly imagePath: string;
  readonly base: bigint;
  readonly size: number;
  readonly checksum: number;
  readonly timestamp: number;
}

/** Breakpad assertion report: CRT invalid parameter or pure virtual call. */
export interface AssertionInfo {
  readonly expression: string;
  readonly function: string;
  readonly file: string;
  readonly line: number;
  readonly type: 'unknown' | 'invalid-parameter' | 'pure-virtual-call';
}

/** Per-thread facts beyond ExecutionUnit (for `~*` and friends). */
export interface MinidumpThreadDetails {
  readonly index: number;
  readonly threadId: number;
  readonly name?: string;
  readonly priority: number;
  readonly priorityClass: number;
  readonly stackStart: bigint;
  readonly stackSize: number;
  /** From ThreadInfoList when present. */
  readonly startAddress?: bigint;
  readonly affinity?: bigint;
  readonly createTime?: bigint;
  /** XSAVE header and CET shadow-stack state from an extended x64 CONTEXT. */
  readonly xstate?: XStateInfo;
}

/** Options of openMinidump. */
export interface OpenMinidumpOptions {
  /** Turns ModuleInfo into Modules (symbol policy lives with the caller). */
  readonly moduleFactory: ModuleFactory;
}

/** True when `firstBytes` start with the minidump signature 'MDMP'. */
export function isMinidump(firstBytes: Uint8Array): boolean {
  return hasMinidumpSignature(firstBytes);
}

/** Opens a minidump file; throws FormatError when it is not a usable minidump. */
export function openMinidump(path: string, options: OpenMinidumpOptions): MinidumpTarget {
  const source = new FileSource(path);
  try {
    return new MinidumpTarget(path, source, readMinidump(source), options);
  } catch (e) {
    source.close();
    throw e;
  }
}

/** Opens a minidump held in memory (tests, builders). */
export function openMinidumpBytes(bytes: Uint8Array, options: OpenMinidumpOptions, path = '<memory>'): MinidumpTarget {
  const source = new BufferSource(bytes);
  return new MinidumpTarget(path, source, readMinidump(source), options);
}

function imageNameOf(path: string): string {
  return path.replace(/^.*[\\/]/, '');
}

const ZERO_CONTEXT_NOTE = 'no register context was saved for this thread';

/** A user-mode minidump opened for reading. */
export class MinidumpTarget implements Target {
  readonly kind = 'user' as const;
  readonly arch: Arch;
  readonly pointerSize: 4 | 8;
  readonly dumpKindLine: string;
  readonly memory: DumpMemory;
  readonly modules: readonly Module[];
  readonly units: readonly ExecutionUnit[];
  readonly initialUnit: number;
  readonly system: SystemInfo;
  readonly warnings: readonly string[];
  /** The stored exception, if the dump has an Exception stream. */
  readonly exception?: MinidumpExceptionRecord;
  readonly unloadedModules: readonly UnloadedModuleInfo[];
  readonly assertion?: AssertionInfo;
  /** NumberOfDescriptors of the HandleData stream. */
  readonly handleCount?: number;
  /** Thread names by OS thread id (ThreadNames stream). */
  readonly threadNames: ReadonlyMap<number, string>;
  readonly threads: readonly MinidumpThreadDetails[];
  readonly memoryInfo: readonly MemoryRegionInfo[];
  readonly processId?: number;
  /** Header TimeDateStamp: UTC seconds when the dump was written. */
  readonly dumpTime: number;
  /** Header Flags (MINIDUMP_TYPE bits). */
  readonly dumpFlags: bigint;
  readonly comment?: string;
  readonly breakpadInfo?: RawBreakpadInfo;
  /** Everything decoded from the file, for commands that need raw fields. */
  readonly file: MinidumpFile;

  constructor(
    readonly path: string,
    private readonly source: ByteSource,
    file: MinidumpFile,
    options: OpenMinidumpOptions,
  ) {
    this.file = file;
    this.arch = file.arch;
    this.pointerSize = file.arch === 'x64' ? 8 : 4;
    const mask = this.pointerSize === 8 ? (1n << 64n) - 1n : 0xffffffffn;
    // WinDbg decides by the MINIDUMP_TYPE bit, not by which memory list the dump carries.
    const full = (file.header.flags & MiniDumpWithFullMemory) !== 0n;
    this.dumpKindLine = full ? USER_FULL_DUMP_LINE : USER_MINI_DUMP_LINE;
    // Some 32-bit writers sign-extend addresses into the upper half; an x86 process has none.
    this.memory = new DumpMemory(source, file.arch === 'x86' ? file.memoryRanges.map((r) => ({ ...r, start: r.start & mask })) : file.memoryRanges);
    this.dumpTime = file.header.timeDateStamp;
    this.dumpFlags = file.header.flags;
    const pid = file.miscInfo?.processId;
    if (pid !== undefined) this.processId = pid;

    this.modules = file.modules.map((m) => {
      const imageName = imageNameOf(m.path);
      const info: ModuleInfo = {
        name: moduleNameFromImage(imageName),
        imageName,
        imagePath: m.path,
        base: m.base & mask,
        size: m.size,
        timestamp: m.timestamp,
        checksum: m.checksum,
        ...(m.codeView ? { codeView: m.codeView } : {}),
        ...(m.fileVersion ? { fileVersion: m.fileVersion } : {}),
        ...(m.productVersion ? { productVersion: m.productVersion } : {}),
      };
      return options.moduleFactory(info);
    });

    this.units = file.threads.map((t, index): ExecutionUnit => {
      const context = t.decoded?.context ?? new RegisterContext(file.arch, {}, 'thread');
      const note = t.decoded ? undefined : (t.contextNote ?? ZERO_CONTEXT_NOTE);
      return {
        index,
        context,
        threadId: t.threadId,
        teb: t.teb & mask,
        suspendCount: t.suspendCount,
        ...(pid !== undefined ? { processId: pid } : {}),
        ...(note ? { contextNote: note } : {}),
      };
    });
    this.threads = file.threads.map((t, index) => ({
      index,
      threadId: t.threadId,
      priority: t.priority,
      priorityClass: t.priorityClass,
      stackStart: t.stack.start & mask,
      stackSize: t.stack.dataSize,
      ...(t.name !== undefined ? { name: t.name } : {}),
      ...(t.info ? { startAddress: t.info.startAddress & mask, affinity: t.info.affinity, createTime: t.info.createTime } : {}),
      ...(t.decoded?.xstate ? { xstate: t.decoded.xstate } : {}),
    }));
    this.threadNames = new Map(file.threads.filter((t) => t.name !== undefined).map((t) => [t.threadId, t.name!]));

    const ex = file.exception;
    let initial = 0;
    if (ex) {
      const threadIndex = file.threads.findIndex((t) => t.threadId === ex.threadId);
      if (threadIndex >= 0) initial = threadIndex;
      this.exception = {
        threadId: ex.threadId,
        ...(threadIndex >= 0 ? { threadIndex } : {}),
        code: ex.code,
        flags: ex.flags,
        record: ex.record & mask,
        address: ex.address & mask,
        parameters: ex.parameters.map((p) => p & mask),
        ...(ex.decoded ? { context: ex.decoded.context } : {}),
      };
    }
    this.initialUnit = initial;

    this.unloadedModules = file.unloadedModules.map((u) => {
      const imageName = imageNameOf(u.path);
      return {
        name: moduleNameFromImage(imageName),
        imageName,
        imagePath: u.path,
        base: u.base & mask,
        size: u.size,
        checksum: u.checksum,
        timestamp: u.timestamp,
      };
    });
    if (file.assertion) {
      const types = ['unknown', 'invalid-parameter', 'pure-virtual-call'] as const;
      this.assertion = { ...file.assertion, type: types[file.assertion.type] ?? 'unknown' };
    }
    if (file.handleCount !== undefined) this.handleCount = file.handleCount;
    this.memoryInfo = file.memoryInfo;
    if (file.comment !== undefined) this.comment = file.comment;
    if (file.breakpadInfo) this.breakpadInfo = file.breakpadInfo;
    this.system = this.buildSystemInfo(file);
    this.warnings = file.warnings;
  }

  /** Closes the dump file; memory reads afterwards return nothing. */
  close(): void {
    this.source.close();
  }

  private buildSystemInfo(file: MinidumpFile): SystemInfo {
    const si = file.systemInfo;
    const misc = file.miscInfo;
    const offset = misc?.timeZone ? zoneOffsetMinutes(misc.timeZone) : 0;
    const created = misc?.processCreateTime;
    const uptime = created !== undefined && created > 0 && created <= this.dumpTime ? formatUptime(this.dumpTime - created) : undefined;
    const product = si ? productLine(si) : undefined;
    return {
      versionLine: si ? userVersionLine(si, file.arch) : `Windows Version unknown ${file.arch === 'x64' ? 'x64' : 'x86 compatible'}`,
      ...(product ? { productLine: product } : {}),
      ...(misc?.buildString ? { buildLine: misc.buildString } : {}),
      ...(this.dumpTime > 0 ? { debugSessionTime: formatSessionTime(this.dumpTime, offset) } : {}),
      ...(uptime ? { processUptime: uptime } : {}),
      buildNumber: si?.buildNumber ?? 0,
    };
  }
}
