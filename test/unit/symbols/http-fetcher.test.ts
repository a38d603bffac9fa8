import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpFetcher, safeRelativeParts, SymbolServerError } from '../../../src/symbols/http-fetcher.js';
import { AMDPPM_PDB, TESTDATA, buildServerStore, closedPort, listFiles, removeTemps, startSymbolServer, tempDir, type TestServer } from './symbol-server.js';

if (!existsSync(TESTDATA)) console.warn(`skipping HTTP symbol server tests: ${TESTDATA} is absent`);

const AMDPPM_REL = 'amdppm.pdb/1C19FDDB27BB3399D9B45973EFEAFCF31/amdppm.pdb';

async function failure(p: Promise<unknown>): Promise<SymbolServerError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof SymbolServerError) return e;
    throw e;
  }
  throw new Error('expected a SymbolServerError');
}

describe('safeRelativeParts', () => {
  it('accepts store paths and refuses traversal, absolute names and odd characters', () => {
    expect(safeRelativeParts(AMDPPM_REL)).toEqual(['amdppm.pdb', '1C19FDDB27BB3399D9B45973EFEAFCF31', 'amdppm.pdb']);
    expect(safeRelativeParts('My App.pdb/ABC1/My App.pdb')).toHaveLength(3);
    for (const bad of ['../x.pdb/K/x.pdb', 'x.pdb/../../etc/passwd', '/etc/passwd', 'x.pdb//x.pdb', 'C:\\x.pdb/K/x.pdb', 'x.pdb/K/x%2f..%2fy', 'x.pdb/K/...', 'a\0b/K/a', 'x.pdb/K/x\nb']) {
      expect(() => safeRelativeParts(bad), bad).toThrow(SymbolServerError);
    }
  });
});

describe.skipIf(!existsSync(TESTDATA))('HTTP fetcher against a local symbol server', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startSymbolServer(buildServerStore());
  });
  afterAll(async () => {
    await server?.close();
    removeTemps();
  });
  const fast = { timeoutMs: 300, retries: 1, retryDelayMs: 10 };

  it('downloads a file atomically and reports progress for large files', async () => {
    const cache = tempDir();
    const progress: [string, boolean][] = [];
    const f = createHttpFetcher({ ...fast, progressThreshold: 64 * 1024, progressIntervalMs: 0, onProgress: (l, final) => progress.push([l, final]) });
    const dest = path.join(cache, AMDPPM_REL);
    expect(await f.fetch(`${server.url}/symbols/`, AMDPPM_REL, dest)).toBe(true);
    expect(readFileSync(dest).equals(readFileSync(AMDPPM_PDB))).toBe(true);
    expect(listFiles(cache)).toEqual([AMDPPM_REL]);
    expect(progress.length).toBeGreaterThan(2);
    expect(progress.at(-1)).toEqual([`Downloaded amdppm.pdb from 127.0.0.1:${server.port}: 659 KB`, true]);
    expect(progress[0]![0]).toMatch(/^Downloading amdppm\.pdb from 127\.0\.0\.1:\d+: \d+ KB of 659 KB \(\d+%\)$/);
  });

  it('answers false for 404 and writes nothing', async () => {
    const cache = tempDir();
    const f = createHttpFetcher(fast);
    expect(await f.fetch(`${server.url}/symbols`, 'nope.pdb/0001/nope.pdb', path.join(cache, 'nope.pdb/0001/nope.pdb'))).toBe(false);
    expect(listFiles(cache)).toEqual([]);
  });

  it('follows redirects', async () => {
    const cache = tempDir();
    const dest = path.join(cache, AMDPPM_REL);
    expect(await createHttpFetcher(fast).fetch(`${server.url}/redirect`, AMDPPM_REL, dest)).toBe(true);
    expect(statSync(dest).size).toBe(statSync(AMDPPM_PDB).size);
  });

  it('times out on a server that never answers, retrying a bounded number of times', async () => {
    const cache = tempDir();
    const before = server.requests.length;
    const t0 = Date.now();
    const e = await failure(createHttpFetcher(fast).fetch(`${server.url}/stall`, AMDPPM_REL, path.join(cache, AMDPPM_REL)));
    expect(e.reason).toBe('timeout');
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(server.requests.length - before).toBe(2);
    expect(listFiles(cache)).toEqual([]);
  });

  it('times out on a body that stalls midway and leaves no partial file', async () => {
    const cache = tempDir();
    const e = await failure(createHttpFetcher({ ...fast, retries: 0 }).fetch(`${server.url}/slowbody`, AMDPPM_REL, path.join(cache, AMDPPM_REL)));
    expect(e.reason).toBe('timeout');
    expect(listFiles(cache)).toEqual([]);
  });

  it('detects a truncated response, retries, and leaves nothing corrupt in the cache', async () => {
    const cache = tempDir();
    const before = server.requests.length;
    const e = await failure(createHttpFetcher(fast).fetch(`${server.url}/truncate`, AMDPPM_REL, path.join(cache, AMDPPM_REL)));
    expect(e.reason).toBe('truncated');
    expect(server.requests.length - before).toBe(2);
    expect(listFiles(cache)).toEqual([]);
  });

  it('refuses files over the size limit before writing', async () => {
    const cache = tempDir();
    const e = await failure(createHttpFetcher({ ...fast, maxBytes: 1000 }).fetch(`${server.url}/symbols`, AMDPPM_REL, path.join(cache, AMDPPM_REL)));
    expect(e.reason).toBe('too-large');
    expect(listFiles(cache)).toEqual([]);
  });

  it('retries 5xx and then reports it', async () => {
    const before = server.requests.length;
    const e = await failure(createHttpFetcher(fast).fetch(`${server.url}/fail`, AMDPPM_REL, path.join(tempDir(), AMDPPM_REL)));
    expect([e.reason, server.requests.length - before]).toEqual(['http', 2]);
  });

  it('fails fast (no retry) when nothing listens', async () => {
    const port = await closedPort();
    const t0 = Date.now();
    const e = await failure(createHttpFetcher({ ...fast, retries: 3, retryDelayMs: 1000 }).fetch(`http://127.0.0.1:${port}/s`, AMDPPM_REL, path.join(tempDir(), AMDPPM_REL)));
    expect(e.reason).toBe('network');
    expect(Date.now() - t0).toBeLessThan(900);
  });

  it('refuses a destination that does not end with the requested path, and traversal in the path', async () => {
    const cache = tempDir();
    const before = server.requests.length;
    const f = createHttpFetcher(fast);
    expect((await failure(f.fetch(`${server.url}/symbols`, AMDPPM_REL, path.join(cache, 'elsewhere.pdb')))).reason).toBe('bad-path');
    expect((await failure(f.fetch(`${server.url}/symbols`, '../../amdppm.pdb', path.join(cache, '../../amdppm.pdb')))).reason).toBe('bad-path');
    expect((await failure(f.fetch('file:///etc', 'a.pdb/K/a.pdb', path.join(cache, 'a.pdb/K/a.pdb')))).reason).toBe('bad-path');
    expect(server.requests.length).toBe(before);
  });

  it('stops when the signal aborts', async () => {
    const ctl = new AbortController();
    const cache = tempDir();
    const p = createHttpFetcher({ ...fast, timeoutMs: 10_000 }).fetch(`${server.url}/stall`, AMDPPM_REL, path.join(cache, AMDPPM_REL), ctl.signal);
    setTimeout(() => ctl.abort(), 50);
    await expect(p).rejects.toThrow('^C');
    expect(listFiles(cache)).toEqual([]);
  });
});
