/**
 * Steps that time the real CLI as a user starts it: `node bin/crashkd.js ...` in a child
 * process, measured as wall time around spawnSync (process start, bundle load, dump open,
 * banner, commands, exit).
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { msSince, summarize, type Summary } from './stats.js';

/** Enough for the 10,000-command transcript (a few MiB) with room to spare. */
const MAX_OUTPUT = 512 * 1024 * 1024;

function runCli(root: string, args: readonly string[]): { ms: number; result: SpawnSyncReturns<string> } {
  const t0 = process.hrtime.bigint();
  const result = spawnSync(process.execPath, [path.join(root, 'bin/crashkd.js'), ...args], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: MAX_OUTPUT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const ms = msSince(t0);
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`crashkd ${args.join(' ')} exited ${result.status}: ${result.stderr.trim().slice(0, 300)}`);
  return { ms, result };
}

/** Wall time of `crashkd SEED -c q` over `runs` launches; also checks the run reached the prompt. */
export function timeLaunch(root: string, seed: string, runs: number): Summary {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const { ms, result } = runCli(root, [seed, '-c', 'q']);
    if (!result.stdout.includes('kd> q\nquit:')) throw new Error('launch run did not reach the prompt: no "kd> q" / "quit:" in its output');
    samples.push(ms);
  }
  return summarize(samples);
}

/** The 10,000-line script: evaluations, register dumps and echoes in turn, then `q`. */
export function scriptLines(count: number): string[] {
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const k = i % 3;
    lines.push(k === 0 ? `? ${i} * 2 + @rsp` : k === 1 ? 'r' : `.echo line ${i}`);
  }
  return lines;
}

/** Result of the script step. */
export interface ScriptRun {
  readonly seconds: number;
  readonly commands: number;
  /** Prompt lines seen in the output: must be commands + 1 (the final `q`). */
  readonly prompts: number;
  readonly outputBytes: number;
}

/** Runs `count` commands from a temporary `-cf` file through plain mode and times the whole run. */
export function timeScript(root: string, seed: string, count: number): ScriptRun {
  const dir = mkdtempSync(path.join(tmpdir(), 'crashkd-bench-'));
  try {
    const file = path.join(dir, 'commands.txt');
    writeFileSync(file, [...scriptLines(count), 'q', ''].join('\n'));
    const { ms, result } = runCli(root, [seed, '-cf', file]);
    const prompts = result.stdout.match(/^\d+: kd> /gm)?.length ?? 0;
    return { seconds: ms / 1000, commands: count, prompts, outputBytes: Buffer.byteLength(result.stdout) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
