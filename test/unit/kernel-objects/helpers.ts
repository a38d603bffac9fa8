/** Shared set-up for the kernel extension command tests: a dispatcher with the five commands. */
import { pcrCommand } from '../../../commands/bang-pcr.js';
import { prcbCommand } from '../../../commands/bang-prcb.js';
import { processCommand } from '../../../commands/bang-process.js';
import { pteCommand } from '../../../commands/bang-pte.js';
import { threadCommand } from '../../../commands/bang-thread.js';
import { COMMANDS } from '../../../commands/index.js';
import { Dispatcher } from '../../../src/repl/dispatcher.js';
import { Registry } from '../../../src/repl/registry.js';
import { runEchoed } from '../../../src/repl/transcript.js';
import { createSession } from '../../../src/session/create-session.js';
import { openTarget, type OpenOptions } from '../../../src/session/open-target.js';

/** The commands of this suite, as the lead registers them in commands/index.ts. */
export const KERNEL_COMMANDS = [pcrCommand, prcbCommand, threadCommand, processCommand, pteCommand];

/** A dispatcher over the dump or scenario at `path`, with the kernel extension commands added. */
export async function kernelDispatcher(path: string, options: OpenOptions = {}): Promise<Dispatcher> {
  const session = createSession(await openTarget(path, options));
  // Skip any the registry already has (once they are registered in commands/index.ts).
  const names = new Set(COMMANDS.map((c) => c.name));
  return new Dispatcher(new Registry([...COMMANDS, ...KERNEL_COMMANDS.filter((c) => !names.has(c.name))]), session);
}

/** Runs `line` and returns the output lines without the echoed prompt line. */
export async function output(d: Dispatcher, line: string): Promise<string[]> {
  return (await runEchoed(d, line)).slice(1).map((l) => l.text);
}
