import { DebuggerError } from '../src/errors.js';
import { defineCommand, type CommandContext } from '../src/repl/command.js';
import { appendLines, out, type Line } from '../src/repl/output.js';
import { programServices } from '../src/script/host.js';
import { runProgram, type ProgramResult } from '../src/script/interpreter.js';
import { joinScript, lineOfOffset, splitScriptArgs, substituteScriptArgs } from '../src/script/script-file.js';

interface ScriptArgs {
  readonly path: string;
  /** `$><`, `$$><`, `$$>a<` join the file's lines into one command block (needed for programs). */
  readonly joined: boolean;
  readonly echo: boolean;
  readonly args: readonly string[];
}

/** `Script error at line 4 of triage.txt: ...`: stops this script and any script running it. */
function scriptError(line: number, path: string, message: string): DebuggerError {
  return new DebuggerError('message', `Script error at line ${line} of ${path}: ${message}`);
}

/** Runs a script without the interpreter's services (a bare CommandContext): no error lines. */
async function runPlainly(text: string, a: ScriptArgs, ctx: CommandContext): Promise<Line[]> {
  const lines: Line[] = [];
  const program = a.joined ? [joinScript(text).text] : text.split(/\r?\n/).map((l) => l.trim());
  for (const line of program) {
    if (line === '' || ctx.signal.aborted || ctx.session.quitRequested) continue;
    if (a.echo) lines.push(out(`${ctx.session.prompt()}${line}`));
    appendLines(lines, await ctx.runLine(line, a.echo ? ctx.session.prompt().length : 0));
  }
  return lines;
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
    const [path = '', ...args] = splitScriptArgs(rest);
    return { path, joined, echo: false, args };
  },
  async run(a, ctx): Promise<Line[]> {
    let text: string;
    try {
      text = ctx.session.host.readTextFile(a.path);
    } catch {
      throw new DebuggerError('message', `Couldn't open script file '${a.path}'`);
    }
    text = substituteScriptArgs(text, a.path, a.args);
    const services = programServices(ctx);
    if (!services) return runPlainly(text, a, ctx);
    const options = {
      signal: ctx.signal,
      onLines: services.emit,
      stopOnError: true,
      echo: a.echo,
      relativeColumns: true,
      column: a.echo ? ctx.session.prompt().length : 0,
    };
    if (a.joined) {
      const script = joinScript(text);
      const r = await runProgram(services.host, script.text, options);
      if (r.failure && !r.halted) throw scriptError(lineOfOffset(script, r.failure.offset), a.path, r.failure.message);
      return [];
    }
    // `$<` / `$$<`: every line is its own command line; the first failing one ends the script.
    for (const [index, raw] of text.split(/\r?\n/).entries()) {
      const line = raw.trim();
      if (line === '') continue;
      const r: ProgramResult = await runProgram(services.host, line, options);
      if (r.halted) break;
      if (r.failure) throw scriptError(index + 1, a.path, r.failure.message);
      if (ctx.session.quitRequested || ctx.signal.aborted) break;
    }
    return [];
  },
  format: (lines) => lines,
});
