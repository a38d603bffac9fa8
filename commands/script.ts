import { DebuggerError } from '../src/errors.js';
import { defineCommand } from '../src/repl/command.js';
import { splitCommands } from '../src/repl/line-parser.js';
import { out, type Line } from '../src/repl/output.js';

interface ScriptArgs {
  readonly path: string;
  /** `$><`, `$$><`, `$$>a<` join the file's lines into one command line (needed for blocks). */
  readonly joined: boolean;
  readonly echo: boolean;
  readonly args: readonly string[];
}

/** Splits `$$>a<` arguments: blank-separated, double quotes group. */
function splitArgs(text: string): string[] {
  return [...text.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!);
}

/** Replaces `${$argN}` and `${$argc}`; missing arguments stay literal, as in WinDbg. */
function substitute(text: string, path: string, args: readonly string[]): string {
  return text.replace(/\$\{\$arg(c|\d+)\}/g, (whole, n: string) => {
    if (n === 'c') return String(args.length);
    const i = Number(n);
    if (i === 0) return path;
    return args[i - 1] ?? whole;
  });
}

/** `$$< file`, `$$>< file`, `$< file`, `$>< file`, `$$>a< file args`: run a script file. */
export const scriptCommand = defineCommand({
  name: '$$<',
  aliases: ['$$><', '$<', '$><', '$$>a<'],
  summary: 'Run a script file (line by line, or joined with $$><; $$>a< passes arguments)',
  usage: '$$[>a]< File [Args]',
  takesRestOfLine: true,
  parse(inv): ScriptArgs {
    const joined = inv.word.includes('>');
    const withArgs = inv.word === '$$>a<';
    const rest = inv.rest.trim();
    if (rest === '') throw new DebuggerError('syntax', `Syntax error in '${inv.text}'`);
    if (!withArgs) return { path: rest.replace(/^"(.*)"$/, '$1'), joined, echo: true, args: [] };
    const [path = '', ...args] = splitArgs(rest);
    return { path, joined, echo: false, args };
  },
  async run(a, ctx): Promise<Line[]> {
    let text: string;
    try {
      text = ctx.session.host.readTextFile(a.path);
    } catch {
      return [out(`Couldn't open script file '${a.path}'`)];
    }
    text = substitute(text, a.path, a.args);
    const fileLines = text.split(/\r?\n/);
    const commandLines = a.joined ? [fileLines.map((l) => l.trim()).filter((l) => l !== '').join(';')] : fileLines;
    const lines: Line[] = [];
    for (const line of commandLines) {
      if (ctx.signal.aborted || ctx.session.quitRequested) break;
      for (const cmd of a.joined ? splitCommands(line) : [{ text: line.trim(), offset: 0 }]) {
        if (cmd.text === '' || ctx.session.quitRequested) continue;
        if (a.echo) lines.push(out(`${ctx.session.prompt()}${cmd.text}`));
        lines.push(...(await ctx.runLine(cmd.text, a.echo ? ctx.session.prompt().length : 0)));
      }
    }
    return lines;
  },
  format: (lines) => lines,
});
