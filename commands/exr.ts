import { CaretError } from '../src/errors.js';
import { formatPointer } from '../src/memory/address.js';
import { leUnsigned } from '../src/memory/virtual-memory.js';
import { ArgCursor } from '../src/repl/args.js';
import { defineCommand } from '../src/repl/command.js';
import { exceptionRecordLines, userDumpOf, type ExceptionRecordFacts } from '../src/format/user-event.js';
import type { DumpSession } from '../src/session/dump-session.js';
import { err, out, type Line } from '../src/repl/output.js';

/** EXCEPTION_MAXIMUM_PARAMETERS. */
const MAX_PARAMETERS = 15;

/** EXCEPTION_RECORD32 / EXCEPTION_RECORD64 field offsets (winnt.h). */
const LAYOUT = {
  4: { record: 8, address: 0xc, count: 0x10, info: 0x14, size: 0x50 },
  8: { record: 8, address: 0x10, count: 0x18, info: 0x20, size: 0x98 },
} as const;

/** `.exr -1` on a dump without a stored exception (kernel dumps, minidumps without an Exception stream). */
export const NO_STORED_RECORD = "crashkd: this dump stores no exception record; give a record's address (.exr Address)";

/** The record `.exr -1` shows: the dump's stored exception. */
export function storedExceptionRecord(session: DumpSession): ExceptionRecordFacts | undefined {
  const dump = userDumpOf(session.target);
  const ex = dump?.exception;
  if (!dump || !ex) return undefined;
  const numberParameters = dump.file.exception?.numberParameters ?? ex.parameters.length;
  return { code: ex.code, flags: ex.flags, address: ex.address, numberParameters, parameters: ex.parameters };
}

/** Decodes the target's native EXCEPTION_RECORD at `address`, or undefined when its header is unreadable. */
export function readExceptionRecord(session: DumpSession, address: bigint): ExceptionRecordFacts | undefined {
  const size = session.target.pointerSize;
  const l = LAYOUT[size];
  const bytes = session.target.memory.readPartial(address, l.size);
  if (bytes.length < l.info) return undefined;
  const numberParameters = Number(leUnsigned(bytes, l.count, 4));
  const parameters: bigint[] = [];
  for (let i = 0; i < Math.min(numberParameters, MAX_PARAMETERS); i++) {
    const at = l.info + i * size;
    if (at + size > bytes.length) break;
    parameters.push(leUnsigned(bytes, at, size));
  }
  return {
    code: Number(leUnsigned(bytes, 0, 4)),
    flags: Number(leUnsigned(bytes, 4, 4)),
    address: leUnsigned(bytes, l.address, size),
    numberParameters,
    parameters,
  };
}

/** `.exr Address` / `.exr -1`: display an exception record. */
export const exrCommand = defineCommand({
  name: '.exr',
  summary: 'Display an exception record (-1: the exception stored in the dump)',
  usage: '.exr Address | -1',
  parse(inv, { session }): bigint {
    const c = new ArgCursor(inv.text, inv.restOffset, session);
    if (c.atEnd) throw new CaretError('syntax', 'Syntax', inv.text.length - 1);
    const address = c.expression();
    c.end();
    return address;
  },
  run(address, { session }): Line[] {
    const size = session.target.pointerSize;
    const mask = size === 8 ? (1n << 64n) - 1n : 0xffffffffn;
    if ((address & mask) === mask) {
      const rec = storedExceptionRecord(session);
      if (!rec) return [err(NO_STORED_RECORD)];
      return exceptionRecordLines(rec, size, session.symbols).map(out);
    }
    const rec = readExceptionRecord(session, address & mask);
    if (!rec) return [err(`Cannot read exception record at ${formatPointer(address & mask, size)}: the memory is not in the dump`)];
    return exceptionRecordLines(rec, size, session.symbols).map(out);
  },
  format: (lines) => lines,
});
