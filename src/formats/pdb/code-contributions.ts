import type { AddressMap } from './address-map.js';
import { NO_STREAM, type DbiModule, type ContributionTable } from './dbi.js';

const IMAGE_SCN_CNT_CODE = 0x20;
const IMAGE_SCN_MEM_EXECUTE = 0x20000000;

/**
 * Code contributions of modules that have a symbol stream, sorted by start rva: which module's
 * stream can hold the procedure around an address. `reach[i]` is the running maximum of
 * `end[0..i]`, so a backward walk can stop as soon as no earlier contribution reaches a bound.
 */
export interface CodeContributions {
  readonly start: Uint32Array;
  readonly end: Uint32Array;
  readonly reach: Uint32Array;
  readonly module: Uint16Array;
}

/** Builds the table from the DBI contributions (typed arrays in, typed arrays out). */
export function codeContributions(table: ContributionTable, modules: readonly DbiModule[], map: AddressMap): CodeContributions {
  const n = table.count;
  const starts = new Uint32Array(n);
  const ends = new Float64Array(n);
  const mods = new Uint16Array(n);
  let kept = 0;
  for (let i = 0; i < n; i++) {
    if ((table.characteristics[i]! & (IMAGE_SCN_CNT_CODE | IMAGE_SCN_MEM_EXECUTE)) === 0) continue;
    const m = table.moduleIndex[i]!;
    if (modules[m]?.symStream === NO_STREAM) continue;
    const start = map.toRva(table.section[i]!, table.offset[i]!);
    if (start === undefined) continue;
    starts[kept] = start;
    ends[kept] = start + table.size[i]!;
    mods[kept] = m;
    kept++;
  }
  if (kept === 0) {
    // No section contributions (unusual linkers): every module with symbols is a candidate
    // for every address, which costs one full pass on the first lookup.
    const all = modules.filter((m) => m.symStream !== NO_STREAM);
    const reach = new Uint32Array(all.length).fill(0xffffffff);
    return { start: new Uint32Array(all.length), end: reach.slice(), reach, module: Uint16Array.from(all, (m) => m.index) };
  }
  const order = Array.from({ length: kept }, (_, i) => i).sort((a, b) => starts[a]! - starts[b]! || a - b);
  const start = Uint32Array.from(order, (i) => starts[i]!);
  const end = Uint32Array.from(order, (i) => Math.min(ends[i]!, 0xffffffff));
  const module = Uint16Array.from(order, (i) => mods[i]!);
  const reach = new Uint32Array(kept);
  for (let i = 0; i < kept; i++) reach[i] = Math.max(end[i]!, i > 0 ? reach[i - 1]! : 0);
  return { start, end, reach, module };
}
