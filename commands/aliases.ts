import { CaretError, DebuggerError } from '../src/errors.js';
import { evaluate } from '../src/expr/index.js';
import { defineCommand, type CommandContext } from '../src/repl/command.js';
import { out, type Line } from '../src/repl/output.js';
import { literalAliasName } from '../src/script/aliases.js';
import { programServices } from '../src/script/host.js';
import { runProgram } from '../src/script/interpreter.js';
import { scriptState } from '../src/script/state.js';
import { readCountedString, readCString } from '../src/script/target-strings.js';

/** Where an alias value comes from (as--as--set-alias-.md). */
type AliasSource =
  | { readonly kind: 'text'; readonly value: string }
  | { readonly kind: 'expression'; readonly text: string }
  | { readonly kind: 'env'; readonly name: string }
  | { readonly kind: 'memory'; readonly how: 'ma' | 'mu' | 'msa' | 'msu'; readonly text: string }
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'commands'; readonly text: string };

interface SetAliasArgs {
  readonly name: string;
  readonly source: AliasSource;
}

const SWITCHES = new Set(['x', 'e', 'ma', 'mu', 'msa', 'msu', 'f', 'c']);

/** `aS` values may be quoted: the quotes go, and `;` inside them stays. */
function phrase(text: string): string {
  const m = /^"([^"]*)"/.exec(text);
  return m ? m[1]! : text;
}

function parseSetAlias(text: string, start: number, word: string): SetAliasArgs {
  const phraseForm = word[1] === 'S';
  let i = start;
  const skip = () => {
    while (i < text.length && /\s/.test(text[i]!)) i++;
  };
  skip();
  let sw: string | undefined;
  const m = /^\/([A-Za-z]+)/.exec(text.slice(i));
  if (m) {
    if (!SWITCHES.has(m[1]!)) throw new CaretError('syntax', 'Syntax', i + 1);
    sw = m[1];
    i += m[0].length;
    skip();
  }
  const nameStart = i;
  while (i < text.length && !/\s/.test(text[i]!)) i++;
  if (i === nameStart) throw new CaretError('syntax', 'Syntax', text.length - 1);
  const name = literalAliasName(text.slice(nameStart, i));
  // Names starting like the alias commands would make those commands unusable.
  if (/^(al|as|aS|ad)/.test(name)) throw new CaretError('syntax', 'Syntax', nameStart);
  // The equivalent never has leading blanks; at least one blank separates it from the name.
  skip();
  const rest = text.slice(i);
  switch (sw) {
    case undefined:
      return { name, source: { kind: 'text', value: phraseForm ? phrase(rest) : rest } };
    case 'x':
      return { name, source: { kind: 'expression', text: rest } };
    case 'e':
      return { name, source: { kind: 'env', name: rest.trim() } };
    case 'f':
      return { name, source: { kind: 'file', path: rest.trim() } };
    case 'c':
      return { name, source: { kind: 'commands', text: phraseForm ? phrase(rest) : rest } };
    default:
      return { name, source: { kind: 'memory', how: sw as 'ma' | 'mu' | 'msa' | 'msu', text: rest } };
  }
}

/** Output of `text` run as a command program, not shown: one `\n` after every line. */
async function captureOutput(text: string, ctx: CommandContext): Promise<string> {
  const services = programServices(ctx);
  const lines: readonly Line[] = services
    ? (await runProgram(services.host, text, { signal: ctx.signal })).lines
    : await ctx.runLine(text);
  return lines.map((l) => `${l.text}\n`).join('');
}

async function aliasValue(source: AliasSource, ctx: CommandContext): Promise<string> {
  const s = ctx.session;
  switch (source.kind) {
    case 'text':
      return source.value;
    case 'expression':
      return `0x${evaluate(source.text, s).toString(16)}`;
    case 'env': {
      const v = process.env[source.name];
      if (v === undefined) throw new DebuggerError('message', `Environment variable '${source.name}' is not defined`);
      return v;
    }
    case 'memory': {
      const address = evaluate(source.text, s);
      if (source.how === 'ma' || source.how === 'mu') return readCString(s, address, source.how === 'mu');
      return readCountedString(s, address, source.how === 'msu');
    }
    case 'file':
      try {
        return s.host.readTextFile(source.path);
      } catch {
        // What dbgeng says for a file it cannot read (as--as--set-alias-.md).
        throw new DebuggerError('message', 'Out of memory');
      }
    case 'commands':
      return captureOutput(source.text, ctx);
  }
}

/** `as` / `aS`: define or redefine a user-named alias. */
export const setAliasCommand = defineCommand({
  name: 'as',
  summary: 'Set an alias (aS ends at ;, as takes the line; /x /e /ma /mu /msa /msu /f /c)',
  usage: 'as|aS [/x|/e|/ma|/mu|/msa|/msu|/f|/c] Name Equivalent',
  parse: (inv) => parseSetAlias(inv.text, inv.restOffset, inv.word),
  async run(a, ctx) {
    scriptState(ctx.session).set(a.name, await aliasValue(a.source, ctx));
  },
  format: () => [],
});

/** `ad [/q] Name`, `ad *`: delete aliases. */
export const deleteAliasCommand = defineCommand({
  name: 'ad',
  summary: 'Delete an alias (ad * deletes all)',
  usage: 'ad [/q] Name | ad *',
  parse(inv) {
    const m = /^\s*(\/q\s+)?(\S+)\s*$/.exec(inv.rest);
    if (!m) throw new CaretError('syntax', 'Syntax', inv.text.length - 1);
    return { quiet: m[1] !== undefined, name: literalAliasName(m[2]!) };
  },
  run(a, { session }) {
    const state = scriptState(session);
    if (a.name === '*') state.clear();
    else if (!state.delete(a.name) && !a.quiet) throw new DebuggerError('message', `No alias named '${a.name}'`);
  },
  format: () => [],
});

/** `al`: list the user-named aliases. */
export const listAliasesCommand = defineCommand({
  name: 'al',
  summary: 'List the user-named aliases',
  usage: 'al',
  parse(inv) {
    if (inv.rest.trim() !== '') throw new CaretError('extra-character', 'Extra character', inv.text.length - 1);
  },
  run: (_a, { session }) => scriptState(session).list(),
  format(list): Line[] {
    if (list.length === 0) return [out('No aliases')];
    return [out('  Alias            Value'), out(' -------          -------'), ...list.map(([n, v]) => out(` ${n.padEnd(16)} ${v}`))];
  },
});

/** Every alias command, for registration. */
export const ALIAS_COMMANDS = [setAliasCommand, deleteAliasCommand, listAliasesCommand] as const;
