import { CancelledError, DebuggerError } from '../src/errors.js';
import { formatPointer } from '../src/memory/address.js';
import { defineCommand } from '../src/repl/command.js';
import { linesOf, out, warn, type Line } from '../src/repl/output.js';
import { factoryForModules } from '../src/symbols/module-factory.js';
import { matchSymbols, wildcardRegExp, type SymbolMatch } from '../src/symbols/symbol-search.js';

type SortOrder = 'address' | 'address-desc' | 'name' | 'name-desc' | 'size' | 'size-desc';

/** Parsed `x` arguments. */
export interface XArgs {
  readonly verbose: boolean;
  /** `/0` address only, `/1` name only, `/2` address and name. */
  readonly only?: 0 | 1 | 2;
  readonly sort: SortOrder;
  readonly modulePattern: string;
  readonly symbolPattern: string;
}

const SORTS: Record<string, SortOrder> = { a: 'address', A: 'address-desc', n: 'name', N: 'name-desc', z: 'size', Z: 'size-desc' };

/** Reads `[/v] [/a|/A|/n|/N|/z|/Z] [/0|/1|/2] Module!Symbol`; other documented options are accepted and ignored. */
export function parseXArgs(rest: string): XArgs {
  let verbose = false;
  let only: 0 | 1 | 2 | undefined;
  let sort: SortOrder = 'address';
  let t = rest.trim();
  for (;;) {
    const m = /^\/([A-Za-z0-9]+)(?:\s+|$)/.exec(t);
    if (!m) break;
    t = t.slice(m[0].length);
    const opt = m[1]!;
    if (opt === 's') {
      // `/s Size` takes a value; size filtering is not offered, skip it.
      t = t.replace(/^\S+\s*/, '');
      continue;
    }
    for (const c of opt) {
      if (c === 'v') verbose = true;
      else if (c === '0' || c === '1' || c === '2') only = Number(c) as 0 | 1 | 2;
      else if (SORTS[c]) sort = SORTS[c]!;
    }
  }
  if (t === '') throw new DebuggerError('usage', 'Syntax error: x needs a Module!Symbol pattern');
  const bang = t.indexOf('!');
  const modulePattern = bang < 0 ? '*' : t.slice(0, bang) || '*';
  const symbolPattern = bang < 0 ? t : t.slice(bang + 1);
  return { verbose, sort, modulePattern, symbolPattern: symbolPattern || '*', ...(only !== undefined ? { only } : {}) };
}

/** What `x` found, with the load messages of modules it had to load. */
export interface XResult {
  readonly messages: readonly Line[];
  readonly matches: readonly SymbolMatch[];
}

function compare(sort: SortOrder): (a: SymbolMatch, b: SymbolMatch) => number {
  const byAddr = (a: SymbolMatch, b: SymbolMatch) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0);
  const byName = (a: SymbolMatch, b: SymbolMatch) => {
    const x = `${a.module.name}!${a.symbol.name}`.toLowerCase();
    const y = `${b.module.name}!${b.symbol.name}`.toLowerCase();
    return x < y ? -1 : x > y ? 1 : byAddr(a, b);
  };
  const bySize = (a: SymbolMatch, b: SymbolMatch) => (a.symbol.length ?? 0) - (b.symbol.length ?? 0) || byAddr(a, b);
  const base = sort.startsWith('name') ? byName : sort.startsWith('size') ? bySize : byAddr;
  return sort.endsWith('-desc') ? (a, b) => base(b, a) : base;
}

function suffix(m: SymbolMatch): string {
  return m.isFunction ? ' (<no parameter info>)' : ' = <no type information>';
}

/** `x [Options] Module!Symbol`: list matching symbols (wildcards; nothing printed when none match). */
export const xCommand = defineCommand({
  name: 'x',
  summary: 'Examine symbols matching Module!Pattern (wildcards * ?)',
  usage: 'x [/v] [/a|/n|/z] [/0|/1|/2] Module!Symbol',
  parse: (inv) => parseXArgs(inv.rest),
  async run(a, { session, signal }): Promise<XResult> {
    const re = wildcardRegExp(a.modulePattern);
    const modules = session.symbols.modules.all.filter((m) => re.test(m.name));
    const messages: Line[] = [];
    const factory = factoryForModules(modules);
    if (factory) {
      const report = await factory.prepare(modules, { signal });
      messages.push(...report.trace.flatMap((t) => linesOf(t)), ...report.warnings.map(warn));
    }
    const matches: SymbolMatch[] = [];
    for (const m of modules) {
      if (signal.aborted) throw new CancelledError();
      const message = session.symbols.touch(m);
      if (message) messages.push(...linesOf(message));
      matches.push(...matchSymbols(m, a.symbolPattern));
    }
    return { messages, matches: matches.sort(compare(a.sort)) };
  },
  format(r, a, { session }): Line[] {
    const size = session.target.pointerSize;
    const lines = [...r.messages];
    for (const m of r.matches) {
      const addr = formatPointer(m.address, size);
      const name = `${m.module.name}!${m.symbol.name}`;
      if (a.only === 0) lines.push(out(addr));
      else if (a.only === 1) lines.push(out(name));
      else if (a.only === 2) lines.push(out(`${addr} ${name}`));
      else if (a.verbose) {
        const kind = `${m.isPrivate ? 'prv' : 'pub'} ${(m.isFunction ? 'func' : 'global').padEnd(6)}`;
        lines.push(out(`${kind} ${addr} ${(m.symbol.length ?? 0).toString(16).padStart(4)} ${name}${suffix(m)}`));
      } else lines.push(out(`${addr} ${name}${suffix(m)}`));
    }
    return lines;
  },
});
