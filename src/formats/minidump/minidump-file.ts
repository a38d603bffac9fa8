/**
 * Reads every stream crashkd understands from a minidump into plain data. Fatal problems
 * (header, directory, unknown architecture) throw FormatError; everything else becomes a
 * warning and the stream is skipped. Memory stays in the file (see DumpMemory).
 */
import { FormatError } from '../../errors.js';
import type { Arch } from '../../target/registers.js';
import type { ByteSource } from './byte-source.js';
import { ProcessorArchitecture, StreamType } from './constants.js';
import { contextFlagsArch, decodeContext, type DecodedContext } from './context.js';
import { readException, type RawException } from './exception.js';
import { readDirectory, type DirectoryEntry, type Location, type MinidumpHeader } from './header.js';
import { readMemory64List, readMemoryInfo, readMemoryList, type FileRange, type MemoryRegionInfo } from './memory-lists.js';
import {
  readAssertion,
  readBreakpadInfo,
  readComment,
  readHandleCount,
  type RawAssertion,
  type RawBreakpadInfo,
} from './misc-streams.js';
import { readModules, readUnloadedModules, type RawModule, type RawUnloadedModule } from './modules.js';
import { StreamIo } from './stream-io.js';
import { readMiscInfo, readSystemInfo, type RawMiscInfo, type RawSystemInfo } from './system-info.js';
import { readThreadInfo, readThreadNames, readThreads, type RawThread, type RawThreadInfo } from './threads.js';

/** A thread with its decoded CONTEXT (or why there is none). */
export interface MinidumpThread extends RawThread {
  readonly decoded?: DecodedContext;
  readonly contextNote?: string;
  readonly name?: string;
  readonly info?: RawThreadInfo;
}

/** The stored exception with its decoded exception-time CONTEXT. */
export interface MinidumpException extends RawException {
  readonly decoded?: DecodedContext;
}

/** Everything read from one minidump. */
export interface MinidumpFile {
  readonly header: MinidumpHeader;
  readonly directory: readonly DirectoryEntry[];
  readonly arch: Arch;
  readonly systemInfo?: RawSystemInfo;
  readonly miscInfo?: RawMiscInfo;
  readonly threads: readonly MinidumpThread[];
  readonly modules: readonly RawModule[];
  readonly unloadedModules: readonly RawUnloadedModule[];
  /** MemoryList, Memory64List and thread-stack blocks, unsorted, possibly overlapping. */
  readonly memoryRanges: readonly FileRange[];
  /** True when the memory came from a Memory64List (full-memory dumps). */
  readonly hasMemory64: boolean;
  readonly memoryInfo: readonly MemoryRegionInfo[];
  readonly exception?: MinidumpException;
  readonly handleCount?: number;
  readonly assertion?: RawAssertion;
  readonly breakpadInfo?: RawBreakpadInfo;
  readonly comment?: string;
  readonly warnings: readonly string[];
}

/** Maps SystemInfo.ProcessorArchitecture to an Arch, or throws for ones crashkd cannot debug. */
function archFromSystemInfo(arch: number): Arch {
  if (arch === ProcessorArchitecture.AMD64) return 'x64';
  if (arch === ProcessorArchitecture.INTEL) return 'x86';
  const names: Record<number, string> = { 5: 'ARM', 6: 'IA64', 12: 'ARM64' };
  throw new FormatError('minidump', `unsupported processor architecture ${arch}${names[arch] ? ` (${names[arch]})` : ''}: crashkd reads x64 and x86 minidumps`);
}

/** Without SystemInfo, the first thread CONTEXT whose flags name a CPU decides. */
function archFromContexts(io: StreamIo, threads: readonly RawThread[]): Arch | undefined {
  for (const t of threads.slice(0, 16)) {
    if (!io.fits(t.context.rva, t.context.dataSize) || t.context.dataSize === 0) continue;
    const bytes = io.source.read(t.context.rva, Math.min(t.context.dataSize, 0x40));
    const arch = contextFlagsArch(bytes);
    if (arch) return arch;
  }
  return undefined;
}

function decodeAt(io: StreamIo, loc: Location, arch: Arch, what: string, source: 'thread' | 'exception'): DecodedContext | string {
  if (loc.dataSize === 0) return 'no context was saved';
  const bytes = io.location(loc, what);
  if (!bytes) return 'context runs past the end of the file';
  const decoded = decodeContext(arch, bytes, source);
  if (typeof decoded === 'string') io.warn(`${what}: ${decoded}`);
  return decoded;
}

/** Reads a minidump's streams. Throws FormatError when the file is not a usable minidump. */
export function readMinidump(source: ByteSource): MinidumpFile {
  const dir = readDirectory(source);
  const io = new StreamIo(source);
  for (const w of dir.warnings) io.warn(w);
  const s = dir.streams;
  const systemInfo = readSystemInfo(io, s);
  const rawThreads = readThreads(io, s);
  const arch = systemInfo ? archFromSystemInfo(systemInfo.processorArchitecture) : archFromContexts(io, rawThreads);
  if (!arch) {
    throw new FormatError('minidump', 'cannot tell the architecture: no SystemInfo stream and no thread context names a CPU');
  }
  if (!systemInfo) io.warn('no SystemInfo stream; architecture taken from thread contexts');
  const names = readThreadNames(io, s.get(StreamType.ThreadNames));
  const infos = new Map(readThreadInfo(io, s.get(StreamType.ThreadInfoList)).map((x) => [x.threadId, x] as const));
  const threads: MinidumpThread[] = rawThreads.map((t, i) => {
    const decoded = decodeAt(io, t.context, arch, `thread ${i} (id ${t.threadId.toString(16)}) CONTEXT`, 'thread');
    const name = names.get(t.threadId);
    const info = infos.get(t.threadId);
    return {
      ...t,
      ...(typeof decoded === 'string' ? { contextNote: decoded } : { decoded }),
      ...(name !== undefined ? { name } : {}),
      ...(info ? { info } : {}),
    };
  });
  const rawException = readException(io, s);
  let exception: MinidumpException | undefined;
  if (rawException) {
    const decoded = decodeAt(io, rawException.context, arch, 'exception CONTEXT', 'exception');
    exception = typeof decoded === 'string' ? rawException : { ...rawException, decoded };
  }
  const memory64 = readMemory64List(io, s.get(StreamType.Memory64List));
  const memoryRanges: FileRange[] = [...readMemoryList(io, s.get(StreamType.MemoryList)), ...memory64];
  // Thread stacks are normally also in MemoryList; adding them covers writers that skip that.
  for (const t of threads) {
    const st = t.stack;
    if (st.dataSize > 0 && st.rva > 0 && io.fits(st.rva, st.dataSize)) {
      memoryRanges.push({ start: st.start, size: st.dataSize, fileOffset: st.rva });
    }
  }
  const miscInfo = readMiscInfo(io, s);
  const handleCount = readHandleCount(io, s);
  const assertion = readAssertion(io, s);
  const breakpadInfo = readBreakpadInfo(io, s);
  const comment = readComment(io, s);
  return {
    header: dir.header,
    directory: dir.entries,
    arch,
    ...(systemInfo ? { systemInfo } : {}),
    ...(miscInfo ? { miscInfo } : {}),
    threads,
    modules: readModules(io, s),
    unloadedModules: readUnloadedModules(io, s.get(StreamType.UnloadedModuleList)),
    memoryRanges,
    hasMemory64: memory64.length > 0,
    memoryInfo: readMemoryInfo(io, s),
    ...(exception ? { exception } : {}),
    ...(handleCount !== undefined ? { handleCount } : {}),
    ...(assertion ? { assertion } : {}),
    ...(breakpadInfo ? { breakpadInfo } : {}),
    ...(comment !== undefined ? { comment } : {}),
    warnings: io.warnings,
  };
}
