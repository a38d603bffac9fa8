import { defineCommand, type CommandSpec } from '../src/repl/command.js';

/**
 * The control-flow tokens of debugger command programs. The interpreter (src/script) runs
 * them itself wherever they appear; these entries put them in `.help` and make a direct
 * dispatch of one (which the interpreter never does) run it as a command line.
 */
function token(name: string, usage: string, summary: string): CommandSpec {
  return defineCommand({
    name,
    summary,
    usage,
    parse: (inv) => inv.text,
    run: (text, ctx) => ctx.runLine(text),
    format: (lines) => lines,
  }) as CommandSpec;
}

/** `.if`, `.while`, `.for`, `.foreach` and the other control-flow tokens. */
export const CONTROL_FLOW_COMMANDS: readonly CommandSpec[] = [
  token('.if', '.if (Cond) { Cmds } [.elsif (Cond) { Cmds }] [.else { Cmds }]', 'Run commands when a condition is non-zero'),
  token('.elsif', '.elsif (Cond) { Cmds }', 'Further condition of an .if'),
  token('.else', '.else { Cmds }', 'Alternative of an .if'),
  token('.while', '.while (Cond) { Cmds }', 'Repeat commands while a condition is non-zero'),
  token('.do', '.do { Cmds } (Cond)', 'Run commands, then repeat while a condition is non-zero'),
  token('.for', '.for (Init; Cond; Step[; Step]) { Cmds }', 'C-style loop'),
  token('.foreach', '.foreach [/pS n] [/ps n] [/s|/f] (Var {Cmds}|"Str"|"File") { Cmds }', 'Run commands for each token of output, a string or a file'),
  token('.break', '.break', 'Leave the innermost loop'),
  token('.continue', '.continue', 'Start the next iteration of the innermost loop'),
  token('.block', '.block { Cmds }', 'A block (aliases are replaced again on entry)'),
  token('.catch', '.catch { Cmds }', 'Keep a command program going after an error inside'),
  token('.leave', '.leave', 'Leave the innermost .catch block'),
];
