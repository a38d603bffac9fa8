/**
 * Issue 8: `crashkd triage` over 200 dumps (copies of the testdata minidumps in a temporary
 * folder): dumps per second and the triage process's peak RSS (VmHWM, sampled from /proc).
 */
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { collectDumps } from '../src/triage/collect-dumps.js';

const TESTDATA = path.resolve('../shared/testdata');
const COUNT = 200;

function isMinidump(file: string): boolean {
  try {
    return readFileSync(file).subarray(0, 4).toString('latin1') === 'MDMP';
  } catch {
    return false;
  }
}

async function main(): Promise<void> {
  if (!existsSync(TESTDATA)) {
    console.log(`triage bench: skipped (${TESTDATA} is absent)`);
    return;
  }
  const sources = collectDumps([TESTDATA]).filter(isMinidump);
  const dir = mkdtempSync(path.join(tmpdir(), 'crashkd-triage-bench-'));
  try {
    for (let i = 0; i < COUNT; i++) copyFileSync(sources[i % sources.length]!, path.join(dir, `d${String(i).padStart(3, '0')}.dmp`));
    const t0 = process.hrtime.bigint();
    const child = spawn(process.execPath, ['bin/crashkd.js', 'triage', dir, '--jsonl'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let peakKb = 0;
    let lines = 0;
    child.stdout.on('data', (b: Buffer) => (lines += b.toString().split('\n').length - 1));
    const timer = setInterval(() => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) peakKb = Math.max(peakKb, Number(m[1]));
      } catch {
        /* exited */
      }
    }, 10);
    await new Promise((r) => child.on('exit', r));
    clearInterval(timer);
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    console.log(`triage: ${lines} of ${COUNT} minidumps in ${seconds.toFixed(2)} s = ${(COUNT / seconds).toFixed(0)} dumps/s (goal >= 50), peak RSS ${(peakKb / 1024).toFixed(0)} MiB`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
