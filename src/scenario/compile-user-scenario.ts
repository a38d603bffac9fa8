/**
 * Compiles a user-mode scenario into a MinidumpTarget: the facts become the decoded streams a
 * minidump reader would have produced (threads with their CONTEXT, the Exception stream, the
 * module list, SystemInfo and MiscInfo) over an in-memory byte source holding the scenario's memory
 * and synthesized image headers. Every user-mode command (`.ecxr`, `.exr -1`, `.lastevent`, `~`,
 * `|`, `!teb`, `!analyze`) therefore reads a scenario exactly as it reads a real minidump.
 */
import { BufferSource } from '../formats/minidump/byte-source.js';
import { decodeContext, type DecodedContext } from '../formats/minidump/context.js';
import type { FileRange } from '../formats/minidump/memory-lists.js';
import type { MinidumpException, MinidumpFile, MinidumpThread } from '../formats/minidump/minidump-file.js';
import type { RawModule } from '../formats/minidump/modules.js';
import type { MemoryBlock } from '../memory/virtual-memory.js';
import { encodeX64Context, X64_CONTEXT_SIZE } from '../target/context-records.js';
import type { ContextSource } from '../target/registers.js';
import type { Module } from '../target/target.js';
import { MinidumpTarget } from '../target/user/minidump-target.js';
import { checkContextRegisters, compileMemory, compileModules } from './compile-parts.js';
import { ScenarioError, type Locator } from './load-scenario.js';
import { NORMAL_PRIORITY_CLASS, userHeader, userMiscInfo, userSystemInfo } from './user-system.js';
import type { ScenarioThread, UserScenario } from './user-schema.js';

/** Where a user-mode module lives when the scenario gives no `path`. */
const userModulePath = (image: string): string => `C:\\Windows\\System32\\${image}`;

/** Streams the compiled "file" holds: SystemInfo, MiscInfo, ThreadList, ModuleList, MemoryList (+ Exception). */
const BASE_STREAMS = 5;

/**
 * The target address space as one buffer: blocks in address order, so that address-adjacent
 * blocks are file-adjacent too and a thread's stack is one contiguous file range.
 */
function layoutMemory(blocks: readonly MemoryBlock[]): { bytes: Uint8Array; ranges: FileRange[] } {
  const sorted = [...blocks].sort((a, b) => (a.base < b.base ? -1 : a.base > b.base ? 1 : 0));
  const bytes = new Uint8Array(sorted.reduce((n, b) => n + b.bytes.length, 0));
  const ranges: FileRange[] = [];
  let at = 0;
  for (const b of sorted) {
    bytes.set(b.bytes, at);
    ranges.push({ start: b.base, size: b.bytes.length, fileOffset: at });
    at += b.bytes.length;
  }
  return { bytes, ranges };
}

/** The stack a minidump writer saves: from rsp up to the end of the memory that contains it. */
function stackOf(rsp: bigint, ranges: readonly FileRange[]): { start: bigint; dataSize: number; rva: number } {
  const i = ranges.findIndex((r) => rsp >= r.start && rsp < r.start + BigInt(r.size));
  if (i < 0) return { start: rsp, dataSize: 0, rva: 0 };
  let end = ranges[i]!.start + BigInt(ranges[i]!.size);
  for (let k = i + 1; k < ranges.length && ranges[k]!.start === end; k++) end += BigInt(ranges[k]!.size);
  return { start: rsp, dataSize: Number(end - rsp), rva: ranges[i]!.fileOffset + Number(rsp - ranges[i]!.start) };
}

/** The registers as the CONTEXT record a minidump stores, decoded by the minidump reader's own decoder. */
function decoded(registers: Readonly<Record<string, bigint>>, source: ContextSource, where: string): DecodedContext {
  const d = decodeContext('x64', encodeX64Context(registers), source);
  // A full-size x64 CONTEXT always decodes; a reason here would mean the encoder and decoder disagree.
  if (typeof d === 'string') throw new ScenarioError(`${where}: the registers do not make a CONTEXT record (${d})`);
  return d;
}

function compileThread(t: ScenarioThread, i: number, ranges: readonly FileRange[], locate: Locator): MinidumpThread {
  checkContextRegisters(t.context, ['threads', i, 'context'], locate);
  const saved = Object.keys(t.context).length > 0;
  return {
    threadId: t.id,
    suspendCount: t.suspendCount,
    priorityClass: NORMAL_PRIORITY_CLASS,
    priority: 0,
    teb: t.teb,
    stack: stackOf(t.context['rsp'] ?? 0n, ranges),
    // An empty context is a thread the writer saved no registers for, as in a kernel scenario.
    context: { dataSize: saved ? X64_CONTEXT_SIZE : 0, rva: 0 },
    ...(saved ? { decoded: decoded(t.context, 'thread', locate(['threads', i, 'context'])) } : {}),
  };
}

function compileException(s: UserScenario, locate: Locator): MinidumpException | undefined {
  const e = s.exception;
  if (!e) return undefined;
  if (!s.threads.some((t) => t.id === e.thread)) {
    throw new ScenarioError(`${locate(['exception', 'thread'])}: no thread has id ${e.thread.toString(16)} (exception.thread is a thread id, not an index)`);
  }
  if (e.context) checkContextRegisters(e.context, ['exception', 'context'], locate);
  return {
    threadId: e.thread,
    code: e.code,
    flags: e.flags,
    record: e.record,
    address: e.address,
    numberParameters: e.parameters.length,
    parameters: e.parameters,
    context: { dataSize: e.context ? X64_CONTEXT_SIZE : 0, rva: 0 },
    ...(e.context ? { decoded: decoded(e.context, 'exception', locate(['exception', 'context'])) } : {}),
  };
}

/** Module list order: the executable first, as the loader lists it (`|` and `!analyze` rely on it). */
function processImageFirst(s: UserScenario, modules: readonly Module[], locate: Locator): Module[] {
  const i = s.modules.findIndex((m) => m.image.toLowerCase() === s.process.image.toLowerCase());
  if (i < 0) throw new ScenarioError(`${locate(['process', 'image'])}: no module has image '${s.process.image}'`);
  return [modules[i]!, ...modules.filter((_, k) => k !== i)];
}

function checkThreadIds(s: UserScenario, locate: Locator): void {
  const seen = new Set<number>();
  s.threads.forEach((t, i) => {
    if (seen.has(t.id)) throw new ScenarioError(`${locate(['threads', i, 'id'])}: thread id ${t.id.toString(16)} is used twice`);
    seen.add(t.id);
  });
}

/** Compiles a validated user-mode scenario into a minidump target. */
export function compileUserScenario(s: UserScenario, locate: Locator, path: string): MinidumpTarget {
  const blocks = compileMemory(s.memory, locate);
  const compiled = compileModules(s.modules, blocks, locate, userModulePath);
  const modules = processImageFirst(s, compiled.modules, locate);
  checkThreadIds(s, locate);
  const { bytes, ranges } = layoutMemory([...blocks, ...compiled.headers]);
  const threads = s.threads.map((t, i) => compileThread(t, i, ranges, locate));
  const exception = compileException(s, locate);
  const rawModules: RawModule[] = modules.map((m) => ({ base: m.base, size: m.size, checksum: m.checksum, timestamp: m.timestamp, path: m.imagePath }));
  const file: MinidumpFile = {
    header: userHeader(s, BASE_STREAMS + (exception ? 1 : 0)),
    directory: [],
    arch: 'x64',
    systemInfo: userSystemInfo(s, locate),
    miscInfo: userMiscInfo(s, locate),
    threads,
    modules: rawModules,
    unloadedModules: [],
    memoryRanges: ranges,
    hasMemory64: s.target.dumpType === 'full',
    memoryInfo: [],
    ...(exception ? { exception } : {}),
    warnings: [],
  };
  // The reader hands each module-list entry to the factory; the scenario's modules already carry
  // their names and symbols, so the factory returns them by base.
  const byBase = new Map(modules.map((m) => [m.base, m] as const));
  return new MinidumpTarget(path, new BufferSource(bytes), file, { moduleFactory: (info) => byBase.get(info.base)! });
}
