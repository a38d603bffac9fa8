import { CaretError } from '../src/errors.js';
import { defineCommand } from '../src/repl/command.js';
import { out, type Line } from '../src/repl/output.js';
import type { DumpSession } from '../src/session/dump-session.js';

/**
 * One row of `|` (cdb): `.  0\tid: f5c\texamine\tname: c:\test_app.exe`. A dump holds one
 * process, index 0, the current one; it was "examined", not attached or created.
 */
export function processRow(session: DumpSession): string {
  const t = session.target;
  const unit = t.units[t.initialUnit];
  const pid = (unit?.processId ?? 0).toString(16);
  // The image of a process is the first entry of its module list (the loader puts the exe first).
  const image = t.modules[0]?.imagePath ?? '?';
  return `.  0\tid: ${pid}\texamine\tname: ${image}`;
}

/** `|`, `|*`, `|.`, `|#`, `|0`: process status (a dump has exactly one process). */
export const pipeCommand = defineCommand({
  name: '|',
  summary: 'Show the process being debugged (a dump holds one: 0)',
  usage: '| [* | . | # | 0]',
  requires: ['user-target'],
  parse(inv) {
    const sel = inv.rest.trim();
    // Every selector names process 0, the only one; anything else is not a process.
    if (sel !== '' && !/^([*.#]|0+)$/.test(sel)) throw new CaretError('syntax', 'Illegal process', inv.text.length - 1);
    return undefined;
  },
  run: (_a, { session }): Line[] => [out(processRow(session))],
  format: (lines) => lines,
});
