import type { ModuleSymbol, ModuleSymbols, SymbolKind } from '../target/target.js';
import { SymbolNameIndex } from '../target/symbol-name-index.js';

/** How far back `nearest` looks for a sized symbol that contains the address. */
const CONTAINMENT_LOOKBACK = 64;

/**
 * A module's symbols in an array sorted by rva. `nearest` prefers the closest preceding symbol
 * whose known length contains the address: a PDB holds many same-named BBT blocks
 * (` ?? ::FNODOBFM::`string'`) whose ranges overlap their neighbours, and WinDbg attributes an
 * address to the block that contains it (seed: +0xada2 past one block, +0x4e3e past the next).
 * Symbols without a length contain everything after them.
 */
export class SortedSymbols implements ModuleSymbols {
  private readonly sorted: readonly ModuleSymbol[];
  private nameIndex: SymbolNameIndex | undefined;

  constructor(
    readonly kind: SymbolKind,
    symbols: readonly ModuleSymbol[],
    readonly loadMessage?: string,
    readonly file?: string,
  ) {
    this.sorted = [...symbols].sort((a, b) => a.rva - b.rva);
  }

  private indexAtOrBefore(rva: number): number {
    let lo = 0;
    let hi = this.sorted.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.sorted[mid]!.rva <= rva) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }

  nearest(rva: number): ModuleSymbol | undefined {
    const start = this.indexAtOrBefore(rva);
    for (let i = start; i >= 0 && i > start - CONTAINMENT_LOOKBACK; i--) {
      const s = this.sorted[i]!;
      if (s.length === undefined || rva < s.rva + s.length) return s;
    }
    return undefined;
  }

  next(rva: number): ModuleSymbol | undefined {
    return this.sorted[this.indexAtOrBefore(rva) + 1];
  }

  byName(name: string): readonly ModuleSymbol[] {
    if (!this.nameIndex) {
      this.nameIndex = new SymbolNameIndex();
      for (const s of this.sorted) this.nameIndex.add(s.name, s);
    }
    return this.nameIndex.get(name);
  }

  all(): readonly ModuleSymbol[] {
    return this.sorted;
  }
}

/** WinDbg's exact texts for a module whose symbols could not be loaded. */
export const symbolLoadMessages = {
  none: (image: string) => `*** ERROR: Module load completed but symbols could not be loaded for ${image}`,
  export: (image: string) => `*** ERROR: Symbol file could not be found.  Defaulted to export symbols for ${image} - `,
};
