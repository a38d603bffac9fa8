/** Shared set-up for the REPL tests: a dispatcher over the seed scenario and temp-file helpers. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { COMMANDS } from '../../../commands/index.js';
import type { CommandSpec } from '../../../src/repl/command.js';
import { Dispatcher } from '../../../src/repl/dispatcher.js';
import { Registry } from '../../../src/repl/registry.js';
import { runEchoed } from '../../../src/repl/transcript.js';
import { createSession } from '../../../src/session/create-session.js';
import { openTarget } from '../../../src/session/open-target.js';

/** The seed scenario every REPL test runs against (4 processors, processor 0 bug-checked). */
export const SEED = 'fixtures/clock-watchdog-0x101.yaml';

/** The kernel prompt on processor 0; caret columns count from its end. */
export const PROMPT = '0: kd> ';

/** A fresh dispatcher over the seed, with `extra` commands added to the real table. */
export async function seedDispatcher(extra: readonly CommandSpec[] = []): Promise<Dispatcher> {
  const session = createSession(await openTarget(SEED));
  return new Dispatcher(new Registry([...COMMANDS, ...extra]), session);
}

/** Runs `line` as typed at the prompt and returns the echoed transcript text. */
export async function typed(d: Dispatcher, line: string): Promise<string[]> {
  return (await runEchoed(d, line)).map((l) => l.text);
}

/** A temporary directory, removed by the returned cleanup. */
export function tempDir(): { dir: string; file: (name: string, text: string) => string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'crashkd-repl-test-'));
  return {
    dir,
    file(name, text) {
      const p = path.join(dir, name);
      writeFileSync(p, text);
      return p;
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Index of the caret in a caret line (`      ^ Syntax error in ...`). */
export function caretColumn(line: string): number {
  return line.indexOf('^');
}
