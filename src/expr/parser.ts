/**
 * Recursive-descent MASM evaluator: precedence climbing over the binary operators and direct
 * evaluation of operands against an EvalEnv (no AST, since MASM has no side effects and every
 * error must point at the text where dbgeng would stop).
 */
import type { EvalEnv } from './env.js';
import { failAt } from './errors.js';
import { literalValue, parseMasmNumber, registerValue, u64 } from './number.js';
import {
  continuesAsSymbol,
  isBinaryKeyword,
  scanBinaryOp,
  scanSymbol,
  skipSpaces,
  UNARY_KEYWORDS,
  wordRunEnd,
} from './scan.js';

/** An evaluated operand or expression. */
interface Parsed {
  readonly value: bigint;
  /** Index after the last consumed character (blanks after it skipped). */
  readonly end: number;
  /**
   * Start of the last token consumed. dbgeng reports memory errors there: `dwo(@$t1) == 1`
   * fails with `Memory access error at ') == 1'`.
   */
  readonly last: number;
}

/** Nesting bound so hostile input like `((((...` cannot overflow the JS stack. */
const MAX_DEPTH = 256;

const READ_SIZES: Readonly<Record<string, 1 | 2 | 4 | 8>> = { by: 1, wo: 2, dwo: 4, qwo: 8 };

/** Evaluates a single binary operation; all operands and results are unsigned 64-bit. */
function applyBinary(op: string, a: bigint, b: bigint, text: string, at: number): bigint {
  switch (op) {
    case '*':
      return u64(a * b);
    case '/':
    case '%':
    case 'mod':
      if (b === 0n) failAt('Operand', text, at);
      return op === '/' ? a / b : a % b;
    case '+':
      return u64(a + b);
    case '-':
      return u64(a - b);
    // Shift counts >= 64 are clamped so BigInt never builds huge intermediates.
    case '<<':
      return b >= 64n ? 0n : u64(a << b);
    case '>>':
      return b >= 64n ? 0n : a >> b;
    case '>>>':
      return u64(BigInt.asIntN(64, a) >> (b >= 64n ? 63n : b));
    // The MASM page says all arithmetic is ULONG64, so comparisons are unsigned:
    // `-1 > 0` is 1. (C-style signed comparison needs @@c++().)
    case '=':
    case '==':
      return a === b ? 1n : 0n;
    case '!=':
      return a !== b ? 1n : 0n;
    case '<':
      return a < b ? 1n : 0n;
    case '>':
      return a > b ? 1n : 0n;
    case '<=':
      return a <= b ? 1n : 0n;
    case '>=':
      return a >= b ? 1n : 0n;
    case '&':
    case 'and':
      return a & b;
    case '^':
    case 'xor':
      return a ^ b;
    default: // '|', 'or'
      return a | b;
  }
}

/** One parse over `text` against `env`. */
export class MasmParser {
  private depth = 0;

  constructor(
    private readonly text: string,
    private readonly env: EvalEnv,
  ) {}

  /** Parses `left op right op ...` whose operators bind at least as tightly as `minPrec`. */
  parseBinary(start: number, minPrec: number): Parsed {
    let left = this.parseUnary(start);
    for (;;) {
      const op = scanBinaryOp(this.text, left.end);
      if (op === undefined || op.prec < minPrec) return left;
      // Left-to-right within a level: the right side only takes tighter operators.
      const right = this.parseBinary(skipSpaces(this.text, op.end), op.prec + 1);
      const value = applyBinary(op.op, left.value, right.value, this.text, right.last);
      left = { value, end: right.end, last: right.last };
    }
  }

  /** An operand with any unary operators in front of it. */
  parseUnary(start: number): Parsed {
    const text = this.text;
    const i = skipSpaces(text, start);
    if (++this.depth > MAX_DEPTH) failAt('Syntax', text, i);
    try {
      return this.parseOperand(i);
    } finally {
      this.depth--;
    }
  }

  private done(value: bigint, end: number, last: number): Parsed {
    return { value, end: skipSpaces(this.text, end), last };
  }

  private parseOperand(i: number): Parsed {
    const text = this.text;
    const c = text[i];
    if (c === undefined) failAt('Numeric expression missing', text, i);
    if (c === '(') return this.parseParen(i);
    if (c === '+') return this.parseUnary(i + 1);
    if (c === '-') {
      const inner = this.parseUnary(i + 1);
      return { ...inner, value: u64(-inner.value) };
    }
    if (c === '@') return this.parseAt(i);
    if (c === '$') return this.parsePseudo(i, i);
    if (c === '.' && !/[A-Za-z0-9_]/.test(text[i + 1] ?? '')) {
      const ip = this.env.pseudoRegister('$ip');
      if (ip === undefined) failAt('Bad register', text, i);
      return this.done(u64(ip), i + 1, i);
    }
    if (c === '!' || c === '?') return this.parseSymbol(i);
    if (/[A-Za-z0-9_]/.test(c)) return this.parseWord(i);
    // An operator or `)` where an operand belongs; anything else is not MASM at all.
    if ('*/%<>=&^|)'.includes(c)) failAt('Numeric expression missing', text, i);
    return failAt('Syntax', text, i);
  }

  private parseParen(open: number): Parsed {
    const inner = this.parseBinary(open + 1, 0);
    if (this.text[inner.end] !== ')') failAt('Syntax', this.text, inner.end);
    return this.done(inner.value, inner.end + 1, inner.end);
  }

  /** `@rax`, `@$t0`, and `@@masm(...)`. */
  private parseAt(i: number): Parsed {
    const text = this.text;
    if (text[i + 1] === '$') return this.parsePseudo(i, i + 1);
    if (text[i + 1] === '@') {
      const m = /^@@masm\s*\(/i.exec(text.slice(i, i + 16));
      // C++ sub-expressions need the C++ evaluator, which crashkd does not have.
      if (!m) failAt('Syntax', text, i);
      return this.parseParen(i + m[0].length - 1);
    }
    const end = wordRunEnd(text, i + 1);
    const name = text.slice(i + 1, end).toLowerCase();
    const raw = name.length > 0 && !name.includes('`') ? this.env.register(name) : undefined;
    if (raw === undefined) failAt('Bad register', text, i);
    return this.done(registerValue(name, raw), end, i);
  }

  /** `$t0`, `$ip`... at `dollar`; errors point at `from` (the `@` when there is one). */
  private parsePseudo(from: number, dollar: number): Parsed {
    const text = this.text;
    let end = dollar + 1;
    while (end < text.length && /[A-Za-z0-9_]/.test(text[end]!)) end++;
    const name = text.slice(dollar, end).toLowerCase();
    // Pseudo-registers are stored as 64-bit values and never sign-extended.
    const value = name.length > 1 ? this.env.pseudoRegister(name) : undefined;
    if (value === undefined) failAt('Bad register', text, from);
    return this.done(u64(value), end, from);
  }

  /** A bare word: keyword operator, then number in the current radix, then register, then symbol. */
  private parseWord(i: number): Parsed {
    const text = this.text;
    const runEnd = wordRunEnd(text, i);
    if (continuesAsSymbol(text, runEnd)) return this.parseSymbol(i);
    const word = text.slice(i, runEnd);
    const lower = word.toLowerCase();
    if (UNARY_KEYWORDS.has(lower)) return this.parseUnaryKeyword(lower, runEnd);
    if (isBinaryKeyword(lower)) failAt('Numeric expression missing', text, i);
    const num = parseMasmNumber(word, this.env.radix);
    if (num !== undefined) return this.done(literalValue(num, this.env.signExtendConstants), runEnd, i);
    if (/^[a-z][a-z0-9]*$/.test(lower)) {
      const raw = this.env.register(lower);
      if (raw !== undefined) return this.done(registerValue(lower, raw), runEnd, i);
    }
    return this.parseSymbol(i);
  }

  private parseUnaryKeyword(op: string, operandStart: number): Parsed {
    const operand = this.parseUnary(operandStart);
    const v = operand.value;
    switch (op) {
      case 'not':
        return { ...operand, value: v === 0n ? 1n : 0n };
      case 'hi':
        return { ...operand, value: (v >> 16n) & 0xffffn };
      case 'low':
        return { ...operand, value: v & 0xffffn };
      default: {
        const size = READ_SIZES[op] ?? this.env.pointerSize;
        const read = this.env.readMemory(v, size);
        if (read === undefined) failAt('Memory access', this.text, operand.last);
        return { ...operand, value: u64(read) };
      }
    }
  }

  private parseSymbol(i: number): Parsed {
    const text = this.text;
    const sym = scanSymbol(text, i);
    if (sym.lookup.length === 0) failAt(sym.end > i ? "Couldn't resolve" : 'Syntax', text, i);
    const value = this.env.symbol(sym.lookup);
    if (value === undefined) failAt("Couldn't resolve", text, i);
    if (value === 'ambiguous') failAt('Ambiguous symbol', text, i);
    return this.done(u64(value), sym.end, i);
  }
}
