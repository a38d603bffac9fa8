import type { Module } from '../target/target.js';

/** Modules sorted by base for address lookups. */
export class ModuleIndex {
  private readonly sorted: readonly Module[];

  constructor(modules: readonly Module[]) {
    this.sorted = [...modules].sort((a, b) => (a.base < b.base ? -1 : a.base > b.base ? 1 : 0));
  }

  /** The module whose image contains `address`, if any. */
  find(address: bigint): Module | undefined {
    let lo = 0;
    let hi = this.sorted.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const m = this.sorted[mid]!;
      if (address < m.base) hi = mid - 1;
      else if (address >= m.base + BigInt(m.size)) lo = mid + 1;
      else return m;
    }
    return undefined;
  }

  /** Module by WinDbg name, case-insensitive. */
  byName(name: string): Module | undefined {
    const n = name.toLowerCase();
    return this.sorted.find((m) => m.name.toLowerCase() === n);
  }

  /** All modules by base. */
  get all(): readonly Module[] {
    return this.sorted;
  }
}
