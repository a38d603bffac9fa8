/**
 * Minidump layout constants (minidumpapiset.h spelling; formats.md section 4).
 */

/** 'MDMP' read as a little-endian u32. */
export const MINIDUMP_SIGNATURE = 0x504d444d;
/** Low 16 bits of MINIDUMP_HEADER.Version; the high half is writer-specific. */
export const MINIDUMP_VERSION = 0xa793;
/** sizeof(MINIDUMP_HEADER). */
export const MINIDUMP_HEADER_SIZE = 32;
/** sizeof(MINIDUMP_DIRECTORY). */
export const MINIDUMP_DIRECTORY_SIZE = 12;

/** MINIDUMP_STREAM_TYPE values crashkd reads (plus Breakpad's extensions). */
export const StreamType = {
  Unused: 0,
  ThreadList: 3,
  ModuleList: 4,
  MemoryList: 5,
  Exception: 6,
  SystemInfo: 7,
  ThreadExList: 8,
  Memory64List: 9,
  CommentA: 10,
  CommentW: 11,
  HandleData: 12,
  UnloadedModuleList: 14,
  MiscInfo: 15,
  MemoryInfoList: 16,
  ThreadInfoList: 17,
  ThreadNames: 24,
  BreakpadInfo: 0x47670001,
  AssertionInfo: 0x47670002,
} as const;

/** Readable stream names for warnings. */
export function streamName(type: number): string {
  for (const [name, value] of Object.entries(StreamType)) if (value === type) return name;
  return `0x${type.toString(16)}`;
}

/** MINIDUMP_TYPE bit: the dump holds all accessible process memory. */
export const MiniDumpWithFullMemory = 0x2n;

/** Fixed entry sizes (4-byte packed). */
export const Sizes = {
  THREAD: 48,
  THREAD_EX: 64,
  MODULE: 108,
  MEMORY_DESCRIPTOR: 16,
  MEMORY_DESCRIPTOR64: 16,
  EXCEPTION_STREAM: 168,
  SYSTEM_INFO: 56,
  THREAD_NAME: 12,
  ASSERTION_INFO: 776,
  CONTEXT_AMD64: 0x4d0,
  CONTEXT_X86: 0x2cc,
} as const;

/** MINIDUMP_MISC_INFO.Flags1 bits. */
export const MiscFlags = {
  PROCESS_ID: 0x1,
  PROCESS_TIMES: 0x2,
  PROCESSOR_POWER_INFO: 0x4,
  PROCESS_INTEGRITY: 0x10,
  PROCESS_EXECUTE_FLAGS: 0x20,
  TIMEZONE: 0x40,
  PROTECTED_PROCESS: 0x80,
  BUILDSTRING: 0x100,
  PROCESS_COOKIE: 0x200,
} as const;

/** SYSTEM_INFO.ProcessorArchitecture values. */
export const ProcessorArchitecture = {
  INTEL: 0,
  ARM: 5,
  IA64: 6,
  AMD64: 9,
  ARM64: 12,
} as const;

/** CONTEXT.ContextFlags CPU bit of an x64 CONTEXT. */
export const CONTEXT_AMD64 = 0x100000;
/** CONTEXT.ContextFlags CPU bit of an x86 CONTEXT. */
export const CONTEXT_X86 = 0x10000;
/** CONTEXT_XSTATE feature bit (low half of ContextFlags). */
export const CONTEXT_XSTATE_BIT = 0x40;
