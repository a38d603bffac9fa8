/**
 * Unwinding with Breakpad `STACK CFI` records (DWARF call frame information turned into postfix
 * rules): `.cfa` is computed from the callee's registers, `.ra` is the return address, and each
 * `$reg` rule gives a caller register (usually `.cfa N - ^`). The caller's esp is the CFA unless
 * a rule says otherwise; callee-saved registers without a rule keep the callee's value.
 */
import { recordAddress, symAt, type BreakpadLookup } from './breakpad-lookup.js';
import { evaluatePostfix } from './postfix.js';
import type { CallerEnd, CallerProposal, X86CallerStrategy, X86Frame, X86WalkEnv } from './x86-frame.js';

const REGISTERS = ['eax', 'ecx', 'edx', 'ebx', 'esi', 'edi', 'ebp', 'esp', 'eip'] as const;

function calleeVariables(frame: X86Frame): Map<string, bigint> {
  const vars = new Map<string, bigint>();
  for (const r of REGISTERS) {
    const v = frame.context.get(r);
    if (v !== undefined) vars.set(`$${r}`, v);
  }
  // The frame's own view wins over carried-over context values.
  vars.set('$eip', frame.instructionPointer);
  vars.set('$esp', frame.stackPointer);
  vars.set('$ebp', frame.framePointer);
  return vars;
}

/** The STACK CFI strategy over the .sym files `lookup` finds. */
export function breakpadCfiStrategy(lookup: BreakpadLookup): X86CallerStrategy {
  return {
    name: 'stack-cfi',
    findCaller(callee: X86Frame, env: X86WalkEnv): CallerProposal | CallerEnd | undefined {
      const at = symAt(lookup, recordAddress(callee));
      const found = at?.sym.cfiAt(at.rva);
      if (!found) return undefined;
      const { rules } = found;
      const vars = calleeVariables(callee);
      const cfaRule = rules['.cfa'];
      const raRule = rules['.ra'];
      if (cfaRule === undefined || raRule === undefined) return undefined;
      const cfa = evaluatePostfix(cfaRule, vars, env.read32);
      if (cfa === undefined) return undefined;
      vars.set('.cfa', cfa);
      const ra = evaluatePostfix(raRule, vars, env.read32);
      if (ra === undefined) return undefined;
      const recovered: Record<string, bigint> = {};
      for (const [name, rule] of Object.entries(rules)) {
        if (!name.startsWith('$') || rule === '.undef') continue;
        const v = evaluatePostfix(rule, vars, env.read32);
        // One rule that cannot be evaluated makes the whole row untrustworthy, as in Breakpad.
        if (v === undefined) return undefined;
        recovered[name.slice(1)] = v;
      }
      if (ra === 0n) return { end: 'end of stack (the unwind data gives return address 0)' };
      // $eip, $esp and $ebp travel as the proposal's own fields; the rest as extra registers.
      const { esp, ebp, ...rest } = recovered;
      const registers = Object.fromEntries(Object.entries(rest).filter(([name]) => name !== 'eip'));
      return {
        instructionPointer: ra,
        stackPointer: esp ?? cfa,
        framePointer: ebp ?? callee.framePointer,
        trust: 'cfi',
        registers,
      };
    },
  };
}
