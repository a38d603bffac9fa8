/**
 * Steps that run commands in this process through the same Dispatcher the CLI builds, so the
 * figures exclude process start-up and terminal output.
 */
import { COMMANDS } from '../../commands/index.js';
import { Dispatcher } from '../../src/repl/dispatcher.js';
import type { Line } from '../../src/repl/output.js';
import { Registry } from '../../src/repl/registry.js';
import { createSession } from '../../src/session/create-session.js';
import type { DumpSession } from '../../src/session/dump-session.js';
import { openTarget } from '../../src/session/open-target.js';
import { msSince, summarize, type Summary } from './stats.js';

/** A dispatcher over `session` with the full command table, as src/cli/main.ts builds it. */
export function dispatcherFor(session: DumpSession): Dispatcher {
  return new Dispatcher(new Registry(COMMANDS), session);
}

/** A new session over the seed scenario (or any dump path), opened as the CLI opens it. */
export async function openSession(file: string): Promise<DumpSession> {
  return createSession(await openTarget(file));
}

/** Runs one line at the prompt column kd would use, failing on any error line. */
async function runChecked(d: Dispatcher, line: string): Promise<Line[]> {
  const lines = await d.execute(line, { column: d.session.prompt().length });
  const bad = lines.find((l) => l.role === 'error' && !/stack walk stopped/.test(l.text));
  if (bad) throw new Error(`'${line}' failed: ${bad.text}`);
  return lines;
}

/** Result of the `kv` step. */
export interface KvTiming {
  readonly processors: number;
  /** First run on a fresh target: symbol loading and unwind-data reads included. */
  readonly firstMs: number;
  /** Later runs, each on a new session over the same target (stack walks not cached). */
  readonly fresh: Summary;
  /** Later runs on one session (walks cached per context, formatting only). */
  readonly cached: Summary;
  readonly lines: number;
}

/** `Nkv` on every processor of the seed scenario, timed as one unit of work. */
export async function timeKvAllProcessors(seed: string, runs: number): Promise<KvTiming> {
  // Opened once: later sessions share the target, so only the first run loads symbols.
  const opened = await openTarget(seed);
  const units = createSession(opened).target.units;
  const line = units.map((u) => `${u.index}kv`).join('; ');
  let d = dispatcherFor(createSession(opened));
  let t0 = process.hrtime.bigint();
  const lines = (await runChecked(d, line)).length;
  const firstMs = msSince(t0);
  const fresh: number[] = [];
  for (let i = 0; i < runs; i++) {
    d = dispatcherFor(createSession(opened));
    t0 = process.hrtime.bigint();
    await runChecked(d, line);
    fresh.push(msSince(t0));
  }
  const cached: number[] = [];
  for (let i = 0; i < runs; i++) {
    t0 = process.hrtime.bigint();
    await runChecked(d, line);
    cached.push(msSince(t0));
  }
  return { processors: units.length, firstMs, fresh: summarize(fresh), cached: summarize(cached), lines };
}

/** Result of the `u` step. */
export interface DisasmTiming {
  readonly instructions: number;
  readonly rounds: readonly number[];
  /** Median instructions per second over the rounds. */
  readonly perSecond: number;
}

const LISTING_ROW = /^[0-9a-f]{8}`[0-9a-f]{8} [0-9a-f]+ /;

/** `u START L0nCOUNT` through the dispatcher, `rounds` times after one warm-up round. */
export async function timeUnassemble(session: DumpSession, start: bigint, count: number, rounds: number): Promise<DisasmTiming> {
  const d = dispatcherFor(session);
  const line = `u ${start.toString(16)} L0n${count}`;
  const once = async (): Promise<{ ms: number; instructions: number }> => {
    const t0 = process.hrtime.bigint();
    const lines = await runChecked(d, line);
    const ms = msSince(t0);
    return { ms, instructions: lines.filter((l) => LISTING_ROW.test(l.text)).length };
  };
  const warm = await once();
  if (warm.instructions !== count) throw new Error(`'${line}' listed ${warm.instructions} instructions, expected ${count}`);
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) times.push((await once()).ms);
  const med = summarize(times).median;
  return { instructions: count, rounds: times, perSecond: count / (med / 1000) };
}
