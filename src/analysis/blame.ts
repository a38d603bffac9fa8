import type { DumpSession } from '../session/dump-session.js';
import type { RegisterContext } from '../target/registers.js';
import { followBlockedIrp, isBlockedIrpBugCheck, type IrpChain } from './irp-blame.js';
import { targetException } from './target-exception.js';

/** Modules `!analyze` never blames: the kernel and the HAL report crashes, they rarely cause them. */
const KERNEL_MODULES = new Set(['nt', 'hal', 'ntdll', 'kernelbase', 'kernel32']);

/** Who `!analyze` holds responsible, and how sure it is. */
export interface Blame {
  /** `man.sys`, or `Unknown_Image`. */
  readonly image: string;
  /** `man+1ce7`, or `ANALYSIS_INCONCLUSIVE`. */
  readonly symbol: string;
  readonly moduleName?: string;
  readonly frameIndex?: number;
  /** Set when the blame came from following the bug check's blocked IRP (0x9F subtype 3), not a frame. */
  readonly irp?: IrpChain;
  /** Why following the blocked IRP failed, when it was tried and the stack heuristic took over. */
  readonly irpProblem?: string;
}

/**
 * The `Probably caused by : ...` text: `image ( symbol )`, or the image alone when the blame
 * names a driver but no code in it (IRP-based blame), as WinDbg prints it for 0x9F.
 */
export function probablyCausedBy(b: Blame): string {
  return b.irp ? `Probably caused by : ${b.image}` : `Probably caused by : ${b.image} ( ${b.symbol} )`;
}

/**
 * The context whose stack the analysis reads: the exception-time registers of a user-mode dump
 * when it saved them (the thread's own context is usually parked inside the dump writer), else
 * the bug-check processor or event thread.
 */
export function analysisContext(session: DumpSession): { context: RegisterContext; unit: number } | undefined {
  const t = session.target;
  const ex = t.kind === 'user' ? targetException(t) : undefined;
  const unit = ex?.threadIndex ?? t.initialUnit;
  if (ex?.context) return { context: ex.context, unit };
  const u = t.units[unit];
  return u ? { context: u.context, unit } : undefined;
}

/**
 * Heuristic, as WinDbg's is: the first frame of the bug-check processor's stack (user mode: of
 * the exception context) that lies in a module other than the kernel/HAL (ntdll, kernel32,
 * kernelbase). 0x101 cannot be attributed from the reporting processor, so it is always
 * inconclusive (WinDbg says the same). 0x9F subtype 3 is reported by the power manager's
 * watchdog timer, whose stack holds no driver: like WinDbg, it follows the blocked IRP (Arg4) to
 * the driver holding it, and only falls back to the stack when that chain breaks.
 */
export function blame(session: DumpSession): Blame {
  const inconclusive = { image: 'Unknown_Image', symbol: 'ANALYSIS_INCONCLUSIVE' };
  const bc = session.target.bugCheck;
  const code = bc?.code;
  if (code === 0x101n) return inconclusive;
  let irpProblem: string | undefined;
  if (bc && isBlockedIrpBugCheck(bc.code, bc.parameters)) {
    const chain = followBlockedIrp(session, bc.parameters[3]);
    if (chain.ok) {
      const m = chain.value.module;
      if (!KERNEL_MODULES.has(m.name.toLowerCase())) return { image: m.imageName, symbol: m.imageName, moduleName: m.name, irp: chain.value };
      irpProblem = `the IRP is held by ${chain.value.driverName ?? m.name}, a part of ${m.name}`;
    } else irpProblem = chain.missing;
  }
  const fromStack = stackBlame(session, inconclusive);
  return irpProblem !== undefined ? { ...fromStack, irpProblem } : fromStack;
}

function stackBlame(session: DumpSession, inconclusive: Blame): Blame {
  const start = analysisContext(session);
  if (!start) return inconclusive;
  const frames = session.stack(start.context).frames;
  for (const f of frames) {
    const m = session.symbols.modules.find(f.instructionPointer);
    if (!m || KERNEL_MODULES.has(m.name.toLowerCase())) continue;
    const s = session.symbols.symbolize(f.instructionPointer);
    const text = s?.symbol ? `${m.name}!${s.symbol.name}+${s.displacement.toString(16)}` : `${m.name}+${(f.instructionPointer - m.base).toString(16)}`;
    return { image: m.imageName, symbol: text, moduleName: m.name, frameIndex: f.index };
  }
  return inconclusive;
}
