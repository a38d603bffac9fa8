import { COMMANDS } from '../../commands/index.js';
import { Dispatcher } from '../repl/dispatcher.js';
import { Registry } from '../repl/registry.js';
import { createHttpFetcher } from '../symbols/http-fetcher.js';
import { createModuleFactory, type SymbolModuleFactory } from '../symbols/module-factory.js';
import type { Module } from '../target/target.js';
import { breakpadForModules, createSession } from './create-session.js';
import { openTarget } from './open-target.js';

/** Where to look for symbols and images when opening a dump. */
export interface SessionOptions {
  readonly symbolPath?: string;
  readonly imagePath?: string;
  /** Receives symbol-download progress lines (large files); default: none. */
  readonly onProgress?: (line: string, final: boolean) => void;
}

/**
 * Opens a dump or scenario and returns a dispatcher over a fresh session: the one place the
 * CLI, batch triage, the MCP server and the tests build a debugging session. The symbol and
 * image paths live here and are read at each load, so `.sympath`/`.exepath` take effect.
 */
export async function openSession(path: string, options: SessionOptions = {}): Promise<Dispatcher> {
  const paths = {
    symbol: options.symbolPath ?? process.env['_NT_SYMBOL_PATH'] ?? '',
    image: options.imagePath ?? process.env['_NT_EXECUTABLE_IMAGE_PATH'] ?? '',
  };
  let factory: SymbolModuleFactory | undefined;
  const target = await openTarget(path, {
    imagePath: () => paths.image,
    moduleFactory: (memory) =>
      (factory = createModuleFactory({
        symbolPath: () => paths.symbol,
        imagePath: () => paths.image,
        memory,
        fetcher: createHttpFetcher(options.onProgress ? { onProgress: options.onProgress } : {}),
      })),
  });
  const session = createSession(target, undefined, breakpadForModules(target.modules));
  Object.defineProperty(session, 'symbolPath', { get: () => paths.symbol, set: (v: string) => (paths.symbol = v), enumerable: true });
  Object.defineProperty(session, 'imagePath', { get: () => paths.image, set: (v: string) => (paths.image = v), enumerable: true });
  if (factory) {
    const f = factory;
    session.prepareSymbols = async (addresses, signal) => {
      const modules = new Set<Module>();
      for (const a of addresses) {
        const m = session.symbols.modules.find(a);
        if (m) modules.add(m);
      }
      if (modules.size === 0) return [];
      const report = await f.prepare([...modules], signal ? { signal } : {});
      return [...report.warnings];
    };
  }
  return new Dispatcher(new Registry(COMMANDS), session);
}
