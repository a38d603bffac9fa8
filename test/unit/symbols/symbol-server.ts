import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, readdirSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { buildCabinet } from './store/cab-builder.js';

export const TESTDATA = path.resolve(process.cwd(), '../shared/testdata');
export const RIZIN_STORE = path.join(TESTDATA, 'rizinorg+test-pdb-repository');
export const AMDPPM_PDB = path.join(RIZIN_STORE, 'amdppm.pdb/1C19FDDB27BB3399D9B45973EFEAFCF31/amdppm.pdb');
export const SIGSEGV_PDB = path.join(TESTDATA, 'llvm-mirror+lldb/test/Shell/Minidump/Windows/Sigsegv/Inputs/sigsegv.pdb');
export const TEST_PDB = path.join(TESTDATA, 'llvm-mirror+lldb/unittests/SymbolFile/PDB/Inputs/test-pdb.pdb');
export const REGTEST_PDB = path.join(TESTDATA, 'mozilla+dump_syms/test_data/windows/dump_syms_regtest64.pdb');
export const BREAKPAD_STORE = path.join(TESTDATA, 'google+breakpad/src/processor/testdata/symbols');

export const AMDPPM_CV = { pdbName: 'amdppm.pdb', guid: '1C19FDDB27BB3399D9B45973EFEAFCF3', age: 1 };
export const SIGSEGV_CV = { pdbName: 'sigsegv.pdb', guid: '7DD47A9FC2E8499AA78EC14AE2C965A2', age: 1 };
export const TEST_PDB_CV = { pdbName: 'test-pdb.pdb', guid: 'C16A11CA886C4AE8AF7698A42C39DADD', age: 1 };
export const REGTEST_CV = { pdbName: String.raw`c:\build\dump_syms_regtest64.pdb`, guid: '72E103A85CB249078B76B2E7C06257B1', age: 3 };

const temps: string[] = [];

/** A fresh temporary directory, removed by `removeTemps`. */
export function tempDir(prefix = 'crashkd-sym-'): string {
  const d = mkdtempSync(path.join(os.tmpdir(), prefix));
  temps.push(d);
  return d;
}

/** Removes every directory made by `tempDir`. */
export function removeTemps(): void {
  for (const d of temps.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** Every file below `dir` (relative paths, `/`-separated). */
export function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (d: string, rel: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(path.join(d, e.name), r);
      else out.push(r);
    }
  };
  walk(dir, '');
  return out.sort();
}

/**
 * A server-side store built from testdata: amdppm.pdb plain, sigsegv.pdb only as an MSZIP
 * `.pd_`, test-pdb.pdb only through a `file.ptr` naming the testdata file.
 */
export function buildServerStore(): string {
  const root = tempDir('crashkd-srv-');
  const put = (rel: string, bytes: Buffer) => {
    const p = path.join(root, rel);
    mkdirSync(path.dirname(p), { recursive: true });
    writeFileSync(p, bytes);
  };
  put('amdppm.pdb/1C19FDDB27BB3399D9B45973EFEAFCF31/amdppm.pdb', readFileSync(AMDPPM_PDB));
  put('sigsegv.pdb/7DD47A9FC2E8499AA78EC14AE2C965A21/sigsegv.pd_', buildCabinet('sigsegv.pdb', readFileSync(SIGSEGV_PDB), 'mszip'));
  put('test-pdb.pdb/C16A11CA886C4AE8AF7698A42C39DADD1/file.ptr', Buffer.from(`PATH:${TEST_PDB}`));
  return root;
}

/** A running test server and what it was asked. */
export interface TestServer {
  readonly url: string;
  readonly port: number;
  /** Request paths, in arrival order. */
  readonly requests: string[];
  close(): Promise<void>;
}

/**
 * A symbol server on 127.0.0.1 (random port) serving `root` under `/symbols/`. Other prefixes
 * misbehave on purpose: `/stall/` answers nothing, `/slowbody/` sends headers and 1 KiB then
 * stalls, `/truncate/` sends half the promised body and hangs up, `/redirect/` answers 302 to
 * `/symbols/`, `/fail/` answers 503. Stalled sockets are destroyed on close, and the server is
 * unref'd, so it can never keep the test process alive.
 */
export async function startSymbolServer(root: string): Promise<TestServer> {
  const requests: string[] = [];
  const sockets = new Set<Socket>();
  const server = http.createServer((req, res) => {
    const url = req.url ?? '/';
    requests.push(url);
    const m = /^\/(symbols|stall|slowbody|truncate|redirect|fail)\/(.*)$/.exec(url);
    if (!m) {
      res.writeHead(404).end();
      return;
    }
    const [, mode, rel] = m;
    if (mode === 'stall') return;
    if (mode === 'redirect') {
      res.writeHead(302, { location: `/symbols/${rel}` }).end();
      return;
    }
    if (mode === 'fail') {
      res.writeHead(503).end();
      return;
    }
    const file = path.join(root, decodeURIComponent(rel!));
    if (!file.startsWith(root + path.sep) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    const body = readFileSync(file);
    res.writeHead(200, { 'content-length': body.length, 'content-type': 'application/octet-stream' });
    if (mode === 'slowbody') {
      res.write(body.subarray(0, 1024));
      return;
    }
    if (mode === 'truncate') {
      res.write(body.subarray(0, body.length >> 1), () => res.socket?.destroy());
      return;
    }
    res.end(body);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  server.unref();
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A port that refuses connections (bound, then released). */
export async function closedPort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

/** Copies a testdata file into a store layout under `root`. */
export function storeCopy(root: string, rel: string, from: string): string {
  const p = path.join(root, rel);
  mkdirSync(path.dirname(p), { recursive: true });
  copyFileSync(from, p);
  return p;
}
