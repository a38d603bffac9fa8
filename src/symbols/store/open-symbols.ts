import { BreakpadSymbols } from '../../formats/breakpad/breakpad-symbols.js';
import { PdbSymbols } from '../../formats/pdb/pdb-symbols.js';
import type { CodeViewInfo } from '../../target/module-info.js';
import type { ModuleSymbols } from '../../target/target.js';
import { findBreakpadSym, findPdb, type StoreLookup, type StoreSearchOptions } from './locate.js';

/** Symbols found for a module, with the lookups that led there (for `!sym noisy` output). */
export interface FoundSymbols {
  readonly symbols: ModuleSymbols;
  readonly path: string;
  readonly lookups: readonly StoreLookup[];
}

/**
 * Locates and opens a module's symbols from local folders and stores: the matching PDB first,
 * then a Breakpad .sym filed under the same key. Returns the lookups also on a miss so the
 * caller can say what was tried. Only the MSF directory, PDB info and DBI streams (or the .sym
 * MODULE line) are read here; symbols load on first use.
 */
export function openModuleSymbols(
  cv: CodeViewInfo,
  options: StoreSearchOptions,
): { found?: FoundSymbols; lookups: readonly StoreLookup[] } {
  const pdb = findPdb(cv, options);
  if (pdb.found && !pdb.found.compressed) {
    const symbols = PdbSymbols.open(pdb.found.path, { file: pdb.found.path });
    return { found: { symbols, path: pdb.found.path, lookups: [pdb] }, lookups: [pdb] };
  }
  const sym = findBreakpadSym(cv, options);
  if (sym.found && !sym.found.compressed) {
    const symbols = BreakpadSymbols.open(sym.found.path, { file: sym.found.path });
    return { found: { symbols, path: sym.found.path, lookups: [pdb, sym] }, lookups: [pdb, sym] };
  }
  return { lookups: [pdb, sym] };
}
