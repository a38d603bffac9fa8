import type { ModuleSymbol, ModuleSymbols } from '../../target/target.js';
import { codeContributions, type CodeContributions } from './code-contributions.js';
import { SymbolNameIndex } from '../../target/symbol-name-index.js';
import { PdbFile } from './pdb-file.js';
import { PublicIndex } from './public-index.js';
import { SortedSymbols, upperBound } from './sorted-symbols.js';

/** Options for PdbSymbols; `file` defaults to the PDB path. */
export interface PdbSymbolsOptions {
  readonly file?: string;
  readonly loadMessage?: string;
}

/**
 * A module's symbols from a PDB: publics (names undecorated as WinDbg shows them) plus
 * procedures from module streams (names as the compiler wrote them, with lengths).
 *
 * Everything an address lookup touches is typed arrays: the publics' (rva, record offset)
 * pairs from the address map, the code contributions, and one ProcedureIndex per module read.
 * Module streams are read lazily: a lookup consults only the modules whose code contributions
 * lie between the nearest public and the address. Names are decoded (and undecorated) only
 * for the symbol a lookup returns, then cached.
 *
 * At equal rvas a procedure wins over a public (better name, known length), e.g.
 * `google_breakpad::C::C` over `??0C@google_breakpad@@QEAA@XZ`.
 */
export class PdbSymbols implements ModuleSymbols {
  readonly kind = 'pdb' as const;
  readonly file: string | undefined;
  readonly loadMessage: string | undefined;
  private publicIndex: PublicIndex | undefined;
  private contribs: CodeContributions | undefined;
  /** Decoded procedures, keyed by ProcedureIndex `base + i`. */
  private readonly procSymbols = new Map<number, ModuleSymbol>();
  // A lookup's winner before it becomes an object: a public (module -1) or a module's procedure.
  private bestRva = -1;
  private bestModule = -1;
  private bestIndex = -1;
  private allCache: readonly ModuleSymbol[] | undefined;
  private nameIndex: SymbolNameIndex | undefined;

  constructor(readonly pdb: PdbFile, options: PdbSymbolsOptions = {}) {
    this.file = options.file ?? pdb.path;
    this.loadMessage = options.loadMessage;
  }

  /** Opens the PDB at `path` (positioned reads; only needed streams are read). */
  static open(path: string, options: PdbSymbolsOptions = {}): PdbSymbols {
    return new PdbSymbols(PdbFile.open(path), options);
  }

  nearest(rva: number): ModuleSymbol | undefined {
    const pubs = this.publics();
    const p = pubs.floorIndex(rva);
    this.best(p < 0 ? -1 : pubs.rvas[p]!, -1, p);
    const c = this.contributions();
    // `reach` is the running maximum of contribution ends: once it is at or before the best
    // candidate, no earlier contribution can hold a procedure that beats it.
    for (let i = upperBound(c.start, rva) - 1; i >= 0; i--) {
      if (this.bestRva >= 0 && c.reach[i]! <= this.bestRva) break;
      const m = c.module[i]!;
      const procs = this.pdb.procedureIndex(m);
      const j = procs.floorIndex(rva);
      if (j >= 0 && procs.rvas[j]! >= this.bestRva) this.best(procs.rvas[j]!, m, j);
    }
    return this.materialize();
  }

  next(rva: number): ModuleSymbol | undefined {
    const pubs = this.publics();
    const p = pubs.upperIndex(rva);
    this.best(p < pubs.length ? pubs.rvas[p]! : -1, -1, p);
    const c = this.contributions();
    for (let i = upperBound(c.reach, rva + 1); i < c.start.length; i++) {
      if (c.end[i]! <= rva + 1) continue;
      if (this.bestRva >= 0 && c.start[i]! > this.bestRva) break;
      const m = c.module[i]!;
      const procs = this.pdb.procedureIndex(m);
      const j = procs.upperIndex(rva);
      if (j < procs.length && (this.bestRva < 0 || procs.rvas[j]! <= this.bestRva)) this.best(procs.rvas[j]!, m, j);
    }
    return this.materialize();
  }

  byName(name: string): readonly ModuleSymbol[] {
    const key = name.toLowerCase();
    const pubs = this.names().get(key);
    const procs: ModuleSymbol[] = [];
    for (const ref of this.pdb.procedureRefs()) {
      if (ref.name.toLowerCase() !== key) continue;
      const j = this.pdb.procedureIndex(ref.moduleIndex).indexOfRecord(ref.symOffset);
      if (j >= 0) procs.push(this.procSymbol(ref.moduleIndex, j));
    }
    // A procedure replaces the public at the same rva; distinct rvas are all reported.
    const out = [...procs];
    for (const p of pubs) if (!procs.some((q) => q.rva === p.rva)) out.push(p);
    return out.sort((a, b) => a.rva - b.rva);
  }

  all(): readonly ModuleSymbol[] {
    if (this.allCache) return this.allCache;
    const procs: ModuleSymbol[] = [];
    for (const mod of this.pdb.dbi.modules) {
      const index = this.pdb.procedureIndex(mod.index);
      if (index.length === 0) continue;
      this.pdb.prefetchModule(mod.index);
      for (let j = 0; j < index.length; j++) procs.push(this.procSymbol(mod.index, j));
    }
    const procKeys = new Set(procs.map((p) => `${p.rva}:${p.name}`));
    const pubs: ModuleSymbol[] = [];
    const index = this.publics();
    for (let i = 0; i < index.length; i++) {
      const p = index.symbol(i);
      if (!procKeys.has(`${p.rva}:${p.name}`)) pubs.push(p);
    }
    this.allCache = new SortedSymbols([...procs, ...pubs]).symbols;
    return this.allCache;
  }

  /** Closes the underlying file; names already returned stay cached, anything new fails to read. */
  close(): void {
    this.pdb.close();
  }

  private best(rva: number, module: number, index: number): void {
    this.bestRva = rva;
    this.bestModule = module;
    this.bestIndex = index;
  }

  private materialize(): ModuleSymbol | undefined {
    if (this.bestRva < 0) return undefined;
    return this.bestModule < 0 ? this.publics().symbol(this.bestIndex) : this.procSymbol(this.bestModule, this.bestIndex);
  }

  /** Procedure `j` of module `m`'s index as a symbol; its record is decoded on first use. */
  private procSymbol(m: number, j: number): ModuleSymbol {
    const index = this.pdb.procedureIndex(m);
    const key = index.base + j;
    let sym = this.procSymbols.get(key);
    if (sym === undefined) {
      const proc = this.pdb.procedureAt(m, j);
      // The scan already validated this record, so a miss means the file changed under us.
      sym = Object.freeze({ name: proc?.name ?? '', rva: index.rvas[j]!, length: proc?.length ?? 0 });
      this.procSymbols.set(key, sym);
    }
    return sym;
  }

  private publics(): PublicIndex {
    if (this.publicIndex) return this.publicIndex;
    const { offsets, sorted } = this.pdb.publicRecordOffsets();
    this.publicIndex = PublicIndex.build(this.pdb.symbolRecords(), offsets, sorted, this.pdb.addressMap(), this.pdb.isX86);
    return this.publicIndex;
  }

  private contributions(): CodeContributions {
    this.contribs ??= codeContributions(this.pdb.dbi.contributionTable, this.pdb.dbi.modules, this.pdb.addressMap());
    return this.contribs;
  }

  /** Lower-cased names (undecorated and decorated spellings) to publics; built for `x`/byName only. */
  private names(): SymbolNameIndex {
    if (this.nameIndex) return this.nameIndex;
    const index = new SymbolNameIndex();
    const pubs = this.publics();
    for (let i = 0; i < pubs.length; i++) {
      const sym = pubs.symbol(i);
      index.add(sym.name, sym);
      // The decorated spelling finds the same symbol (`x mod!?foo@@YAXXZ`).
      const raw = pubs.rawName(i);
      if (raw !== sym.name) index.add(raw, sym);
    }
    this.nameIndex = index;
    return index;
  }
}
