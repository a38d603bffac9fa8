import type { DumpSession } from '../session/dump-session.js';

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
}

/**
 * Heuristic, as WinDbg's is: the first frame of the bug-check processor's stack that lies in a
 * module other than the kernel/HAL. 0x101 cannot be attributed from the reporting processor,
 * so it is always inconclusive (WinDbg says the same).
 */
export function blame(session: DumpSession): Blame {
  const inconclusive = { image: 'Unknown_Image', symbol: 'ANALYSIS_INCONCLUSIVE' };
  const code = session.target.bugCheck?.code;
  if (code === 0x101n) return inconclusive;
  const unit = session.target.units[session.target.initialUnit];
  if (!unit) return inconclusive;
  const frames = session.stack(unit.context).frames;
  for (const f of frames) {
    const m = session.symbols.modules.find(f.instructionPointer);
    if (!m || KERNEL_MODULES.has(m.name.toLowerCase())) continue;
    const s = session.symbols.symbolize(f.instructionPointer);
    const text = s?.symbol ? `${m.name}!${s.symbol.name}+${s.displacement.toString(16)}` : `${m.name}+${(f.instructionPointer - m.base).toString(16)}`;
    return { image: m.imageName, symbol: text, moduleName: m.name, frameIndex: f.index };
  }
  return inconclusive;
}
