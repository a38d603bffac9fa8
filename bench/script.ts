/**
 * Command-program speed: 10,000 iterations of a `.for` loop whose body runs `r $t0` and an
 * `.if`, through the real Dispatcher on the seed scenario (target: under 1 s).
 *
 *   npx tsx bench/script.ts [iterations]
 */
import { performance } from 'node:perf_hooks';
import { COMMANDS } from '../commands/index.js';
import { ALIAS_COMMANDS } from '../commands/aliases.js';
import { CONTROL_FLOW_COMMANDS } from '../commands/control-flow.js';
import { printfCommand } from '../commands/printf.js';
import type { CommandSpec } from '../src/repl/command.js';
import { Dispatcher } from '../src/repl/dispatcher.js';
import { Registry } from '../src/repl/registry.js';
import { createSession } from '../src/session/create-session.js';
import { openTarget } from '../src/session/open-target.js';

const SEED = 'fixtures/clock-watchdog-0x101.yaml';
const iterations = Number(process.argv[2] ?? 10_000);

// Commands not yet in commands/index.ts are added here; duplicates are skipped.
const known = new Set(COMMANDS.map((c) => c.name.toLowerCase()));
const extra = [...ALIAS_COMMANDS, ...CONTROL_FLOW_COMMANDS, printfCommand].filter((c) => !known.has(c.name.toLowerCase()));
const session = createSession(await openTarget(SEED));
const dispatcher = new Dispatcher(new Registry([...COMMANDS, ...(extra as readonly CommandSpec[])]), session);

const line =
  `.for (r $t0 = 0; @$t0 < 0n${iterations}; r $t0 = @$t0 + 1) ` +
  '{ r $t1 = @$t0 * 2; .if (@$t0 & 1) { r $t2 = @$t2 + 1 } .else { r $t3 = @$t3 + 1 } }';

const start = performance.now();
const lines = await dispatcher.execute(line, { column: 0 });
const seconds = (performance.now() - start) / 1000;
const t2 = session.pseudoRegister('$t2');
if (lines.length > 0 || t2 !== BigInt(iterations >> 1)) {
  console.log(`unexpected result: ${lines.length} lines, $t2=${t2}`);
  process.exitCode = 1;
}
console.log(`.for loop, ${iterations} iterations (r $t0, r $t1, .if/.else): ${seconds.toFixed(3)} s (target < 1 s)`);
