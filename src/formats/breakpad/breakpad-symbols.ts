import type { ModuleSymbol, ModuleSymbols } from '../../target/target.js';
import { SortedSymbols } from '../pdb/sorted-symbols.js';
import { SymbolNameIndex } from '../../target/symbol-name-index.js';
import { BreakpadSymFile } from './sym-file.js';
import { functionBaseName } from './sym-records.js';

/** Options for BreakpadSymbols; `file` defaults to the .sym path. */
export interface BreakpadSymbolsOptions {
  readonly file?: string;
  readonly loadMessage?: string;
}

/**
 * A module's symbols from a Breakpad .sym file: FUNC records (with lengths; parameter lists
 * dropped from the shown name, as WinDbg shows functions) and PUBLIC records. A FUNC wins over a
 * PUBLIC at the same rva. The file is parsed on the first lookup, not at construction.
 */
export class BreakpadSymbols implements ModuleSymbols {
  readonly kind = 'breakpad' as const;
  readonly file: string | undefined;
  readonly loadMessage: string | undefined;
  private sorted: SortedSymbols | undefined;
  private nameIndex: SymbolNameIndex | undefined;

  constructor(readonly sym: BreakpadSymFile, options: BreakpadSymbolsOptions = {}) {
    this.file = options.file ?? sym.path;
    this.loadMessage = options.loadMessage;
  }

  /** Opens the .sym at `path` (only the MODULE line is read now). */
  static open(path: string, options: BreakpadSymbolsOptions = {}): BreakpadSymbols {
    return new BreakpadSymbols(BreakpadSymFile.open(path), options);
  }

  nearest(rva: number): ModuleSymbol | undefined {
    return this.table().nearest(rva);
  }

  next(rva: number): ModuleSymbol | undefined {
    return this.table().next(rva);
  }

  byName(name: string): readonly ModuleSymbol[] {
    return this.names().get(name);
  }

  all(): readonly ModuleSymbol[] {
    return this.table().symbols;
  }

  /** Releases the file handle (stack records not yet parsed will be unavailable). */
  close(): void {
    this.sym.close();
  }

  private table(): SortedSymbols {
    if (this.sorted) return this.sorted;
    const list: ModuleSymbol[] = [];
    const funcRvas = new Set<number>();
    for (const f of this.sym.functions()) {
      funcRvas.add(f.rva);
      list.push(Object.freeze({ name: functionBaseName(f.name), rva: f.rva, length: f.size }));
    }
    for (const p of this.sym.publics()) {
      // dump_syms writes `<unknown in x.exe>` for publics without a name: not a symbol.
      if (funcRvas.has(p.rva) || /^<unknown in .*>$/.test(p.name)) continue;
      list.push(Object.freeze({ name: p.name, rva: p.rva }));
    }
    this.sorted = new SortedSymbols(list);
    return this.sorted;
  }

  private names(): SymbolNameIndex {
    if (this.nameIndex) return this.nameIndex;
    const index = new SymbolNameIndex();
    const table = this.table();
    const full = new Map<number, string>();
    for (const f of this.sym.functions()) full.set(f.rva, f.name);
    for (const s of table.symbols) {
      index.add(s.name, s);
      const long = s.length !== undefined ? full.get(s.rva) : undefined;
      if (long !== undefined && long !== s.name) index.add(long, s);
    }
    this.nameIndex = index;
    return index;
  }
}
