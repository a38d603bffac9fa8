import { defineCommand } from '../src/repl/command.js';
import { out, type Line } from '../src/repl/output.js';
import type { DumpSession } from '../src/session/dump-session.js';
import { factoryForModules, retryUnresolved } from '../src/symbols/module-factory.js';
import { defaultSymbolCache, expandedSymbolPathText, joinSymbolPaths } from '../src/symbols/symbol-defaults.js';
import { forgetLoaded } from './reload.js';

/** What `.sympath` shows: the path as set and as expanded (default store and server filled in). */
export interface SymbolPathView {
  readonly path: string;
  readonly expanded: string;
}

/** The current symbol path of a session, as `.sympath` prints it. */
export function symbolPathView(session: DumpSession): SymbolPathView {
  const cache = factoryForModules(session.target.modules)?.cacheDir ?? defaultSymbolCache();
  return { path: session.symbolPath, expanded: expandedSymbolPathText(session.symbolPath, cache) };
}

/** `Symbol search path is: ...` / `Expanded Symbol search path is: ...` (`<empty>` when unset). */
export function formatSymbolPathView(v: SymbolPathView): Line[] {
  return [out(`Symbol search path is: ${v.path || '<empty>'}`), out(`Expanded Symbol search path is: ${v.expanded || '<empty>'}`)];
}

/** Sets the session's symbol path; modules without PDB symbols are retried at their next use. */
export function setSymbolPath(session: DumpSession, path: string): void {
  session.symbolPath = path;
  forgetLoaded(session, retryUnresolved(factoryForModules(session.target.modules)));
}

function unquote(text: string): string {
  const t = text.trim();
  return t.length >= 2 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1) : t;
}

/** `.sympath [Path]`: show or replace the symbol path (the rest of the line, `;` included). */
export const sympathCommand = defineCommand({
  name: '.sympath',
  summary: 'Show or set the symbol search path',
  usage: '.sympath [Path[;...]]',
  takesRestOfLine: true,
  parse: (inv) => unquote(inv.rest),
  run(path, { session }) {
    if (path !== '') setSymbolPath(session, path);
    return symbolPathView(session);
  },
  format: (v) => formatSymbolPathView(v),
});

/** `.sympath+ Path`: append to the symbol path. */
export const sympathPlusCommand = defineCommand({
  name: '.sympath+',
  summary: 'Append to the symbol search path',
  usage: '.sympath+ Path[;...]',
  takesRestOfLine: true,
  parse: (inv) => unquote(inv.rest),
  run(path, { session }) {
    if (path !== '') setSymbolPath(session, joinSymbolPaths(session.symbolPath, path));
    return symbolPathView(session);
  },
  format: (v) => formatSymbolPathView(v),
});
