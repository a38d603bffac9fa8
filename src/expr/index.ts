/**
 * Public face of the WinDbg MASM expression evaluator. Commands call `parseExpression` to take
 * one expression off their argument text and `evaluate` when the whole text is one expression.
 */
import type { EvalEnv } from './env.js';
import { failAt } from './errors.js';
import { MasmParser } from './parser.js';
import { isOperandStart, skipSpaces } from './scan.js';

export type { EvalEnv } from './env.js';
export { ExprError, exprErrorMessage, type ExprErrorKind } from './errors.js';
export { parseMasmNumber, signExtend32, type MasmNumber } from './number.js';

/** Result of parsing one expression out of a longer text. */
export interface ParsedExpression {
  readonly value: bigint;
  /** Index after the last consumed character, trailing blanks skipped. */
  readonly end: number;
}

/**
 * Parses ONE expression of `text` starting at `start`, stopping before the first token that
 * cannot continue it (`fffff880`0318a978 L7` stops at `L7`; `a b` stops at `b`).
 * Throws ExprError with WinDbg's inline wording and the failing offset.
 */
export function parseExpression(text: string, start: number, env: EvalEnv): ParsedExpression {
  const parsed = new MasmParser(text, env).parseBinary(start, 0);
  return { value: parsed.value, end: parsed.end };
}

/** Evaluates `text` as exactly one MASM expression; trailing text is a Syntax error there. */
export function evaluate(text: string, env: EvalEnv): bigint {
  const { value, end } = parseExpression(text, 0, env);
  if (skipSpaces(text, end) < text.length) failAt('Syntax', text, end);
  return value;
}

/**
 * True when the text at `start` (after blanks) could begin an expression. Purely lexical:
 * commands must test for their own option/range words (`L7`, `-p`) before calling this.
 */
export function isExpressionStart(text: string, start: number): boolean {
  return isOperandStart(text, start);
}
