/**
 * `npm run bench`: prints crashkd's performance figures (never asserts; not a test).
 *   a. launch to first prompt in plain mode (`-c q`), 10 runs
 *   b. 10,000 commands from a `-cf` script through plain mode
 *   c. `kv` on every processor of the seed scenario, in-process through the Dispatcher
 *   d. `u ... L0n100000` over Wdf01000.sys's real `.text`, through the Dispatcher
 *   e. the other bench/*.ts scripts as child processes, output passed through
 * then a summary table. Each step that cannot run says why and the rest go on.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { childScripts, runChild } from './lib/child-benches.js';
import { timeLaunch, timeScript } from './lib/cli-runs.js';
import { openSession, timeKvAllProcessors, timeUnassemble } from './lib/in-process.js';
import { readTextSection, textSession } from './lib/pe-text-target.js';
import { formatTable, heading, type BenchRow } from './lib/report.js';
import { grouped, ms1 } from './lib/stats.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const SEED = 'fixtures/clock-watchdog-0x101.yaml';
const WDF = path.resolve(root, '../shared/testdata/rizinorg+test-pdb-repository/Wdf01000.sys/a9a9d36ed1000/Wdf01000.sys');
const LAUNCH_RUNS = 10;
const SCRIPT_COMMANDS = 10_000;
const KV_RUNS = 20;
const U_COUNT = 100_000;
const U_ROUNDS = 5;

const rows: BenchRow[] = [];

/** Runs one step; a failure is printed and recorded as a `failed` row instead of ending the bench. */
async function step(title: string, name: string, body: () => Promise<void> | void): Promise<void> {
  heading(title);
  try {
    await body();
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    console.log(`skipped: ${why}`);
    rows.push({ name, value: 'failed', unit: '', target: why.slice(0, 60) });
  }
}

process.chdir(root);

await step(`a. launch to first prompt: crashkd ${SEED} -c q (${LAUNCH_RUNS} runs)`, 'launch (-c q)', () => {
  const s = timeLaunch(root, SEED, LAUNCH_RUNS);
  console.log(`median ${ms1(s.median)} ms, min ${ms1(s.min)} ms, max ${ms1(s.max)} ms`);
  rows.push({ name: 'launch (-c q) median', value: ms1(s.median), unit: 'ms', target: '< 250 ms (issue 3)' });
  rows.push({ name: 'launch (-c q) min..max', value: `${ms1(s.min)}..${ms1(s.max)}`, unit: 'ms', target: '' });
});

await step(`b. ${grouped(SCRIPT_COMMANDS)} commands (? / r / .echo) via -cf, plain mode`, '-cf script', () => {
  const r = timeScript(root, SEED, SCRIPT_COMMANDS);
  console.log(`${grouped(r.commands)} commands + q in ${r.seconds.toFixed(2)} s (${grouped(r.commands / r.seconds)} commands/s), ${(r.outputBytes / 1024 / 1024).toFixed(1)} MiB of output, ${r.prompts} prompts echoed`);
  if (r.prompts !== r.commands + 1) console.log(`note: expected ${r.commands + 1} prompts, saw ${r.prompts}`);
  rows.push({ name: `-cf ${grouped(SCRIPT_COMMANDS)} commands`, value: r.seconds.toFixed(2), unit: 's', target: '< 1 s (issue 3)' });
});

await step(`c. kv on every processor of the seed, in-process (median of ${KV_RUNS})`, 'kv all processors', async () => {
  const k = await timeKvAllProcessors(SEED, KV_RUNS);
  console.log(`${k.processors} processors, ${k.lines} lines; first run ${ms1(k.firstMs)} ms`);
  console.log(`new session each run (walks not cached): median ${ms1(k.fresh.median)} ms, min ${ms1(k.fresh.min)}, max ${ms1(k.fresh.max)}`);
  console.log(`same session (walks cached): median ${ms1(k.cached.median)} ms, min ${ms1(k.cached.min)}, max ${ms1(k.cached.max)}`);
  rows.push({ name: `kv x${k.processors} processors median`, value: ms1(k.fresh.median), unit: 'ms', target: '< 50 ms (issue 4)' });
  rows.push({ name: `kv x${k.processors} first run`, value: ms1(k.firstMs), unit: 'ms', target: '' });
});

await step(`d. u L0n${U_COUNT} over ${path.basename(WDF)} .text through the Dispatcher`, 'u throughput', async () => {
  if (!existsSync(WDF)) throw new Error(`${WDF} not found`);
  const text = readTextSection(WDF);
  const session = textSession((await openSession(SEED)).target, WDF, text);
  console.log(`.text: ${grouped(text.bytes.length)} bytes at ${text.base.toString(16)}`);
  const u = await timeUnassemble(session, text.base, U_COUNT, U_ROUNDS);
  console.log(`rounds (ms): ${u.rounds.map(ms1).join(', ')}`);
  console.log(`${grouped(u.instructions)} instructions per round, median ${grouped(u.perSecond)} instructions/s`);
  rows.push({ name: `u L0n${U_COUNT} (dispatcher)`, value: grouped(u.perSecond), unit: 'instr/s', target: '>= 1,000,000 instr/s (issue 4)' });
});

heading('e. other bench scripts (npx tsx bench/NAME.ts)');
for (const script of childScripts(path.join(root, 'bench'))) {
  console.log(`\n-- ${script}`);
  const r = runChild(root, script);
  if (!r.ok) console.log(`skipped ${script}: ${r.reason}`);
  rows.push({ name: `bench/${script}`, value: r.ok ? r.seconds.toFixed(1) : 'failed', unit: r.ok ? 's' : '', target: r.ok ? 'see its output above' : (r.reason ?? '').slice(0, 60) });
}

heading('summary');
console.log(formatTable(rows));
