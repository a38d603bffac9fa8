import { CaretError } from '../src/errors.js';
import { formatPointer } from '../src/memory/address.js';
import { defineCommand } from '../src/repl/command.js';
import type { CommandContext } from '../src/repl/command.js';
import { currentInstructionLines } from '../src/format/current-instruction.js';
import type { DumpSession } from '../src/session/dump-session.js';
import { appendLines, out, type Line } from '../src/repl/output.js';

type TildeArgs =
  | { readonly op: 'list' }
  | { readonly op: 'switch'; readonly index: number }
  | { readonly op: 'run'; readonly indices: readonly number[]; readonly command: string; readonly all: boolean; readonly offset: number };

/** One row of the unit list: threads as cdb prints them; processors in crashkd's own form. */
export function unitRow(session: DumpSession, index: number): string {
  const t = session.target;
  const u = t.units[index]!;
  const marker = index === session.currentIndex ? '.' : index === t.initialUnit && t.kind === 'user' ? '#' : ' ';
  if (t.kind === 'user') {
    const id = `${(u.processId ?? 0).toString(16)}.${(u.threadId ?? 0).toString(16)}`;
    return `${marker} ${String(index).padStart(2)}  Id: ${id} Suspend: ${u.suspendCount ?? 0} Teb: ${formatPointer(u.teb ?? 0n, t.pointerSize)} Unfrozen`;
  }
  // kd has no processor listing for `~`; this row names what `~Ns` would switch to.
  const prcb = u.prcb === undefined ? '?' : formatPointer(u.prcb, t.pointerSize);
  const thread = u.thread === undefined ? '?' : formatPointer(u.thread, t.pointerSize);
  const note = u.contextNote ? `  (${u.contextNote})` : '';
  return `${marker} ${String(index).padStart(2)}  Processor ${index}  PRCB: ${prcb}  Thread: ${thread}${note}`;
}

function parseIndex(text: string, radix: number): number | undefined {
  const n = Number.parseInt(text, radix);
  return Number.isNaN(n) ? undefined : n;
}

/** `~`, `~Ns`, `~N cmd`, `~* cmd`: list, switch, or run a command on processors/threads. */
export const tildeCommand = defineCommand({
  name: '~',
  summary: 'List processors/threads, switch with ~Ns, run a command on one with ~N cmd or all with ~* cmd',
  usage: '~[N|*|.|#][s] [Command]',
  takesRestOfLine: false,
  parse(inv, { session }): TildeArgs {
    const rest = inv.rest;
    if (rest.trim() === '') return { op: 'list' };
    const units = session.target.units.length;
    const illegal = () => new CaretError('syntax', 'Illegal thread', inv.text.length - 1);
    const m = /^\s*([0-9a-fA-F]+|\*|\.|#)\s*(s\s*$)?(.*)$/.exec(rest);
    if (!m) throw illegal();
    const sel = m[1]!;
    // Processor numbers are decimal in kd; thread indices are decimal in cdb.
    const index =
      sel === '.' ? session.currentIndex : sel === '#' ? session.target.initialUnit : sel === '*' ? -1 : parseIndex(sel, 10);
    if (index === undefined || index >= units) throw illegal();
    if (m[2]) {
      if (index < 0) throw illegal();
      return { op: 'switch', index };
    }
    const command = m[3]!.trim();
    const commandOffset = inv.text.length - m[3]!.trimStart().length;
    if (command === '') {
      if (index < 0) return { op: 'list' };
      return { op: 'switch', index };
    }
    const indices = index < 0 ? session.target.units.map((u) => u.index) : [index];
    return { op: 'run', indices, command, all: index < 0, offset: commandOffset };
  },
  async run(args, ctx: CommandContext): Promise<Line[]> {
    const s = ctx.session;
    if (args.op === 'list') return s.target.units.map((u) => out(unitRow(s, u.index)));
    if (args.op === 'switch') {
      s.switchTo(args.index);
      // cdb shows the new thread's instruction; kd switches processors silently.
      if (s.target.kind === 'kernel') return [];
      return currentInstructionLines(s, s.registers(), s.target.arch === 'x86').map(out);
    }
    const saved = s.currentIndex;
    const scope = s.scope;
    const lines: Line[] = [];
    const rows = args.indices.map((i) => unitRow(s, i));
    try {
      for (const [n, i] of args.indices.entries()) {
        if (ctx.signal.aborted) break;
        s.switchTo(i);
        if (args.all) lines.push(out(''), out(rows[n]!));
        // Carets of the nested command line up under it, not under the `~`.
        appendLines(lines, await ctx.runLine(args.command, (ctx.column ?? 0) + args.offset));
      }
    } finally {
      s.switchTo(saved);
      s.setScope(scope);
    }
    return lines;
  },
  format: (lines) => lines,
  json: (_lines, args, session) => {
    if (args.op !== 'list') return { current: session.currentIndex };
    const t = session.target;
    return {
      current: session.currentIndex,
      units: t.units.map((u) => ({
        index: u.index,
        ...(t.kind === 'kernel'
          ? { prcb: u.prcb, thread: u.thread, irql: u.irql }
          : { processId: u.processId, threadId: u.threadId, teb: u.teb, suspendCount: u.suspendCount }),
        ip: u.context.ip,
        sp: u.context.sp,
        ...(u.contextNote ? { note: u.contextNote } : {}),
      })),
    };
  },
});
