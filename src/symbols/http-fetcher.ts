/**
 * Downloads from HTTP(S) symbol servers (msdl and SSQP-style stores) with node:http/https only.
 * Every download is bounded (size, idle and total time, redirects, retries) and lands in the
 * cache atomically: bytes go to a temporary file beside the destination that is renamed only
 * when the body is complete, so an interrupted transfer never leaves a truncated PDB behind.
 */
import { createWriteStream, mkdirSync, renameSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { randomBytes } from 'node:crypto';
import { CancelledError, DebuggerError } from '../errors.js';
import type { RemoteFetcher } from './store/remote.js';

/** Why a download failed; `timeout`, `truncated`, `http` (5xx) and resets are retried. */
export type SymbolServerFailure = 'network' | 'timeout' | 'http' | 'too-large' | 'truncated' | 'bad-path';

const RETRYABLE: ReadonlySet<SymbolServerFailure> = new Set(['timeout', 'truncated', 'http']);

/** A failed download (not a 404: that is an ordinary "not there"). */
export class SymbolServerError extends DebuggerError {
  constructor(
    readonly reason: SymbolServerFailure,
    readonly url: string,
    message: string,
    /** Worth another attempt (a reset or a 5xx, not a refused connection or a bad path). */
    readonly transient: boolean = RETRYABLE.has(reason),
  ) {
    super('message', message);
    this.name = 'SymbolServerError';
  }
}

/** Tuning of the fetcher; the defaults suit msdl over an ordinary connection. */
export interface HttpFetcherOptions {
  /** Socket idle time before an attempt fails (ms; default 20 s). */
  readonly timeoutMs?: number;
  /** Time to establish the connection (ms; default 8 s); missing it means "unreachable", not retried. */
  readonly connectTimeoutMs?: number;
  /** Whole-attempt limit (ms; default 10 min). */
  readonly totalTimeoutMs?: number;
  /** Largest file accepted (bytes; default 2 GiB). */
  readonly maxBytes?: number;
  /** Extra attempts after a retryable failure (default 2). */
  readonly retries?: number;
  /** First back-off delay, doubled per retry (ms; default 250). */
  readonly retryDelayMs?: number;
  readonly maxRedirects?: number;
  /** Files at least this large report progress (bytes; default 1 MiB). */
  readonly progressThreshold?: number;
  /** Receives a progress line for large files (at most every `progressIntervalMs`), then a final one. */
  readonly onProgress?: (line: string, final: boolean) => void;
  readonly progressIntervalMs?: number;
  /** Receives each request and its outcome (status code or error text), for `!sym noisy`. */
  readonly onRequest?: (url: string, outcome: string) => void;
}

/** Path components servers are asked for: no traversal, separators, drive letters or control characters. */
const SAFE_COMPONENT = /^[A-Za-z0-9_$~+\-.()@# ]+$/;

/**
 * Splits a store-relative path (`name.pdb/KEY/name.pdb`) into checked components; throws
 * SymbolServerError('bad-path') for anything that could leave the cache folder.
 */
export function safeRelativeParts(relativePath: string): string[] {
  const parts = relativePath.split('/');
  for (const p of parts) {
    if (p === '' || p === '.' || p === '..' || p.length > 255 || !SAFE_COMPONENT.test(p) || /^\.+$/.test(p)) {
      throw new SymbolServerError('bad-path', relativePath, `refusing symbol path component '${p}' in '${relativePath}'`);
    }
  }
  return parts;
}

/** Errors that mean "this server is not reachable now": retrying at once would not help. */
const FAIL_FAST = /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ENETUNREACH|EHOSTUNREACH|ECONNABORTED)$/;

function kb(n: number): string {
  return `${Math.ceil(n / 1024)} KB`;
}

function delay(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new CancelledError());
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(new CancelledError());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Creates the HTTP(S) RemoteFetcher. */
export function createHttpFetcher(options: HttpFetcherOptions = {}): RemoteFetcher {
  const o = {
    timeoutMs: options.timeoutMs ?? 20_000,
    connectTimeoutMs: options.connectTimeoutMs ?? 8_000,
    totalTimeoutMs: options.totalTimeoutMs ?? 600_000,
    maxBytes: options.maxBytes ?? 2 * 1024 * 1024 * 1024,
    retries: options.retries ?? 2,
    retryDelayMs: options.retryDelayMs ?? 250,
    maxRedirects: options.maxRedirects ?? 5,
    progressThreshold: options.progressThreshold ?? 1024 * 1024,
    progressIntervalMs: options.progressIntervalMs ?? 500,
  };

  async function fetch(base: string, relativePath: string, destPath: string, signal?: AbortSignal): Promise<boolean> {
    const parts = safeRelativeParts(relativePath);
    const dest = path.resolve(destPath);
    if (!dest.endsWith(path.sep + parts.join(path.sep))) {
      throw new SymbolServerError('bad-path', relativePath, `destination ${dest} does not end with ${relativePath}`);
    }
    let url: URL;
    try {
      url = new URL(`${base.replace(/\/+$/, '')}/${parts.map(encodeURIComponent).join('/')}`);
    } catch {
      throw new SymbolServerError('bad-path', base, `not a valid symbol server URL: ${base}`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new SymbolServerError('bad-path', base, `unsupported symbol server scheme ${url.protocol}`);
    for (let attempt = 0; ; attempt++) {
      try {
        return await attemptOnce(url, dest, parts[parts.length - 1]!, signal, o.maxRedirects);
      } catch (e) {
        const retryable = e instanceof SymbolServerError && e.transient;
        if (!retryable || attempt >= o.retries) throw e;
        await delay(o.retryDelayMs * 2 ** attempt, signal);
      }
    }
  }

  function attemptOnce(url: URL, dest: string, fileName: string, signal: AbortSignal | undefined, redirectsLeft: number): Promise<boolean> {
    if (signal?.aborted) return Promise.reject(new CancelledError());
    const href = url.href;
    return new Promise<boolean>((resolve, reject) => {
      let settled = false;
      let tmp: string | undefined;
      // The body pipeline, while one runs: a failure waits for it so the temporary file is
      // removed after the write stream has really closed (it may still be opening).
      let streaming: Promise<unknown> | undefined;
      const cleanup = () => {
        clearTimeout(total);
        clearTimeout(connecting);
        signal?.removeEventListener('abort', onAbort);
        if (tmp !== undefined) rmSync(tmp, { force: true });
      };
      const finish = (value: boolean | Promise<boolean>) => {
        if (settled) return;
        settled = true;
        cleanup();
        // An idle keep-alive socket must not hold the process open after the last download.
        req.socket?.unref();
        resolve(value);
      };
      const fail = (e: unknown) => {
        if (settled) return;
        settled = true;
        req.destroy();
        options.onRequest?.(href, e instanceof Error ? e.message : String(e));
        const done = () => {
          cleanup();
          reject(e);
        };
        if (streaming) streaming.then(done, done);
        else done();
      };
      const onAbort = () => fail(new CancelledError());
      signal?.addEventListener('abort', onAbort, { once: true });
      const total = setTimeout(() => fail(new SymbolServerError('timeout', href, `${href}: no complete answer within ${o.totalTimeoutMs} ms`)), o.totalTimeoutMs);
      const client = url.protocol === 'https:' ? https : http;
      const req = client.get(url, { headers: { 'user-agent': 'crashkd-symsrv/1.0', 'accept-encoding': 'identity' } });
      // A host that never completes the handshake is treated like a refused connection: a
      // blackholed server then costs one connect timeout, not several idle timeouts.
      const connecting = setTimeout(
        () => fail(new SymbolServerError('network', href, `${href}: no connection within ${o.connectTimeoutMs} ms`, false)),
        o.connectTimeoutMs,
      );
      req.on('socket', (sock) => {
        // Reused keep-alive sockets were unref'd when they went idle; a live transfer holds the process.
        sock.ref();
        if (!sock.connecting) clearTimeout(connecting);
        else sock.once(url.protocol === 'https:' ? 'secureConnect' : 'connect', () => clearTimeout(connecting));
      });
      req.setTimeout(o.timeoutMs, () => fail(new SymbolServerError('timeout', href, `${href}: no data for ${o.timeoutMs} ms`)));
      req.on('error', (e: NodeJS.ErrnoException) => {
        const code = e.code ?? 'error';
        fail(new SymbolServerError('network', href, `${href}: ${code} ${e.message}`.trim(), !FAIL_FAST.test(code)));
      });
      req.on('response', (res) => {
        const status = res.statusCode ?? 0;
        if (status >= 300 && status < 400 && res.headers.location) {
          res.resume();
          options.onRequest?.(href, `${status} redirect`);
          if (redirectsLeft <= 0) return fail(new SymbolServerError('http', href, `${href}: too many redirects`));
          let next: URL;
          try {
            next = new URL(res.headers.location, url);
          } catch {
            return fail(new SymbolServerError('http', href, `${href}: bad redirect target`));
          }
          if (next.protocol !== 'http:' && next.protocol !== 'https:') return fail(new SymbolServerError('http', href, `${href}: redirect to ${next.protocol}`));
          return finish(attemptOnce(next, dest, fileName, signal, redirectsLeft - 1));
        }
        if (status !== 200) {
          res.resume();
          options.onRequest?.(href, String(status));
          // 408/429/5xx are the server's trouble (retry); any other answer means "not here".
          if (status === 408 || status === 429 || status >= 500) return fail(new SymbolServerError('http', href, `${href}: HTTP ${status}`));
          return finish(false);
        }
        const lengthHeader = res.headers['content-length'];
        const expected = lengthHeader !== undefined && /^\d+$/.test(lengthHeader) ? Number(lengthHeader) : undefined;
        if (expected !== undefined && expected > o.maxBytes) {
          res.resume();
          return fail(new SymbolServerError('too-large', href, `${href}: ${expected} bytes exceeds the ${o.maxBytes}-byte limit`));
        }
        try {
          mkdirSync(path.dirname(dest), { recursive: true });
        } catch (e) {
          return fail(e);
        }
        tmp = `${dest}.partial-${process.pid}-${randomBytes(4).toString('hex')}`;
        let received = 0;
        let lastReport = 0;
        const report = expected === undefined || expected >= o.progressThreshold;
        const progress = (final: boolean) => {
          if (!options.onProgress || !report || received < o.progressThreshold) return;
          const now = Date.now();
          if (!final && now - lastReport < o.progressIntervalMs) return;
          lastReport = now;
          const of = expected !== undefined ? ` of ${kb(expected)} (${Math.floor((received * 100) / expected)}%)` : '';
          options.onProgress(final ? `Downloaded ${fileName} from ${url.host}: ${kb(received)}` : `Downloading ${fileName} from ${url.host}: ${kb(received)}${of}`, final);
        };
        const counter = new Transform({
          transform(chunk: Buffer, _enc, cb) {
            received += chunk.length;
            if (received > o.maxBytes) return cb(new SymbolServerError('too-large', href, `${href}: more than ${o.maxBytes} bytes`));
            progress(false);
            cb(null, chunk);
          },
        });
        streaming = pipeline(res, counter, createWriteStream(tmp, { flags: 'wx' }));
        streaming.then(
          () => {
            if (settled) return;
            if (!res.complete || (expected !== undefined && received !== expected)) {
              return fail(new SymbolServerError('truncated', href, `${href}: connection closed after ${received} of ${expected ?? '?'} bytes`));
            }
            try {
              renameSync(tmp!, dest);
              tmp = undefined;
            } catch (e) {
              return fail(e);
            }
            progress(true);
            options.onRequest?.(href, '200');
            finish(true);
          },
          (e: unknown) => {
            if (e instanceof SymbolServerError) return fail(e);
            // A reset or premature close mid-body: the same "truncated" as a short clean end.
            fail(new SymbolServerError('truncated', href, `${href}: connection closed after ${received} of ${expected ?? '?'} bytes`));
          },
        );
      });
    });
  }

  return { fetch };
}
