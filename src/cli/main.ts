import { createInterface } from 'node:readline';
import { DebuggerError } from '../errors.js';
import { Dispatcher } from '../repl/dispatcher.js';
import { splitCommands } from '../repl/line-parser.js';
import { out, type Line } from '../repl/output.js';
import { runEchoed } from '../repl/transcript.js';
import { nodeHost } from '../session/host.js';
import { openSession } from '../session/open-session.js';
import { openingBanner } from '../format/banner.js';
import { recordTranscript } from '../lessons/transcript-recorder.js';
import { CRASHKD_VERSION } from '../version.js';
import { runJson } from '../repl/json-output.js';
import { setMaxSteps } from '../script/state.js';
import { HELP_TEXT, parseCliArgs, UsageError, type CliOptions } from './cli-args.js';

function write(lines: readonly Line[]): void {
  if (lines.length > 0) process.stdout.write(lines.map((l) => `${l.text}\n`).join(''));
}

/** Commands to run first: `-c` (split at `;`) then `-cf` lines. */
function initialCommands(o: CliOptions): string[] {
  const cmds: string[] = [];
  if (o.commands) cmds.push(...splitCommands(o.commands).map((c) => c.text));
  if (o.commandFile) {
    const text = nodeHost.readTextFile(o.commandFile);
    cmds.push(...text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== ''));
  }
  return cmds;
}

/** Runs the first commands, then standard input line by line (when `stdin`), until `q`. */
async function feed(dispatcher: Dispatcher, first: readonly string[], run: (line: string) => Promise<void>, stdin: boolean): Promise<number> {
  for (const c of first) {
    if (dispatcher.session.quitRequested) return 0;
    await run(c);
  }
  if (dispatcher.session.quitRequested || !stdin) return 0;
  const rl = createInterface({ input: process.stdin, crlfDelay: Infinity, terminal: false });
  for await (const line of rl) {
    await run(line);
    if (dispatcher.session.quitRequested) break;
  }
  rl.close();
  return 0;
}

async function runPlain(dispatcher: Dispatcher, banner: readonly Line[], first: readonly string[]): Promise<number> {
  write(banner);
  return feed(dispatcher, first, async (line) => void (await runEchoed(dispatcher, line, { onLines: write })), true);
}

/** `--json`: one JSON line per command of `-c`/`-cf` (then piped stdin), no banner. */
async function runJsonMode(dispatcher: Dispatcher, first: readonly string[]): Promise<number> {
  const run = async (line: string) => {
    for (const record of await runJson(dispatcher, line)) process.stdout.write(`${JSON.stringify(record)}\n`);
  };
  return feed(dispatcher, first, run, !process.stdin.isTTY);
}

/** Entry point: returns the process exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  if (argv[0] === 'triage') return (await import('../triage/triage-cli.js')).triageMain(argv.slice(1));
  if (argv[0] === 'mcp') return (await import('../mcp/server.js')).runMcpServer();
  if (argv[0] === 'learn') return (await import('../lessons/cli.js')).learnMain(argv.slice(1));
  if (argv[0] === 'lesson') return (await import('../lessons/cli.js')).lessonMain(argv.slice(1));
  if (argv[0] === 'scenario') return (await import('../lessons/cli.js')).scenarioMain(argv.slice(1));
  let o: CliOptions;
  try {
    o = parseCliArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`${e.message}\n`);
      return 2;
    }
    throw e;
  }
  if (o.help) {
    process.stdout.write(HELP_TEXT);
    return 0;
  }
  if (o.version) {
    process.stdout.write(`crashkd ${CRASHKD_VERSION}\n`);
    return 0;
  }
  if (!o.dump) {
    process.stderr.write('crashkd: no dump file given (usage: crashkd [options] [-z] DUMP; see crashkd --help)\n');
    return 2;
  }
  let first: string[];
  let dispatcher: Dispatcher;
  try {
    dispatcher = await openSession(o.dump, {
      ...(o.symbolPath ? { symbolPath: o.symbolPath } : {}),
      ...(o.imagePath ? { imagePath: o.imagePath } : {}),
      // Download progress goes to the terminal only, never into transcripts.
      ...(process.stderr.isTTY ? { onProgress: (line: string, final: boolean) => process.stderr.write(final ? `\r${line}\n` : `\r${line}`) } : {}),
    });
    const session = dispatcher.session;
    // Kept for `.transcript save FILE.md`.
    recordTranscript(session);
    first = initialCommands(o);
    if (o.logFile) {
      const sink = nodeHost.openLog(o.logFile, o.logAppend);
      const remove = session.addLog(sink);
      session.openLogFile = {
        path: o.logFile,
        close: (last) => {
          remove();
          if (last) sink(last);
        },
      };
    }
  } catch (e) {
    const message = e instanceof DebuggerError ? e.message : e instanceof Error ? e.message : String(e);
    process.stderr.write(`crashkd: ${message.replace(/^crashkd: /, '')}\n`);
    return 2;
  }
  if (o.maxSteps !== undefined) setMaxSteps(o.maxSteps === 0 ? undefined : o.maxSteps);
  if (o.json) return runJsonMode(dispatcher, first);
  const banner = openingBanner(dispatcher.session).map(out);
  dispatcher.session.log(banner);
  const plain = o.commands !== undefined || !process.stdout.isTTY || !process.stdin.isTTY;
  if (plain) return runPlain(dispatcher, banner, first);
  const { runInteractive } = await import('../ui/run-interactive.js');
  return runInteractive(dispatcher, banner, { initialCommands: first });
}
