import { CaretError } from '../src/errors.js';
import { parseExpression } from '../src/expr/index.js';
import { hex } from '../src/memory/address.js';
import { defineCommand } from '../src/repl/command.js';
import type { DumpSession } from '../src/session/dump-session.js';
import { currentInstructionLines } from '../src/format/current-instruction.js';
import { formatRegisterBlock } from '../src/format/register-block.js';
import { registerWidth } from '../src/target/registers.js';
import { out, type Line } from '../src/repl/output.js';

interface RegisterArgs {
  readonly reads: string[];
  readonly writes: [string, bigint][];
}

function isPseudo(name: string): boolean {
  return name.startsWith('$');
}

/** Parses `r`, `r rax`, `r rax, rbx`, `r rax=1`, `r $t0 = 5*2`. */
function parseRegisterArgs(text: string, start: number, session: DumpSession): RegisterArgs {
  const reads: string[] = [];
  const writes: [string, bigint][] = [];
  let i = start;
  const skip = () => {
    while (i < text.length && /\s/.test(text[i]!)) i++;
  };
  skip();
  while (i < text.length) {
    if (text[i] === '@') i++;
    const m = /^\$?[A-Za-z_][\w]*/.exec(text.slice(i));
    if (!m) throw new CaretError('syntax', 'Syntax', Math.max(0, i - 1));
    const name = m[0].toLowerCase();
    const tokenEnd = i + m[0].length;
    const known = isPseudo(name)
      ? session.pseudoRegister(name) !== undefined
      : registerWidth(session.target.arch, name) !== undefined;
    if (!known) throw new CaretError('bad-register', 'Bad register', tokenEnd - 1);
    i = tokenEnd;
    skip();
    if (text[i] === '=') {
      i++;
      if (isPseudo(name) && !session.pseudo.isWritable(name)) throw new CaretError('bad-register', 'Bad register', tokenEnd - 1);
      const { value, end } = parseExpression(text, i, session);
      writes.push([name, value]);
      i = end;
    } else {
      // dbgeng fails on the first character it cannot use, with the caret one column before it.
      if (i < text.length && text[i] !== ',') throw new CaretError('syntax', 'Syntax', tokenEnd - 1);
      reads.push(name);
    }
    skip();
    if (text[i] === ',') {
      i++;
      skip();
    }
  }
  return { reads, writes };
}

function formatOne(name: string, session: DumpSession): string {
  if (isPseudo(name)) return `${name}=${hex(session.pseudoRegister(name) ?? 0n, session.target.pointerSize * 2)}`;
  const width = registerWidth(session.target.arch, name) ?? 64;
  const value = session.register(name) ?? 0n;
  return `${name}=${width === 1 ? value.toString(16) : hex(value, Math.max(1, Math.ceil(width / 4)))}`;
}

/** `r`: show or change registers of the current register context. */
export const registersCommand = defineCommand({
  name: 'r',
  summary: 'Display or modify registers and pseudo-registers',
  usage: 'r [Register[=Value][, ...]]',
  parse: (inv, { session }) => parseRegisterArgs(inv.text, inv.restOffset, session),
  run(args, { session }) {
    for (const [name, value] of args.writes) {
      if (isPseudo(name)) {
        if (name === '$ip') {
          const next = session.registers().with(session.target.arch === 'x64' ? 'rip' : 'eip', value);
          if (next) session.setRegisters(next);
        } else session.pseudo.set(name, value);
        continue;
      }
      const next = session.registers().with(name, value);
      if (next) session.setRegisters(next);
    }
    return args;
  },
  format(args, _a, { session }): Line[] {
    if (args.writes.length > 0 && args.reads.length === 0) return [];
    if (args.reads.length > 0) return [out(args.reads.map((n) => formatOne(n, session)).join(' '))];
    return registerBlockLines(session).map(out);
  },
  json: (_r, _a, session) => ({
    registers: Object.fromEntries(session.registers().entries()),
    ...(session.scope ? { scope: { kind: session.scope.kind, address: session.scope.address } } : {}),
  }),
});

/** The full `r` output for the current context: register block then the current instruction. */
export function registerBlockLines(session: DumpSession): string[] {
  const regs = session.registers();
  const scope = session.scope;
  const lines: string[] = [];
  if (scope) lines.push('Last set context:');
  const isTrap = scope?.kind === 'trap';
  lines.push(...formatRegisterBlock(regs, !isTrap));
  const kernelFull = session.target.kind === 'kernel' && !isTrap;
  lines.push(...currentInstructionLines(session, regs, kernelFull || session.target.arch === 'x86'));
  return lines;
}
