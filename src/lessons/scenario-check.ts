import { disassemble } from '../disasm/index.js';
import { formatPointer } from '../memory/address.js';
import { compileScenario } from '../scenario/compile-scenario.js';
import { loadScenarioFile, type Locator } from '../scenario/load-scenario.js';
import { createSession } from '../session/create-session.js';
import { pointerParameters } from './pointer-params.js';
import type { DumpSession } from '../session/dump-session.js';
import type { StackFrame, WalkResult } from '../session/stack-walker.js';
import type { ExecutionUnit, Target } from '../target/target.js';

/** One finding of `crashkd scenario check`, already located (`file:line:col: ...`). */
export interface ScenarioFinding {
  readonly severity: 'problem' | 'note';
  readonly text: string;
}

/** The verdict of `crashkd scenario check`. */
export interface ScenarioCheckReport {
  readonly findings: readonly ScenarioFinding[];
  /** One line: what was checked and the count of problems. */
  readonly summary: string;
  readonly ok: boolean;
}

/** Highest user-mode address of x64 Windows. */
const USER_TOP = 0x7fffffffffffn;

const ptr = (v: bigint) => formatPointer(v, 8);

function isZeroContext(u: ExecutionUnit): boolean {
  return u.context.ip === 0n && u.context.sp === 0n;
}

function site(session: DumpSession, f: StackFrame): string {
  return session.symbols.symbolize(f.instructionPointer)?.text ?? ptr(f.instructionPointer);
}

/**
 * Why a processor's stack does not end plausibly, or undefined when it does: the walk must end at
 * a zero return address, or (kernel targets) in user mode, whose stack a kernel dump lacks; no
 * frame may come from a stack scan, and every frame but a final user-mode one lies in a module.
 */
export function stackProblem(walk: WalkResult, session: DumpSession): string | undefined {
  const { frames } = walk;
  const inModule = (a: bigint) => session.symbols.modules.find(a) !== undefined;
  for (const f of frames) {
    if (f.trust === 'scan') return `frame ${f.index} (${site(session, f)}) is found only by scanning the stack: the unwind data of the frame below it does not lead there`;
    const lastUser = f.index === frames.length - 1 && f.instructionPointer <= USER_TOP && f.index > 0;
    if (!lastUser && !inModule(f.instructionPointer)) return `frame ${f.index} at ${ptr(f.instructionPointer)} is outside every module`;
  }
  if (walk.stopReason === undefined) return undefined;
  const last = frames[frames.length - 1];
  const enteredFromUser = session.target.kind === 'kernel' && last !== undefined && last.index > 0 && last.instructionPointer <= USER_TOP;
  if (enteredFromUser && walk.stopReason.startsWith('return address unreadable')) return undefined;
  return `the stack stops after ${frames.length} frame${frames.length === 1 ? '' : 's'}${last ? ` at ${site(session, last)}` : ''}: ${walk.stopReason}`;
}

function checkProcessor(u: ExecutionUnit, session: DumpSession, locate: Locator, out: ScenarioFinding[]): void {
  const at = (key: string) => locate(['processors', u.index, 'context', key]);
  if (isZeroContext(u)) {
    out.push({ severity: 'note', text: `${locate(['processors', u.index])}: note: processor ${u.index} has no saved context (all registers zero): its stack is not checked` });
    return;
  }
  const problem = stackProblem(session.stack(u.context), session);
  if (problem) out.push({ severity: 'problem', text: `${at('rsp')}: processor ${u.index}: ${problem}` });
  const code = session.target.memory.readPartial(u.context.ip, 1);
  if (code.length === 0) return;
  const [line] = disassemble(session.target.memory, u.context.ip, { bitness: 64, count: 1, symbolize: () => undefined });
  if (line && line.readable && line.text.trim() === '???') {
    out.push({ severity: 'problem', text: `${at('rip')}: processor ${u.index}: the code at rip ${ptr(u.context.ip)} does not decode as an instruction` });
  }
}

/** Where a pointer-like value points: memory, a module, or a processor's structures; undefined when nowhere. */
function resolvesTo(value: bigint, target: Target, session: DumpSession): string | undefined {
  if (session.symbols.modules.find(value)) return 'module';
  if (target.memory.readPartial(value, 1).length > 0) return 'memory';
  const unit = target.units.find((u) => [u.prcb, u.pcr, u.thread, u.process].includes(value));
  return unit ? `processor ${unit.index}` : undefined;
}

/**
 * Validates a scenario and checks that it is consistent: every processor's stack unwinds to a
 * plausible end, bug-check parameters that look like kernel addresses (and, by the bug-check
 * reference, are not the address a faulting access referenced) point at memory, a module or a
 * processor's structures, and the code at each processor's rip decodes.
 */
export function checkScenarioFile(file: string): ScenarioCheckReport {
  let target: Target;
  let locate: Locator;
  try {
    const loaded = loadScenarioFile(file);
    locate = loaded.locate;
    target = compileScenario(loaded.scenario, loaded.locate, file);
  } catch (e) {
    const text = e instanceof Error ? e.message : String(e);
    return { findings: [{ severity: 'problem', text }], summary: `${file}: does not load`, ok: false };
  }
  const session = createSession(target);
  const findings: ScenarioFinding[] = [];
  for (const u of target.units) checkProcessor(u, session, locate, findings);
  const bug = target.bugCheck;
  for (const i of bug ? pointerParameters(bug.code, bug.parameters) : []) {
    const p = bug!.parameters[i]!;
    if (resolvesTo(p, target, session)) continue;
    findings.push({
      severity: 'problem',
      text: `${locate(['bugCheck', 'parameters', i])}: bug-check parameter ${i + 1} (${ptr(p)}) looks like an address but points at no memory, module or processor structure of the scenario`,
    });
  }
  const problems = findings.filter((f) => f.severity === 'problem').length;
  const what = `${target.units.length} processor${target.units.length === 1 ? '' : 's'}, ${target.modules.length} module${target.modules.length === 1 ? '' : 's'}`;
  const verdict = problems === 0 ? 'ok' : `${problems} problem${problems === 1 ? '' : 's'}`;
  return { findings, summary: `${file}: ${verdict} (${what})`, ok: problems === 0 };
}
