/**
 * The one error tree of crashkd. Every failure a user can see is a DebuggerError whose
 * `message` is already WinDbg's wording where WinDbg has one.
 */

/** Discriminant of every error crashkd raises on purpose. */
export type DebuggerErrorCode =
  | 'syntax'
  | 'extra-character'
  | 'memory-access'
  | 'bad-register'
  | 'couldnt-resolve'
  | 'numeric-missing'
  | 'operand'
  | 'ambiguous-symbol'
  | 'range'
  | 'no-export'
  | 'usage'
  | 'format'
  | 'unsupported'
  | 'cancelled'
  | 'message';

/** Base class; `message` is the text shown to the user. */
export class DebuggerError extends Error {
  constructor(
    readonly code: DebuggerErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'DebuggerError';
  }
}

/**
 * A command-parser error that WinDbg prints with a caret under the failing character:
 * `        ^ Syntax error in 'r rsp+28'`. `index` is the offset in the command text.
 */
export class CaretError extends DebuggerError {
  constructor(
    code: DebuggerErrorCode,
    /** WinDbg's kind word: "Syntax", "Memory access", "Bad register", "Extra character", "Range". */
    readonly kind: string,
    /** Offset of the caret inside the command text; -1 means "last character". */
    readonly index: number,
  ) {
    super(code, `${kind} error`);
    this.name = 'CaretError';
  }
}

/** A malformed input file (dump, scenario, PDB): names the format and where it went wrong. */
export class FormatError extends DebuggerError {
  constructor(
    readonly format: string,
    message: string,
    readonly offset?: number,
  ) {
    super('format', message);
    this.name = 'FormatError';
  }
}

/** Raised by checkpoints when the user pressed Ctrl+C. */
export class CancelledError extends DebuggerError {
  constructor() {
    super('cancelled', '^C');
    this.name = 'CancelledError';
  }
}

/** A read of target memory failed at `address`. */
export class MemoryReadError extends DebuggerError {
  constructor(readonly address: bigint) {
    super('memory-access', 'Memory access error');
    this.name = 'MemoryReadError';
  }
}
