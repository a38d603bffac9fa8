/**
 * Chooses and opens the best symbols for one module, synchronously and from local files only
 * (downloads happen earlier, in `prepareRemote`, into stores this search covers):
 * a PDB matched by CodeView GUID+age, then a Breakpad .sym, then the export table read from
 * target memory or from the image file, then nothing. Messages follow WinDbg's wording.
 */
import { DebuggerError } from '../errors.js';
import { BreakpadSymbols } from '../formats/breakpad/breakpad-symbols.js';
import { PdbFile } from '../formats/pdb/pdb-file.js';
import { PdbSymbols } from '../formats/pdb/pdb-symbols.js';
import type { VirtualMemory } from '../memory/virtual-memory.js';
import type { CodeViewInfo, ModuleInfo } from '../target/module-info.js';
import type { ModuleSymbols, SymbolKind } from '../target/target.js';
import {
  exportSymbols, imageCodeView, imageSections, isCodeSection, openImageFile, openMemoryImage, type OpenedImage, type SectionRange,
} from './image-facts.js';
import { SortedSymbols, symbolLoadMessages } from './sorted-symbols.js';
import { findBreakpadSym, findImage, findPdb, type StoreLookup, type StoreSearchOptions } from './store/locate.js';
import { pdbKey } from './store/store-keys.js';
import type { SymbolPathElement } from './store/symbol-path.js';

/** Everything a load depends on, read fresh at each load. */
export interface LoaderEnv {
  /** Expanded symbol path (default store filled in, cache root appended). */
  readonly symbolElements: readonly SymbolPathElement[];
  /** Where images are searched: the image path, then the symbol path. */
  readonly imageElements: readonly SymbolPathElement[];
  /** Default store, and where compressed hits are expanded. */
  readonly cacheDir: string;
  readonly memory: VirtualMemory | undefined;
  /** SYMOPT_LOAD_ANYTHING: accept a PDB whose GUID/age differ. */
  readonly loose: boolean;
  /** `!sym noisy`: put the search trace into the load message. */
  readonly noisy: boolean;
}

/** The outcome of loading one module's symbols. */
export interface SymbolLoad {
  readonly symbols: ModuleSymbols;
  readonly kind: SymbolKind;
  /** PDB or .sym path; the image file the exports came from; undefined otherwise. */
  readonly path?: string;
  /** The PDB has type information (WinDbg: `private symbols & lines`, lm `(private pdb symbols)`). */
  readonly privateSymbols: boolean;
  /** Loaded although GUID/age differ (loose matching; lm status `M`). */
  readonly mismatched: boolean;
  /** The CodeView identity used (from the dump, memory or the image file). */
  readonly codeView?: CodeViewInfo;
  /** Tells functions from data for `x` (undefined: unknown). */
  isCode(rva: number): boolean | undefined;
}

/** A stripped (public) PDB keeps no source file lists; a private one does (WinDbg: `private symbols & lines`). */
function hasSourceInfo(pdb: PdbFile): boolean {
  return pdb.dbi.modules.some((m) => m.sourceFileCount > 0);
}

/** Noisy trace lines for a store lookup, in dbghelp/symsrv style. */
function traceLookup(lookup: StoreLookup, key: string | undefined): string[] {
  const lines: string[] = [];
  // Case variants of one location are one probe to the user (Windows paths ignore case).
  const seen = new Set<string>(lookup.found ? [lookup.found.path.toLowerCase()] : []);
  for (const p of lookup.tried) {
    if (seen.has(p.toLowerCase())) continue;
    seen.add(p.toLowerCase());
    if (lookup.rejected.some((r) => r.path === p)) continue;
    lines.push(key !== undefined && p.includes(key) ? `SYMSRV:  ${p} not found` : `DBGHELP: ${p} - file not found`);
  }
  for (const r of lookup.rejected) {
    const mismatch = /^(GUID|age|MODULE id)/.test(r.reason);
    lines.push(`DBGHELP: ${r.path} - ${mismatch ? 'mismatched pdb' : r.reason}`);
  }
  return lines;
}

/** A rejected candidate that differs only in identity (usable under loose matching). */
function mismatchedCandidate(lookup: StoreLookup): string | undefined {
  return lookup.rejected.find((r) => /^(GUID|age) mismatch/.test(r.reason))?.path;
}

/** Lazily opened images of one module (memory first, then the image file). */
class ImageAccess {
  private mem: OpenedImage | undefined | null = null;
  private file: OpenedImage | undefined | null = null;
  readonly trace: string[] = [];

  constructor(
    private readonly info: ModuleInfo,
    private readonly env: LoaderEnv,
  ) {}

  memory(): OpenedImage | undefined {
    if (this.mem === null) this.mem = openMemoryImage(this.env.memory, this.info.base, this.info.size);
    return this.mem;
  }

  imageFile(): OpenedImage | undefined {
    if (this.file !== null) return this.file;
    this.file = undefined;
    // Without a timestamp there is no store key, and a folder hit could not be verified.
    if (this.env.imageElements.length === 0 || this.info.timestamp === 0) return undefined;
    const options: StoreSearchOptions = { symbolPath: this.env.imageElements, defaultStore: this.env.cacheDir, expandInto: this.env.cacheDir };
    const lookup = findImage({ name: this.info.imageName, timestamp: this.info.timestamp, size: this.info.size }, options);
    if (this.env.noisy) this.trace.push(...traceLookup(lookup, undefined));
    if (lookup.found && !lookup.found.compressed) this.file = openImageFile(lookup.found.path);
    return this.file;
  }

  close(): void {
    if (this.mem) this.mem.close();
    if (this.file) this.file.close();
  }
}

function sectionsOf(images: ImageAccess, pdb: PdbFile | undefined): SectionRange[] | undefined {
  const img = images.memory() ?? images.imageFile();
  if (img) return imageSections(img.image);
  if (!pdb) return undefined;
  try {
    return pdb.addressMap().sections.map((s) => ({ start: s.virtualAddress, end: s.virtualAddress + s.virtualSize, code: isCodeSection(s.characteristics) }));
  } catch (e) {
    if (e instanceof DebuggerError) return undefined;
    throw e;
  }
}

function codeTest(sections: readonly SectionRange[] | undefined): (rva: number) => boolean | undefined {
  return (rva) => sections?.find((s) => rva >= s.start && rva < s.end)?.code;
}

/** Loads the best available symbols for `info` (see the file comment for the order). */
export function loadModuleSymbols(info: ModuleInfo, env: LoaderEnv): SymbolLoad {
  const images = new ImageAccess(info, env);
  try {
    return load(info, env, images);
  } finally {
    images.close();
  }
}

function load(info: ModuleInfo, env: LoaderEnv, images: ImageAccess): SymbolLoad {
  const trace: string[] = [];
  const store: StoreSearchOptions = { symbolPath: env.symbolElements, defaultStore: env.cacheDir, expandInto: env.cacheDir };
  let cv = info.codeView;
  if (!cv) {
    const mem = images.memory();
    cv = mem ? imageCodeView(mem.image) : undefined;
    if (!cv) {
      const file = images.imageFile();
      cv = file ? imageCodeView(file.image) : undefined;
      if (!file && env.noisy) trace.push(`Unable to load image ${info.imagePath}, Win32 error 0n2`);
    }
  }
  const withCv = cv ? { codeView: cv } : {};
  if (cv && env.symbolElements.length > 0) {
    const key = pdbKey(cv);
    const pdb = findPdb(cv, store);
    if (env.noisy) trace.push(...traceLookup(pdb, key));
    let pdbPath = pdb.found && !pdb.found.compressed ? pdb.found.path : undefined;
    const mismatched = pdbPath === undefined && env.loose ? mismatchedCandidate(pdb) : undefined;
    pdbPath ??= mismatched;
    if (pdbPath !== undefined) {
      const opened = openPdb(pdbPath);
      if (opened) {
        const priv = hasSourceInfo(opened.pdb);
        const note = env.noisy ? [...trace, `DBGHELP: ${info.name} - ${priv ? 'private symbols & lines ' : 'public symbols  '}`, `        ${pdbPath}`] : [];
        const symbols = new PdbSymbols(opened.pdb, { file: pdbPath, ...(note.length > 0 ? { loadMessage: note.join('\n') } : {}) });
        const isCode = codeTest(sectionsOf(images, opened.pdb));
        return { symbols, kind: 'pdb', path: pdbPath, privateSymbols: priv, mismatched: mismatched !== undefined, ...withCv, isCode };
      }
      if (env.noisy) trace.push(`DBGHELP: ${pdbPath} - unreadable pdb`);
    }
    const sym = findBreakpadSym(cv, store);
    if (env.noisy) trace.push(...traceLookup(sym, key));
    if (sym.found && !sym.found.compressed) {
      const symPath = sym.found.path;
      const note = env.noisy ? [...trace, `DBGHELP: ${info.name} - breakpad symbols`, `        ${symPath}`] : [];
      const symbols = BreakpadSymbols.open(symPath, { file: symPath, ...(note.length > 0 ? { loadMessage: note.join('\n') } : {}) });
      return { symbols, kind: 'breakpad', path: symPath, privateSymbols: false, mismatched: false, ...withCv, isCode: codeTest(sectionsOf(images, undefined)) };
    }
  }
  const warning = info.timestamp === 0 ? [`*** WARNING: Unable to verify timestamp for ${info.imageName}`] : [];
  let fromImage = images.memory();
  let exports = fromImage ? exportSymbols(fromImage.image) : undefined;
  if (!exports || exports.length === 0) {
    fromImage = images.imageFile();
    exports = fromImage ? exportSymbols(fromImage.image) : undefined;
  }
  trace.push(...images.trace);
  const isCode = codeTest(sectionsOf(images, undefined));
  if (exports && exports.length > 0) {
    const lines = [...warning, ...(env.noisy ? trace : []), symbolLoadMessages.export(info.imageName), ...(env.noisy ? [`DBGHELP: ${info.name} - export symbols`] : [])];
    const symbols = new SortedSymbols('export', exports, lines.join('\n'), info.imageName);
    return { symbols, kind: 'export', ...(fromImage && fromImage.from !== 'memory' ? { path: fromImage.from } : {}), privateSymbols: false, mismatched: false, ...withCv, isCode };
  }
  const lines = [...warning, ...(env.noisy ? trace : []), symbolLoadMessages.none(info.imageName), ...(env.noisy ? [`DBGHELP: ${info.name} - no symbols loaded`] : [])];
  return { symbols: new SortedSymbols('none', [], lines.join('\n')), kind: 'none', privateSymbols: false, mismatched: false, ...withCv, isCode };
}

function openPdb(path: string): { pdb: PdbFile } | undefined {
  try {
    return { pdb: PdbFile.open(path) };
  } catch (e) {
    if (e instanceof DebuggerError) return undefined;
    if (e instanceof Error && 'code' in e) return undefined;
    throw e;
  }
}
