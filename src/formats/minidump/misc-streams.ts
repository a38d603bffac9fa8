/**
 * Small streams: HandleData (12, count only), comments (10/11), and Breakpad's BreakpadInfo
 * (0x47670001) and AssertionInfo (0x47670002) extensions.
 */
import { Sizes, StreamType } from './constants.js';
import type { DirectoryEntry } from './header.js';
import { cStringAt, u32, utf16At } from './le.js';
import type { StreamIo } from './stream-io.js';

/** Breakpad MINIDUMP_ASSERTION_INFO: a CRT invalid-parameter or pure-call report. */
export interface RawAssertion {
  readonly expression: string;
  readonly function: string;
  readonly file: string;
  readonly line: number;
  /** 0 unknown, 1 invalid parameter, 2 pure virtual call. */
  readonly type: number;
}

/** Breakpad MINIDUMP_BREAKPAD_INFO: which thread wrote the dump and which asked for it. */
export interface RawBreakpadInfo {
  readonly dumpThreadId?: number;
  readonly requestingThreadId?: number;
}

/** NumberOfDescriptors of HandleData, checked against the stream size. */
export function readHandleCount(io: StreamIo, streams: ReadonlyMap<number, DirectoryEntry>): number | undefined {
  const entry = streams.get(StreamType.HandleData);
  if (!entry) return undefined;
  return io.extendedList(entry, 16, 32)?.count;
}

/** AssertionInfo: three WCHAR[128] strings, line and type. */
export function readAssertion(io: StreamIo, streams: ReadonlyMap<number, DirectoryEntry>): RawAssertion | undefined {
  const entry = streams.get(StreamType.AssertionInfo);
  if (!entry) return undefined;
  const b = io.stream(entry, Sizes.ASSERTION_INFO);
  if (!b) return undefined;
  return {
    expression: utf16At(b, 0, 256),
    function: utf16At(b, 256, 256),
    file: utf16At(b, 512, 256),
    line: u32(b, 768),
    type: u32(b, 772),
  };
}

/** BreakpadInfo: validity bits, then the two thread ids. */
export function readBreakpadInfo(io: StreamIo, streams: ReadonlyMap<number, DirectoryEntry>): RawBreakpadInfo | undefined {
  const entry = streams.get(StreamType.BreakpadInfo);
  if (!entry) return undefined;
  const b = io.stream(entry, 12);
  if (!b) return undefined;
  const valid = u32(b, 0);
  return {
    ...((valid & 1) !== 0 ? { dumpThreadId: u32(b, 4) } : {}),
    ...((valid & 2) !== 0 ? { requestingThreadId: u32(b, 8) } : {}),
  };
}

/** The dump comment (`.dump /c`), wide stream preferred. */
export function readComment(io: StreamIo, streams: ReadonlyMap<number, DirectoryEntry>): string | undefined {
  const wide = streams.get(StreamType.CommentW);
  if (wide) {
    const b = io.stream(wide, 0);
    if (b) return utf16At(b, 0, b.length);
  }
  const ansi = streams.get(StreamType.CommentA);
  if (ansi) {
    const b = io.stream(ansi, 0);
    if (b) return cStringAt(b, 0, b.length);
  }
  return undefined;
}
