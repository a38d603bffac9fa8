import type { ModuleSymbol, ModuleSymbols } from '../../target/target.js';
import { NO_STREAM } from './dbi.js';
import { PdbFile } from './pdb-file.js';
import { SortedSymbols, upperBound } from './sorted-symbols.js';
import { undecorateName } from './undecorate.js';

const IMAGE_SCN_CNT_CODE = 0x20;
const IMAGE_SCN_MEM_EXECUTE = 0x20000000;

/** Code contributions sorted by start rva; `reach` is the running maximum of `end`. */
interface Contributions {
  readonly start: Uint32Array;
  readonly end: Uint32Array;
  readonly reach: Uint32Array;
  readonly module: Uint16Array;
}

/** Options for PdbSymbols; `file` defaults to the PDB path. */
export interface PdbSymbolsOptions {
  readonly file?: string;
  readonly loadMessage?: string;
}

/**
 * A module's symbols from a PDB: publics (names undecorated as WinDbg shows them) plus
 * procedures from module streams (names as the compiler wrote them, with lengths).
 *
 * Module streams are read lazily: a lookup consults only the modules whose code contributions
 * lie between the nearest public and the address, so a big private PDB costs a few module
 * streams per lookup area, never all of them (unless `all()` is asked for).
 *
 * At equal rvas a procedure wins over a public (better name, known length), e.g.
 * `google_breakpad::C::C` over `??0C@google_breakpad@@QEAA@XZ`.
 */
export class PdbSymbols implements ModuleSymbols {
  readonly kind = 'pdb' as const;
  readonly file: string | undefined;
  readonly loadMessage: string | undefined;
  private publicsCache: SortedSymbols | undefined;
  private contribs: Contributions | undefined;
  private readonly procCache = new Map<number, SortedSymbols>();
  private allCache: readonly ModuleSymbol[] | undefined;
  private nameIndex: Map<string, ModuleSymbol[]> | undefined;

  constructor(readonly pdb: PdbFile, options: PdbSymbolsOptions = {}) {
    this.file = options.file ?? pdb.path;
    this.loadMessage = options.loadMessage;
  }

  /** Opens the PDB at `path` (positioned reads; only needed streams are read). */
  static open(path: string, options: PdbSymbolsOptions = {}): PdbSymbols {
    return new PdbSymbols(PdbFile.open(path), options);
  }

  nearest(rva: number): ModuleSymbol | undefined {
    let best = this.publics().nearest(rva);
    const c = this.contributions();
    // `reach` is the running maximum of contribution ends: once it is at or before the best
    // candidate, no earlier contribution can hold a procedure that beats it.
    for (let i = upperBound(c.start, rva) - 1; i >= 0; i--) {
      if (best && c.reach[i]! <= best.rva) break;
      const proc = this.moduleProcs(c.module[i]!).nearest(rva);
      if (proc && (!best || proc.rva >= best.rva)) best = proc;
    }
    return best;
  }

  next(rva: number): ModuleSymbol | undefined {
    let best = this.publics().next(rva);
    const c = this.contributions();
    for (let i = upperBound(c.reach, rva + 1); i < c.start.length; i++) {
      if (c.end[i]! <= rva + 1) continue;
      if (best && c.start[i]! > best.rva) break;
      const proc = this.moduleProcs(c.module[i]!).next(rva);
      if (proc && (!best || proc.rva <= best.rva)) best = proc;
    }
    return best;
  }

  byName(name: string): readonly ModuleSymbol[] {
    const key = name.toLowerCase();
    const pubs = this.names().get(key) ?? [];
    const procs: ModuleSymbol[] = [];
    for (const ref of this.pdb.procedureRefs()) {
      if (ref.name.toLowerCase() !== key) continue;
      const proc = this.pdb.moduleProcedures(ref.moduleIndex).find((p) => p.recordOffset === ref.symOffset);
      const rva = proc && this.pdb.addressMap().toRva(proc.segment, proc.offset);
      if (proc && rva !== undefined) procs.push(Object.freeze({ name: proc.name, rva, length: proc.length }));
    }
    // A procedure replaces the public at the same rva; distinct rvas are all reported.
    const out = [...procs];
    for (const p of pubs) if (!procs.some((q) => q.rva === p.rva)) out.push(p);
    return out.sort((a, b) => a.rva - b.rva);
  }

  all(): readonly ModuleSymbol[] {
    if (this.allCache) return this.allCache;
    const procs: ModuleSymbol[] = [];
    for (const mod of this.pdb.dbi.modules) procs.push(...this.moduleProcs(mod.index).symbols);
    const procKeys = new Set(procs.map((p) => `${p.rva}:${p.name}`));
    const pubs = this.publics().symbols.filter((p) => !procKeys.has(`${p.rva}:${p.name}`));
    this.allCache = new SortedSymbols([...procs, ...pubs]).symbols;
    return this.allCache;
  }

  /** Closes the underlying file; already loaded symbols stay usable, new module loads fail. */
  close(): void {
    this.pdb.close();
  }

  private publics(): SortedSymbols {
    if (this.publicsCache) return this.publicsCache;
    const map = this.pdb.addressMap();
    const x86 = this.pdb.isX86;
    const list: ModuleSymbol[] = [];
    for (const pub of this.pdb.publics()) {
      const rva = map.toRva(pub.segment, pub.offset);
      if (rva === undefined) continue;
      list.push(Object.freeze({ name: undecorateName(pub.name, x86), rva }));
    }
    this.publicsCache = new SortedSymbols(list);
    return this.publicsCache;
  }

  private moduleProcs(index: number): SortedSymbols {
    let sorted = this.procCache.get(index);
    if (sorted) return sorted;
    const map = this.pdb.addressMap();
    const list: ModuleSymbol[] = [];
    for (const p of this.pdb.moduleProcedures(index)) {
      const rva = map.toRva(p.segment, p.offset);
      if (rva !== undefined) list.push(Object.freeze({ name: p.name, rva, length: p.length }));
    }
    sorted = new SortedSymbols(list);
    this.procCache.set(index, sorted);
    return sorted;
  }

  /** Code contributions of modules that have a symbol stream, sorted by rva. */
  private contributions(): Contributions {
    if (this.contribs) return this.contribs;
    const map = this.pdb.addressMap();
    const mods = this.pdb.dbi.modules;
    const rows: [number, number, number][] = [];
    for (const sc of this.pdb.dbi.sectionContributions) {
      if ((sc.characteristics & (IMAGE_SCN_CNT_CODE | IMAGE_SCN_MEM_EXECUTE)) === 0) continue;
      if (mods[sc.moduleIndex]?.symStream === NO_STREAM) continue;
      const start = map.toRva(sc.section, sc.offset);
      if (start !== undefined) rows.push([start, start + sc.size, sc.moduleIndex]);
    }
    if (rows.length === 0) {
      // No section contributions (unusual linkers): every module with symbols is a candidate
      // for every address, which costs one full pass on the first lookup.
      for (const mod of mods) if (mod.symStream !== NO_STREAM) rows.push([0, 0xffffffff, mod.index]);
    }
    rows.sort((a, b) => a[0] - b[0]);
    const end = Uint32Array.from(rows, (r) => r[1]);
    const reach = new Uint32Array(end.length);
    end.forEach((e, i) => (reach[i] = Math.max(e, i > 0 ? reach[i - 1]! : 0)));
    this.contribs = {
      start: Uint32Array.from(rows, (r) => r[0]),
      end,
      reach,
      module: Uint16Array.from(rows, (r) => r[2]),
    };
    return this.contribs;
  }

  private names(): Map<string, ModuleSymbol[]> {
    if (this.nameIndex) return this.nameIndex;
    const index = new Map<string, ModuleSymbol[]>();
    const add = (key: string, sym: ModuleSymbol) => {
      const list = index.get(key);
      if (!list) index.set(key, [sym]);
      else if (!list.includes(sym)) list.push(sym);
    };
    const map = this.pdb.addressMap();
    const x86 = this.pdb.isX86;
    for (const pub of this.pdb.publics()) {
      const rva = map.toRva(pub.segment, pub.offset);
      if (rva === undefined) continue;
      const display = undecorateName(pub.name, x86);
      const sym: ModuleSymbol = Object.freeze({ name: display, rva });
      add(display.toLowerCase(), sym);
      // The decorated spelling finds the same symbol (`x mod!?foo@@YAXXZ`).
      if (display !== pub.name) add(pub.name.toLowerCase(), sym);
    }
    this.nameIndex = index;
    return index;
  }
}
