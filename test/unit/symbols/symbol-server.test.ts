import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpFetcher } from '../../../src/symbols/http-fetcher.js';
import { createModuleFactory } from '../../../src/symbols/module-factory.js';
import type { CodeViewInfo, ModuleInfo } from '../../../src/target/module-info.js';
import {
  AMDPPM_CV, AMDPPM_PDB, SIGSEGV_CV, SIGSEGV_PDB, TEST_PDB, TEST_PDB_CV, TESTDATA,
  buildServerStore, closedPort, listFiles, removeTemps, startSymbolServer, tempDir, type TestServer,
} from './symbol-server.js';

if (!existsSync(TESTDATA)) console.warn(`skipping symbol download tests: ${TESTDATA} is absent`);

function info(name: string, cv: CodeViewInfo | undefined, base = 0x10000000n): ModuleInfo {
  return { name, imageName: `${name}.sys`, imagePath: `${name}.sys`, base, size: 0x3b000, timestamp: 0x11111111, checksum: 1, ...(cv ? { codeView: cv } : {}) };
}

describe.skipIf(!existsSync(TESTDATA))('symbol server downloads through the module factory', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startSymbolServer(buildServerStore());
  });
  afterAll(async () => {
    await server?.close();
    removeTemps();
  });
  const fetcher = () => createHttpFetcher({ timeoutMs: 300, retries: 1, retryDelayMs: 10 });
  const run = (symbolPath: string, cacheDir = tempDir()) => createModuleFactory({ symbolPath: () => symbolPath, imagePath: () => '', memory: () => undefined, cacheDir, fetcher: fetcher() });

  it('downloads a PDB into srv*cache, uses it, and a second run hits the cache with no request', async () => {
    const cache = tempDir();
    const sympath = `srv*${cache}*${server.url}/symbols`;
    const first = run(sympath);
    const m = first(info('amdppm', AMDPPM_CV));
    const before = server.requests.length;
    const report = await first.prepare();
    expect(report).toEqual({ warnings: [], trace: [], downloaded: 1 });
    expect(server.requests.slice(before)).toEqual(['/symbols/amdppm.pdb/1C19FDDB27BB3399D9B45973EFEAFCF31/amdppm.pdb']);
    expect(m.symbols().kind).toBe('pdb');
    expect(m.symbols().file).toBe(path.join(cache, 'amdppm.pdb/1C19FDDB27BB3399D9B45973EFEAFCF31/amdppm.pdb'));
    expect(m.symbols().nearest(0x334c)?.name).toBe('WriteIoMemRawEx');
    // Asking again in the same session is free too.
    expect((await first.prepare()).downloaded).toBe(0);

    const second = run(sympath);
    const m2 = second(info('amdppm', AMDPPM_CV));
    const mark = server.requests.length;
    expect((await second.prepare()).downloaded).toBe(0);
    expect(m2.symbols().kind).toBe('pdb');
    expect(server.requests.length).toBe(mark);
  });

  it('expands a CAB-compressed .pd_ into the cache and loads it', async () => {
    const cache = tempDir();
    const f = run(`srv*${cache}*${server.url}/symbols`);
    const m = f(info('sigsegv', SIGSEGV_CV));
    const before = server.requests.length;
    expect((await f.prepare()).downloaded).toBe(1);
    expect(server.requests.slice(before)).toEqual([
      '/symbols/sigsegv.pdb/7DD47A9FC2E8499AA78EC14AE2C965A21/sigsegv.pdb',
      '/symbols/sigsegv.pdb/7DD47A9FC2E8499AA78EC14AE2C965A21/sigsegv.pd_',
    ]);
    const expanded = path.join(cache, 'sigsegv.pdb/7DD47A9FC2E8499AA78EC14AE2C965A21/sigsegv.pdb');
    expect(readFileSync(expanded).equals(readFileSync(SIGSEGV_PDB))).toBe(true);
    expect(m.symbols().file).toBe(expanded);
  });

  it('follows a file.ptr served by the store', async () => {
    const cache = tempDir();
    const f = run(`srv*${cache}*${server.url}/symbols`);
    const m = f(info('test-pdb', TEST_PDB_CV));
    await f.prepare();
    expect(m.symbols().kind).toBe('pdb');
    expect(m.symbols().file).toBe(TEST_PDB);
  });

  it('uses the default cache for srv**url and finds it again in the next run', async () => {
    const cache = tempDir();
    const f = run(`srv**${server.url}/symbols`, cache);
    const m = f(info('amdppm', AMDPPM_CV));
    await f.prepare();
    expect(m.symbols().file).toBe(path.join(cache, 'amdppm.pdb/1C19FDDB27BB3399D9B45973EFEAFCF31/amdppm.pdb'));
    const mark = server.requests.length;
    const again = run(`srv*${server.url}/symbols`, cache);
    const m2 = again(info('amdppm', AMDPPM_CV));
    await again.prepare();
    expect(m2.symbols().kind).toBe('pdb');
    expect(server.requests.length).toBe(mark);
  });

  it('treats 404 as "not there": no warning, WinDbg\'s message at load, nothing cached', async () => {
    const cache = tempDir();
    const f = run(`srv*${cache}*${server.url}/symbols`);
    const m = f(info('missing', { pdbName: 'missing.pdb', guid: '00112233445566778899AABBCCDDEEFF', age: 2 }));
    const report = await f.prepare();
    expect(report.warnings).toEqual([]);
    expect(m.symbols().loadMessage).toBe('*** ERROR: Module load completed but symbols could not be loaded for missing.sys');
    expect(listFiles(cache)).toEqual([]);
  });

  it('a truncated download leaves nothing corrupt in the cache and gives one warning', async () => {
    const cache = tempDir();
    const f = run(`srv*${cache}*${server.url}/truncate`);
    const m = f(info('amdppm', AMDPPM_CV));
    const report = await f.prepare();
    expect(report.warnings).toHaveLength(1);
    expect(report.warnings[0]).toMatch(/^\*\*\* WARNING: symbol server http:\/\/127\.0\.0\.1:\d+\/truncate is unavailable \(connection closed after \d+ of 674816 bytes\); no download for amdppm\.sys$/);
    expect(listFiles(cache)).toEqual([]);
    expect(m.symbols().kind).toBe('none');
  });

  it('a stalled server times out once; later modules skip it, each with one warning, no hang', async () => {
    const cache = tempDir();
    const f = run(`srv*${cache}*${server.url}/stall`);
    f(info('amdppm', AMDPPM_CV));
    f(info('sigsegv', SIGSEGV_CV, 0x20000000n));
    f(info('test-pdb', TEST_PDB_CV, 0x30000000n));
    const before = server.requests.length;
    const t0 = Date.now();
    const report = await f.prepare();
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(report.warnings).toHaveLength(3);
    expect(report.warnings.every((w) => /^\*\*\* WARNING: symbol server .*\/stall is unavailable \(no data for 300 ms\); no download for [\w-]+\.sys$/.test(w))).toBe(true);
    // Modules run four at a time, so each may have made its first request before the server was marked down.
    expect(server.requests.length - before).toBeLessThanOrEqual(6);
  });

  it('offline (nothing listening): one warning per module, quickly', async () => {
    const port = await closedPort();
    const f = run(`srv*${tempDir()}*http://127.0.0.1:${port}/symbols`);
    f(info('amdppm', AMDPPM_CV));
    f(info('sigsegv', SIGSEGV_CV, 0x20000000n));
    const t0 = Date.now();
    const report = await f.prepare();
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(report.warnings.map((w) => w.replace(/\(.*\)/, '(...)'))).toEqual([
      `*** WARNING: symbol server http://127.0.0.1:${port}/symbols is unavailable (...); no download for amdppm.sys`,
      `*** WARNING: symbol server http://127.0.0.1:${port}/symbols is unavailable (...); no download for sigsegv.sys`,
    ]);
    expect(report.warnings[0]).toContain('ECONNREFUSED');
  });

  it('never writes outside the cache for hostile PDB names from a dump', async () => {
    const root = tempDir();
    const cache = path.join(root, 'cache');
    const f = run(`srv*${cache}*${server.url}/symbols`);
    const guid = '00112233445566778899AABBCCDDEEFF';
    for (const [i, pdbName] of ['..', '../../../../escape.pdb', '..\\..\\evil.pdb', 'C:evil.pdb', 'odd%2f..%2fname.pdb', 'semi;colon?.pdb'].entries()) {
      f(info(`hostile${i}`, { pdbName, guid, age: 1 }, BigInt(i + 1) << 32n));
    }
    f(info('hostilekey', { pdbName: 'k.pdb', guid: '../../../KEY', age: 1 }, 0x9900000000n));
    const before = server.requests.length;
    await f.prepare();
    const asked = server.requests.slice(before);
    // Only the last component of a path-like name is ever used, and odd names or keys are never requested.
    expect(asked.length).toBeGreaterThan(0);
    expect(asked.filter((r) => !/^\/symbols\/[\w.-]+\/[0-9A-F]+\/[\w.-]+$/i.test(r))).toEqual([]);
    expect(new Set(asked.filter((r) => r.includes('.pdb/')).map((r) => r.split('/')[2]))).toEqual(new Set(['escape.pdb', 'evil.pdb']));
    expect(asked.some((r) => r.includes('..') || r.includes('%'))).toBe(false);
    expect(listFiles(root)).toEqual([]);
    for (const m of f.modules) expect(m.symbols().kind).toBe('none');
  });

  it('does not download for modules whose PDB is already local', async () => {
    const f = run(`${path.dirname(AMDPPM_PDB)};srv*${tempDir()}*${server.url}/symbols`);
    const m = f(info('amdppm', AMDPPM_CV));
    const before = server.requests.length;
    await f.prepare();
    expect(server.requests.length).toBe(before);
    expect(m.symbols().file).toBe(AMDPPM_PDB);
  });

  it('adds the request trace in noisy mode', async () => {
    const f = run(`srv*${tempDir()}*${server.url}/symbols`);
    f.noisy = true;
    f(info('missing', { pdbName: 'missing.pdb', guid: '00112233445566778899AABBCCDDEEFF', age: 2 }));
    const report = await f.prepare();
    expect(report.trace.slice(0, 2)).toEqual([
      'SYMSRV:  HTTPGET: /symbols/missing.pdb/00112233445566778899AABBCCDDEEFF2/missing.pdb',
      'SYMSRV:  HttpQueryInfo: 80190194 - HTTP_STATUS_NOT_FOUND',
    ]);
  });
});
