/**
 * Exception stream (6), 168 bytes: ThreadId, MINIDUMP_EXCEPTION (EXCEPTION_RECORD64 layout)
 * at 8, and the exception-time CONTEXT location at 0xA0 (formats.md 4.6).
 */
import { Sizes, StreamType } from './constants.js';
import type { DirectoryEntry, Location } from './header.js';
import { u32, u64 } from './le.js';
import type { StreamIo } from './stream-io.js';

/** EXCEPTION_MAXIMUM_PARAMETERS. */
const MAX_PARAMETERS = 15;

/** The stored exception, raw. */
export interface RawException {
  readonly threadId: number;
  readonly code: number;
  readonly flags: number;
  /** ExceptionRecord: address of a chained record in the target, 0 when none. */
  readonly record: bigint;
  readonly address: bigint;
  /** NumberParameters as stored (may exceed 15 in a corrupt dump; parameters are capped). */
  readonly numberParameters: number;
  readonly parameters: readonly bigint[];
  readonly context: Location;
}

/** Decodes the Exception stream, if present and whole. */
export function readException(io: StreamIo, streams: ReadonlyMap<number, DirectoryEntry>): RawException | undefined {
  const entry = streams.get(StreamType.Exception);
  if (!entry) return undefined;
  const b = io.stream(entry, Sizes.EXCEPTION_STREAM);
  if (!b) return undefined;
  const numberParameters = u32(b, 0x20);
  if (numberParameters > MAX_PARAMETERS) {
    io.warn(`Exception stream: NumberParameters ${numberParameters} exceeds ${MAX_PARAMETERS}; only ${MAX_PARAMETERS} are read`);
  }
  const parameters: bigint[] = [];
  for (let i = 0; i < Math.min(numberParameters, MAX_PARAMETERS); i++) parameters.push(u64(b, 0x28 + i * 8));
  return {
    threadId: u32(b, 0),
    code: u32(b, 8),
    flags: u32(b, 0xc),
    record: u64(b, 0x10),
    address: u64(b, 0x18),
    numberParameters,
    parameters,
    context: { dataSize: u32(b, 0xa0), rva: u32(b, 0xa4) },
  };
}
