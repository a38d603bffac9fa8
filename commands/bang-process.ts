import { DebuggerError } from '../src/errors.js';
import { hex16, isKernelAddress, kernelView, readPointer } from '../src/kernel-objects/kernel-view.js';
import type { Lookup } from '../src/kernel-objects/lookup.js';
import { found, missing } from '../src/kernel-objects/lookup.js';
import type { ProcessInfo } from '../src/kernel-objects/process.js';
import { readProcess, walkProcesses } from '../src/kernel-objects/process.js';
import type { VirtualMemory } from '../src/memory/virtual-memory.js';
import { ArgCursor } from '../src/repl/args.js';
import { defineCommand } from '../src/repl/command.js';
import { err, out, type Line } from '../src/repl/output.js';
import type { ExecutionUnit } from '../src/target/target.js';

/** Parsed `!process [Process [Flags [ImageName]]]`. */
interface ProcessArgs {
  /** Undefined (or -1) means the current process; 0 means every process. */
  readonly process?: bigint;
  readonly flags?: number;
  readonly imageName?: string;
}

/** What `!process` prints: a list (with the dump header) or one process. */
interface ProcessResult {
  readonly list: boolean;
  readonly processes: readonly ProcessInfo[];
  /** Why a list walk ended early. */
  readonly stop?: string;
}

const ALL_ONES = 0xffff_ffff_ffff_ffffn;
/** ImageFileName holds 15 bytes; longer filters could never match. */
const IMAGE_NAME_MAX = 64;

const hex8 = (v: bigint): string => v.toString(16).padStart(8, '0');
const cid = (v: bigint): string => v.toString(16).padStart(4, '0');

/** The brief x64 block of one process (windbg-commands.md section 11), blank line included. */
export function formatProcessBlock(p: ProcessInfo): Line[] {
  const session = p.sessionId === undefined ? '<Data Not Accessible>' : String(p.sessionId);
  const handles = p.handleCount === undefined ? '<Data Not Accessible>' : `${String(p.handleCount).padStart(3)}.`;
  return [
    out(`PROCESS ${hex16(p.address)}`),
    out(`    SessionId: ${session}  Cid: ${cid(p.pid)}    Peb: ${hex8(p.peb)}  ParentCid: ${cid(p.parentPid)}`),
    out(`    DirBase: ${hex8(p.dirBase)}  ObjectTable: ${hex8(p.objectTable)}  HandleCount: ${handles}`),
    out(`    Image: ${p.image}`),
    out(''),
  ];
}

function currentProcessAddress(unit: ExecutionUnit, apcOffset: number | undefined, memory: VirtualMemory): bigint | undefined {
  if (unit.process !== undefined) return unit.process;
  if (unit.thread === undefined || apcOffset === undefined) return undefined;
  return readPointer(memory, unit.thread + BigInt(apcOffset));
}

/** `!process [Process [Flags [ImageName]]]`: `!process 0 0` lists every process briefly. */
export const processCommand = defineCommand({
  name: '!process',
  summary: 'Show processes (EPROCESS); `!process 0 0` lists them all',
  usage: '!process [Process [Flags [ImageName]]]',
  requires: ['kernel-target'],
  parse(inv, { session }): ProcessArgs {
    const c = new ArgCursor(inv.text, inv.restOffset, session);
    if (/^\/[sSmM]\b/.test(c.remaining)) throw new DebuggerError('unsupported', 'crashkd: !process /s and /m are not supported yet');
    if (c.atEnd) return {};
    const process = BigInt.asUintN(64, c.expression());
    if (c.atEnd) return { process };
    const flags = Number(BigInt.asUintN(32, c.expression()));
    if (c.atEnd) return { process, flags };
    const m = /^\S+/.exec(c.remaining)!;
    c.pos += m[0].length;
    c.end();
    if (process !== 0n) throw new DebuggerError('usage', 'crashkd: an ImageName needs Process 0 (`!process 0 0 name.exe`)');
    return { process, flags, imageName: m[0].slice(0, IMAGE_NAME_MAX) };
  },
  run(a, { session }): Lookup<ProcessResult> {
    const view = kernelView(session.target);
    const p = a.process;
    if (p === 0n) {
      const walk = walkProcesses(view);
      if (!walk.ok) return walk;
      const name = a.imageName?.toLowerCase();
      const processes = name ? walk.value.processes.filter((x) => x.image.toLowerCase() === name) : walk.value.processes;
      return found({ list: true, processes, ...(walk.value.stop ? { stop: walk.value.stop } : {}) });
    }
    if (p === undefined || p === ALL_ONES) {
      const unit = session.currentUnit;
      const address = currentProcessAddress(unit, view.offsets?.kthreadApcProcess, view.memory);
      if (address === undefined) return missing(`processor ${unit.index}'s current process is unknown`);
      const r = readProcess(view, address);
      return r.ok ? found({ list: false, processes: [r.value] }) : r;
    }
    if (isKernelAddress(p)) {
      const r = readProcess(view, p);
      return r.ok ? found({ list: false, processes: [r.value] }) : r;
    }
    // Anything else is a process id, found by walking the list.
    const walk = walkProcesses(view);
    if (!walk.ok) return walk;
    const hit = walk.value.processes.find((x) => x.pid === p);
    if (hit) return found({ list: false, processes: [hit] });
    return missing(`no process with Cid ${cid(p)} in the ${walk.value.stop ? 'part of the process list this dump holds' : 'process list'}`);
  },
  format(r, a) {
    if (!r.ok) return [err(`crashkd: ${r.missing}`)];
    const lines: Line[] = [];
    if (r.value.list) lines.push(out('**** NT ACTIVE PROCESS DUMP ****'));
    for (const p of r.value.processes) lines.push(...formatProcessBlock(p));
    if (r.value.stop) lines.push(err(`crashkd: ${r.value.stop}`));
    if (a.flags !== undefined && (a.flags & 6) !== 0) lines.push(err('crashkd: thread lists (flags 0x2 and 0x4) are not shown yet'));
    return lines;
  },
});
