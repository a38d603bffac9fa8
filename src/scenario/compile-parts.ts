/**
 * The parts of a scenario both target kinds share: memory blocks, and modules with their
 * synthesized image headers (`.pdata` and UNWIND_INFO), each problem a located ScenarioError.
 */
import type { MemoryBlock } from '../memory/virtual-memory.js';
import { formatPointer } from '../memory/address.js';
import { SortedSymbols, symbolLoadMessages } from '../symbols/sorted-symbols.js';
import { registerWidth } from '../target/registers.js';
import { encodeKTrapFrame, encodeX64Context, KTRAP_FRAME_FIELD_NAMES, X64_CONTEXT_FIELD_NAMES } from '../target/context-records.js';
import type { Module, ModuleSymbols } from '../target/target.js';
import { ScenarioError, type Locator } from './load-scenario.js';
import { synthesizeImageHeader, type SynthFunction } from './pe-synthesis.js';
import type { ScenarioMemory, ScenarioModule } from './schema.js';
import { encodeProlog } from './unwind-encoding.js';

function hexBytes(text: string, where: string): Uint8Array {
  const clean = text.replace(/\s+/g, '');
  if (clean.length % 2 !== 0) throw new ScenarioError(`${where}: odd number of hex digits (${clean.length}); write each byte as two digits`);
  return Uint8Array.from({ length: clean.length / 2 }, (_, i) => Number.parseInt(clean.slice(i * 2, i * 2 + 2), 16));
}

function qwordBytes(values: readonly bigint[]): Uint8Array {
  const out = new Uint8Array(values.length * 8);
  const dv = new DataView(out.buffer);
  values.forEach((v, i) => dv.setBigUint64(i * 8, v, true));
  return out;
}

function record(kind: 'trapFrame' | 'context', values: Readonly<Record<string, bigint>>, where: string): Uint8Array {
  const names = kind === 'trapFrame' ? KTRAP_FRAME_FIELD_NAMES : X64_CONTEXT_FIELD_NAMES;
  const bad = Object.keys(values).find((k) => !names.includes(k.toLowerCase()));
  if (bad) throw new ScenarioError(`${where}: '${bad}' is not a ${kind === 'trapFrame' ? 'KTRAP_FRAME' : 'CONTEXT'} field (one of ${names.join(', ')})`);
  return kind === 'trapFrame' ? encodeKTrapFrame(values) : encodeX64Context(values);
}

/** The bytes a memory entry stands for: raw bytes, qwords, a trap frame, a context or a string. */
function blockBytes(m: ScenarioMemory, locate: Locator, i: number): Uint8Array {
  if (m.bytes !== undefined) return hexBytes(m.bytes, locate(['memory', i, 'bytes']));
  if (m.qwords !== undefined) return qwordBytes(m.qwords);
  if (m.trapFrame !== undefined) return record('trapFrame', m.trapFrame, locate(['memory', i, 'trapFrame']));
  if (m.context !== undefined) return record('context', m.context, locate(['memory', i, 'context']));
  if (m.ascii !== undefined) return new TextEncoder().encode(`${m.ascii}\0`);
  const text = `${m.utf16 ?? ''}\0`;
  const out = new Uint8Array(text.length * 2);
  for (let k = 0; k < text.length; k++) {
    out[k * 2] = text.charCodeAt(k) & 0xff;
    out[k * 2 + 1] = text.charCodeAt(k) >> 8;
  }
  return out;
}

/** The scenario's memory blocks, in file order; overlapping blocks are an error. */
export function compileMemory(memory: readonly ScenarioMemory[], locate: Locator): (MemoryBlock & { index: number })[] {
  const blocks = memory.map((m, i) => ({ base: m.address, bytes: blockBytes(m, locate, i), index: i }));
  const sorted = [...blocks].sort((a, b) => (a.base < b.base ? -1 : 1));
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1]!;
    const cur = sorted[i]!;
    if (cur.base < prev.base + BigInt(prev.bytes.length)) {
      throw new ScenarioError(
        `${locate(['memory', cur.index, 'address'])}: memory at ${formatPointer(cur.base, 8)} overlaps the block at ${formatPointer(prev.base, 8)} (${locate(['memory', prev.index, 'address'])})`,
      );
    }
  }
  return blocks;
}

function resolveRva(m: ScenarioModule, ref: string | number, where: string): number {
  if (typeof ref === 'number') return ref;
  const p = m.publics.find((x) => x.name === ref);
  if (!p) throw new ScenarioError(`${where}: '${ref}' is not a public symbol of ${m.name}`);
  return p.rva;
}

function compileFunctions(m: ScenarioModule, mi: number, locate: Locator): SynthFunction[] {
  const fns = m.functions.map((f, fi) => {
    const where = locate(['modules', mi, 'functions', fi]);
    const begin = resolveRva(m, f.begin, where);
    const end = begin + f.size;
    if (f.size === 0 || end > m.size || begin < 0x1000) {
      throw new ScenarioError(`${where}: function ${begin.toString(16)}-${end.toString(16)} lies outside module ${m.name} (code starts at rva 1000, size ${m.size.toString(16)})`);
    }
    const unwind = encodeProlog(f.prolog, where);
    if (unwind.prologSize > f.size) throw new ScenarioError(`${where}: the prolog (${unwind.prologSize} bytes) does not fit the function (${f.size} bytes)`);
    return { begin, end, unwind, chainRef: f.chain, where };
  });
  const byBegin = [...fns].sort((a, b) => a.begin - b.begin);
  for (let i = 1; i < byBegin.length; i++) {
    const prev = byBegin[i - 1]!;
    const cur = byBegin[i]!;
    // `.pdata` is a sorted, disjoint table: an overlap would make lookups depend on order.
    if (cur.begin < prev.end) throw new ScenarioError(`${cur.where}: function ${cur.begin.toString(16)}-${cur.end.toString(16)} overlaps function ${prev.begin.toString(16)}-${prev.end.toString(16)} (${prev.where})`);
  }
  return fns.map((f) => {
    if (f.chainRef === undefined) return { begin: f.begin, end: f.end, unwind: f.unwind };
    const parent = resolveRva(m, f.chainRef, f.where);
    if (!fns.some((g) => g.begin === parent)) throw new ScenarioError(`${f.where}: chain target ${parent.toString(16)} is not a function of ${m.name}`);
    return { begin: f.begin, end: f.end, unwind: f.unwind, chainTo: parent };
  });
}

function moduleSymbols(m: ScenarioModule): ModuleSymbols {
  const syms = m.symbols === 'none' ? [] : m.publics.map((p) => ({ name: p.name, rva: p.rva, ...(p.size === undefined ? {} : { length: p.size }) }));
  if (m.symbols === 'pdb') return new SortedSymbols('pdb', syms, undefined, `${m.image.replace(/\.[^.]+$/, '')}.pdb`);
  if (m.symbols === 'export') return new SortedSymbols('export', syms, symbolLoadMessages.export(m.image), m.image);
  return new SortedSymbols('none', [], symbolLoadMessages.none(m.image));
}

function checkPublics(m: ScenarioModule, mi: number, locate: Locator): void {
  m.publics.forEach((p, pi) => {
    if (p.rva >= m.size || (p.size !== undefined && p.rva + p.size > m.size)) {
      throw new ScenarioError(`${locate(['modules', mi, 'publics', pi])}: public symbol '${p.name}' at rva ${p.rva.toString(16)} lies outside module ${m.name} (size ${m.size.toString(16)})`);
    }
  });
}

function compileModule(m: ScenarioModule, mi: number, locate: Locator, defaultPath: (image: string) => string): { module: Module; header: MemoryBlock } {
  checkPublics(m, mi, locate);
  const functions = compileFunctions(m, mi, locate);
  const header = { base: m.base, bytes: synthesizeImageHeader(m.size, m.timestamp, m.checksum, functions) };
  let symbols: ModuleSymbols | undefined;
  const module: Module = {
    name: m.name,
    imageName: m.image,
    imagePath: m.path ?? defaultPath(m.image),
    base: m.base,
    size: m.size,
    timestamp: m.timestamp,
    checksum: m.checksum,
    symbols: () => (symbols ??= moduleSymbols(m)),
  };
  return { module, header };
}

/**
 * The scenario's modules in file order and their synthesized header pages. Names must be unique,
 * modules may not overlap, and no memory block may overlap a header page.
 */
export function compileModules(
  list: readonly ScenarioModule[],
  blocks: readonly (MemoryBlock & { index: number })[],
  locate: Locator,
  defaultPath: (image: string) => string,
): { modules: Module[]; headers: MemoryBlock[] } {
  const modules: Module[] = [];
  const headers: MemoryBlock[] = [];
  list.forEach((m, mi) => {
    const twin = modules.find((o) => o.name.toLowerCase() === m.name.toLowerCase());
    if (twin) throw new ScenarioError(`${locate(['modules', mi, 'name'])}: module name '${m.name}' is used twice`);
    const other = modules.find((o) => m.base < o.base + BigInt(o.size) && o.base < m.base + BigInt(m.size));
    if (other) throw new ScenarioError(`${locate(['modules', mi, 'base'])}: module ${m.name} overlaps module ${other.name}`);
    const { module, header } = compileModule(m, mi, locate, defaultPath);
    const clash = blocks.find((b) => b.base < header.base + BigInt(header.bytes.length) && header.base < b.base + BigInt(b.bytes.length));
    if (clash) throw new ScenarioError(`${locate(['memory', clash.index, 'address'])}: memory overlaps the synthesized image header of ${m.name} (${formatPointer(header.base, 8)}, ${header.bytes.length.toString(16)} bytes)`);
    modules.push(module);
    headers.push(header);
  });
  return { modules, headers };
}

/** Rejects register names that are not full x64 registers (`eax`, `xmm0`), at `path` + the name. */
export function checkContextRegisters(context: Readonly<Record<string, bigint>>, path: readonly (string | number)[], locate: Locator): void {
  for (const name of Object.keys(context)) {
    if (registerWidth('x64', name) === undefined || !/^(r[a-z0-9]+|efl|[c-gs]s)$/.test(name)) {
      throw new ScenarioError(`${locate([...path, name])}: '${name}' is not a full x64 register`);
    }
  }
}
