/**
 * kd's command line. kd flags are single-dash words (`-cf`, `-logo`, `-z`), which
 * `util.parseArgs` would read as bundles of one-letter flags; a small table-driven parser
 * handles them exactly (README "Why not parseArgs").
 */

/** Parsed command line. */
export interface CliOptions {
  readonly dump?: string;
  readonly commands?: string;
  readonly commandFile?: string;
  readonly symbolPath?: string;
  readonly imagePath?: string;
  readonly logFile?: string;
  readonly logAppend: boolean;
  readonly help: boolean;
  readonly version: boolean;
  /** `--json`: one JSON object per command instead of text. */
  readonly json: boolean;
  /** `--max-steps N`: bound on command-program steps per line (0 = none). */
  readonly maxSteps?: number;
}

/** A bad command line: one line for the user, exit code 2. */
export class UsageError extends Error {}

const VALUE_FLAGS: Record<string, keyof CliOptions> = {
  '-z': 'dump',
  '-c': 'commands',
  '-cf': 'commandFile',
  '-y': 'symbolPath',
  '-i': 'imagePath',
  '-logo': 'logFile',
  '-loga': 'logFile',
};

/** Parses argv (without node and the script). */
export function parseCliArgs(argv: readonly string[]): CliOptions {
  const o: Record<string, unknown> = { logAppend: false, help: false, version: false, json: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--help' || a === '-?' || a === '-h') o['help'] = true;
    else if (a === '--json') o['json'] = true;
    else if (a === '--max-steps') {
      const v = Number(argv[++i]);
      if (!Number.isInteger(v) || v < 0) throw new UsageError(`crashkd: option '--max-steps' needs a whole number`);
      o['maxSteps'] = v;
    }
    else if (a === '--version' || a === '-version') o['version'] = true;
    else if (a.startsWith('-') && a.length > 1) {
      const key = VALUE_FLAGS[a.toLowerCase()];
      if (!key) throw new UsageError(`crashkd: unknown option '${a}' (see crashkd --help)`);
      const value = argv[++i];
      if (value === undefined) throw new UsageError(`crashkd: option '${a}' needs a value`);
      if (key === 'dump' && o['dump'] !== undefined) throw new UsageError('crashkd: only one dump file can be opened');
      o[key] = value;
      if (a.toLowerCase() === '-loga') o['logAppend'] = true;
    } else {
      if (o['dump'] !== undefined) throw new UsageError(`crashkd: unexpected argument '${a}' (only one dump file can be opened)`);
      o['dump'] = a;
    }
  }
  return o as unknown as CliOptions;
}

/** `crashkd --help`. */
export const HELP_TEXT = `usage: crashkd [options] [-z] DUMP
       crashkd triage [--json | --jsonl] [--script FILE] [-j N] PATH...
       crashkd mcp
       crashkd learn [LESSON] [--reset]
       crashkd lesson check FILE    |   crashkd scenario check FILE

Opens a Windows crash dump (kernel PAGEDU64, user MDMP) or a crashkd scenario (.yaml)
and gives a KD-style prompt. Without a terminal, or with -c, it runs plainly: each
command is echoed after its prompt, as kd does in a pipe.

options:
  -z DUMP        the dump or scenario to open (the flag may be omitted)
  -c "cmds"      run these commands first (separated by ;), e.g. -c "kv; q"
  -cf FILE       run the commands in FILE first, one per line
  -y SYMPATH     symbol search path (kept for .sympath)
  -i IMAGEPATH   executable image search path
  -logo FILE     log the session to FILE (-loga appends)
  --json         print one JSON object per command (with -c or -cf) instead of text
  --max-steps N  stop a command program (.for/.while...) after N steps (default 10000000, 0 = none)
  --version      print the version
  --help         this text

environment:
  CRASHKD_HISTORY  history file of the interactive prompt (default ~/.crashkd_history)
  NO_COLOR         no colours
`;
