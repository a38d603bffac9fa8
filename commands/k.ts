import { CaretError } from '../src/errors.js';
import { formatPointer } from '../src/memory/address.js';
import { ArgCursor } from '../src/repl/args.js';
import { defineCommand } from '../src/repl/command.js';
import type { DumpSession } from '../src/session/dump-session.js';
import { spRet, stackRowJson, stackRows, type StackRow } from '../src/format/stack-rows.js';
import { err, linesOf, out, warn, type Line } from '../src/repl/output.js';

/** Option letters of the k family (`kv`, `kbn`, `kcn`...). */
interface KOptions {
  readonly args: boolean; // b, v, p (x64 `kp` without private symbols shows the kb columns' call site only)
  readonly verbose: boolean; // v: trap-frame annotations
  readonly clean: boolean; // c
  readonly numbers: boolean; // n
  readonly sizes: boolean; // f
}

interface KArgs {
  readonly options: KOptions;
  readonly count: number;
  readonly start?: { readonly sp?: bigint; readonly ip?: bigint; readonly fp?: bigint };
}

const K_WORD = /^k[bpPvcnfLM]*$/;

function parseOptions(word: string): KOptions {
  const letters = word.slice(1);
  return {
    args: /[bv]/.test(letters),
    verbose: letters.includes('v'),
    clean: letters.includes('c'),
    numbers: letters.includes('n'),
    sizes: letters.includes('f'),
  };
}

function header(o: KOptions, pointerSize: 4 | 8): string {
  if (pointerSize === 4) return `${o.numbers ? ' # ' : ''}ChildEBP RetAddr  ${o.args ? 'Args to Child              ' : ''}`;
  const n = o.numbers ? ' # ' : '';
  const mem = o.sizes ? '  Memory  ' : '';
  if (o.args) return `${n}${mem}Child-SP          RetAddr           : Args to Child${' '.repeat(59)}: Call Site`;
  return `${n}${mem}Child-SP          RetAddr           Call Site`;
}

function rowText(row: StackRow, o: KOptions, session: DumpSession): string {
  const ptrSize = session.target.pointerSize;
  const n = o.numbers ? `${row.frame.index.toString(16).padStart(2, '0')} ` : '';
  // `kc` drops offsets, and shows a module without symbols by its bare name.
  if (o.clean) return `${n}${row.callSite.replace(/\+0x[0-9a-f]+$/, '')}`;
  // A stack switch (kernel to user) has no meaningful size: leave the column blank.
  const used = row.memory !== undefined && row.memory > 0n && row.memory <= 0xffffffffn ? row.memory.toString(16) : '';
  const mem = o.sizes ? `${used.padStart(9)} ` : '';
  const size = ptrSize;
  // KTRAP_FRAMEs exist only in the kernel; a user-mode machine frame (KiUserExceptionDispatcher)
  // is not annotated.
  const kernel = session.target.kind === 'kernel';
  const trap = kernel && o.verbose && row.frame.trapFrame !== undefined ? ` (TrapFrame @ ${formatPointer(row.frame.trapFrame, size)})` : '';
  if (size === 4) {
    const ebp = formatPointer(row.frame.framePointer ?? row.frame.stackPointer, 4);
    const a = o.args ? `${row.args.slice(0, 3).map((v) => formatPointer(v, 4)).join(' ')} ` : '';
    return `${n}${ebp} ${formatPointer(row.frame.returnAddress, 4)} ${a}${row.callSite}${trap}`;
  }
  if (o.args) return `${n}${mem}${spRet(row, size)} : ${row.args.map((v) => formatPointer(v, 8)).join(' ')} : ${row.callSite}${trap}`;
  return `${n}${mem}${spRet(row, size)} ${row.callSite}`;
}

/** The k family: `k`, `kb`, `kv`, `kn`, `kp`, `kc`, `kf`, `kL` with `[= Base Stack Ip] [FrameCount]`. */
export const stackCommand = defineCommand({
  name: 'k',
  matches: (word) => K_WORD.test(word) && word !== 'k',
  summary: 'Display the stack backtrace (b/v args and trap frames, n numbers, c clean, f sizes)',
  usage: 'k[b|v|p][c][n][f][L] [= BasePtr StackPtr InstructionPtr] [FrameCount]',
  parse(inv, { session }): KArgs {
    const options = parseOptions(inv.word);
    const c = new ArgCursor(inv.text, inv.restOffset, session);
    let start: KArgs['start'];
    if (c.remaining.startsWith('=')) {
      c.pos++;
      c.skipSpaces();
      const values: bigint[] = [];
      while (!c.atEnd && values.length < 4) values.push(c.expression());
      // x64: `= Sp`, `= Sp Ip`, `= Base Sp Ip` (and a fourth value is the frame count).
      if (values.length === 1) start = { sp: values[0]! };
      else if (values.length === 2) start = { sp: values[0]!, ip: values[1]! };
      else start = { fp: values[0]!, sp: values[1]!, ip: values[2]! };
      if (values.length === 4) return { options, start, count: Number(values[3]!) };
    }
    let count = session.stackTraceDepth;
    if (!c.atEnd) {
      const v = c.expression();
      if (v === 0n || v > 0xffffn) throw new CaretError('syntax', 'Syntax', inv.text.length - 1);
      count = Number(v);
    }
    c.end();
    return start ? { options, count, start } : { options, count };
  },
  async run(a, { session, signal }) {
    let context = session.registers();
    const arch = session.target.arch;
    if (a.start) {
      const ip = arch === 'x64' ? 'rip' : 'eip';
      const sp = arch === 'x64' ? 'rsp' : 'esp';
      const fp = arch === 'x64' ? 'rbp' : 'ebp';
      if (a.start.sp !== undefined) context = context.with(sp, a.start.sp) ?? context;
      if (a.start.ip !== undefined) context = context.with(ip, a.start.ip) ?? context;
      if (a.start.fp !== undefined) context = context.with(fp, a.start.fp) ?? context;
    }
    const walk = session.stack(context);
    const warnings = await session.prepareSymbols(walk.frames.slice(0, a.count + 1).map((f) => f.instructionPointer), signal);
    // One frame more than shown: the last row's arguments sit at the next frame's stack pointer.
    const rows = stackRows(session, walk.frames.slice(0, a.count + 1)).slice(0, a.count);
    return { rows, stopReason: walk.stopReason, total: walk.frames.length, warnings };
  },
  format(r, a, { session }): Line[] {
    const lines: Line[] = r.warnings.map((w) => warn(w));
    if (session.scope) lines.push(out('  *** Stack trace for last set context - .thread/.cxr resets it'));
    if (!a.options.clean || a.options.numbers) lines.push(out(a.options.clean ? ' # Call Site' : header(a.options, session.target.pointerSize)));
    let warned = false;
    let scanWarned = false;
    r.rows.forEach((row, i) => {
      // WinDbg's warning for frames guessed without unwind data (here: found by a stack scan).
      if (!scanWarned && row.frame.trust === 'scan') {
        lines.push(out('WARNING: Stack unwind information not available. Following frames may be wrong.'));
        scanWarned = true;
      }
      // WinDbg warns once the walk continues past a frame outside every module.
      if (!warned && !row.inModule && i + 1 < r.rows.length) {
        lines.push(out('WARNING: Frame IP not in any known module. Following frames may be wrong.'));
        warned = true;
      }
      if (row.loadMessage) lines.push(...linesOf(row.loadMessage));
      lines.push(out(rowText(row, a.options, session)));
    });
    if (r.stopReason && r.total <= a.count && /loop|did not increase|frame limit|invalid/i.test(r.stopReason)) lines.push(err(`crashkd: stack walk stopped: ${r.stopReason}`));
    const first = r.rows[0]?.frame;
    if (r.total === 1 && first && first.stackPointer !== 0n && r.stopReason?.startsWith('return address unreadable')) {
      // Say why the stack is one frame long instead of leaving a bare line (triage dumps keep
      // only the bug-check processor's stack).
      lines.push(err(`crashkd: the stack memory at ${formatPointer(first.stackPointer, session.target.pointerSize)} is not in the dump`));
    }
    return lines;
  },
  json: (r) => ({ frames: r.rows.map(stackRowJson), ...(r.stopReason ? { stopReason: r.stopReason } : {}) }),
});
