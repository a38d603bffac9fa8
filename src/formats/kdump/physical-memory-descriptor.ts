import { FormatError } from '../../errors.js';
import { KDUMP_FORMAT, u32le, u64le } from './binary.js';

/** One PHYSICAL_MEMORY_RUN64: `pageCount` pages from PFN `basePage`. */
export interface PhysicalRun {
  readonly basePage: number;
  readonly pageCount: number;
}

/** The decoded PHYSICAL_MEMORY_DESCRIPTOR64 (formats.md 1.4). */
export interface PhysicalMemoryDescriptor {
  readonly runs: readonly PhysicalRun[];
  /** NumberOfPages as written, when written. */
  readonly pageCount?: number;
  readonly warnings: readonly string[];
}

const PAGE_FILL = 0x45474150;
/** 700 bytes of buffer minus the 16-byte descriptor head, 16 bytes per run. */
const MAX_RUNS = Math.floor((700 - 0x10) / 0x10);
/** A 52-bit physical address space has 2^40 page frames. */
const MAX_PFN = 2 ** 40;

function fail(message: string): never {
  throw new FormatError(KDUMP_FORMAT, `DUMP_HEADER64.PhysicalMemoryBlockBuffer.${message}`, 0x88);
}

/**
 * Decodes the run list at header offset 0x88. `required` is true for complete (type 1) dumps,
 * whose pages are addressed through it; other dump types usually leave it 'PAGE'-filled.
 */
export function parsePhysicalMemoryDescriptor(buffer: Uint8Array, required: boolean): PhysicalMemoryDescriptor {
  const count = u32le(buffer, 0);
  if (count === PAGE_FILL || (!required && count > MAX_RUNS)) {
    if (required) fail('NumberOfRuns is not written (PAGE fill) in a complete dump');
    return { runs: [], warnings: [] };
  }
  if (count > MAX_RUNS) fail(`NumberOfRuns ${count} exceeds the ${MAX_RUNS} runs the header can hold`);
  const runs: PhysicalRun[] = [];
  let total = 0;
  for (let i = 0; i < count; i++) {
    const base = u64le(buffer, 0x10 + i * 16);
    const pages = u64le(buffer, 0x18 + i * 16);
    if (base + pages > BigInt(MAX_PFN)) {
      if (!required) return { runs: [], warnings: [] };
      fail(`Run[${i}] (BasePage 0x${base.toString(16)}, PageCount 0x${pages.toString(16)}) lies beyond a 52-bit physical address space`);
    }
    runs.push({ basePage: Number(base), pageCount: Number(pages) });
    total += Number(pages);
  }
  const sorted = [...runs].sort((a, b) => a.basePage - b.basePage);
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1]!;
    const cur = sorted[i]!;
    if (prev.pageCount > 0 && cur.pageCount > 0 && prev.basePage + prev.pageCount > cur.basePage) {
      if (!required) return { runs: [], warnings: [] };
      fail(`Run at BasePage 0x${cur.basePage.toString(16)} overlaps the run at BasePage 0x${prev.basePage.toString(16)}`);
    }
  }
  const written = u64le(buffer, 8);
  const warnings: string[] = [];
  if (required && written !== BigInt(total)) {
    warnings.push(`WARNING: PHYSICAL_MEMORY_DESCRIPTOR NumberOfPages 0x${written.toString(16)} differs from the sum of its runs 0x${total.toString(16)}`);
  }
  return { runs, ...(written <= BigInt(MAX_PFN) ? { pageCount: Number(written) } : {}), warnings };
}
