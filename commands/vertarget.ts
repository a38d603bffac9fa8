import { defineCommand } from '../src/repl/command.js';
import { vertargetLines } from '../src/format/target-banner.js';
import { out } from '../src/repl/output.js';

/** `vertarget`: the target's OS version, build, base addresses, times. */
export const vertargetCommand = defineCommand({
  name: 'vertarget',
  summary: 'Show the target computer version',
  usage: 'vertarget',
  parse: () => undefined,
  run: (_a, { session }) => vertargetLines(session.target),
  format: (lines) => lines.map(out),
  json: (lines, _a, session) => ({ ...session.target.system, kind: session.target.kind, arch: session.target.arch, lines }),
});
