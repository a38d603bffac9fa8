/**
 * `x module!pattern`: dbgeng's string wildcards over module and symbol names, and the
 * function/data decision that picks ` (<no parameter info>)` or ` = <no type information>`.
 */
import type { Module, ModuleSymbol } from '../target/target.js';
import { factoryOf, type SymbolModule } from './module-factory.js';

/**
 * dbgeng string wildcard (case-insensitive): `*` any run, `?` one character, `[a-z]` / `[!x]`
 * character sets, `#` zero or more of the previous character, `+` one or more of it.
 */
export function wildcardRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '#' && re !== '') re += '*';
    else if (c === '+' && re !== '') re += '+';
    else if (c === '[') {
      const close = pattern.indexOf(']', i + 1);
      if (close < 0) {
        re += '\\[';
        continue;
      }
      let body = pattern.slice(i + 1, close).replace(/[\\\]^]/g, '\\$&');
      if (body.startsWith('!')) body = `^${body.slice(1)}`;
      re += `[${body}]`;
      i = close;
    } else re += c.replace(/[.+^${}()|\\/#]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 'is');
}

/** True when a pattern holds no wildcard (so a name index can answer it). */
export function isPlainName(pattern: string): boolean {
  return !/[*?[#+]/.test(pattern);
}

/** One `x` match. */
export interface SymbolMatch {
  readonly module: Module;
  readonly symbol: ModuleSymbol;
  readonly address: bigint;
  readonly isFunction: boolean;
  /** The PDB's own procedure (with a size), shown as `prv` by `x /v`. */
  readonly isPrivate: boolean;
}

/** Function or data: sized symbols are procedures; otherwise the section decides; unknown counts as code. */
export function symbolIsFunction(module: Module, symbol: ModuleSymbol): boolean {
  if (symbol.length !== undefined) return true;
  const mine = factoryOf(module) ? (module as SymbolModule) : undefined;
  return mine?.isCode(symbol.rva) ?? true;
}

/** Matches of `pattern` among a module's symbols (loads them), sorted by address. */
export function matchSymbols(module: Module, pattern: string): SymbolMatch[] {
  const symbols = module.symbols();
  const candidates = isPlainName(pattern) ? symbols.byName(pattern) : symbols.all();
  const re = wildcardRegExp(pattern);
  const mine = factoryOf(module) ? (module as SymbolModule) : undefined;
  const out: SymbolMatch[] = [];
  const seen = new Set<string>();
  for (const s of candidates) {
    if (!isPlainName(pattern) && !re.test(s.name)) continue;
    const key = `${s.rva}:${s.name}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({
      module,
      symbol: s,
      address: module.base + BigInt(s.rva),
      isFunction: symbolIsFunction(module, s),
      isPrivate: s.length !== undefined && symbols.kind === 'pdb' && (mine?.privateSymbols ?? false),
    });
  }
  return out.sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
}
