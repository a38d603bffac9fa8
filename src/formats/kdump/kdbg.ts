import { u16le, u32le, u64le } from './binary.js';

/** KDDEBUGGER_DATA64 field offsets, Windows spelling (formats.md 2.3, [2S][F] up to 0x338). */
export const KDDEBUGGER_DATA64 = {
  OwnerTag: 0x010,
  Size: 0x014,
  KernBase: 0x018,
  PsLoadedModuleList: 0x048,
  PsActiveProcessHead: 0x050,
  MmPfnDatabase: 0x0c0,
  NtBuildLab: 0x208,
  KiProcessorBlock: 0x218,
  CmNtCSDVersion: 0x268,
  OffsetKThreadKernelStack: 0x29c,
  OffsetKThreadApcProcess: 0x2a0,
  SizeEProcess: 0x2a8,
  OffsetEprocessDirectoryTableBase: 0x2ae,
  SizePrcb: 0x2b0,
  OffsetPrcbCurrentThread: 0x2b4,
  OffsetPrcbProcStateContext: 0x2bc,
  OffsetPrcbNumber: 0x2be,
  SizeEThread: 0x2c0,
  OffsetPcrContainedPrcb: 0x2e6,
  OffsetPrcbProcStateSpecialReg: 0x2f2,
  OffsetPrcbContext: 0x338,
  PteBase: 0x360,
} as const;

/** Bytes up to the last field read unconditionally (OffsetPcrContainedPrcb); Vista's block is this long. */
const MIN_SIZE = 0x2e8;

/** 'KDBG' as a little-endian u32. */
export const KDBG_TAG = 0x4742444b;

/** The KDDEBUGGER_DATA64 fields crashkd uses. Offsets past the block's Size are undefined. */
export interface KdDebuggerData {
  readonly size: number;
  readonly kernBase: bigint;
  readonly psLoadedModuleList: bigint;
  readonly psActiveProcessHead: bigint;
  readonly mmPfnDatabase: bigint;
  readonly ntBuildLab: bigint;
  readonly kiProcessorBlock: bigint;
  readonly cmNtCsdVersion: bigint;
  readonly offsetKThreadKernelStack: number;
  readonly offsetKThreadApcProcess: number;
  readonly sizeEProcess: number;
  readonly offsetEprocessDirectoryTableBase: number;
  readonly sizePrcb: number;
  readonly offsetPrcbCurrentThread: number;
  readonly offsetPrcbProcStateContext: number;
  readonly offsetPrcbNumber: number;
  readonly sizeEThread: number;
  readonly offsetPcrContainedPrcb: number;
  readonly offsetPrcbProcStateSpecialReg: number;
  /** Win7+ only. */
  readonly offsetPrcbContext?: number;
  /** Win10 RS1+ only. */
  readonly pteBase?: bigint;
}

/**
 * Decodes a KDDEBUGGER_DATA64 copy. Returns undefined when the block is too short, lacks the
 * 'KDBG' tag, or is encoded (Win8+ live memory can hold it XOR-encoded; dumps hold it clear).
 */
export function parseKdDebuggerData(bytes: Uint8Array): KdDebuggerData | undefined {
  if (bytes.length < MIN_SIZE || u32le(bytes, KDDEBUGGER_DATA64.OwnerTag) !== KDBG_TAG) return undefined;
  const size = u32le(bytes, KDDEBUGGER_DATA64.Size);
  if (size < MIN_SIZE || size > 0x10000) return undefined;
  const avail = Math.min(size, bytes.length);
  const K = KDDEBUGGER_DATA64;
  return {
    size,
    kernBase: u64le(bytes, K.KernBase),
    psLoadedModuleList: u64le(bytes, K.PsLoadedModuleList),
    psActiveProcessHead: u64le(bytes, K.PsActiveProcessHead),
    mmPfnDatabase: u64le(bytes, K.MmPfnDatabase),
    ntBuildLab: u64le(bytes, K.NtBuildLab),
    kiProcessorBlock: u64le(bytes, K.KiProcessorBlock),
    cmNtCsdVersion: u64le(bytes, K.CmNtCSDVersion),
    offsetKThreadKernelStack: u16le(bytes, K.OffsetKThreadKernelStack),
    offsetKThreadApcProcess: u16le(bytes, K.OffsetKThreadApcProcess),
    sizeEProcess: u16le(bytes, K.SizeEProcess),
    offsetEprocessDirectoryTableBase: u16le(bytes, K.OffsetEprocessDirectoryTableBase),
    sizePrcb: u16le(bytes, K.SizePrcb),
    offsetPrcbCurrentThread: u16le(bytes, K.OffsetPrcbCurrentThread),
    offsetPrcbProcStateContext: u16le(bytes, K.OffsetPrcbProcStateContext),
    offsetPrcbNumber: u16le(bytes, K.OffsetPrcbNumber),
    sizeEThread: u16le(bytes, K.SizeEThread),
    offsetPcrContainedPrcb: u16le(bytes, K.OffsetPcrContainedPrcb),
    offsetPrcbProcStateSpecialReg: u16le(bytes, K.OffsetPrcbProcStateSpecialReg),
    ...(avail >= K.OffsetPrcbContext + 2 ? { offsetPrcbContext: u16le(bytes, K.OffsetPrcbContext) } : {}),
    ...(avail >= K.PteBase + 8 ? { pteBase: u64le(bytes, K.PteBase) } : {}),
  };
}
