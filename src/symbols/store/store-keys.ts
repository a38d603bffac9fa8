import type { CodeViewInfo } from '../../target/module-info.js';

/** An image's identity for symbol-store lookups. */
export interface ImageIdentity {
  /** File name (`amdppm.sys`); a path is reduced to its last component. */
  readonly name: string;
  readonly timestamp: number;
  readonly size: number;
}

/**
 * The last path component of a name taken from a dump or a PDB, or undefined when it is not a
 * safe single file name (empty, `.`/`..`, drive letters, NUL). Store paths are built only from
 * names that pass, so nothing read from a dump can point outside a store.
 */
export function safeFileName(name: string): string | undefined {
  const base = name.replace(/^.*[\\/]/, '');
  if (base === '' || base === '.' || base === '..' || /[:\0]/.test(base)) return undefined;
  return base;
}

/** Store key of a PDB: GUID (or NB10 signature) uppercase hex + age in hex, no padding. */
export function pdbKey(cv: CodeViewInfo): string {
  return `${cv.guid.toUpperCase()}${(cv.age >>> 0).toString(16).toUpperCase()}`;
}

/** Store key of an image: TimeDateStamp `%08X` then SizeOfImage `%x`. */
export function imageKey(image: ImageIdentity): string {
  return `${(image.timestamp >>> 0).toString(16).toUpperCase().padStart(8, '0')}${(image.size >>> 0).toString(16)}`;
}

/** The symstore "compressed" spelling: last character replaced by `_` (`ntkrnlmp.pd_`). */
export function compressedName(name: string): string {
  return `${name.slice(0, -1)}_`;
}

/** The .sym name Breakpad files beside a PDB key: `test_app.pdb` -> `test_app.sym`. */
export function breakpadSymName(pdbName: string): string {
  return /\.pdb$/i.test(pdbName) ? `${pdbName.slice(0, -4)}.sym` : `${pdbName}.sym`;
}

/** Distinct spellings to try, in order: as given, then lower case (case-sensitive caches). */
export function caseVariants(text: string): string[] {
  const out = [text];
  for (const v of [text.toLowerCase(), text.toUpperCase()]) if (!out.includes(v)) out.push(v);
  return out;
}

/** A key directory below a store root and the spelling of the file inside it. */
export interface KeyLocation {
  readonly dir: string;
  readonly file: string;
}

/**
 * Key directories (relative to a store root) for a file and key: the single-tier layout
 * `<file>/<key>` or, when `twoTier`, the index2 layout `<first 2 chars>/<file>/<key>` (one char
 * when the second is `.`). Case variants come after the spelling as given.
 */
export function keyLocations(file: string, key: string, twoTier: boolean): KeyLocation[] {
  const out: KeyLocation[] = [];
  const seen = new Set<string>();
  for (const f of caseVariants(file)) {
    for (const k of caseVariants(key)) {
      const prefix = f[1] === '.' ? f.slice(0, 1) : f.slice(0, 2);
      const dir = twoTier ? `${prefix}/${f}/${k}` : `${f}/${k}`;
      if (!seen.has(dir)) out.push({ dir, file: f });
      seen.add(dir);
    }
  }
  return out;
}
