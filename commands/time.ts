import { CaretError } from '../src/errors.js';
import { defineCommand, type Invocation } from '../src/repl/command.js';
import { out } from '../src/repl/output.js';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `Mon Jun 16 20:13:12.844 2014 (UTC + 1:00)` in the host's time zone, as dbgeng writes times. */
export function formatDebuggerTime(date: Date): string {
  const offset = -date.getTimezoneOffset();
  const two = (n: number) => String(n).padStart(2, '0');
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return (
    `${DAYS[date.getDay()]} ${MONTHS[date.getMonth()]} ${String(date.getDate()).padStart(2, ' ')} ` +
    `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}.${String(date.getMilliseconds()).padStart(3, '0')} ` +
    `${date.getFullYear()} (UTC ${sign} ${Math.floor(abs / 60)}:${two(abs % 60)})`
  );
}

function noArguments(inv: Invocation): void {
  if (inv.rest.trim() !== '') throw new CaretError('extra-character', 'Extra character', inv.text.length - 1);
}

/** `.echotime`: the host's current time. */
export const echoTimeCommand = defineCommand({
  name: '.echotime',
  summary: "Show the debugger's current time",
  usage: '.echotime',
  parse: noArguments,
  run: () => new Date(),
  format: (now) => [out(`Debugger (not debuggee) time: ${formatDebuggerTime(now)}`)],
});

/** `.time`: the times a dump recorded; what a dump cannot know is said to be unavailable. */
export const timeCommand = defineCommand({
  name: '.time',
  summary: 'Show the debug session time and uptimes recorded in the dump',
  usage: '.time',
  parse: noArguments,
  run: (_a, { session }) => session.target,
  format(t) {
    const s = t.system;
    const lines = [out(`Debug session time: ${s.debugSessionTime ?? 'not available'}`), out(`System Uptime: ${s.systemUptime ?? 'not available'}`)];
    if (t.kind === 'user') {
      lines.push(out(`Process Uptime: ${s.processUptime ?? 'not available'}`));
      lines.push(out('  Kernel time: not available in a dump'), out('  User time: not available in a dump'));
    }
    return lines;
  },
});
