/**
 * Lazy access to iced-x86. The package is a wasm-bindgen CommonJS build whose load costs
 * ~25 ms, so it is required on the first disassembly rather than at start-up.
 */
import { createRequire } from 'node:module';
import type * as IcedTypes from 'iced-x86';

/** The iced-x86 module object. */
export type Iced = typeof IcedTypes;

let iced: Iced | undefined;
let formatter: IcedTypes.Formatter | undefined;

/** The iced-x86 module, loaded on first call. */
export function loadIced(): Iced {
  if (iced === undefined) iced = createRequire(import.meta.url)('iced-x86') as Iced;
  return iced;
}

/**
 * The one MASM formatter set up for WinDbg style. It lives as long as the process (one wasm
 * object, never freed); formatting does not change its state, so every caller may share it.
 */
export function windbgFormatter(): IcedTypes.Formatter {
  if (formatter !== undefined) return formatter;
  const x = loadIced();
  const f = new x.Formatter(x.FormatterSyntax.Masm);
  // Defaults already give lowercase mnemonics, uppercase hex digits, `h` suffix, leading 0, no space after commas.
  f.memorySizeOptions = x.MemorySizeOptions.Always;
  f.firstOperandCharIndex = 8;
  f.showBranchSize = false;
  f.branchLeadingZeros = false;
  formatter = f;
  return f;
}
