/**
 * The ModuleFactory dump readers receive: it turns ModuleInfo into Modules whose symbols load
 * lazily by the policy in module-loader.ts, and keeps a registry of what it made so the symbol
 * commands (`.reload`, `!sym`, `.symopt`) can reset modules and change options.
 */
import { BreakpadSymbols } from '../formats/breakpad/breakpad-symbols.js';
import { PdbSymbols } from '../formats/pdb/pdb-symbols.js';
import type { VirtualMemory } from '../memory/virtual-memory.js';
import type { CodeViewInfo, ModuleFactory, ModuleInfo } from '../target/module-info.js';
import type { Module, ModuleSymbols, SymbolKind } from '../target/target.js';
import { loadModuleSymbols, type LoaderEnv, type SymbolLoad } from './module-loader.js';
import { prepareRemote, type ServerHealth } from './remote-prepare.js';
import type { RemoteFetcher } from './store/remote.js';
import type { SymbolPathElement } from './store/symbol-path.js';
import { defaultSymbolCache, expandSymbolPath, hasRemoteServer } from './symbol-defaults.js';
import { DEFAULT_SYMBOL_OPTIONS, SYMOPT_LOAD_ANYTHING } from './symbol-options.js';

/** Where the factory reads its settings; getters so `.sympath`/`.exepath` changes apply at the next load. */
export interface ModuleFactoryOptions {
  readonly symbolPath: () => string;
  readonly imagePath: () => string;
  /** The target's memory, once the target exists (export tables and CodeView records are read there first). */
  readonly memory: () => VirtualMemory | undefined;
  /** Default downstream store (`srv**url`, `cache*`, bare `srv*`) and where `.pd_` files expand; default `~/.crashkd/symbols`. */
  readonly cacheDir?: string;
  /** Downloader for http(s) stores; without one, servers in the path are skipped. */
  readonly fetcher?: RemoteFetcher;
}

/** A Module made by the factory, with what `lm`, `x` and `.reload` need to know. */
export interface SymbolModule extends Module {
  readonly info: ModuleInfo;
  /** False until symbols() ran since creation or the last reload (`lm` shows `(deferred)`). */
  readonly symbolsLoaded: boolean;
  /** How the symbols were obtained, once loaded. */
  readonly symbolKind: SymbolKind | undefined;
  /** The loaded PDB has type information (`(private pdb symbols)`). */
  readonly privateSymbols: boolean;
  /** A PDB was loaded despite a GUID/age mismatch (lm status `M`). */
  readonly mismatched: boolean;
  /** CodeView identity from the dump, or the one found in the image while loading. */
  readonly codeView: CodeViewInfo | undefined;
  readonly fileVersion?: string;
  readonly productVersion?: string;
  /** True for a function address, false for data, undefined when unknown (loads symbols). */
  isCode(rva: number): boolean | undefined;
}

/** Options of `prepare`. */
export interface PrepareOptions {
  readonly signal?: AbortSignal;
  /** Ask servers again even for modules already tried this session. */
  readonly force?: boolean;
}

/** What `prepare` did across modules. */
export interface PrepareReport {
  /** One line per module whose server could not be used. */
  readonly warnings: readonly string[];
  /** `!sym noisy` request trace. */
  readonly trace: readonly string[];
  /** Modules for which something was downloaded. */
  readonly downloaded: number;
}

/** A ModuleFactory with a registry and symbol-handler state. */
export interface SymbolModuleFactory extends ModuleFactory {
  (info: ModuleInfo): SymbolModule;
  /** Every module made, in creation order. */
  readonly modules: readonly SymbolModule[];
  readonly cacheDir: string;
  /** `!sym noisy`: load messages carry the search trace. */
  noisy: boolean;
  /** `.symopt` value; bit 0x40 (SYMOPT_LOAD_ANYTHING) turns on loose PDB matching. */
  symbolOptions: number;
  /** Module by WinDbg name or image name (`nt`, `amdppm.sys`), case-insensitive. */
  find(name: string): SymbolModule | undefined;
  /**
   * Drops loaded symbols so the next use loads again: every module, the one named (WinDbg or
   * image name), or those a predicate picks. Returns the modules reset.
   */
  reload(which?: string | ((m: SymbolModule) => boolean)): SymbolModule[];
  /** Downloads from the path's http(s) servers what the modules (default: all) will need. */
  prepare(modules?: readonly Module[], options?: PrepareOptions): Promise<PrepareReport>;
}

const owners = new WeakMap<Module, SymbolModuleFactory>();

/** The factory that made `module`, if it was one of ours (commands reach the symbol state this way). */
export function factoryOf(module: Module): SymbolModuleFactory | undefined {
  return owners.get(module);
}

/** Appends the default store as a search root when servers may have downloaded into it. */
function withCacheRoot(elements: SymbolPathElement[], cacheDir: string): SymbolPathElement[] {
  if (!hasRemoteServer(elements)) return elements;
  return [...elements, { kind: 'server', stores: [cacheDir] }];
}

/** Settings as they are now, shared by loads and downloads. */
interface Settings {
  readonly symbolElements: SymbolPathElement[];
  readonly imageElements: SymbolPathElement[];
  readonly cacheDir: string;
  readonly memory: VirtualMemory | undefined;
}

class FactoryModule implements SymbolModule {
  readonly name: string;
  readonly imageName: string;
  readonly imagePath: string;
  readonly base: bigint;
  readonly size: number;
  readonly timestamp: number;
  readonly checksum: number;
  readonly fileVersion?: string;
  readonly productVersion?: string;
  private loaded: SymbolLoad | undefined;
  /** Servers were asked for this module since the last reload. */
  remoteTried = false;

  constructor(
    readonly info: ModuleInfo,
    private readonly loadWith: (info: ModuleInfo) => SymbolLoad,
  ) {
    this.name = info.name;
    this.imageName = info.imageName;
    this.imagePath = info.imagePath;
    this.base = info.base;
    this.size = info.size;
    this.timestamp = info.timestamp;
    this.checksum = info.checksum;
    if (info.fileVersion !== undefined) this.fileVersion = info.fileVersion;
    if (info.productVersion !== undefined) this.productVersion = info.productVersion;
  }

  get symbolsLoaded(): boolean {
    return this.loaded !== undefined;
  }

  get symbolKind(): SymbolKind | undefined {
    return this.loaded?.kind;
  }

  get privateSymbols(): boolean {
    return this.loaded?.privateSymbols ?? false;
  }

  get mismatched(): boolean {
    return this.loaded?.mismatched ?? false;
  }

  get codeView(): CodeViewInfo | undefined {
    return this.info.codeView ?? this.loaded?.codeView;
  }

  symbols(): ModuleSymbols {
    this.loaded ??= this.loadWith(this.info);
    return this.loaded.symbols;
  }

  isCode(rva: number): boolean | undefined {
    this.symbols();
    return this.loaded?.isCode(rva);
  }

  reset(): void {
    const s = this.loaded?.symbols;
    if (s instanceof PdbSymbols || s instanceof BreakpadSymbols) s.close();
    this.loaded = undefined;
    this.remoteTried = false;
  }
}

/** Runs `work` over `items` with at most `limit` in flight. */
async function pool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]!);
  });
  await Promise.all(runners);
}

/** Creates the symbol-loading ModuleFactory (see SymbolModuleFactory). */
export function createModuleFactory(options: ModuleFactoryOptions): SymbolModuleFactory {
  const cacheDir = options.cacheDir ?? defaultSymbolCache();
  const made: FactoryModule[] = [];
  const health: ServerHealth = new Map();
  const state = { noisy: false, symbolOptions: DEFAULT_SYMBOL_OPTIONS };

  const settings = (): Settings => {
    const symbols = expandSymbolPath(options.symbolPath(), cacheDir);
    const images = [...expandSymbolPath(options.imagePath(), cacheDir), ...symbols];
    return { symbolElements: withCacheRoot(symbols, cacheDir), imageElements: withCacheRoot(images, cacheDir), cacheDir, memory: options.memory() };
  };

  const load = (info: ModuleInfo): SymbolLoad => {
    const env: LoaderEnv = { ...settings(), loose: (state.symbolOptions & SYMOPT_LOAD_ANYTHING) !== 0, noisy: state.noisy };
    return loadModuleSymbols(info, env);
  };

  const find = (name: string): SymbolModule | undefined => {
    const n = name.toLowerCase();
    return made.find((m) => m.name.toLowerCase() === n) ?? made.find((m) => m.imageName.toLowerCase() === n);
  };

  const factory = ((info: ModuleInfo): SymbolModule => {
    const m = new FactoryModule(info, load);
    made.push(m);
    owners.set(m, factory);
    return m;
  }) as SymbolModuleFactory;

  Object.defineProperties(factory, {
    modules: { get: () => made },
    cacheDir: { value: cacheDir },
    noisy: { get: () => state.noisy, set: (v: boolean) => (state.noisy = v) },
    symbolOptions: { get: () => state.symbolOptions, set: (v: number) => (state.symbolOptions = v >>> 0) },
  });
  factory.find = find;
  factory.reload = (which?: string | ((m: SymbolModule) => boolean)): SymbolModule[] => {
    const named = typeof which === 'string' ? find(which) : undefined;
    const targets = which === undefined ? made : made.filter((m) => (typeof which === 'string' ? m === named : which(m)));
    if (which === undefined) health.clear();
    for (const m of targets) m.reset();
    return [...targets];
  };
  factory.prepare = async (modules?: readonly Module[], opts: PrepareOptions = {}): Promise<PrepareReport> => {
    const warnings: string[] = [];
    const trace: string[] = [];
    let downloaded = 0;
    const fetcher = options.fetcher;
    const s = settings();
    if (!fetcher || (!hasRemoteServer(s.symbolElements) && !hasRemoteServer(s.imageElements))) return { warnings, trace, downloaded };
    const mine = (modules ?? made).map((m) => (m instanceof FactoryModule ? m : undefined)).filter((m): m is FactoryModule => m !== undefined);
    const todo = mine.filter((m) => (opts.force || !m.remoteTried) && m.symbolKind !== 'pdb');
    const results = new Map<FactoryModule, { warnings: readonly string[]; trace: readonly string[] }>();
    await pool(todo, 4, async (m) => {
      const out = await prepareRemote(m.info, { ...s, fetcher, health, noisy: state.noisy, ...(opts.signal ? { signal: opts.signal } : {}) });
      m.remoteTried = true;
      if (out.fetched) {
        downloaded++;
        // Reload with what arrived; keep remoteTried so the next prepare does not ask again.
        if (m.symbolsLoaded) {
          m.reset();
          m.remoteTried = true;
        }
      }
      results.set(m, out);
    });
    // Report in module order, not completion order.
    for (const m of todo) {
      const r = results.get(m);
      if (r) {
        trace.push(...r.trace);
        warnings.push(...r.warnings);
      }
    }
    return { warnings, trace, downloaded };
  };
  return factory;
}

/** The factory behind a target's modules (the first one found), if they came from one. */
export function factoryForModules(modules: readonly Module[]): SymbolModuleFactory | undefined {
  for (const m of modules) {
    const f = owners.get(m);
    if (f) return f;
  }
  return undefined;
}

/**
 * Resets modules whose last load found neither a PDB nor a .sym, so a changed symbol path or
 * option gets its chance at their next use (WinDbg retries failed modules the same way).
 * Returns the modules reset.
 */
export function retryUnresolved(factory: SymbolModuleFactory | undefined): SymbolModule[] {
  return factory?.reload((m) => m.symbolKind === 'export' || m.symbolKind === 'none') ?? [];
}
