import { DebuggerError } from '../src/errors.js';
import { defineCommand } from '../src/repl/command.js';
import type { DumpSession } from '../src/session/dump-session.js';
import { out, type Line } from '../src/repl/output.js';

interface LogArgs {
  readonly append: boolean;
  readonly timestamped: boolean;
  readonly path: string;
}

function closeLog(session: DumpSession): Line[] {
  const open = session.openLogFile;
  if (!open) return [];
  const line = out(`Closing open log file ${open.path}`);
  // The closing line is the log's last line, as in kd's own logs.
  open.close(`${line.text}\n`);
  session.openLogFile = undefined;
  return [line];
}

function parseLogArgs(rest: string, append: boolean): LogArgs {
  let t = rest.trim();
  let timestamped = false;
  for (;;) {
    const m = /^\/([tu])(?=\s|$)\s*/i.exec(t);
    if (!m) break;
    if (m[1]!.toLowerCase() === 't') timestamped = true;
    t = t.slice(m[0].length);
  }
  const quoted = /^"([^"]*)"$/.exec(t);
  if (!quoted && /\s/.test(t)) throw new DebuggerError('extra-character', `Extra character error in '${rest.trim()}'`);
  return { append, timestamped, path: quoted ? quoted[1]! : t || 'crashkd.log' };
}

function stampedPath(path: string): string {
  const d = new Date();
  const p2 = (n: number) => String(n).padStart(2, '0');
  const stamp = `_${process.pid.toString(16).toUpperCase().padStart(4, '0')}_${d.getFullYear()}-${p2(d.getMonth() + 1)}-${p2(d.getDate())}_${p2(d.getHours())}-${p2(d.getMinutes())}-${p2(d.getSeconds())}-${String(d.getMilliseconds()).padStart(3, '0')}`;
  const dot = path.lastIndexOf('.');
  return dot > 0 ? `${path.slice(0, dot)}${stamp}${path.slice(dot)}` : `${path}${stamp}`;
}

function openLog(args: LogArgs, session: DumpSession): Line[] {
  const lines = closeLog(session);
  const path = args.timestamped ? stampedPath(args.path) : args.path;
  let writer: (text: string) => void;
  try {
    writer = session.host.openLog(path, args.append);
  } catch (e) {
    return [...lines, out(`Unable to open log file '${path}': ${(e as Error).message}`)];
  }
  const remove = session.addLog(writer);
  session.openLogFile = {
    path,
    close: (last) => {
      remove();
      if (last) writer(last);
    },
  };
  return [...lines, out(`Opened log file '${path}'`)];
}

/** `.logopen [/t] [/u] File`: log everything shown, prompts included, to a new file. */
export const logOpenCommand = defineCommand({
  name: '.logopen',
  summary: 'Open a log file (overwrite) that records the session',
  usage: '.logopen [/t] [/u] [File]',
  parse: (inv) => parseLogArgs(inv.rest, false),
  run: (args, { session }) => openLog(args, session),
  format: (lines) => lines,
});

/** `.logappend [/u] File`: like `.logopen` but appends. */
export const logAppendCommand = defineCommand({
  name: '.logappend',
  summary: 'Open a log file for appending',
  usage: '.logappend [/u] [File]',
  parse: (inv) => parseLogArgs(inv.rest, true),
  run: (args, { session }) => openLog(args, session),
  format: (lines) => lines,
});

/** `.logclose`: close the open log file. */
export const logCloseCommand = defineCommand({
  name: '.logclose',
  summary: 'Close the log file',
  usage: '.logclose',
  parse: () => undefined,
  run: (_a, { session }) => closeLog(session),
  format: (lines) => lines,
});
