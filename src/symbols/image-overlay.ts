import { fileImageReader, type FileImageReader } from '../formats/pe/file-image-reader.js';
import type { VirtualMemory } from '../memory/virtual-memory.js';
import type { ReadableRegions, Span } from '../memory/search.js';
import type { Module } from '../target/target.js';
import { findImage } from './store/locate.js';
import { ModuleIndex } from './module-index.js';

/**
 * Module images found on the image path (`-i`, `.exepath`), mapped at their load addresses.
 * Layered under a dump's memory, it supplies headers, code and `.pdata` that the dump lacks
 * (triage dumps hold no module pages at all). Images are matched by timestamp and size, opened
 * on first use, and kept open for the session.
 */
export class ImageOverlay implements VirtualMemory, ReadableRegions {
  private readonly index: ModuleIndex;
  private readonly readers = new Map<Module, FileImageReader | null>();

  constructor(
    modules: readonly Module[],
    private readonly imagePath: () => string,
  ) {
    this.index = new ModuleIndex(modules);
  }

  /** The image file path used for a module, if one was found. */
  imageFile(module: Module): string | undefined {
    return this.lookup(module)?.path;
  }

  private lookup(module: Module): { path: string } | undefined {
    const path = this.imagePath();
    if (!path) return undefined;
    const hit = findImage({ name: module.imageName, timestamp: module.timestamp, size: module.size }, { symbolPath: path });
    return hit.found;
  }

  private reader(module: Module): FileImageReader | undefined {
    let r = this.readers.get(module);
    if (r === undefined) {
      const found = this.lookup(module);
      try {
        r = found ? fileImageReader(found.path) : null;
      } catch {
        r = null;
      }
      this.readers.set(module, r);
    }
    return r ?? undefined;
  }

  /** Module ranges backed by an image file, so a search need not probe the rest page by page. */
  readableRegions(start: bigint, end: bigint): Span[] {
    const spans: Span[] = [];
    for (const m of this.index.all) {
      const mEnd = m.base + BigInt(m.size);
      if (mEnd <= start || m.base >= end || !this.reader(m)) continue;
      spans.push({ start: m.base > start ? m.base : start, end: mEnd < end ? mEnd : end });
    }
    return spans;
  }

  readPartial(address: bigint, length: number): Uint8Array {
    const module = this.index.find(address);
    if (!module) return new Uint8Array(0);
    const reader = this.reader(module);
    if (!reader) return new Uint8Array(0);
    const rva = Number(address - module.base);
    const n = Math.min(length, module.size - rva);
    return n > 0 ? reader.read(rva, n) : new Uint8Array(0);
  }
}
