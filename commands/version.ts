import { defineCommand } from '../src/repl/command.js';
import { out } from '../src/repl/output.js';
import { CRASHKD_VERSION } from '../src/version.js';

/** `version`: debugger and target versions. */
export const versionCommand = defineCommand({
  name: 'version',
  summary: 'Show the debugger and target versions',
  usage: 'version',
  parse: () => undefined,
  run: (_a, { session }) => session.target,
  format: (t) => [
    out(t.system.versionLine),
    ...(t.system.productLine ? [out(t.system.productLine)] : []),
    ...(t.system.buildLine ? [out(t.system.buildLine)] : []),
    out(`Machine Name:`),
    out(`Debug session time: ${t.system.debugSessionTime ?? 'not available'}`),
    out(`System Uptime: ${t.system.systemUptime ?? 'not available'}`),
    out(`crashkd ${CRASHKD_VERSION} (a KD-compatible debugger for Windows crash dumps; Node ${process.versions.node})`),
    out(`Command line: 'crashkd ${t.path}'`),
    out(`Dump file: ${t.path}`),
  ],
});
