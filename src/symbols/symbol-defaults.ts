import os from 'node:os';
import path from 'node:path';
import { formatSymbolPath, parseSymbolPath, type SymbolPathElement } from './store/symbol-path.js';

/** Microsoft's public symbol server, as `.symfix` sets it. */
export const MICROSOFT_SYMBOL_SERVER = 'https://msdl.microsoft.com/download/symbols';

/** The default downstream store: `~/.crashkd/symbols` (stands for empty `srv**url` / `cache*` tokens). */
export function defaultSymbolCache(): string {
  return path.join(os.homedir(), '.crashkd', 'symbols');
}

/** The path `.symfix [cache]` sets: `srv*<cache>*https://msdl.microsoft.com/download/symbols`. */
export function symfixPath(cache: string = defaultSymbolCache()): string {
  return `srv*${cache}*${MICROSOFT_SYMBOL_SERVER}`;
}

/**
 * Parses a symbol path and fills in what WinDbg fills in: a bare `srv*` means the default store
 * plus Microsoft's server, and empty store tokens (`srv**url`, `cache*`) mean `defaultCache`.
 */
export function expandSymbolPath(text: string, defaultCache: string): SymbolPathElement[] {
  return parseSymbolPath(text).map((e): SymbolPathElement => {
    if (e.kind === 'cache') return { kind: 'cache', path: e.path ?? defaultCache };
    if (e.kind !== 'server') return e;
    const stores = e.stores.map((s) => s ?? defaultCache);
    const bare = e.url === undefined && e.stores.every((s) => s === undefined);
    const url = bare ? MICROSOFT_SYMBOL_SERVER : e.url;
    return { kind: 'server', stores, ...(url !== undefined ? { url } : {}), ...(e.dll !== undefined ? { dll: e.dll } : {}) };
  });
}

/** The `Expanded Symbol search path is:` text for a symbol path. */
export function expandedSymbolPathText(text: string, defaultCache: string): string {
  return formatSymbolPath(expandSymbolPath(text, defaultCache));
}

/** True when any element names an http(s) server. */
export function hasRemoteServer(elements: readonly SymbolPathElement[]): boolean {
  return elements.some((e) => e.kind === 'server' && e.url !== undefined);
}

/**
 * Joins two path strings with `;` (for `.sympath+` and the image search, which also looks in
 * the symbol path), skipping empty ones.
 */
export function joinSymbolPaths(...paths: readonly string[]): string {
  return paths.map((p) => p.trim()).filter((p) => p !== '').join(';');
}
