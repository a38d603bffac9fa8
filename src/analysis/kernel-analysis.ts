import { formatPointer, minimalHex } from '../memory/address.js';
import type { DumpSession } from '../session/dump-session.js';
import type { StackRow } from '../format/stack-rows.js';
import type { Module, SymbolKind } from '../target/target.js';
import { analysisContext, blame, type Blame } from './blame.js';
import { findBugCheck } from './bugchecks/index.js';
import { describeBugCheck, type BugCheckDescription } from './describe-bugcheck.js';
import { analysisStack } from './stack-text.js';

/** Everything `!analyze` reports about a kernel bug check, before formatting. */
export interface KernelAnalysis {
  readonly description: BugCheckDescription;
  readonly blame: Blame;
  /** The blamed module, when one was blamed. */
  readonly module?: Module;
  readonly bugcheckStr: string;
  readonly defaultBucketId: string;
  readonly processName?: string;
  readonly currentIrql?: number;
  /** Processor whose stack STACK_TEXT shows. */
  readonly stackUnit: number;
  readonly stack: readonly StackRow[];
  readonly failureBucketId: string;
  /** `crashkd:` lines saying what is heuristic and what to look at next. */
  readonly notes: readonly string[];
}

/** How `lm` would describe a module's symbols, for the blame note. */
const SYMBOL_STATE: Record<SymbolKind, string> = {
  pdb: 'symbols loaded from its PDB',
  export: 'export symbols only',
  none: 'no symbols: offsets are from the module base',
  breakpad: 'Breakpad symbols',
};

/**
 * BUGCHECK_STR as the classic analyzer builds it: `CLOCK_WATCHDOG_TIMEOUT_<n>_PROC` for 0x101
 * (n = processor count in hex), `0x1E_<exception code>` for 0x1E, `0x<CODE>` otherwise (the base
 * code for the `_M` variants).
 */
export function bugcheckString(code: bigint, p1: bigint, processors: number): string {
  if (code === 0x101n) return `CLOCK_WATCHDOG_TIMEOUT_${processors.toString(16)}_PROC`;
  // The _M variants (0x1000007E...) bucket under their base code.
  const hex = `0x${minimalHex(BigInt(findBugCheck(code)?.sameAs ?? code)).toUpperCase()}`;
  if (code === 0x1en) return `${hex}_${minimalHex(p1 & 0xffffffffn)}`;
  return hex;
}

/** The hung processor of a 0x101: the one whose PRCB is Parameter 3, else Parameter 4 as an index. */
export function hungProcessor(session: DumpSession, params: readonly bigint[]): number | undefined {
  const units = session.target.units;
  const byPrcb = units.find((u) => u.prcb !== undefined && u.prcb === params[2]);
  if (byPrcb) return byPrcb.index;
  const p4 = params[3];
  return p4 !== undefined && p4 < BigInt(units.length) ? Number(p4) : undefined;
}

/** The `crashkd:` note saying how the IRP was followed to the blamed driver. */
function irpNote(b: Blame): string | undefined {
  const c = b.irp;
  if (!c) return undefined;
  const p = (v: bigint): string => formatPointer(v, 8);
  const driver = c.driverName ?? `driver object ${p(c.driverObject)}`;
  const how = c.matchedBy === 'name' ? 'by its name' : 'by DriverStart';
  return (
    `crashkd: followed the blocked IRP (Arg4) as WinDbg does: IRP ${p(c.irp)} -> current stack location ${p(c.stackLocation)} ` +
    `(major 0x${minimalHex(BigInt(c.majorFunction))}, minor 0x${minimalHex(BigInt(c.minorFunction))}) -> DeviceObject ${p(c.deviceObject)} -> ` +
    `DriverObject ${p(c.driverObject)} ${driver} -> module ${c.module.name} (${how}); the bug-check stack is only the power manager's watchdog`
  );
}

function blameNotes(session: DumpSession, code: bigint, params: readonly bigint[], b: Blame, module: Module | undefined, unit: number): string[] {
  const viaIrp = irpNote(b);
  if (viaIrp) return [viaIrp];
  const irpFailed = b.irpProblem !== undefined ? [`crashkd: could not follow the blocked IRP (Arg4): ${b.irpProblem}; blaming from the stack instead`] : [];
  if (irpFailed.length > 0) return [...irpFailed, ...stackNotes(session, code, params, b, module, unit)];
  return stackNotes(session, code, params, b, module, unit);
}

function stackNotes(session: DumpSession, code: bigint, params: readonly bigint[], b: Blame, module: Module | undefined, unit: number): string[] {
  if (code === 0x101n) {
    const hung = hungProcessor(session, params);
    const where = hung === undefined ? '' : `; the hung processor is ${hung} (Arg3 is its PRCB): ~${hung}s to inspect it`;
    return [`crashkd: 0x101 is reported by a healthy processor, so no module is blamed${where}`];
  }
  if (!module || b.frameIndex === undefined) {
    return [`crashkd: no module blamed: every frame of processor ${unit}'s stack is in nt or hal (the heuristic looks for the first frame outside them)`];
  }
  const frame = b.frameIndex.toString(16).padStart(2, '0');
  return [`crashkd: the blamed module is a heuristic: first frame outside nt and hal (frame ${frame}: ${module.imageName}, ${SYMBOL_STATE[module.symbols().kind]})`];
}

/** Runs the kernel analysis of the session's bug check; undefined when the dump has none. */
export function analyzeKernel(session: DumpSession): KernelAnalysis | undefined {
  const t = session.target;
  const bc = t.bugCheck;
  if (!bc) return undefined;
  const start = analysisContext(session);
  const stackUnit = start?.unit ?? t.initialUnit;
  // Rows first: they hand out symbol-load messages, which belong in STACK_TEXT.
  const stack = start ? analysisStack(session, start.context) : [];
  const b = blame(session);
  const module = b.moduleName ? session.symbols.modules.byName(b.moduleName) : undefined;
  const bugcheckStr = bugcheckString(bc.code, bc.parameters[0], t.units.length);
  const prefix = t.arch === 'x64' ? 'X64_' : '';
  const unit = t.units[stackUnit];
  const processName = (unit as { processName?: unknown } | undefined)?.processName;
  return {
    description: describeBugCheck(bc.code, bc.parameters),
    blame: b,
    ...(module ? { module } : {}),
    bugcheckStr,
    // The analyzer's default bucket names the OS family; 6.x calls every NT 6 kernel "VISTA".
    defaultBucketId: t.system.buildNumber >= 6000 ? 'VISTA_DRIVER_FAULT' : 'DRIVER_FAULT',
    ...(typeof processName === 'string' ? { processName } : {}),
    ...(unit?.irql !== undefined ? { currentIrql: unit.irql } : {}),
    stackUnit,
    stack,
    // Blame by image only (the IRP's driver) buckets as `0x9F_3_IMAGE_<image>`, as WinDbg does.
    failureBucketId: b.irp ? `${prefix}${bugcheckStr}_${minimalHex(bc.parameters[0]).toUpperCase()}_IMAGE_${b.image}` : `${prefix}${bugcheckStr}_${b.symbol}`,
    notes: [
      ...blameNotes(session, bc.code, bc.parameters, b, module, stackUnit),
      'crashkd: BUGCHECK_STR, DEFAULT_BUCKET_ID and the bucket ids imitate WinDbg 6.x naming; the meanings come from crashkd\'s own table',
    ],
  };
}

