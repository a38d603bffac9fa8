import { CaretError } from '../src/errors.js';
import type { Invocation } from '../src/repl/command.js';
import { defineCommand } from '../src/repl/command.js';
import { factoryForModules } from '../src/symbols/module-factory.js';
import { defaultSymbolCache, joinSymbolPaths, symfixPath } from '../src/symbols/symbol-defaults.js';
import { setSymbolPath } from './sympath.js';

function parseCache(inv: Invocation): string | undefined {
  const t = inv.rest.trim();
  if (t === '') return undefined;
  const quoted = /^"([^"]*)"$/.exec(t);
  if (quoted) return quoted[1]!;
  if (/\s/.test(t)) throw new CaretError('extra-character', 'Extra character', inv.text.length - 1);
  return t;
}

/** `.symfix [LocalCache]`: use Microsoft's symbol server through a local cache. Prints nothing. */
export const symfixCommand = defineCommand({
  name: '.symfix',
  summary: "Set the symbol path to Microsoft's symbol server with a local cache",
  usage: '.symfix [LocalSymbolCache]',
  parse: parseCache,
  run(cache, { session }) {
    const dir = cache ?? factoryForModules(session.target.modules)?.cacheDir ?? defaultSymbolCache();
    setSymbolPath(session, symfixPath(dir));
  },
  format: () => [],
});

/** `.symfix+ [LocalCache]`: append Microsoft's symbol server to the symbol path. */
export const symfixPlusCommand = defineCommand({
  name: '.symfix+',
  summary: "Append Microsoft's symbol server to the symbol path",
  usage: '.symfix+ [LocalSymbolCache]',
  parse: parseCache,
  run(cache, { session }) {
    const dir = cache ?? factoryForModules(session.target.modules)?.cacheDir ?? defaultSymbolCache();
    setSymbolPath(session, joinSymbolPaths(session.symbolPath, symfixPath(dir)));
  },
  format: () => [],
});
