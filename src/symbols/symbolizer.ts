import type { Module, ModuleSymbol, ModuleSymbols } from '../target/target.js';
import { ModuleIndex } from './module-index.js';

/** An address turned into WinDbg's `module!name+0xoff` form. */
export interface SymbolizedAddress {
  /** `nt!KeBugCheckEx`, `nt!KeUpdateSystemTime+0x377`, `cfosspeed6+0x8986d`. */
  readonly text: string;
  readonly module: Module;
  readonly symbol?: ModuleSymbol;
  readonly displacement: bigint;
  /** The module's symbol-load message when this lookup was the module's first (print it once). */
  readonly loadMessage?: string;
}

/**
 * Resolves addresses and names against a target's modules. Remembers which modules have
 * already been loaded so each load message is handed out exactly once per session, the way
 * WinDbg prints `*** ERROR: ...` the first time a module's symbols are needed.
 */
export class Symbolizer {
  readonly modules: ModuleIndex;
  private readonly announced = new Set<Module>();

  constructor(modules: readonly Module[]) {
    this.modules = new ModuleIndex(modules);
  }

  /** Symbols of a module, marking its load message as pending if not yet shown. */
  private load(module: Module): { symbols: ModuleSymbols; message?: string } {
    const symbols = module.symbols();
    if (this.announced.has(module)) return { symbols };
    this.announced.add(module);
    return symbols.loadMessage ? { symbols, message: symbols.loadMessage } : { symbols };
  }

  /** True once a module's symbols were needed (`lm` shows the others as deferred). */
  isLoaded(module: Module): boolean {
    return this.announced.has(module);
  }

  /** Forgets that modules were loaded (`.reload`): `lm` shows them deferred, messages are due again. */
  forget(modules: readonly Module[]): void {
    for (const m of modules) this.announced.delete(m);
  }

  /** Marks a module as loaded and returns its message if this is the first time. */
  touch(module: Module): string | undefined {
    return this.load(module).message;
  }

  /** Symbolizes an address inside a module; undefined outside every module. */
  symbolize(address: bigint): SymbolizedAddress | undefined {
    const module = this.modules.find(address);
    if (!module) return undefined;
    const { symbols, message } = this.load(module);
    const rva = Number(address - module.base);
    const sym = symbols.nearest(rva);
    const withMessage = message === undefined ? {} : { loadMessage: message };
    if (sym) {
      const displacement = BigInt(rva - sym.rva);
      const text = displacement === 0n ? `${module.name}!${sym.name}` : `${module.name}!${sym.name}+0x${displacement.toString(16)}`;
      return { text, module, symbol: sym, displacement, ...withMessage };
    }
    const displacement = BigInt(rva);
    return { text: `${module.name}+0x${displacement.toString(16)}`, module, displacement, ...withMessage };
  }

  /**
   * Resolves `module!name`, `!name`, `name` or a bare module name. Returns the addresses of
   * every match (several means ambiguous).
   */
  resolve(name: string): bigint[] {
    const bang = name.indexOf('!');
    if (bang >= 0) {
      const modName = name.slice(0, bang);
      const symName = name.slice(bang + 1);
      const modules = modName === '' ? this.modules.all : [this.modules.byName(modName)].filter((m): m is Module => !!m);
      const hits: bigint[] = [];
      for (const m of modules) {
        for (const s of m.symbols().byName(symName)) hits.push(m.base + BigInt(s.rva));
      }
      return hits;
    }
    const module = this.modules.byName(name);
    if (module) return [module.base];
    const hits: bigint[] = [];
    for (const m of this.modules.all) {
      for (const s of m.symbols().byName(name)) hits.push(m.base + BigInt(s.rva));
    }
    return hits;
  }
}
