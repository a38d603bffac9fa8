import type { ModuleSymbol } from './target.js';

/**
 * Case-insensitive name -> symbols lookup shared by every symbol source (`x`, `byName`). A symbol
 * may be filed under several spellings (undecorated and decorated, short and full); it is listed
 * once per spelling.
 */
export class SymbolNameIndex {
  private readonly map = new Map<string, ModuleSymbol[]>();

  /** Files `symbol` under `name` (any case). */
  add(name: string, symbol: ModuleSymbol): void {
    const key = name.toLowerCase();
    const list = this.map.get(key);
    if (!list) this.map.set(key, [symbol]);
    else if (!list.includes(symbol)) list.push(symbol);
  }

  /** Every symbol filed under `name` (any case). */
  get(name: string): readonly ModuleSymbol[] {
    return this.map.get(name.toLowerCase()) ?? [];
  }
}
