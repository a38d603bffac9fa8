import { FormatError } from '../../errors.js';
import type { ByteSource } from '../../formats/kdump/binary.js';
import { KDUMP_FORMAT, asciiz } from '../../formats/kdump/binary.js';
import { parseBitmapHeader } from '../../formats/kdump/bitmap-header.js';
import type { DumpHeader64, ExceptionRecord64 } from '../../formats/kdump/dump-header.js';
import { DumpType, parseDumpHeader64 } from '../../formats/kdump/dump-header.js';
import type { KdDebuggerData } from '../../formats/kdump/kdbg.js';
import { parseKdDebuggerData } from '../../formats/kdump/kdbg.js';
import type { TriageDump64 } from '../../formats/kdump/triage-dump.js';
import { parseTriageDump64 } from '../../formats/kdump/triage-dump.js';
import { BitmapPhysicalMemory } from '../../memory/kernel/bitmap-memory.js';
import { FileByteSource } from '../../memory/kernel/byte-source.js';
import { X64VirtualMemory } from '../../memory/kernel/paged-virtual-memory.js';
import type { PhysicalMemory } from '../../memory/kernel/physical-memory.js';
import { RunListPhysicalMemory } from '../../memory/kernel/run-list-memory.js';
import type { VirtualMemory } from '../../memory/virtual-memory.js';
import { readUnsigned } from '../../memory/virtual-memory.js';
import type { ModuleFactory, ModuleInfo } from '../module-info.js';
import { RegisterContext } from '../registers.js';
import type { BugCheck, ExecutionUnit, Module, SystemInfo, Target } from '../target.js';
import { kernelOffsets } from './build-offsets.js';
import { kernelModuleInfos } from './kernel-modules.js';
import { buildProcessors } from './processors.js';
import { dumpKindLine, formatDebugSessionTime, formatUptime, impliedServicePack, productLine, versionLine } from './system-info.js';
import { buildTriageMemory } from './triage-memory.js';

export { isKernelDump } from '../../formats/kdump/dump-header.js';

/** Options of openKernelDump. */
export interface OpenKernelDumpOptions {
  /** Turns reader facts into Modules (symbol policy lives in src/symbols). */
  readonly moduleFactory: ModuleFactory;
  /** File cache size in 4 KiB pages (default 4096 = 16 MiB). */
  readonly cachePages?: number;
}

/** KUSER_SHARED_DATA.TimeZoneBias (KSYSTEM_TIME, UTC - local in 100 ns) at its fixed x64 kernel VA. */
const KUSER_TIME_ZONE_BIAS = 0xfffff78000000020n;

/** Everything openKernelDump works out, handed to the target in one piece. */
interface Parts {
  readonly path: string;
  readonly source: ByteSource;
  readonly header: DumpHeader64;
  readonly memory: VirtualMemory;
  readonly physical?: PhysicalMemory;
  readonly triage?: TriageDump64;
  readonly kdDebuggerData?: KdDebuggerData;
  readonly bitmapSignature?: 'SDMP' | 'FDMP';
  readonly moduleInfos: readonly ModuleInfo[];
  readonly modules: readonly Module[];
  readonly units: readonly ExecutionUnit[];
  readonly initialUnit: number;
  readonly system: SystemInfo;
  readonly warnings: readonly string[];
}

/** A Windows x64 kernel crash dump (complete, bitmap or triage) opened for reading. */
export class KernelDumpTarget implements Target {
  readonly kind = 'kernel' as const;
  readonly arch = 'x64' as const;
  readonly pointerSize = 8 as const;
  readonly path: string;
  readonly dumpKindLine: string;
  readonly memory: VirtualMemory;
  readonly modules: readonly Module[];
  readonly units: readonly ExecutionUnit[];
  readonly initialUnit: number;
  readonly system: SystemInfo;
  readonly bugCheck: BugCheck;
  readonly warnings: readonly string[];
  /** The decoded DUMP_HEADER64. */
  readonly header: DumpHeader64;
  /** DUMP_HEADER64.DumpType (1 complete, 4 triage, 5/6 bitmap). */
  readonly dumpType: number;
  /** DUMP_HEADER64.ContextRecord: for some bug checks the exception context, not a processor's (`.cxr`-able). */
  readonly headerContext: RegisterContext;
  readonly exception: ExceptionRecord64;
  /** The module facts the modules were made from. */
  readonly moduleInfos: readonly ModuleInfo[];
  readonly kdDebuggerData?: KdDebuggerData;
  /** Physical memory (complete and bitmap dumps). */
  readonly physical?: PhysicalMemory;
  readonly triage?: TriageDump64;
  private readonly source: ByteSource;

  constructor(p: Parts) {
    this.path = p.path;
    this.source = p.source;
    this.header = p.header;
    this.dumpType = p.header.dumpType;
    this.dumpKindLine = dumpKindLine(p.header.dumpType, p.bitmapSignature);
    this.memory = p.memory;
    this.moduleInfos = p.moduleInfos;
    this.modules = p.modules;
    this.units = p.units;
    this.initialUnit = p.initialUnit;
    this.system = p.system;
    const [a, b, c, d] = p.header.bugCheckParameters;
    this.bugCheck = { code: BigInt(p.header.bugCheckCode), parameters: [a, b, c, d] };
    this.warnings = p.warnings;
    this.headerContext = new RegisterContext('x64', p.header.context.values, 'cxr');
    this.exception = p.header.exception;
    if (p.kdDebuggerData) this.kdDebuggerData = p.kdDebuggerData;
    if (p.physical) this.physical = p.physical;
    if (p.triage) this.triage = p.triage;
  }

  /** Releases the file handle; the target must not be read afterwards. */
  close(): void {
    if (this.source instanceof FileByteSource) this.source.close();
  }
}

function readKdbg(memory: VirtualMemory, va: bigint): KdDebuggerData | undefined {
  if (va === 0n) return undefined;
  const head = memory.readPartial(va, 0x18);
  if (head.length < 0x18) return undefined;
  const size = Math.min(0x1000, head[0x14]! | (head[0x15]! << 8));
  return parseKdDebuggerData(memory.readPartial(va, size));
}

function readAsciiString(memory: VirtualMemory, va: bigint, max = 128): string | undefined {
  if (va === 0n) return undefined;
  const bytes = memory.readPartial(va, max);
  // Without its NUL the string ran into a missing page: better no build line than half of one.
  if (bytes.indexOf(0) <= 0) return undefined;
  return asciiz(bytes);
}

/** KUSER_SHARED_DATA.TimeZoneBias in minutes, when that page is in the dump and the value is sane. */
function timeZoneBiasMinutes(memory: VirtualMemory): number | undefined {
  const low = readUnsigned(memory, KUSER_TIME_ZONE_BIAS, 4);
  const high = readUnsigned(memory, KUSER_TIME_ZONE_BIAS + 4n, 4);
  if (low === undefined || high === undefined) return undefined;
  const bias = BigInt.asIntN(64, (high << 32n) | low);
  const minutes = Number(bias / 600000000n);
  return Math.abs(minutes) <= 14 * 60 ? minutes : undefined;
}

function systemInfo(h: DumpHeader64, memory: VirtualMemory, kdbg: KdDebuggerData | undefined, moduleInfos: readonly ModuleInfo[]): SystemInfo {
  const csd = kdbg ? readUnsigned(memory, kdbg.cmNtCsdVersion, 4) : undefined;
  const servicePack = csd !== undefined && kdbg?.cmNtCsdVersion ? Number((csd >> 8n) & 0xffn) : impliedServicePack(h.minorVersion);
  const buildLab = kdbg ? readAsciiString(memory, kdbg.ntBuildLab) : undefined;
  const product = productLine(h.productType, h.suiteMask);
  const time = h.systemTime !== undefined ? formatDebugSessionTime(h.systemTime, timeZoneBiasMinutes(memory)) : undefined;
  const kernelBase = kdbg?.kernBase || moduleInfos.find((m) => m.name === 'nt')?.base;
  return {
    versionLine: versionLine({ build: h.minorVersion, processors: h.numberProcessors, majorVersion: h.majorVersion, servicePack }),
    ...(product ? { productLine: product } : {}),
    ...(buildLab ? { buildLine: `Built by: ${buildLab}` } : {}),
    ...(kernelBase ? { kernelBase } : {}),
    ...(h.psLoadedModuleList ? { psLoadedModuleList: h.psLoadedModuleList } : {}),
    ...(time ? { debugSessionTime: time } : {}),
    ...(h.systemUpTime !== undefined ? { systemUptime: formatUptime(h.systemUpTime) } : {}),
    buildNumber: h.minorVersion,
  };
}

/** Physical and virtual memory of a complete or bitmap dump, with truncation counted. */
function pagedMemory(source: ByteSource, h: DumpHeader64, warnings: string[]): { physical: PhysicalMemory; memory: X64VirtualMemory; signature?: 'SDMP' | 'FDMP' } {
  let physical: RunListPhysicalMemory | BitmapPhysicalMemory;
  let signature: 'SDMP' | 'FDMP' | undefined;
  if (h.dumpType === DumpType.Full) {
    physical = new RunListPhysicalMemory(source, h.physicalRuns, 0x2000);
  } else {
    const bh = parseBitmapHeader(source);
    signature = bh.signature;
    physical = new BitmapPhysicalMemory(source, bh.bitmap, bh.pages, bh.firstPage);
    if (physical.storedPages !== bh.totalPresentPages) {
      warnings.push(`WARNING: bitmap has ${physical.storedPages} pages set but TotalPresentPages says ${bh.totalPresentPages}`);
    }
  }
  if (physical.missingPages > 0) {
    warnings.push(`WARNING: Dump file is truncated: ${physical.missingPages} of ${physical.storedPages} pages are missing`);
  }
  return { physical, memory: new X64VirtualMemory(physical, h.directoryTableBase), ...(signature ? { signature } : {}) };
}

/**
 * Opens a PAGEDU64 dump from any ByteSource (tests pass in-memory buffers). Throws FormatError
 * for malformed or unsupported files; everything recoverable becomes a warning.
 */
export function openKernelDumpSource(source: ByteSource, path: string, options: OpenKernelDumpOptions): KernelDumpTarget {
  const header = parseDumpHeader64(source);
  const warnings: string[] = [...header.warnings];
  const t = header.dumpType;
  if (t !== DumpType.Full && t !== DumpType.Triage && t !== DumpType.BitmapFull && t !== DumpType.BitmapKernel) {
    throw new FormatError(KDUMP_FORMAT, `DUMP_HEADER64.DumpType ${t} is not supported yet (complete, bitmap and triage dumps are)`, 0xf98);
  }
  let memory: VirtualMemory;
  let physical: PhysicalMemory | undefined;
  let triage: TriageDump64 | undefined;
  let kdbg: KdDebuggerData | undefined;
  let signature: 'SDMP' | 'FDMP' | undefined;
  let triageProcessor: number | undefined;
  if (t === DumpType.Triage) {
    triage = parseTriageDump64(source);
    warnings.push(...triage.warnings);
    if (triage.debuggerData) kdbg = parseKdDebuggerData(source.read(triage.debuggerData.offset, triage.debuggerData.size));
    const tm = buildTriageMemory(source, triage, header.kdDebuggerDataBlock, kdbg, kernelOffsets(header.minorVersion, kdbg));
    memory = tm.memory;
    triageProcessor = tm.prcbNumber;
  } else {
    const paged = pagedMemory(source, header, warnings);
    ({ physical, memory } = paged);
    signature = paged.signature;
    kdbg = readKdbg(memory, header.kdDebuggerDataBlock);
  }
  if (!kdbg) warnings.push('WARNING: KDDEBUGGER_DATA64 is not readable; processor and module details are limited');
  const offsets = kernelOffsets(header.minorVersion, kdbg);
  const { units, initialUnit } = buildProcessors({
    memory,
    count: header.numberProcessors,
    ...(kdbg ? { kiProcessorBlock: kdbg.kiProcessorBlock } : {}),
    ...(offsets ? { offsets } : {}),
    headerContext: header.context,
    exceptionAddress: header.exception.address,
    ...(triageProcessor !== undefined ? { triageProcessor } : {}),
    isTriage: triage !== undefined,
  });
  const mods = kernelModuleInfos({ source, memory, header, ...(triage ? { triage } : {}), ...(kdbg ? { kdbg } : {}) });
  if (mods.warning) warnings.push(mods.warning);
  return new KernelDumpTarget({
    path,
    source,
    header,
    memory,
    ...(physical ? { physical } : {}),
    ...(triage ? { triage } : {}),
    ...(kdbg ? { kdDebuggerData: kdbg } : {}),
    ...(signature ? { bitmapSignature: signature } : {}),
    moduleInfos: mods.infos,
    modules: mods.infos.map((m) => options.moduleFactory(m)),
    units,
    initialUnit,
    system: systemInfo(header, memory, kdbg, mods.infos),
    warnings,
  });
}

/** Opens the kernel dump at `path` with positioned reads and a bounded page cache. */
export function openKernelDump(path: string, options: OpenKernelDumpOptions): KernelDumpTarget {
  const source = FileByteSource.open(path, { maxPages: options.cachePages ?? 4096 });
  try {
    return openKernelDumpSource(source, path, options);
  } catch (e) {
    source.close();
    throw e;
  }
}
