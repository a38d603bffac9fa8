import { DebuggerError } from '../src/errors.js';
import { collectingSymbolizer } from '../src/format/code-symbolizer.js';
import { hex16, kernelView } from '../src/kernel-objects/kernel-view.js';
import type { Lookup } from '../src/kernel-objects/lookup.js';
import { found, missing } from '../src/kernel-objects/lookup.js';
import { threadStateName, waitReasonName } from '../src/kernel-objects/names.js';
import { noPrcbAddress } from '../src/kernel-objects/processor-block.js';
import type { ProcessRef, ThreadInfo } from '../src/kernel-objects/thread.js';
import { readThread, THREAD_RUNNING, THREAD_WAITING } from '../src/kernel-objects/thread.js';
import { threadContext } from '../src/kernel-objects/thread-context.js';
import { ArgCursor } from '../src/repl/args.js';
import { defineCommand, type CommandContext } from '../src/repl/command.js';
import { err, out, type Line } from '../src/repl/output.js';
import type { DumpSession } from '../src/session/dump-session.js';

/** Parsed `!thread [Address [Flags]]`. */
interface ThreadArgs {
  /** Undefined (or -1) means the current processor's thread. */
  readonly address?: bigint;
  readonly flags: number;
}

/** What `!thread` found: the thread, the processor it runs on, and that processor's `kv` lines. */
interface ThreadResult {
  readonly thread: ThreadInfo;
  readonly processor?: number;
  readonly startAddress?: { readonly text: string; readonly messages: readonly string[] };
  readonly stack?: readonly Line[];
}

const DEFAULT_FLAGS = 6;
const ALL_ONES = 0xffff_ffff_ffff_ffffn;

const cid = (v: bigint): string => v.toString(16).padStart(4, '0');

function processColumn(p: ProcessRef | undefined): string {
  if (!p) return 'N/A            Image:         N/A';
  return `${hex16(p.address)}       Image:         ${p.image ?? '<Data Not Accessible>'}`;
}

function stateText(t: ThreadInfo, processor: number | undefined): string {
  if (t.state === THREAD_RUNNING) return `RUNNING on processor ${processor ?? t.nextProcessor ?? '?'}`;
  if (t.state === THREAD_WAITING && t.waitReason !== undefined && t.waitMode !== undefined) {
    const mode = t.waitMode === 0 ? 'KernelMode' : 'UserMode';
    const alertable = t.alertable === undefined ? '' : t.alertable ? ' Alertable' : ' Non-Alertable';
    return `WAIT: (${waitReasonName(t.waitReason)}) ${mode}${alertable}`;
  }
  return threadStateName(t.state);
}

/** The `!thread` header block (windbg-commands.md section 11); lines whose fields the dump lacks are left out. */
export function formatThreadHeader(r: ThreadResult, build: number, firstLineOnly: boolean): Line[] {
  const t = r.thread;
  const lines: Line[] = [
    out(`THREAD ${hex16(t.address)}  Cid ${cid(t.pid)}.${cid(t.tid)}  Teb: ${hex16(t.teb)} Win32Thread: ${hex16(t.win32Thread)} ${stateText(t, r.processor)}`),
  ];
  if (firstLineOnly) return lines;
  if (t.impersonating === false) lines.push(out('Not impersonating'));
  if (t.deviceMap !== undefined) lines.push(out(`${'DeviceMap'.padEnd(26)}${hex16(t.deviceMap)}`));
  lines.push(out(`${'Owning Process'.padEnd(26)}${processColumn(t.process)}`));
  lines.push(out(`${'Attached Process'.padEnd(26)}${processColumn(t.attached)}`));
  if (t.contextSwitches !== undefined) {
    // kd pads the ideal processor to 14 columns, so the line ends in blanks.
    const ideal = t.idealProcessor !== undefined ? `IdealProcessor: ${String(t.idealProcessor).padEnd(14)}` : '';
    const count = ideal ? String(t.contextSwitches).padEnd(15) : String(t.contextSwitches);
    lines.push(out(`${'Context Switch Count'.padEnd(26)}${count}${ideal}`));
  }
  if (r.startAddress) {
    for (const m of r.startAddress.messages) lines.push(out(m));
    lines.push(out(`Win32 Start Address ${r.startAddress.text}`));
  }
  if (t.initialStack !== undefined && t.kernelStack !== undefined) lines.push(out(`Stack Init ${hex16(t.initialStack)} Current ${hex16(t.kernelStack)}`));
  if (t.stackBase !== undefined && t.stackLimit !== undefined) {
    const call = t.callbackStack !== undefined ? ` Call ${hex16(t.callbackStack)}` : '';
    lines.push(out(`Base ${hex16(t.stackBase)} Limit ${hex16(t.stackLimit)}${call}`));
  }
  if (t.priority !== undefined && t.basePriority !== undefined && t.priorityDecrement !== undefined) {
    // Windows 7 prints the whole PriorityDecrement; Windows 8 on split it into its two nibbles.
    const boost = build < 9200 ? `PriorityDecrement ${t.priorityDecrement}` : `UnusualBoost ${t.priorityDecrement >> 4} ForegroundBoost ${t.priorityDecrement & 0xf}`;
    const io = t.ioPriority !== undefined && t.pagePriority !== undefined ? ` IoPriority ${t.ioPriority} PagePriority ${t.pagePriority}` : '';
    lines.push(out(`Priority ${t.priority} BasePriority ${t.basePriority} ${boost}${io}`));
  }
  return lines;
}

function startAddress(session: DumpSession, address: bigint | undefined): ThreadResult['startAddress'] {
  if (address === undefined) return undefined;
  const raw = `0x${hex16(address)}`;
  const sym = collectingSymbolizer(session);
  const text = sym.symbolize(address);
  return { text: text ? `${text} (${raw})` : raw, messages: sym.messages };
}

/**
 * The `kv` of a thread on no processor, from the context its KSWITCH_FRAME gives (the mechanism
 * of `.thread`): the context is set for the one `kv` and the previous scope restored, and kv's
 * "last set context" line is dropped since `!thread` does not print it.
 */
async function switchedOutStack(ctx: CommandContext, address: bigint): Promise<readonly Line[]> {
  const { session } = ctx;
  const r = threadContext(session.target, address);
  if (!r.ok) return [err(`crashkd: ${r.missing}`)];
  const saved = session.scope;
  session.setScope({ kind: 'thread', address, context: r.value.context });
  try {
    const lines = await ctx.runLine('kv');
    return lines.filter((l) => !l.text.startsWith('  *** Stack trace for last set context'));
  } finally {
    session.setScope(saved);
  }
}

/** `!thread [Address [Flags]]`: an ETHREAD's summary and its stack (running or switched out). */
export const threadCommand = defineCommand({
  name: '!thread',
  summary: 'Show a thread (ETHREAD): ids, process, stack limits and its stack',
  usage: '!thread [Address [Flags]]',
  requires: ['kernel-target'],
  parse(inv, { session }): ThreadArgs {
    const c = new ArgCursor(inv.text, inv.restOffset, session);
    if (/^-[pPtT]\b/.test(c.remaining)) throw new DebuggerError('unsupported', 'crashkd: !thread -p and -t are not supported yet');
    if (c.atEnd) return { flags: DEFAULT_FLAGS };
    const address = BigInt.asUintN(64, c.expression());
    const flags = c.atEnd ? DEFAULT_FLAGS : Number(BigInt.asUintN(32, c.expression()));
    c.end();
    return address === ALL_ONES ? { flags } : { address, flags };
  },
  async run(a, ctx): Promise<Lookup<ThreadResult>> {
    const { session } = ctx;
    const unit = session.currentUnit;
    const address = a.address ?? unit.thread;
    const view = kernelView(session.target);
    if (address === undefined) return missing(unit.prcb === undefined ? noPrcbAddress(view, unit) : `processor ${unit.index}'s current thread is unknown`);
    const t = readThread(view, address);
    if (!t.ok) return t;
    const processor = session.target.units.find((u) => u.thread === address)?.index;
    const withHeader = a.flags !== 0;
    const result: ThreadResult = {
      thread: t.value,
      ...(processor !== undefined ? { processor } : {}),
      ...(withHeader ? { startAddress: startAddress(session, t.value.win32StartAddress) } : {}),
    };
    if ((a.flags & 6) !== 6) return found(result);
    if (processor === undefined) return found({ ...result, stack: await switchedOutStack(ctx, address) });
    // `kv` walks the processor's context through session.stack() and prints it with the k
    // command's own formatter. Another processor (or a .trap/.cxr scope) goes through the `Nkv`
    // prefix, which switches to that processor's own context for the one command, as `~Ns; kv`.
    const here = processor === session.currentIndex && session.scope === undefined;
    return found({ ...result, stack: await ctx.runLine(here ? 'kv' : `${processor}kv`) });
  },
  format(r, a, { session }) {
    if (!r.ok) return [err(`crashkd: ${r.missing}`)];
    const lines = formatThreadHeader(r.value, session.target.system.buildNumber, a.flags === 0);
    if (r.value.stack) lines.push(out(''), ...r.value.stack);
    return lines;
  },
});
