import { describe, expect, it } from 'vitest';
import { SEARCH_HIT_LIMIT, searchCommand } from '../../../commands/search-memory.js';
import { COMMANDS } from '../../../commands/index.js';
import { BlockMemory, LayeredMemory, type VirtualMemory } from '../../../src/memory/virtual-memory.js';
import type { TranslationResult } from '../../../src/memory/kernel/x64-paging.js';
import {
  encodeUnits,
  findInChunk,
  matchesAt,
  nextReadableCandidate,
  searchMemory,
  searchSpans,
  type SearchRequest,
} from '../../../src/memory/search.js';
import { Dispatcher } from '../../../src/repl/dispatcher.js';
import { Registry } from '../../../src/repl/registry.js';
import { runEchoed } from '../../../src/repl/transcript.js';
import { createSession } from '../../../src/session/create-session.js';
import { openTarget } from '../../../src/session/open-target.js';
import { RegisterContext } from '../../../src/target/registers.js';
import type { Target } from '../../../src/target/target.js';
import { readGolden } from '../../golden/golden-runner.js';

const bytes = (...b: number[]) => Uint8Array.from(b);

/** Any memory without a region listing: the scanner must probe it. Counts reads. */
class CountingMemory implements VirtualMemory {
  reads = 0;
  bytesRequested = 0;
  constructor(private readonly inner: VirtualMemory) {}
  readPartial(address: bigint, length: number): Uint8Array {
    this.reads++;
    this.bytesRequested += length;
    return this.inner.readPartial(address, length);
  }
}

function request(over: Partial<SearchRequest> & Pick<SearchRequest, 'start' | 'end' | 'pattern'>): SearchRequest {
  return { alignment: 1, maxHits: 1000, ...over };
}

describe('encodeUnits', () => {
  it('writes each value little-endian at the unit width', () => {
    expect([...encodeUnits([0x1234n, 0xabn], 2)]).toEqual([0x34, 0x12, 0xab, 0x00]);
    expect([...encodeUnits([0xfffff88000001000n], 8)]).toEqual([0x00, 0x10, 0x00, 0x00, 0x80, 0xf8, 0xff, 0xff]);
  });
});

describe('findInChunk', () => {
  it('finds overlapping byte matches (QQQ three times in QQQQQ)', () => {
    const out: number[] = [];
    findInChunk(new TextEncoder().encode('xQQQQQ'), 0, 0n, new TextEncoder().encode('QQQ'), 1, 100, out);
    expect(out).toEqual([1, 2, 3]);
  });

  it('keeps only aligned dword hits and honours the chunk base address phase', () => {
    const chunk = bytes(0x78, 0x56, 0x34, 0x12, 0, 0x78, 0x56, 0x34, 0x12, 0, 0, 0, 0x78, 0x56, 0x34, 0x12);
    const pat = encodeUnits([0x12345678n], 4);
    const a: number[] = [];
    findInChunk(chunk, 0, 0x1000n, pat, 4, 100, a);
    expect(a).toEqual([0, 12]);
    // Same bytes seen from base ...1003: offset 5 is address ...1008, aligned; 0 and 12 are not.
    const b: number[] = [];
    findInChunk(chunk, 0, 0x1003n, pat, 4, 100, b);
    expect(b).toEqual([5]);
  });

  it('finds a pattern that starts with zero bytes (anchored on its first non-zero byte)', () => {
    const chunk = new Uint8Array(64);
    chunk.set([0, 0x10, 0, 0, 0x80, 0xf8, 0xff, 0xff], 40);
    const out: number[] = [];
    findInChunk(chunk, 0, 0n, encodeUnits([0xfffff88000001000n], 8), 8, 100, out);
    expect(out).toEqual([40]);
    const all: number[] = [];
    findInChunk(new Uint8Array(16), 0, 0n, bytes(0, 0, 0), 1, 100, all);
    expect(all).toEqual([...Array(14).keys()]);
  });

  it('stops at the room it was given', () => {
    const out: number[] = [];
    findInChunk(new Uint8Array(64), 0, 0n, bytes(0, 0, 0, 0), 4, 3, out);
    expect(out).toEqual([0, 4, 8]);
  });

  it('matches only whole patterns inside the chunk', () => {
    const out: number[] = [];
    findInChunk(bytes(1, 2, 3, 1, 2), 0, 0n, bytes(1, 2, 3), 1, 10, out);
    expect(out).toEqual([0]);
  });
});

describe('searchSpans', () => {
  it('merges adjacent blocks and clips to the range', () => {
    const m = new BlockMemory([
      { base: 0x1000n, bytes: new Uint8Array(0x100) },
      { base: 0x1100n, bytes: new Uint8Array(0x100) },
      { base: 0x3000n, bytes: new Uint8Array(0x10) },
    ]);
    expect([...searchSpans(m, 0x1080n, 0x3008n)]).toEqual([
      { start: 0x1080n, end: 0x1200n },
      { start: 0x3000n, end: 0x3008n },
    ]);
    expect([...searchSpans(m, 0x2000n, 0x3000n)]).toEqual([]);
  });

  it('reads minidump-style range listings ({start, size})', () => {
    const m = { all: [{ start: 0x10n, size: 0x10 }, { start: 0x40n, size: 8 }], readPartial: () => new Uint8Array(0) };
    expect([...searchSpans(m, 0n, 0x100n)]).toEqual([
      { start: 0x10n, end: 0x20n },
      { start: 0x40n, end: 0x48n },
    ]);
  });

  it('sees through layers whose regions are all known, and honours readableRegions', () => {
    const a = new BlockMemory([{ base: 0x100n, bytes: new Uint8Array(0x10) }]);
    const b = { all: [{ start: 0x108n, size: 0x20 }], readPartial: () => new Uint8Array(0) };
    expect([...searchSpans(new LayeredMemory([a, b]), 0n, 0x1000n)]).toEqual([{ start: 0x100n, end: 0x128n }]);
    expect([...searchSpans(new LayeredMemory([a, new CountingMemory(a)]), 0n, 0x1000n)]).toEqual([{ start: 0n, end: 0x1000n }]);
    const custom = { readPartial: () => new Uint8Array(0), readableRegions: () => [{ start: 0x40n, end: 0x50n }] };
    expect([...searchSpans(custom, 0n, 0x1000n)]).toEqual([{ start: 0x40n, end: 0x50n }]);
  });

  it('gives other memory one span to probe', () => {
    expect([...searchSpans(new CountingMemory(new BlockMemory([])), 5n, 9n)]).toEqual([{ start: 5n, end: 9n }]);
  });
});

describe('nextReadableCandidate', () => {
  it('skips to the next page for memory that cannot say more', () => {
    const plain = new CountingMemory(new BlockMemory([]));
    expect(nextReadableCandidate(plain, 0x1234n)).toBe(0x2000n);
    expect(nextReadableCandidate(plain, 0x1fffn)).toBe(0x2000n);
  });

  it('jumps to the next region of listed memory, and to the nearest one across layers', () => {
    const blocks = new BlockMemory([{ base: 0x10n, bytes: new Uint8Array(4) }, { base: 0x9000n, bytes: new Uint8Array(4) }]);
    expect(nextReadableCandidate(blocks, 0x20n)).toBe(0x9000n);
    expect(nextReadableCandidate(blocks, 0x9004n)).toBe(1n << 64n);
    const other = new BlockMemory([{ base: 0x5000n, bytes: new Uint8Array(4) }]);
    expect(nextReadableCandidate(new LayeredMemory([blocks, other]), 0x20n)).toBe(0x5000n);
    expect(nextReadableCandidate(new LayeredMemory([blocks, new CountingMemory(other)]), 0x20n)).toBe(0x1000n);
  });

  it('skips the whole region a missing paging entry covers', () => {
    const fault = (level: 'PML4E' | 'PDPTE' | 'PDE' | 'PTE') => ({
      readPartial: () => new Uint8Array(0),
      translate: (): TranslationResult => ({ ok: false, fault: { kind: 'not-present', level, entry: 0n } }),
    });
    expect(nextReadableCandidate(fault('PML4E'), 0xfffff88000001000n)).toBe(0xfffff90000000000n);
    expect(nextReadableCandidate(fault('PDPTE'), 0xfffff88000001000n)).toBe(0xfffff88040000000n);
    expect(nextReadableCandidate(fault('PDE'), 0xfffff88000001000n)).toBe(0xfffff88000200000n);
    expect(nextReadableCandidate(fault('PTE'), 0xfffff88000001000n)).toBe(0xfffff88000002000n);
    const nonCanonical = {
      readPartial: () => new Uint8Array(0),
      translate: (): TranslationResult => ({ ok: false, fault: { kind: 'non-canonical' } }),
    };
    expect(nextReadableCandidate(nonCanonical, 0x0000900000000000n)).toBe(0xffff800000000000n);
  });
});

describe('searchMemory', () => {
  it('finds a match that straddles a chunk edge exactly once', async () => {
    const data = new Uint8Array(0x400);
    data.set([0xde, 0xad, 0xbe, 0xef], 0xfe);
    data.set([0xde, 0xad, 0xbe, 0xef], 0x200);
    const m = new BlockMemory([{ base: 0x10000n, bytes: data }]);
    const pattern = bytes(0xde, 0xad, 0xbe, 0xef);
    for (const chunkSize of [64, 0x100, 0x101, 1 << 20]) {
      const r = await searchMemory(m, request({ start: 0x10000n, end: 0x10400n, pattern }), { chunkSize });
      expect(r.hits).toEqual([0x100fen, 0x10200n]);
    }
  });

  it('finds a match across two adjacent blocks but not across a gap', async () => {
    const m = new BlockMemory([
      { base: 0x1000n, bytes: bytes(0, 0, 0x41) },
      { base: 0x1003n, bytes: bytes(0x42, 0, 0x41) },
      { base: 0x1010n, bytes: bytes(0x42) },
    ]);
    const r = await searchMemory(m, request({ start: 0n, end: 0x2000n, pattern: bytes(0x41, 0x42) }));
    expect(r.hits).toEqual([0x1002n]);
  });

  it('reports only patterns wholly inside the range', async () => {
    const m = new BlockMemory([{ base: 0x1000n, bytes: bytes(1, 2, 3, 1, 2, 3) }]);
    expect((await searchMemory(m, request({ start: 0x1000n, end: 0x1005n, pattern: bytes(1, 2, 3) }))).hits).toEqual([0x1000n]);
    expect((await searchMemory(m, request({ start: 0x1001n, end: 0x1006n, pattern: bytes(1, 2, 3) }))).hits).toEqual([0x1003n]);
  });

  it('aligns qword hits to 8 even when the range starts unaligned', async () => {
    const data = new Uint8Array(0x40);
    const q = encodeUnits([0x1122334455667788n], 8);
    data.set(q, 0x04);
    data.set(q, 0x10);
    data.set(q, 0x21);
    const m = new BlockMemory([{ base: 0x5000n, bytes: data }]);
    const r = await searchMemory(m, request({ start: 0x5003n, end: 0x5040n, pattern: q, alignment: 8 }));
    expect(r.hits).toEqual([0x5010n]);
    const w = await searchMemory(m, request({ start: 0x5000n, end: 0x5040n, pattern: encodeUnits([0x7788n], 2), alignment: 2 }));
    expect(w.hits).toEqual([0x5004n, 0x5010n]);
  });

  it('skips holes in probed memory page by page, not byte by byte', async () => {
    const hit = encodeUnits([0xcafef00dn], 4);
    const page = (b: bigint) => {
      const d = new Uint8Array(0x1000);
      d.set(hit, 0x7f8);
      return { base: b, bytes: d };
    };
    const inner = new BlockMemory([page(0x100000n), page(0x1100000n)]);
    const m = new CountingMemory(inner);
    const r = await searchMemory(m, request({ start: 0x100000n, end: 0x1200000n, pattern: hit, alignment: 4 }));
    expect(r.hits).toEqual([0x1007f8n, 0x11007f8n]);
    // 0x10fe pages of holes: one small probe per 4 KiB page, plus a few chunk reads.
    expect(m.reads).toBeLessThan(0x10fe + 16);
    expect(m.reads).toBeGreaterThanOrEqual(0x10fe);
    expect(m.bytesRequested).toBeLessThan(0x1000 + 4 * 0x100000);
  });

  it('searches the whole 64-bit space of a listed memory quickly', async () => {
    const m = new BlockMemory([{ base: 0xfffff88000000000n, bytes: bytes(0x55, 0xaa) }]);
    const r = await searchMemory(m, request({ start: 0n, end: 1n << 64n, pattern: bytes(0x55, 0xaa) }));
    expect(r.hits).toEqual([0xfffff88000000000n]);
  });

  it('stops at maxHits and says so', async () => {
    const m = new BlockMemory([{ base: 0n, bytes: new Uint8Array(0x100) }]);
    const r = await searchMemory(m, request({ start: 0n, end: 0x100n, pattern: bytes(0, 0), alignment: 1, maxHits: 5 }));
    expect(r.hits).toEqual([0n, 1n, 2n, 3n, 4n]);
    expect(r.truncated).toBe(true);
  });

  it('stops when the signal is aborted', async () => {
    const m = new BlockMemory([{ base: 0n, bytes: new Uint8Array(0x100) }]);
    const c = new AbortController();
    c.abort();
    const r = await searchMemory(m, request({ start: 0n, end: 0x100n, pattern: bytes(0) }), { signal: c.signal });
    expect(r).toMatchObject({ hits: [], cancelled: true });
  });

  it('matchesAt compares a pattern at one address', () => {
    const m = new BlockMemory([{ base: 0x10n, bytes: bytes(1, 2, 3) }]);
    expect(matchesAt(m, 0x11n, bytes(2, 3))).toBe(true);
    expect(matchesAt(m, 0x12n, bytes(3, 4))).toBe(false);
  });
});

async function seedDispatcher(): Promise<Dispatcher> {
  const session = createSession(await openTarget('fixtures/clock-watchdog-0x101.yaml'));
  const all = COMMANDS.includes(searchCommand as never) ? COMMANDS : [...COMMANDS, searchCommand];
  return new Dispatcher(new Registry(all), session);
}

async function run(d: Dispatcher, line: string): Promise<string[]> {
  return (await runEchoed(d, line)).slice(1).map((l) => l.text);
}

describe('s command on the seed scenario', () => {
  it('replays test/golden/search.transcript', async () => {
    const g = readGolden('test/golden/search.transcript');
    const d = await seedDispatcher();
    let text = '';
    for (const c of g.commands) text += (await runEchoed(d, c)).map((l) => `${l.text}\n`).join('');
    expect(text).toBe(g.body);
  });

  it('prints a dq line per -q hit and a dc line per -d hit', async () => {
    const d = await seedDispatcher();
    expect(await run(d, 's -q fffff880`0318bae8 L68 fffffa80`071f1010')).toEqual([
      'fffff880`0318bb08  fffffa80`071f1010 fffffa80`070681a0',
      'fffff880`0318bb30  fffffa80`071f1010 fffffa80`071efe70',
    ]);
    expect(await run(d, 's -d fffff880`0318bae8 L68 71f1010')).toEqual([
      'fffff880`0318bb08  071f1010 fffffa80 070681a0 fffffa80  ................',
      'fffff880`0318bb30  071f1010 fffffa80 071efe70 fffffa80  ........p.......',
    ]);
  });

  it('-[s] saves hits and -[r] searches only those', async () => {
    const d = await seedDispatcher();
    expect(await run(d, 's -[1s]q fffff880`0318bae8 L68 fffffa80`071efe70')).toEqual([
      'fffff880`0318baf8',
      'fffff880`0318bb28',
      'fffff880`0318bb38',
    ]);
    // The range is ignored under -[r]: only the saved addresses are re-checked.
    expect(await run(d, 's -[1r]q 0 L8 fffffa80`071efe70')).toEqual(['fffff880`0318baf8', 'fffff880`0318bb28', 'fffff880`0318bb38']);
    expect(await run(d, 's -[1r]q 0 L8 0')).toEqual([]);
    expect(await run(d, 's -[1sn2]q fffff880`0318bae8 L68 fffffa80`071efe70')).toEqual([
      'fffff880`0318baf8',
      'fffff880`0318bb28',
      'fffff880`0318bb38',
      'Overflow error',
    ]);
    expect(await run(d, 's -[1r]q 0 L8 fffffa80`071efe70')).toEqual(['fffff880`0318baf8', 'fffff880`0318bb28']);
  });

  it('rejects flags without a type, s with r, and unsupported search kinds', async () => {
    const d = await seedDispatcher();
    // Carets count the 7-character prompt `0: kd> `.
    expect(await run(d, 's -[1] 0 L10 1')).toEqual([`${' '.repeat(7 + 6)}^ Syntax error in 's -[1] 0 L10 1'`]);
    expect(await run(d, 's -[sr]b 0 L10 1')).toEqual([`${' '.repeat(7 + 4)}^ Syntax error in 's -[sr]b 0 L10 1'`]);
    expect(await run(d, 's -v 0 L10 1')).toEqual(['s -v is not supported by crashkd']);
    expect(await run(d, "s -d 0 L10 'ABCDE'")).toEqual([`${' '.repeat(7 + 11)}^ Overflow error in 's -d 0 L10 'ABCDE''`]);
    expect(await run(d, 's -d 0 L10')).toEqual([`${' '.repeat(7 + 10)}^ Syntax error in 's -d 0 L10'`]);
  });

  it('accepts negative and sign-extended values that fit the unit', async () => {
    const d = await seedDispatcher();
    // `L28 -1` would read as the count 28-1, so the negative value is written 0-1: ffffffff`ffffffff.
    expect(await run(d, 's -[1]q fffff880`09ff60d8 L28 0-1')).toEqual(['fffff880`09ff60f8']);
    // Kernel targets sign-extend 80000000..ffffffff; the dword search still means the low 32 bits.
    expect(await run(d, 's -[1]d fffff880`0318a978 L10 fffff880')).toEqual(['fffff880`0318a97c', 'fffff880`0318a984']);
    expect(await run(d, 's -[1]d fffff880`09ff60d8 L28 ffffffff')).toEqual(['fffff880`09ff60f8', 'fffff880`09ff60fc']);
  });
});

describe('s command hit limit', () => {
  it('stops after SEARCH_HIT_LIMIT hits with a warning, and not at exactly the limit', async () => {
    const base = 0x10000n;
    const target: Target = {
      kind: 'kernel',
      arch: 'x64',
      pointerSize: 8,
      path: 'zeros.dmp',
      dumpKindLine: 'Kernel Complete Dump File: Full address space is available',
      memory: new BlockMemory([{ base, bytes: new Uint8Array(SEARCH_HIT_LIMIT + 0x100) }]),
      modules: [],
      units: [{ index: 0, context: new RegisterContext('x64', { rip: base, rsp: base }) }],
      initialUnit: 0,
      system: { versionLine: 'test', buildNumber: 7601 },
      warnings: [],
    };
    const d = new Dispatcher(new Registry(COMMANDS), createSession(target));
    const all = await d.execute('s -[1]b 10000 L?20000 0', { column: 0 });
    expect(all).toHaveLength(SEARCH_HIT_LIMIT + 1);
    expect(all[SEARCH_HIT_LIMIT]).toEqual({ text: `crashkd: search stopped after ${SEARCH_HIT_LIMIT} hits`, role: 'warning' });
    const exact = await d.execute(`s -[1]b 10000 L?${SEARCH_HIT_LIMIT.toString(16)} 0`, { column: 0 });
    expect(exact).toHaveLength(SEARCH_HIT_LIMIT);
    expect(exact.at(-1)!.text).toBe('00000000`0001ffff');
  });
});
