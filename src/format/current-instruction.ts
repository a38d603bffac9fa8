import { disassemble, effectiveAddressAnnotation, formatDisasmLine } from '../disasm/index.js';
import type { DumpSession } from '../session/dump-session.js';
import type { RegisterContext } from '../target/registers.js';
import { collectingSymbolizer } from './code-symbolizer.js';

/**
 * The two lines WinDbg prints after a register block: the symbol label of the instruction
 * pointer (omitted outside modules) and the instruction with its effective-address annotation.
 */
export function currentInstructionLines(session: DumpSession, regs: RegisterContext, withSelector: boolean): string[] {
  const t = session.target;
  const sym = collectingSymbolizer(session);
  const label = sym.symbolize(regs.ip);
  const [line] = disassemble(t.memory, regs.ip, { bitness: t.pointerSize === 8 ? 64 : 32, count: 1, symbolize: sym.symbolize });
  const out: string[] = [...sym.messages];
  if (label) out.push(`${label}:`);
  if (!line) return out;
  let text = formatDisasmLine(line, t.pointerSize);
  if (line.readable) {
    const ea = effectiveAddressAnnotation(line, regs, t.memory, { withSelector });
    if (ea) text += ` ${ea}`;
  }
  out.push(text);
  return out;
}
