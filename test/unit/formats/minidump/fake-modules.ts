/** A ModuleFactory for reader tests: modules without symbols, and a record of what the reader passed. */
import type { ModuleFactory, ModuleInfo } from '../../../../src/target/module-info.js';
import type { ModuleSymbols } from '../../../../src/target/target.js';

const NO_SYMBOLS: ModuleSymbols = {
  kind: 'none',
  nearest: () => undefined,
  next: () => undefined,
  byName: () => [],
  all: () => [],
};

/** A factory plus the ModuleInfo records it received, in call order. */
export function recordingModules(): { factory: ModuleFactory; infos: ModuleInfo[] } {
  const infos: ModuleInfo[] = [];
  const factory: ModuleFactory = (info) => {
    infos.push(info);
    return {
      name: info.name,
      imageName: info.imageName,
      imagePath: info.imagePath,
      base: info.base,
      size: info.size,
      timestamp: info.timestamp,
      checksum: info.checksum,
      symbols: () => NO_SYMBOLS,
    };
  };
  return { factory, infos };
}
