import { memoryImageReader } from '../formats/pe/image-reader.js';
import { PeImage } from '../formats/pe/pe-image.js';
import type { VirtualMemory } from '../memory/virtual-memory.js';
import type { ModuleFactory, ModuleInfo } from '../target/module-info.js';
import type { Module, ModuleSymbols } from '../target/target.js';
import { SortedSymbols, symbolLoadMessages } from './sorted-symbols.js';

/** Export symbols read from the image in memory, or none when the headers are not there. */
function exportSymbols(info: ModuleInfo, memory: VirtualMemory | undefined): ModuleSymbols {
  if (memory) {
    try {
      const image = PeImage.open(memoryImageReader(memory, info.base), info.size);
      const exports = (image.exports()?.exports ?? []).flatMap((e) => (e.name ? [{ name: e.name, rva: e.rva }] : []));
      return new SortedSymbols('export', exports, symbolLoadMessages.export(info.imageName), info.imageName);
    } catch {
      // Headers missing or malformed: fall through to "no symbols".
    }
  }
  return new SortedSymbols('none', [], symbolLoadMessages.none(info.imageName));
}

/**
 * Modules without a symbol path: export symbols when the image headers are readable, else
 * none. The symbol-path-aware factory in src/symbols replaces it when symbols are configured.
 */
export function basicModuleFactory(memory: () => VirtualMemory | undefined): ModuleFactory {
  return (info: ModuleInfo): Module => {
    let symbols: ModuleSymbols | undefined;
    return { ...info, symbols: () => (symbols ??= exportSymbols(info, memory())) };
  };
}
