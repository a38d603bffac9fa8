/**
 * The network half of symbol loading. Module.symbols() is synchronous and reads local files
 * only, so downloads happen here, ahead of use: for one module this fetches (into the symbol
 * path's caches) the image when its CodeView record is needed, then the PDB, then a Breakpad
 * .sym from non-Microsoft servers, then the image again when the exports must come from it.
 * A later symbols() finds the downloaded files through its ordinary local search.
 */
import { CancelledError } from '../errors.js';
import type { VirtualMemory } from '../memory/virtual-memory.js';
import type { CodeViewInfo, ModuleInfo } from '../target/module-info.js';
import { SymbolServerError } from './http-fetcher.js';
import { exportSymbols, imageCodeView, openImageFile, openMemoryImage } from './image-facts.js';
import { findImage, findPdb, type StoreLookup } from './store/locate.js';
import {
  findBreakpadSymWithRemote, findImageWithRemote, findPdbWithRemote, type RemoteFetcher, type RemoteSearchOptions,
} from './store/remote.js';
import type { SymbolPathElement } from './store/symbol-path.js';

/** Servers found unreachable, by URL, with the reason; shared by every module of a session. */
export type ServerHealth = Map<string, string>;

/** Inputs of one module's remote preparation. */
export interface RemoteEnv {
  readonly symbolElements: readonly SymbolPathElement[];
  readonly imageElements: readonly SymbolPathElement[];
  readonly cacheDir: string;
  readonly memory: VirtualMemory | undefined;
  readonly fetcher: RemoteFetcher;
  readonly health: ServerHealth;
  readonly noisy: boolean;
  readonly signal?: AbortSignal;
}

/** What one module's preparation did. */
export interface RemoteOutcome {
  /** At least one file was downloaded. */
  readonly fetched: boolean;
  /** At most one line: why a server could not be used for this module. */
  readonly warnings: readonly string[];
  /** `!sym noisy` lines (requests and their answers). */
  readonly trace: readonly string[];
}

const MICROSOFT_HOST = /(^|\.)msdl\.microsoft\.com$/i;

/** A fetcher that never throws for server trouble: it records it, marks the server down and says "not found". */
class GuardedFetcher implements RemoteFetcher {
  fetched = false;
  warning: string | undefined;
  readonly trace: string[] = [];
  private readonly asked = new Set<string>();

  constructor(
    private readonly inner: RemoteFetcher,
    private readonly health: ServerHealth,
    private readonly imageName: string,
    private readonly noisy: boolean,
  ) {}

  async fetch(url: string, relativePath: string, destPath: string, signal?: AbortSignal): Promise<boolean> {
    // The PDB and .sym lookups share a key directory: its file.ptr is asked for once.
    const key = `${url}\n${relativePath}`;
    if (this.asked.has(key)) return false;
    this.asked.add(key);
    const down = this.health.get(url);
    if (down !== undefined) {
      this.warn(url, down);
      return false;
    }
    if (this.noisy) this.trace.push(`SYMSRV:  HTTPGET: ${requestPath(url, relativePath)}`);
    try {
      const ok = await this.inner.fetch(url, relativePath, destPath, signal);
      if (this.noisy) this.trace.push(ok ? 'SYMSRV:  RESULT: 0x00000000' : 'SYMSRV:  HttpQueryInfo: 80190194 - HTTP_STATUS_NOT_FOUND');
      if (ok) this.fetched = true;
      return ok;
    } catch (e) {
      if (e instanceof CancelledError || !(e instanceof Error)) throw e;
      if (this.noisy) this.trace.push(`SYMSRV:  ${e.message}`);
      if (e instanceof SymbolServerError && e.reason === 'bad-path') return false;
      const reason = e instanceof SymbolServerError ? e.message : `${url}: ${e.message}`;
      // Unreachable or misbehaving: stop asking it this session so offline use never stalls.
      if (!(e instanceof SymbolServerError) || e.reason === 'network' || e.reason === 'timeout') this.health.set(url, reason);
      this.warn(url, reason);
      return false;
    }
  }

  private warn(url: string, reason: string): void {
    this.warning ??= `*** WARNING: symbol server ${url} is unavailable (${reason.replace(/^\S+: /, '')}); no download for ${this.imageName}`;
  }
}

function requestPath(url: string, relativePath: string): string {
  try {
    return `${new URL(url).pathname.replace(/\/+$/, '')}/${relativePath}`;
  } catch {
    return `${url}/${relativePath}`;
  }
}

function isMicrosoft(url: string): boolean {
  try {
    return MICROSOFT_HOST.test(new URL(url).hostname);
  } catch {
    return false;
  }
}

function usable(lookup: StoreLookup): string | undefined {
  return lookup.found && !lookup.found.compressed ? lookup.found.path : undefined;
}

function codeViewOfFile(file: string | undefined): CodeViewInfo | undefined {
  const img = file === undefined ? undefined : openImageFile(file);
  try {
    return img ? imageCodeView(img.image) : undefined;
  } finally {
    img?.close();
  }
}

/** Downloads what `info` will need (see the file comment); never throws for network trouble. */
export async function prepareRemote(info: ModuleInfo, env: RemoteEnv): Promise<RemoteOutcome> {
  const guard = new GuardedFetcher(env.fetcher, env.health, info.imageName, env.noisy);
  // No expandInto: a downloaded `.pd_` expands in the store it was downloaded to, as symsrv does.
  const base = { defaultStore: env.cacheDir, remote: guard, ...(env.signal ? { signal: env.signal } : {}) };
  const symOpts: RemoteSearchOptions = { ...base, symbolPath: env.symbolElements };
  const imgOpts: RemoteSearchOptions = { ...base, symbolPath: env.imageElements };
  const local = { defaultStore: env.cacheDir, expandInto: env.cacheDir };
  const identity = { name: info.imageName, timestamp: info.timestamp, size: info.size };
  let imageTried = false;
  const fetchImage = async (): Promise<string | undefined> => {
    imageTried = true;
    if (info.timestamp === 0) return undefined;
    const here = usable(findImage(identity, { ...local, symbolPath: env.imageElements }));
    return here ?? usable(await findImageWithRemote(identity, imgOpts));
  };
  const done = (): RemoteOutcome => ({ fetched: guard.fetched, warnings: guard.warning ? [guard.warning] : [], trace: guard.trace });

  const mem = openMemoryImage(env.memory, info.base, info.size);
  let cv = info.codeView ?? (mem ? imageCodeView(mem.image) : undefined);
  if (!cv) cv = codeViewOfFile(await fetchImage());
  if (cv) {
    if (usable(findPdb(cv, { ...local, symbolPath: env.symbolElements })) ?? usable(await findPdbWithRemote(cv, symOpts))) return done();
    const breakpadServers = env.symbolElements.filter((e) => e.kind !== 'server' || e.url === undefined || !isMicrosoft(e.url));
    if (breakpadServers.some((e) => e.kind === 'server' && e.url !== undefined)) {
      if (usable(await findBreakpadSymWithRemote(cv, { ...symOpts, symbolPath: breakpadServers }))) return done();
    }
  }
  const memExports = mem ? exportSymbols(mem.image) : undefined;
  if ((!memExports || memExports.length === 0) && !imageTried) await fetchImage();
  return done();
}
