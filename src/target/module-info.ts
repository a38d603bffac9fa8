import type { Module } from './target.js';

/** CodeView identity of an image's PDB (RSDS: GUID + age; NB10: signature + age). */
export interface CodeViewInfo {
  readonly pdbName: string;
  /** Uppercase GUID hex without dashes (32 chars) for RSDS, or the 8-digit signature for NB10. */
  readonly guid: string;
  readonly age: number;
}

/** What a dump reader knows about a loaded image before symbols are considered. */
export interface ModuleInfo {
  readonly name: string;
  readonly imageName: string;
  readonly imagePath: string;
  readonly base: bigint;
  readonly size: number;
  readonly timestamp: number;
  readonly checksum: number;
  readonly codeView?: CodeViewInfo;
  /** VS_FIXEDFILEINFO versions when the dump records them (minidumps). */
  readonly fileVersion?: string;
  readonly productVersion?: string;
}

/**
 * Turns reader facts into a Module with lazily loaded symbols. Dump readers take one of these
 * so that symbol policy (PDB, .sym, exports, none) lives in src/symbols, not in the readers.
 */
export type ModuleFactory = (info: ModuleInfo) => Module;

/** Module name WinDbg derives from an image name: `ntkrnlmp.exe` -> `nt` is special-cased by callers; `hal.dll` -> `hal`. */
export function moduleNameFromImage(imageName: string): string {
  const base = imageName.replace(/^.*[\\/]/, '');
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(0, dot) : base;
}
