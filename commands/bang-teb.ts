import { hex } from '../src/memory/address.js';
import { leUnsigned } from '../src/memory/virtual-memory.js';
import { optionalExpression } from '../src/repl/args.js';
import { defineCommand } from '../src/repl/command.js';
import type { DumpSession } from '../src/session/dump-session.js';
import { err, out, type Line } from '../src/repl/output.js';

/** TEB offsets (NT_TIB first) for 32- and 64-bit processes; stable since Windows XP. */
export const TEB_LAYOUT = {
  4: { stackBase: 4, stackLimit: 8, subSystemTib: 0xc, fiberData: 0x10, arbitrary: 0x14, self: 0x18, environment: 0x1c, clientId: 0x20, rpcHandle: 0x28, tls: 0x2c, peb: 0x30, lastError: 0x34, ownedLocks: 0x38, lastStatus: 0xbf4, hardErrorMode: 0xf28 },
  8: { stackBase: 8, stackLimit: 0x10, subSystemTib: 0x18, fiberData: 0x20, arbitrary: 0x28, self: 0x30, environment: 0x38, clientId: 0x40, rpcHandle: 0x50, tls: 0x58, peb: 0x60, lastError: 0x68, ownedLocks: 0x6c, lastStatus: 0x1250, hardErrorMode: 0x16b0 },
} as const;

/** Bytes of the NT_TIB and the fields after it up to PEB/LastErrorValue: needed for any `!teb` output. */
const TEB_HEAD = { 4: 0x3c, 8: 0x70 } as const;

/** The current thread's TEB address (user targets), if the dump recorded one. */
export function currentTeb(session: DumpSession): bigint | undefined {
  const teb = session.currentUnit.teb;
  return teb === undefined || teb === 0n ? undefined : teb;
}

/** The ProcessEnvironmentBlock field of the TEB at `teb`, or undefined when not in the dump. */
export function pebFromTeb(session: DumpSession, teb: bigint): bigint | undefined {
  const size = session.target.pointerSize;
  const bytes = session.target.memory.readPartial(teb + BigInt(TEB_LAYOUT[size].peb), size);
  return bytes.length === size ? leUnsigned(bytes, 0, size) : undefined;
}

/** The `!teb` lines for the TEB at `teb` (modern layout, windbg `exts` names). */
export function tebLines(session: DumpSession, teb: bigint): Line[] {
  const size = session.target.pointerSize;
  const l = TEB_LAYOUT[size];
  const mem = session.target.memory;
  const ptr = (v: bigint): string => hex(v, size * 2);
  const lines: Line[] = [out(`TEB at ${ptr(teb)}`)];
  const head = mem.readPartial(teb, TEB_HEAD[size]);
  if (head.length < TEB_HEAD[size]) {
    lines.push(err(`    The TEB's memory (${ptr(teb)}) is not in the dump; this minidump was written without thread data.`));
    return lines;
  }
  const p = (off: number): string => ptr(leUnsigned(head, off, size));
  const d = (off: number): bigint => leUnsigned(head, off, 4);
  const far = (off: number, show: (v: bigint) => string): string => {
    const b = mem.readPartial(teb + BigInt(off), 4);
    return b.length === 4 ? show(leUnsigned(b, 0, 4)) : '?';
  };
  const row = (name: string, value: string): Line => out(`    ${`${name}:`.padEnd(22)}${value}`);
  lines.push(
    row('ExceptionList', p(0)),
    row('StackBase', p(l.stackBase)),
    row('StackLimit', p(l.stackLimit)),
    row('SubSystemTib', p(l.subSystemTib)),
    row('FiberData', p(l.fiberData)),
    row('ArbitraryUserPointer', p(l.arbitrary)),
    row('Self', p(l.self)),
    row('EnvironmentPointer', p(l.environment)),
    row('ClientId', `${p(l.clientId)} . ${p(l.clientId + size)}`),
    row('RpcHandle', p(l.rpcHandle)),
    row('Tls Storage', p(l.tls)),
    row('PEB Address', p(l.peb)),
    row('LastErrorValue', d(l.lastError).toString(10)),
    row('LastStatusValue', far(l.lastStatus, (v) => v.toString(16))),
    row('Count Owned Locks', d(l.ownedLocks).toString(10)),
    row('HardErrorMode', far(l.hardErrorMode, (v) => v.toString(10))),
  );
  return lines;
}

/** `!teb [Address]`: the thread environment block of the current thread (or at Address). */
export const tebCommand = defineCommand({
  name: '!teb',
  summary: 'Display the thread environment block (TEB)',
  usage: '!teb [Address]',
  requires: ['user-target'],
  parse: (inv, { session }) => optionalExpression(inv.text, inv.restOffset, session),
  run(address, { session }): Line[] {
    const teb = address ?? currentTeb(session);
    if (teb === undefined) return [err('crashkd: the dump records no TEB address for this thread')];
    return tebLines(session, teb);
  },
  format: (lines) => lines,
});
