import path from 'node:path';
import type { CodeViewInfo } from '../../target/module-info.js';
import {
  breakpadTarget, findLocal, imageTarget, pdbTarget,
  type LookupTarget, type StoreLookup, type StoreSearchOptions,
} from './locate.js';
import { breakpadSymName, compressedName, type ImageIdentity } from './store-keys.js';
import { parseSymbolPath } from './symbol-path.js';

/**
 * The seam for HTTP symbol servers: crashkd's store code never opens sockets itself. An
 * implementation downloads `<url>/<relativePath>` (following redirects, as msdl needs) into
 * `destPath`, creating directories, and writes atomically.
 */
export interface RemoteFetcher {
  /** Resolves true when the file was written, false when the server does not have it (404). */
  fetch(url: string, relativePath: string, destPath: string, signal?: AbortSignal): Promise<boolean>;
}

/** Options for a lookup that may go to the network. */
export interface RemoteSearchOptions extends StoreSearchOptions {
  readonly remote: RemoteFetcher;
  readonly signal?: AbortSignal;
}

/**
 * Local lookup first; then, for each `srv*...*url` element left to right, asks `remote` for
 * `<file>/<key>/<leaf>`, its compressed form and `file.ptr`, downloading into the element's first
 * local store (else the nearest `cache*` to its left, else the default store) and validating the
 * download exactly as a local hit.
 */
export async function findWithRemote(target: LookupTarget | undefined, options: RemoteSearchOptions, leaf?: string): Promise<StoreLookup> {
  const local = findLocal(target, options, leaf);
  if (local.found || !target) return local;
  const tried = [...local.tried];
  const rejected = [...local.rejected];
  const elements = typeof options.symbolPath === 'string' ? parseSymbolPath(options.symbolPath) : options.symbolPath;
  let cache: string | undefined;
  for (const e of elements) {
    if (e.kind === 'cache') cache = e.path ?? options.defaultStore;
    if (e.kind !== 'server' || e.url === undefined) continue;
    const downstream = e.stores.length > 0 ? (e.stores[0] ?? options.defaultStore) : (cache ?? options.defaultStore);
    if (downstream === undefined) {
      rejected.push({ path: e.url, reason: 'no local store to download into' });
      continue;
    }
    const name = leaf ?? target.file;
    for (const file of [name, compressedName(name), 'file.ptr']) {
      const rel = `${target.file}/${target.key}/${file}`;
      const dest = path.resolve(downstream, rel);
      tried.push(`${e.url.replace(/\/+$/, '')}/${rel}`);
      if (!dest.startsWith(path.resolve(downstream) + path.sep)) continue;
      if (!(await options.remote.fetch(e.url, rel, dest, options.signal))) continue;
      const store = { kind: 'server', stores: [downstream] } as const;
      const hit = findLocal(target, { symbolPath: [store], expandInto: options.expandInto ?? downstream }, leaf);
      rejected.push(...hit.rejected);
      if (hit.found) return { found: hit.found, tried, rejected };
    }
  }
  return { tried, rejected };
}

/** PDB lookup with network fallback. */
export function findPdbWithRemote(cv: CodeViewInfo, options: RemoteSearchOptions): Promise<StoreLookup> {
  return findWithRemote(pdbTarget(cv), options);
}

/** Breakpad .sym lookup with network fallback (Mozilla/Breakpad symbol servers). */
export function findBreakpadSymWithRemote(cv: CodeViewInfo, options: RemoteSearchOptions): Promise<StoreLookup> {
  const target = breakpadTarget(cv);
  return findWithRemote(target, options, target && breakpadSymName(target.file));
}

/** Image lookup with network fallback. */
export function findImageWithRemote(image: ImageIdentity, options: RemoteSearchOptions): Promise<StoreLookup> {
  return findWithRemote(imageTarget(image), options);
}
