import { mkdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { CodeViewInfo } from '../../target/module-info.js';
import { expandCabinet } from './cabinet.js';
import { checkImageIdentity, checkPdbIdentity, checkSymIdentity, type IdentityCheck } from './identity.js';
import {
  breakpadSymName, compressedName, imageKey, keyLocations, pdbKey, safeFileName, type ImageIdentity,
} from './store-keys.js';
import { parseSymbolPath, type SymbolPathElement } from './symbol-path.js';

/** Where and how to search. */
export interface StoreSearchOptions {
  /** `.sympath` text or already parsed elements. */
  readonly symbolPath: string | readonly SymbolPathElement[];
  /** Directory standing for empty store tokens (`srv**url`, `cache*`); those are skipped without it. */
  readonly defaultStore?: string;
  /**
   * Directory (a store root) where compressed `.pd_`-style hits are expanded, as symsrv expands
   * into the downstream store. Without it a compressed hit is returned unvalidated, `compressed`.
   */
  readonly expandInto?: string;
}

/** A file that was found. */
export interface LocatedFile {
  readonly path: string;
  /** `folder`: `<dir>/<file>`; `store`: `<store>/<file>/<key>/<file>`; `pointer`: via file.ptr; `expanded`: from a cabinet. */
  readonly how: 'folder' | 'store' | 'pointer' | 'expanded';
  /** True when `path` is a cabinet that was not expanded (and so not validated). */
  readonly compressed?: boolean;
}

/** Result of one lookup: the hit, plus what was tried (for `!sym noisy`-style diagnostics). */
export interface StoreLookup {
  readonly found?: LocatedFile;
  readonly tried: readonly string[];
  readonly rejected: readonly { readonly path: string; readonly reason: string }[];
}

/** One local directory to search, as derived from the symbol path. */
export interface SearchRoot {
  readonly dir: string;
  /** `folder` roots also accept `<dir>/<file>`; `store` roots only the key layout. */
  readonly kind: 'folder' | 'store';
}

/** The local directories a symbol path names, in search order (duplicates removed). */
export function searchRoots(elements: readonly SymbolPathElement[], defaultStore?: string): SearchRoot[] {
  const roots: SearchRoot[] = [];
  const add = (dir: string | undefined, kind: SearchRoot['kind']) => {
    if (dir === undefined || roots.some((r) => r.dir === dir && r.kind === kind)) return;
    roots.push({ dir, kind });
  };
  for (const e of elements) {
    if (e.kind === 'folder') add(e.path, 'folder');
    else if (e.kind === 'cache') add(e.path ?? defaultStore, 'store');
    else for (const s of e.stores) add(s ?? defaultStore, 'store');
  }
  return roots;
}

/** What is being looked for: its store file name, key and identity check. */
export interface LookupTarget {
  readonly file: string;
  readonly key: string;
  readonly check: (path: string) => IdentityCheck;
}

/** Target for the PDB of a CodeView record (`name.pdb/GUIDAGE/name.pdb`). */
export function pdbTarget(cv: CodeViewInfo): LookupTarget | undefined {
  const file = safeFileName(cv.pdbName);
  return file === undefined ? undefined : { file, key: pdbKey(cv), check: (p) => checkPdbIdentity(p, cv) };
}

/** Target for a Breakpad .sym filed under the PDB key (`name.pdb/GUIDAGE/name.sym`). */
export function breakpadTarget(cv: CodeViewInfo): LookupTarget | undefined {
  const pdb = safeFileName(cv.pdbName);
  return pdb === undefined ? undefined : { file: pdb, key: pdbKey(cv), check: (p) => checkSymIdentity(p, cv) };
}

/** Target for an image (`name/TIMESTAMPSIZE/name`). */
export function imageTarget(image: ImageIdentity): LookupTarget | undefined {
  const file = safeFileName(image.name);
  return file === undefined ? undefined : { file, key: imageKey(image), check: (p) => checkImageIdentity(p, image) };
}

/** Finds the PDB matching `cv` in the local folders and stores of the symbol path. */
export function findPdb(cv: CodeViewInfo, options: StoreSearchOptions): StoreLookup {
  return findLocal(pdbTarget(cv), options);
}

/** Finds a Breakpad .sym for `cv` (`name.pdb/GUIDAGE/name.sym`, or `<dir>/name.sym` in folders). */
export function findBreakpadSym(cv: CodeViewInfo, options: StoreSearchOptions): StoreLookup {
  const target = breakpadTarget(cv);
  return findLocal(target, options, target && breakpadSymName(target.file));
}

/** Finds an image file (`name/TIMESTAMPSIZE/name`, or `<dir>/name` in folders). */
export function findImage(image: ImageIdentity, options: StoreSearchOptions): StoreLookup {
  return findLocal(imageTarget(image), options);
}

/**
 * Searches every local root for `target`. `leaf` is the file name inside the key directory when
 * it differs from the store file name (Breakpad: `x.pdb/KEY/x.sym`).
 */
export function findLocal(target: LookupTarget | undefined, options: StoreSearchOptions, leaf?: string): StoreLookup {
  const tried: string[] = [];
  const rejected: { path: string; reason: string }[] = [];
  if (!target) return { tried, rejected: [{ path: '', reason: 'file name is not a safe single path component' }] };
  const elements = typeof options.symbolPath === 'string' ? parseSymbolPath(options.symbolPath) : options.symbolPath;
  const accept = (p: string, how: LocatedFile['how']): LocatedFile | undefined => {
    tried.push(p);
    if (!isFile(p)) return undefined;
    const verdict = target.check(p);
    if (verdict.ok) return { path: p, how };
    rejected.push({ path: p, reason: verdict.reason });
    return undefined;
  };
  for (const root of searchRoots(elements, options.defaultStore)) {
    if (root.kind === 'folder') {
      const hit = accept(path.join(root.dir, leaf ?? target.file), 'folder');
      if (hit) return { found: hit, tried, rejected };
    }
    const found = searchStore(root.dir, target, leaf, options, accept, tried, rejected);
    if (found) return { found, tried, rejected };
  }
  return { tried, rejected };
}

/** Key-directory candidates in one store root: the file, its compressed form, then file.ptr. */
function searchStore(
  root: string,
  target: LookupTarget,
  leaf: string | undefined,
  options: StoreSearchOptions,
  accept: (p: string, how: LocatedFile['how']) => LocatedFile | undefined,
  tried: string[],
  rejected: { path: string; reason: string }[],
): LocatedFile | undefined {
  const twoTier = isFile(path.join(root, 'index2.txt'));
  const locations = [...(twoTier ? keyLocations(target.file, target.key, true) : []), ...keyLocations(target.file, target.key, false)];
  for (const loc of locations) {
    const dir = path.join(root, loc.dir);
    if (!isDirectory(dir)) {
      tried.push(path.join(dir, leaf ?? loc.file));
      continue;
    }
    const name = leaf ?? loc.file;
    const hit = accept(path.join(dir, name), 'store');
    if (hit) return hit;
    const cab = path.join(dir, compressedName(name));
    tried.push(cab);
    if (isFile(cab)) {
      const expanded = expand(cab, target, loc.dir, name, options, rejected);
      if (expanded) return expanded;
    }
    const ptr = path.join(dir, 'file.ptr');
    tried.push(ptr);
    if (isFile(ptr)) {
      const pointed = followPointer(ptr, rejected);
      const hit2 = pointed === undefined ? undefined : accept(pointed, 'pointer');
      if (hit2) return hit2;
    }
  }
  return undefined;
}

function expand(
  cab: string,
  target: LookupTarget,
  keyDir: string,
  name: string,
  options: StoreSearchOptions,
  rejected: { path: string; reason: string }[],
): LocatedFile | undefined {
  if (options.expandInto === undefined) return { path: cab, how: 'store', compressed: true };
  const root = path.resolve(options.expandInto);
  const dest = path.resolve(root, keyDir, name);
  // Names were checked by safeFileName; this guards the join itself.
  if (!dest.startsWith(root + path.sep)) {
    rejected.push({ path: cab, reason: `expansion target ${dest} escapes ${root}` });
    return undefined;
  }
  // An earlier session may have expanded this cabinet already: reuse it when it still matches.
  if (isFile(dest) && target.check(dest).ok) return { path: dest, how: 'expanded' };
  try {
    mkdirSync(path.dirname(dest), { recursive: true });
    expandCabinet(cab, dest);
  } catch (err) {
    rejected.push({ path: cab, reason: err instanceof Error ? err.message : String(err) });
    return undefined;
  }
  const verdict = target.check(dest);
  if (verdict.ok) return { path: dest, how: 'expanded' };
  rejected.push({ path: dest, reason: verdict.reason });
  return undefined;
}

/** Reads a symstore `file.ptr`: `PATH:<path>` or a bare path; `MSG:<text>` means "not available". */
function followPointer(ptr: string, rejected: { path: string; reason: string }[]): string | undefined {
  const text = readFileSync(ptr, 'utf8').slice(0, 4096).trim();
  if (/^MSG:/i.test(text)) {
    rejected.push({ path: ptr, reason: text.slice(4).trim() });
    return undefined;
  }
  const target = text.replace(/^PATH:/i, '').trim();
  if (target === '') {
    rejected.push({ path: ptr, reason: 'empty file.ptr' });
    return undefined;
  }
  return path.isAbsolute(target) || /^\\\\/.test(target) ? target : path.resolve(path.dirname(ptr), target);
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

