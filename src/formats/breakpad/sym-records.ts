import { FormatError } from '../../errors.js';

/** `MODULE os arch id name`: the identity a .sym file is filed under. */
export interface SymModuleRecord {
  readonly os: string;
  readonly arch: string;
  /** Debug id: GUID + age in uppercase hex (33+ chars) for Windows modules. */
  readonly id: string;
  readonly name: string;
}

/** `FUNC [m] address size param_size name`. */
export interface SymFuncRecord {
  readonly rva: number;
  readonly size: number;
  readonly paramSize: number;
  readonly name: string;
  /** The `m` flag: several symbols were folded into this address. */
  readonly multiple: boolean;
}

/** `PUBLIC [m] address param_size name`. */
export interface SymPublicRecord {
  readonly rva: number;
  readonly paramSize: number;
  readonly name: string;
  readonly multiple: boolean;
}

/** `STACK WIN type rva code_size prolog epilog params saved_regs locals max_stack has_program rest`. */
export interface StackWinRecord {
  /** 0 = FPO, 4 = FRAME_DATA (the two kinds dump_syms writes). */
  readonly type: number;
  readonly rva: number;
  readonly codeSize: number;
  readonly prologSize: number;
  readonly epilogSize: number;
  readonly paramSize: number;
  readonly savedRegsSize: number;
  readonly localsSize: number;
  readonly maxStackSize: number;
  /** Postfix program (`$T0 $ebp = ...`) when has_program_string is 1. */
  readonly programString?: string;
  /** When has_program_string is 0: whether the function uses EBP as a frame pointer. */
  readonly allocatesBasePointer?: boolean;
}

/** One `STACK CFI INIT` range with the `STACK CFI` deltas that follow it. */
export interface CfiRecord {
  readonly rva: number;
  readonly size: number;
  /** Register -> postfix expression at the range start (`.cfa`, `.ra`, `$rsp`, ...). */
  readonly initRules: Readonly<Record<string, string>>;
  /** Rule changes at later addresses, in address order. */
  readonly deltas: readonly { readonly rva: number; readonly rules: Readonly<Record<string, string>> }[];
}

const HEX = /^[0-9a-fA-F]{1,16}$/;

/** Parses a hex field of line `line`; FormatError names the field. */
export function hexField(text: string | undefined, field: string, line: number): number {
  if (text === undefined || !HEX.test(text)) {
    throw new FormatError('breakpad', `line ${line}: ${field} ${text === undefined ? 'is missing' : `'${text}' is not hex`}`);
  }
  const v = parseInt(text, 16);
  if (!Number.isSafeInteger(v) || v > 0xffffffff) throw new FormatError('breakpad', `line ${line}: ${field} 0x${text} does not fit 32 bits`);
  return v;
}

/** Splits `text` at the first `count` spaces: `count` fields plus the rest (names may contain spaces). */
export function splitFields(text: string, count: number): string[] {
  const out: string[] = [];
  let pos = 0;
  for (let i = 0; i < count; i++) {
    const sp = text.indexOf(' ', pos);
    if (sp < 0) {
      out.push(text.slice(pos));
      return out;
    }
    out.push(text.slice(pos, sp));
    pos = sp + 1;
  }
  out.push(text.slice(pos));
  return out;
}

/** Parses `MODULE os arch id name`. */
export function parseModule(text: string, line: number): SymModuleRecord {
  const f = splitFields(text, 4);
  if (f[0] !== 'MODULE' || f.length < 5 || !f[3] || !f[4]) throw new FormatError('breakpad', `line ${line}: expected 'MODULE os arch id name'`);
  return { os: f[1]!, arch: f[2]!, id: f[3].toUpperCase(), name: f[4] };
}

/** Parses a FUNC line (`text` starts with `FUNC `). */
export function parseFunc(text: string, line: number): SymFuncRecord {
  const multiple = text.startsWith('FUNC m ');
  const f = splitFields(text.slice(multiple ? 7 : 5), 3);
  return {
    rva: hexField(f[0], 'FUNC address', line),
    size: hexField(f[1], 'FUNC size', line),
    paramSize: hexField(f[2], 'FUNC parameter_size', line),
    name: f[3] ?? '',
    multiple,
  };
}

/** Parses a PUBLIC line. */
export function parsePublic(text: string, line: number): SymPublicRecord {
  const multiple = text.startsWith('PUBLIC m ');
  const f = splitFields(text.slice(multiple ? 9 : 7), 2);
  return {
    rva: hexField(f[0], 'PUBLIC address', line),
    paramSize: hexField(f[1], 'PUBLIC parameter_size', line),
    name: f[2] ?? '',
    multiple,
  };
}

const STACK_WIN_FIELDS = ['type', 'rva', 'code_size', 'prologue_size', 'epilogue_size', 'parameter_size', 'saved_register_size', 'local_size', 'max_stack_size', 'has_program_string'];

/** Parses a `STACK WIN` line. */
export function parseStackWin(text: string, line: number): StackWinRecord {
  const f = splitFields(text.slice('STACK WIN '.length), STACK_WIN_FIELDS.length);
  const n = STACK_WIN_FIELDS.map((name, i) => hexField(f[i], `STACK WIN ${name}`, line));
  const rest = f[STACK_WIN_FIELDS.length];
  if (rest === undefined) throw new FormatError('breakpad', `line ${line}: STACK WIN program string or allocates_base_pointer is missing`);
  const base = {
    type: n[0]!, rva: n[1]!, codeSize: n[2]!, prologSize: n[3]!, epilogSize: n[4]!, paramSize: n[5]!,
    savedRegsSize: n[6]!, localsSize: n[7]!, maxStackSize: n[8]!,
  };
  if (n[9]) return { ...base, programString: rest };
  return { ...base, allocatesBasePointer: hexField(rest, 'STACK WIN allocates_base_pointer', line) !== 0 };
}

/** Parses `reg: expr reg: expr ...` CFI rules. */
export function parseCfiRules(text: string, line: number): Record<string, string> {
  const rules: Record<string, string> = {};
  let reg: string | undefined;
  let expr: string[] = [];
  for (const tok of text.split(' ')) {
    if (tok === '') continue;
    if (tok.endsWith(':')) {
      if (reg !== undefined) rules[reg] = expr.join(' ');
      reg = tok.slice(0, -1);
      if (reg === '') throw new FormatError('breakpad', `line ${line}: empty register name in CFI rules`);
      expr = [];
    } else {
      if (reg === undefined) throw new FormatError('breakpad', `line ${line}: CFI rule '${tok}' has no register`);
      expr.push(tok);
    }
  }
  if (reg !== undefined) rules[reg] = expr.join(' ');
  for (const [r, e] of Object.entries(rules)) if (e === '') throw new FormatError('breakpad', `line ${line}: CFI rule for ${r} is empty`);
  return rules;
}

/** Parses `STACK CFI INIT addr size rules`. */
export function parseCfiInit(text: string, line: number): { rva: number; size: number; rules: Record<string, string> } {
  const f = splitFields(text.slice('STACK CFI INIT '.length), 2);
  return { rva: hexField(f[0], 'STACK CFI INIT address', line), size: hexField(f[1], 'STACK CFI INIT size', line), rules: parseCfiRules(f[2] ?? '', line) };
}

/** Parses `STACK CFI addr rules`. */
export function parseCfiDelta(text: string, line: number): { rva: number; rules: Record<string, string> } {
  const f = splitFields(text.slice('STACK CFI '.length), 1);
  return { rva: hexField(f[0], 'STACK CFI address', line), rules: parseCfiRules(f[1] ?? '', line) };
}

/**
 * The function name WinDbg would show for a dump_syms FUNC name: newer dump_syms writes the
 * parameter list (`main(int, char**)`), older ones and WinDbg do not (`main`).
 */
export function functionBaseName(name: string): string {
  let end = name.length;
  for (const q of [' const', ' volatile', ' &&', ' &', ' noexcept']) {
    if (name.slice(0, end).endsWith(q)) end -= q.length;
  }
  if (name[end - 1] !== ')') return name;
  let depth = 0;
  for (let i = end - 1; i >= 0; i--) {
    const c = name[i];
    if (c === ')') depth++;
    else if (c === '(') depth--;
    if (depth === 0) {
      const base = name.slice(0, i);
      // `X::operator()` has no parameter list of its own to strip.
      return i === 0 || base.endsWith('operator') ? name : base;
    }
  }
  return name;
}
