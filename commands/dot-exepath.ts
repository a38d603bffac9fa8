import { defineCommand } from '../src/repl/command.js';
import { out, type Line } from '../src/repl/output.js';
import type { DumpSession } from '../src/session/dump-session.js';
import { factoryForModules, retryUnresolved } from '../src/symbols/module-factory.js';
import { joinSymbolPaths } from '../src/symbols/symbol-defaults.js';
import { forgetLoaded } from './reload.js';

/** `Executable image search path is: ...` (`<empty>` when unset, as `.sympath` prints its path). */
export function exePathLines(path: string): Line[] {
  return [out(`Executable image search path is: ${path || '<empty>'}`)];
}

/**
 * Sets the session's executable image path. Modules whose symbols came from nothing better than
 * exports get another try at their next use, since an image found on the new path can give them
 * exports and unwind data (the same retry `.sympath` does).
 */
export function setImagePath(session: DumpSession, path: string): void {
  session.imagePath = path;
  forgetLoaded(session, retryUnresolved(factoryForModules(session.target.modules)));
}

function unquote(text: string): string {
  const t = text.trim();
  return t.length >= 2 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1) : t;
}

/** `.exepath [Path[;...]]`: show or replace the executable image search path. */
export const exepathCommand = defineCommand({
  name: '.exepath',
  summary: 'Show or set the executable image search path',
  usage: '.exepath [Directory[;...]]',
  takesRestOfLine: true,
  parse: (inv) => unquote(inv.rest),
  run(path, { session }): string {
    if (path !== '') setImagePath(session, path);
    return session.imagePath;
  },
  format: (path) => exePathLines(path),
  json: (path) => ({ path }),
});

/** `.exepath+ Path[;...]`: append to the executable image search path. */
export const exepathPlusCommand = defineCommand({
  name: '.exepath+',
  summary: 'Append to the executable image search path',
  usage: '.exepath+ Directory[;...]',
  takesRestOfLine: true,
  parse: (inv) => unquote(inv.rest),
  run(path, { session }): string {
    if (path !== '') setImagePath(session, joinSymbolPaths(session.imagePath, path));
    return session.imagePath;
  },
  format: (path) => exePathLines(path),
  json: (path) => ({ path }),
});
