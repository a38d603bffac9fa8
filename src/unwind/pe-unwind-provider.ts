/**
 * Unwind data from the PE images of loaded modules: each module's headers and .pdata are read
 * on first use (from target memory, with an optional image file filling paged-out ranges) and
 * cached for the session.
 */
import { DebuggerError } from '../errors.js';
import type { VirtualMemory } from '../memory/virtual-memory.js';
import { layeredImageReader, memoryImageReader, type ImageReader } from '../formats/pe/image-reader.js';
import { IMAGE_FILE_MACHINE_AMD64, parsePeHeaders } from '../formats/pe/pe-headers.js';
import { lookupRuntimeFunction, readRuntimeFunctions, type RuntimeFunctionTable } from '../formats/pe/runtime-functions.js';
import type { FunctionEntry, UnwindDataProvider } from './types.js';

/** A module as the provider needs it. */
export interface UnwindModule {
  readonly base: bigint;
  readonly size: number;
}

interface ModuleData {
  readonly reader: ImageReader;
  readonly table: RuntimeFunctionTable;
  readonly sizeOfImage: number;
}

/**
 * Creates a provider over `modules()` (re-read when the returned array changes). `images`
 * may supply an image file for a module base; its bytes are used where memory has none.
 * Modules whose headers cannot be read or that are not x64 simply have no unwind data.
 */
export function createPeUnwindProvider(
  memory: VirtualMemory,
  modules: () => readonly UnwindModule[],
  images?: (base: bigint) => ImageReader | undefined,
): UnwindDataProvider {
  const cache = new Map<bigint, ModuleData | null>();
  let listSeen: readonly UnwindModule[] | undefined;
  let sorted: UnwindModule[] = [];

  const moduleFor = (pc: bigint): UnwindModule | undefined => {
    const list = modules();
    if (list !== listSeen) {
      listSeen = list;
      sorted = [...list].sort((a, b) => (a.base < b.base ? -1 : a.base > b.base ? 1 : 0));
    }
    let lo = 0;
    let hi = sorted.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const m = sorted[mid]!;
      if (pc < m.base) hi = mid - 1;
      else if (pc >= m.base + BigInt(m.size)) lo = mid + 1;
      else return m;
    }
    return undefined;
  };

  const load = (m: UnwindModule): ModuleData | null => {
    const cached = cache.get(m.base);
    if (cached !== undefined) return cached;
    let data: ModuleData | null = null;
    try {
      const inMemory = memoryImageReader(memory, m.base);
      const file = images?.(m.base);
      const reader = file ? layeredImageReader([inMemory, file]) : inMemory;
      const headers = parsePeHeaders(reader);
      if (headers.machine === IMAGE_FILE_MACHINE_AMD64) {
        data = { reader, table: readRuntimeFunctions(reader, headers), sizeOfImage: headers.sizeOfImage };
      }
    } catch (e) {
      // A module whose image is missing or malformed has no unwind data; the walker falls back.
      if (!(e instanceof DebuggerError)) throw e;
    }
    cache.set(m.base, data);
    return data;
  };

  return {
    findFunction(pc: bigint): { entry: FunctionEntry; reader: ImageReader } | undefined {
      const m = moduleFor(pc);
      if (!m) return undefined;
      const data = load(m);
      if (!data) return undefined;
      const rva = pc - m.base;
      if (rva >= BigInt(data.sizeOfImage)) return undefined;
      const rf = lookupRuntimeFunction(data.table, data.reader, Number(rva), data.sizeOfImage);
      if (!rf) return undefined;
      return { entry: { moduleBase: m.base, begin: rf.begin, end: rf.end, unwindInfo: rf.unwindData }, reader: data.reader };
    },
    isInModule(pc: bigint): boolean {
      // Code never lies in an image's first page (the headers): a pointer there is data,
      // typically the module base itself, which kernel stacks hold in many places.
      const m = moduleFor(pc);
      return m !== undefined && pc - m.base >= 0x1000n;
    },
  };
}
