import type { ModuleSymbol } from '../../target/target.js';

/**
 * An immutable list of symbols sorted by rva with binary-search lookups. Equal rvas keep their
 * insertion order (stable sort), so callers put the preferred spelling first.
 */
export class SortedSymbols {
  readonly symbols: readonly ModuleSymbol[];
  private readonly rvas: Uint32Array;

  constructor(symbols: Iterable<ModuleSymbol>) {
    const list = [...symbols].sort((a, b) => a.rva - b.rva);
    this.symbols = list;
    this.rvas = Uint32Array.from(list, (s) => s.rva);
  }

  get length(): number {
    return this.symbols.length;
  }

  /** Index of the first symbol of the last rva group with rva <= `rva`, or -1. */
  floorIndex(rva: number): number {
    let i = upperBound(this.rvas, rva) - 1;
    if (i < 0) return -1;
    // Walk back to the first symbol sharing that rva: the preferred one.
    const at = this.rvas[i]!;
    while (i > 0 && this.rvas[i - 1] === at) i--;
    return i;
  }

  /** The preferred symbol at or before `rva`. */
  nearest(rva: number): ModuleSymbol | undefined {
    const i = this.floorIndex(rva);
    return i < 0 ? undefined : this.symbols[i];
  }

  /** The first symbol strictly after `rva`. */
  next(rva: number): ModuleSymbol | undefined {
    return this.symbols[upperBound(this.rvas, rva)];
  }
}

/** First index whose value is > `value` (`arr` sorted ascending). */
export function upperBound(arr: Uint32Array, value: number): number {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (arr[mid]! <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
