import { CancelledError } from '../src/errors.js';
import { loadingDots } from '../src/format/target-banner.js';
import { formatPointer } from '../src/memory/address.js';
import { defineCommand } from '../src/repl/command.js';
import { linesOf, out, warn, type Line } from '../src/repl/output.js';
import type { DumpSession } from '../src/session/dump-session.js';
import { factoryForModules } from '../src/symbols/module-factory.js';
import type { Module } from '../src/target/target.js';

/** Parsed `.reload` options. */
export interface ReloadArgs {
  /** `/f`: load now instead of deferring. */
  readonly force: boolean;
  /** `/u`: unload (drop) the symbols. */
  readonly unload: boolean;
  /** Module name or image name; a `=Base,Size` override is accepted and ignored. */
  readonly module?: string;
}

/** Splits `.reload` arguments: `/x` options (glued or separate), then one module name. */
export function parseReloadArgs(rest: string): ReloadArgs {
  let force = false;
  let unload = false;
  let module: string | undefined;
  for (const tok of rest.trim().split(/\s+/).filter((t) => t !== '')) {
    if (tok.startsWith('/') || (tok.startsWith('-') && tok.length > 1)) {
      const letters = tok.slice(1).toLowerCase();
      // Long options (/user, /unl) name what to reload; crashkd reloads the one module list it has.
      if (letters === 'user' || letters === 'unl') continue;
      if (letters.includes('f')) force = true;
      if (letters.includes('u')) unload = true;
      continue;
    }
    module = tok.replace(/=.*$/, '');
  }
  return { force, unload, ...(module ? { module } : {}) };
}

function notFound(name: string, session: DumpSession): Line[] {
  const zero = formatPointer(0n, session.target.pointerSize);
  return [
    out(`"${name}" was not found in the image list.`),
    out(`Debugger will attempt to load "${name}" at given base ${zero}.`),
    out(''),
    out('Please provide the full image name, including the extension (i.e. kernel32.dll)'),
    out('for more reliable results.Base address and size overrides can be given as'),
    out('.reload <image.ext>=<base>,<size>.'),
    out(`Unable to add module at ${zero}`),
  ];
}

function progressLines(session: DumpSession): Line[] {
  const dots = loadingDots(session.target.modules.length).map(out);
  if (session.target.kind !== 'kernel') return dots;
  return [out('Loading Kernel Symbols'), ...dots, out('Loading User Symbols')];
}

/**
 * Lets the session's Symbolizer treat reset modules as not yet loaded (`lm` shows them
 * `(deferred)` again and their load message is due again), when it offers `forget`.
 */
export function forgetLoaded(session: DumpSession, modules: readonly Module[]): void {
  const symbolizer = session.symbols as { forget?: (modules: readonly Module[]) => void };
  if (modules.length > 0) symbolizer.forget?.(modules);
}

function findModule(session: DumpSession, name: string): Module | undefined {
  const n = name.toLowerCase();
  const mods = session.target.modules;
  return mods.find((m) => m.name.toLowerCase() === n) ?? mods.find((m) => m.imageName.toLowerCase() === n);
}

/** `.reload [/f] [/u] [Module]`: drop and (with /f) reload symbols, downloading what is missing. */
export const reloadCommand = defineCommand({
  name: '.reload',
  summary: 'Reload symbols (/f now, /u unload), for all modules or one',
  usage: '.reload [/f] [/u] [Module[=Address[,Size]]]',
  parse: (inv) => parseReloadArgs(inv.rest),
  async run(a, { session, signal }): Promise<Line[]> {
    const factory = factoryForModules(session.target.modules);
    const module = a.module === undefined ? undefined : findModule(session, a.module);
    if (a.module !== undefined && !module) return notFound(a.module, session);
    const targets = module ? [module] : session.target.modules;
    if (factory) forgetLoaded(session, module ? factory.reload((m) => m === module) : factory.reload());
    const lines: Line[] = module ? [] : progressLines(session);
    if (a.unload || !a.force) return lines;
    const report = factory ? await factory.prepare(targets, { signal, force: true }) : undefined;
    if (report) lines.push(...report.trace.flatMap((t) => linesOf(t)), ...report.warnings.map(warn));
    for (const m of targets) {
      if (signal.aborted) throw new CancelledError();
      const symbols = m.symbols();
      // Marks the module as announced, so the message below is not repeated by the next `k`.
      session.symbols.touch(m);
      if (symbols.loadMessage) lines.push(...linesOf(symbols.loadMessage));
    }
    return lines;
  },
  format: (lines) => lines,
});
