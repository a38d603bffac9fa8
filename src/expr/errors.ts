/**
 * Errors raised by the MASM evaluator, worded exactly like dbgeng's inline form
 * (`Couldn't resolve error at 'xyz+1'`). The offset lets command parsers draw the caret form.
 */
import { DebuggerError, type DebuggerErrorCode } from '../errors.js';

/** WinDbg's kind words for expression failures. */
export type ExprErrorKind =
  | 'Syntax'
  | "Couldn't resolve"
  | 'Numeric expression missing'
  | 'Memory access'
  | 'Bad register'
  | 'Ambiguous symbol'
  | 'Operand';

const CODES: Record<ExprErrorKind, DebuggerErrorCode> = {
  Syntax: 'syntax',
  "Couldn't resolve": 'couldnt-resolve',
  'Numeric expression missing': 'numeric-missing',
  'Memory access': 'memory-access',
  'Bad register': 'bad-register',
  'Ambiguous symbol': 'ambiguous-symbol',
  Operand: 'operand',
};

/** dbgeng shows an empty remainder as `<EOL>` (`1+` -> `Numeric expression missing from '<EOL>'`). */
function quoteRest(rest: string): string {
  return rest.length === 0 ? '<EOL>' : rest;
}

/** Builds the inline message for `kind` with the remaining input `rest`. */
export function exprErrorMessage(kind: ExprErrorKind, rest: string): string {
  if (kind === 'Operand') return 'Operand error';
  if (kind === 'Numeric expression missing') return `Numeric expression missing from '${quoteRest(rest)}'`;
  return `${kind} error at '${quoteRest(rest)}'`;
}

/** A MASM evaluation failure; `offset` is the index in the evaluated text where it failed. */
export class ExprError extends DebuggerError {
  constructor(
    readonly kind: ExprErrorKind,
    /** Index in the input text of the token that failed (input length when at end of input). */
    readonly offset: number,
    /** The remainder of the input from `offset`, as quoted in the message. */
    readonly rest: string,
  ) {
    super(CODES[kind], exprErrorMessage(kind, rest));
    this.name = 'ExprError';
  }
}

/** Throws an ExprError of `kind` at `offset` in `text`. */
export function failAt(kind: ExprErrorKind, text: string, offset: number): never {
  const at = Math.max(0, Math.min(offset, text.length));
  throw new ExprError(kind, at, text.slice(at));
}
