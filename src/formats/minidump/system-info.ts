/**
 * SystemInfo (7) and MiscInfo (15); formats.md 4.7, 4.8. MiscInfo fields are reported only
 * when both the structure is long enough and Flags1 says they are valid.
 */
import { MiscFlags, Sizes, StreamType } from './constants.js';
import type { DirectoryEntry } from './header.js';
import { i32, u16, u32, u8, utf16At } from './le.js';
import type { StreamIo } from './stream-io.js';

/** MINIDUMP_SYSTEM_INFO, decoded. */
export interface RawSystemInfo {
  readonly processorArchitecture: number;
  readonly processorLevel: number;
  readonly processorRevision: number;
  readonly numberOfProcessors: number;
  readonly productType: number;
  readonly majorVersion: number;
  readonly minorVersion: number;
  readonly buildNumber: number;
  readonly platformId: number;
  /** CSDVersion string ('Service Pack 2'), '' when absent. */
  readonly csdVersion: string;
  readonly suiteMask: number;
  /** x86 CPUID vendor ('GenuineIntel'), when the dump is x86 and records it. */
  readonly cpuVendor?: string;
}

/** TIME_ZONE_INFORMATION plus TimeZoneId (0 unknown, 1 standard, 2 daylight). */
export interface RawTimeZone {
  readonly timeZoneId: number;
  /** Minutes: UTC = local time + bias. */
  readonly bias: number;
  readonly standardName: string;
  readonly standardBias: number;
  readonly daylightName: string;
  readonly daylightBias: number;
}

/** The MiscInfo fields crashkd uses; each present only when valid. */
export interface RawMiscInfo {
  readonly sizeOfInfo: number;
  readonly flags1: number;
  readonly processId?: number;
  /** time_t seconds. */
  readonly processCreateTime?: number;
  /** Seconds. */
  readonly processUserTime?: number;
  readonly processKernelTime?: number;
  readonly processorMaxMhz?: number;
  readonly processorCurrentMhz?: number;
  readonly timeZone?: RawTimeZone;
  /** `16299.15.x86fre.rs3_release.170928-1534`. */
  readonly buildString?: string;
  readonly dbgBldStr?: string;
}

/** Decodes SystemInfo, if present and whole. */
export function readSystemInfo(io: StreamIo, streams: ReadonlyMap<number, DirectoryEntry>): RawSystemInfo | undefined {
  const entry = streams.get(StreamType.SystemInfo);
  if (!entry) return undefined;
  const b = io.stream(entry, Sizes.SYSTEM_INFO);
  if (!b) return undefined;
  const processorArchitecture = u16(b, 0);
  let cpuVendor: string | undefined;
  if (processorArchitecture === 0) {
    const v = new Uint8Array(12);
    v.set(b.subarray(0x20, 0x2c));
    cpuVendor = String.fromCharCode(...v).replace(/\0+$/, '');
  }
  return {
    processorArchitecture,
    processorLevel: u16(b, 2),
    processorRevision: u16(b, 4),
    numberOfProcessors: u8(b, 6),
    productType: u8(b, 7),
    majorVersion: u32(b, 8),
    minorVersion: u32(b, 0xc),
    buildNumber: u32(b, 0x10),
    platformId: u32(b, 0x14),
    csdVersion: io.string(u32(b, 0x18), 'SystemInfo CSDVersion') ?? '',
    suiteMask: u16(b, 0x1c),
    ...(cpuVendor ? { cpuVendor } : {}),
  };
}

/** Decodes MiscInfo (any of its five sizes). */
export function readMiscInfo(io: StreamIo, streams: ReadonlyMap<number, DirectoryEntry>): RawMiscInfo | undefined {
  const entry = streams.get(StreamType.MiscInfo);
  if (!entry) return undefined;
  const b = io.stream(entry, 24);
  if (!b) return undefined;
  // Trust the smaller of SizeOfInfo and the stream size.
  const size = Math.min(u32(b, 0), b.length);
  const flags1 = u32(b, 4);
  const has = (flag: number, end: number): boolean => (flags1 & flag) !== 0 && size >= end;
  const info: { -readonly [K in keyof RawMiscInfo]: RawMiscInfo[K] } = { sizeOfInfo: u32(b, 0), flags1 };
  if (has(MiscFlags.PROCESS_ID, 0xc)) info.processId = u32(b, 8);
  if (has(MiscFlags.PROCESS_TIMES, 0x18)) {
    info.processCreateTime = u32(b, 0xc);
    info.processUserTime = u32(b, 0x10);
    info.processKernelTime = u32(b, 0x14);
  }
  if (has(MiscFlags.PROCESSOR_POWER_INFO, 0x2c)) {
    info.processorMaxMhz = u32(b, 0x18);
    info.processorCurrentMhz = u32(b, 0x1c);
  }
  if (has(MiscFlags.TIMEZONE, 0x3c + 172)) {
    const t = 0x3c;
    info.timeZone = {
      timeZoneId: u32(b, 0x38),
      bias: i32(b, t),
      standardName: utf16At(b, t + 4, 64),
      standardBias: i32(b, t + 0x54),
      daylightName: utf16At(b, t + 0x58, 64),
      daylightBias: i32(b, t + 0xa8),
    };
  }
  if (has(MiscFlags.BUILDSTRING, 0x2f0 + 80)) {
    info.buildString = utf16At(b, 0xe8, 520);
    info.dbgBldStr = utf16At(b, 0x2f0, 80);
  }
  return info;
}
