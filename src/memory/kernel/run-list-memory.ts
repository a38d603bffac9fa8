import type { ByteSource } from '../../formats/kdump/binary.js';
import { FilePhysicalMemory, PAGE_SIZE } from './physical-memory.js';

/** One run of consecutive physical pages stored back to back in the file. */
export interface PageRun {
  readonly basePage: number;
  readonly pageCount: number;
}

interface PlacedRun extends PageRun {
  readonly fileOffset: number;
}

/**
 * Physical memory of a complete (type 1) dump: the runs of PHYSICAL_MEMORY_DESCRIPTOR stored in
 * order from `dataOffset` (formats.md 1.6). Lookup is a binary search over at most a few dozen
 * runs, never a per-page table.
 */
export class RunListPhysicalMemory extends FilePhysicalMemory {
  readonly storedPages: number;
  private readonly runs: PlacedRun[];
  private last = 0;

  constructor(
    source: ByteSource,
    runs: readonly PageRun[],
    private readonly dataOffset: number,
  ) {
    super(source);
    let offset = dataOffset;
    const placed: PlacedRun[] = [];
    for (const r of runs) {
      if (r.pageCount > 0) placed.push({ ...r, fileOffset: offset });
      offset += r.pageCount * PAGE_SIZE;
    }
    this.storedPages = (offset - dataOffset) / PAGE_SIZE;
    // Runs are stored in descriptor order but searched by PFN.
    this.runs = placed.sort((a, b) => a.basePage - b.basePage);
  }

  /** The runs sorted by base page, with their file offsets. */
  get placedRuns(): readonly { basePage: number; pageCount: number; fileOffset: number }[] {
    return this.runs;
  }

  protected pagesInFile(): number {
    return Math.max(0, Math.floor((this.source.size - this.dataOffset) / PAGE_SIZE));
  }

  protected pageOffset(pfn: number): number | undefined {
    const cached = this.runs[this.last];
    if (cached && pfn >= cached.basePage && pfn < cached.basePage + cached.pageCount) {
      return cached.fileOffset + (pfn - cached.basePage) * PAGE_SIZE;
    }
    let lo = 0;
    let hi = this.runs.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const r = this.runs[mid]!;
      if (pfn < r.basePage) hi = mid - 1;
      else if (pfn >= r.basePage + r.pageCount) lo = mid + 1;
      else {
        this.last = mid;
        return r.fileOffset + (pfn - r.basePage) * PAGE_SIZE;
      }
    }
    return undefined;
  }
}
