/**
 * The machine facts of a user-mode scenario (`target:`) as the SystemInfo and MiscInfo streams
 * and the header a minidump writer would have recorded, so the banner, `vertarget` and `.time`
 * lines come out of the same code as for a real minidump.
 */
import { MiniDumpWithFullMemory, ProcessorArchitecture } from '../formats/minidump/constants.js';
import type { MinidumpHeader } from '../formats/minidump/header.js';
import type { RawMiscInfo, RawSystemInfo } from '../formats/minidump/system-info.js';
import { ScenarioError, type Locator } from './load-scenario.js';
import type { UserScenario } from './user-schema.js';

/** VER_SUITE_* bits (winnt.h) by the names the banner's `Product:` line uses. */
const SUITE_BITS: Readonly<Record<string, number>> = {
  SmallBusiness: 0x1,
  Enterprise: 0x2,
  BackOffice: 0x4,
  CommunicationServer: 0x8,
  TerminalServer: 0x10,
  SmallBusinessRestricted: 0x20,
  EmbeddedNT: 0x40,
  DataCenter: 0x80,
  SingleUserTS: 0x100,
  Personal: 0x200,
  Blade: 0x400,
  EmbeddedRestricted: 0x800,
  SecurityAppliance: 0x1000,
  StorageServer: 0x2000,
  ComputeServer: 0x4000,
  WHServer: 0x8000,
};

const PRODUCT_TYPES = { WinNt: 1, LanManNt: 2, ServerNt: 3 } as const;

/** MINIDUMP_HEADER Signature | Version as every writer stores it ('MDMP', 0xa793). */
const MINIDUMP_VERSION = 0xa793;
/** VER_PLATFORM_WIN32_NT. */
const PLATFORM_WIN32_NT = 2;
/** NORMAL_PRIORITY_CLASS: what a thread's PriorityClass holds in an ordinary process. */
export const NORMAL_PRIORITY_CLASS = 0x20;
/** MINIDUMP_MISC1_PROCESS_ID | MINIDUMP_MISC1_PROCESS_TIMES | MINIDUMP_MISC3_TIMEZONE | MINIDUMP_MISC4_BUILDSTRING. */
const MISC_FLAGS = { processId: 0x1, processTimes: 0x2, timeZone: 0x20, buildString: 0x100 } as const;
/** sizeof(MINIDUMP_MISC_INFO_4): the version that holds BuildString. */
const MISC_INFO_4_SIZE = 0x340;

/** Major and minor version of a Windows build, as SystemInfo records them. */
export function versionOfBuild(build: number): { major: number; minor: number } {
  if (build >= 10240) return { major: 10, minor: 0 };
  if (build >= 9600) return { major: 6, minor: 3 };
  if (build >= 9200) return { major: 6, minor: 2 };
  if (build >= 7600) return { major: 6, minor: 1 };
  if (build >= 6000) return { major: 6, minor: 0 };
  if (build >= 3790) return { major: 5, minor: 2 };
  if (build >= 2600) return { major: 5, minor: 1 };
  return { major: 5, minor: 0 };
}

function suiteMask(suite: string, locate: Locator): number {
  let mask = 0;
  for (const word of suite.split(/\s+/).filter((w) => w !== '')) {
    const bit = SUITE_BITS[word];
    if (bit === undefined) throw new ScenarioError(`${locate(['target', 'suite'])}: unknown suite '${word}' (one of ${Object.keys(SUITE_BITS).join(', ')})`);
    mask |= bit;
  }
  return mask;
}

/** The SystemInfo stream of the scenario's machine. */
export function userSystemInfo(s: UserScenario, locate: Locator): RawSystemInfo {
  const t = s.target;
  const { major, minor } = versionOfBuild(t.build);
  return {
    processorArchitecture: ProcessorArchitecture.AMD64,
    processorLevel: 6,
    processorRevision: 0,
    numberOfProcessors: t.processorCount,
    productType: PRODUCT_TYPES[t.productType],
    majorVersion: major,
    minorVersion: minor,
    buildNumber: t.build,
    platformId: PLATFORM_WIN32_NT,
    csdVersion: t.servicePack > 0 ? `Service Pack ${t.servicePack}` : '',
    suiteMask: suiteMask(t.suite, locate),
  };
}

/** Seconds since 1970 of the scenario's `sessionTime` (minidumps keep whole seconds). */
export function dumpTimeOf(s: UserScenario): number {
  return Math.floor(Date.parse(s.target.sessionTime) / 1000);
}

/** The MiscInfo stream: process id, creation time, time zone and build string. */
export function userMiscInfo(s: UserScenario, locate: Locator): RawMiscInfo {
  const t = s.target;
  const now = dumpTimeOf(s);
  const uptime = t.processUptimeSeconds;
  if (uptime !== undefined && uptime > now) {
    throw new ScenarioError(`${locate(['target', 'processUptimeSeconds'])}: the process would have started before 1970`);
  }
  let flags1 = MISC_FLAGS.processId | MISC_FLAGS.timeZone;
  if (uptime !== undefined) flags1 |= MISC_FLAGS.processTimes;
  if (t.buildLab) flags1 |= MISC_FLAGS.buildString;
  return {
    sizeOfInfo: MISC_INFO_4_SIZE,
    flags1,
    processId: s.process.id,
    ...(uptime === undefined ? {} : { processCreateTime: now - uptime, processUserTime: 0, processKernelTime: 0 }),
    // TIME_ZONE_INFORMATION's Bias is minutes to add to local time to get UTC.
    timeZone: { timeZoneId: 0, bias: -t.utcOffsetMinutes, standardName: '', standardBias: 0, daylightName: '', daylightBias: 0 },
    ...(t.buildLab ? { buildString: t.buildLab } : {}),
  };
}

/** The MINIDUMP_HEADER: the write time and the type bits that pick the banner's dump-kind line. */
export function userHeader(s: UserScenario, streams: number): MinidumpHeader {
  return {
    version: MINIDUMP_VERSION,
    numberOfStreams: streams,
    streamDirectoryRva: 0,
    checkSum: 0,
    timeDateStamp: dumpTimeOf(s),
    flags: s.target.dumpType === 'full' ? MiniDumpWithFullMemory : 0n,
  };
}
