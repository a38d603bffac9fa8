/**
 * Shapes of the bug-check reference tables. The tables are plain data (facts from Microsoft's
 * bug-check reference, sentences our own) so that `!analyze -show`, `!analyze -v` and lessons
 * read one source.
 */

/** One enumerated value of a parameter: `[value, meaning]`. */
export type ValueMeaning = readonly [value: number, meaning: string];

/** What a parameter holds, with optional enumerated values to decode. */
export interface ParamSpec {
  /** Meaning of the parameter in our words; `Reserved` / `Not used` when it carries nothing. */
  readonly text: string;
  /** Enumerated values (exact match) decoded by `!analyze -show` and `-v`. */
  readonly values?: readonly ValueMeaning[];
  /** When set, `values` are compared with `value & mask` (e.g. the high 16 bits only). */
  readonly mask?: number;
  /** Bit flags: each `[mask, meaning]` is reported when `(value & mask) === mask`. */
  readonly flags?: readonly ValueMeaning[];
}

/** A parameter given as plain text or as a full spec. */
export type Param = string | ParamSpec;

/** A value of Parameter 1 that selects what the other three parameters mean. */
export interface Subtype {
  readonly value: number;
  /** What this value of Parameter 1 reports. */
  readonly text: string;
  /** Parameters 2-4 for this subtype; omitted ones fall back to the code's general text. */
  readonly params?: readonly [Param, Param, Param];
}

/** One bug-check code. */
export interface BugCheckEntry {
  readonly code: number;
  /** Symbolic name as `!analyze` prints it (`CLOCK_WATCHDOG_TIMEOUT`). */
  readonly name: string;
  /** What happened, in one or two sentences of our own. */
  readonly text: string;
  /** Parameters 1-4 in general (subtypes refine 2-4). */
  readonly params: readonly [Param, Param, Param, Param];
  /** Values of Parameter 1 that change the meaning of the others. */
  readonly subtypes?: readonly Subtype[];
  /** Pointer to a related code (`0x1000007E` behaves as `0x7E`). */
  readonly sameAs?: number;
}

/** A parameter the reference calls reserved. */
export const RESERVED = 'Reserved';
/** A parameter the reference says is unused. */
export const NOT_USED = 'Not used';
/** For codes whose reference page documents no parameters at all. */
export const UNDOCUMENTED = 'Not documented (none given by the reference).';
/** Four undocumented parameters. */
export const NO_PARAMS = [UNDOCUMENTED, UNDOCUMENTED, UNDOCUMENTED, UNDOCUMENTED] as const;
