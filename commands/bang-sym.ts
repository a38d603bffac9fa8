import { evaluateArgument } from '../src/repl/args.js';
import { defineCommand } from '../src/repl/command.js';
import { out, type Line } from '../src/repl/output.js';
import type { DumpSession } from '../src/session/dump-session.js';
import { factoryForModules, type SymbolModuleFactory } from '../src/symbols/module-factory.js';
import { forgetLoaded } from './reload.js';
import { DEFAULT_SYMBOL_OPTIONS, formatSymbolOptions, SYMOPT_LOAD_ANYTHING } from '../src/symbols/symbol-options.js';

const SYMOPT_NO_PROMPTS = 0x80000;

/** Symbol-handler state: the factory's, or a stand-in for targets without one (scenarios). */
interface HandlerState {
  noisy: boolean;
  symbolOptions: number;
}

const standIns = new WeakMap<DumpSession, HandlerState>();

function handler(session: DumpSession): { state: HandlerState; factory?: SymbolModuleFactory } {
  const factory = factoryForModules(session.target.modules);
  if (factory) return { state: factory, factory };
  let s = standIns.get(session);
  if (!s) {
    s = { noisy: false, symbolOptions: DEFAULT_SYMBOL_OPTIONS };
    standIns.set(session, s);
  }
  return { state: s };
}

type SymArgs = 'noisy' | 'quiet' | 'prompts' | 'prompts off' | 'show';

function stateLine(s: HandlerState): string {
  const prompts = (s.symbolOptions & SYMOPT_NO_PROMPTS) === 0 ? 'on' : 'off';
  return `${s.noisy ? 'noisy' : 'quiet'} mode - symbol prompts ${prompts}`;
}

/** `!sym noisy|quiet|prompts|prompts off`: symbol-load tracing (`noisy` puts the search trace into load messages). */
export const bangSymCommand = defineCommand({
  name: '!sym',
  summary: 'Symbol loading trace: noisy, quiet, prompts, prompts off',
  usage: '!sym [noisy | quiet | prompts | prompts off]',
  parse(inv): SymArgs {
    const t = inv.rest.trim().toLowerCase().replace(/\s+/g, ' ');
    return t === 'noisy' || t === 'noisy on' ? 'noisy' : t === 'quiet' ? 'quiet' : t === 'prompts' ? 'prompts' : t === 'prompts off' ? 'prompts off' : 'show';
  },
  run(a, { session }): Line[] {
    const { state } = handler(session);
    if (a === 'show') return [out(`!sym <noisy/quiet - prompts/prompts off> - ${stateLine(state)}`)];
    if (a === 'noisy' || a === 'quiet') state.noisy = a === 'noisy';
    else state.symbolOptions = a === 'prompts' ? state.symbolOptions & ~SYMOPT_NO_PROMPTS : state.symbolOptions | SYMOPT_NO_PROMPTS;
    state.symbolOptions >>>= 0;
    return [out(stateLine(state))];
  },
  format: (lines) => lines,
});

interface SymoptArgs {
  readonly op: '+' | '-' | '=';
  readonly value?: bigint;
}

/** `.symopt[+|-] [Flags]`: show, set, add or remove symbol options (0x40 = loose PDB matching). */
export const symoptCommand = defineCommand({
  name: '.symopt',
  aliases: ['.symopt+', '.symopt-'],
  summary: 'Show or change symbol options (0x40 SYMOPT_LOAD_ANYTHING: loose PDB matching)',
  usage: '.symopt[+|-] [Flags]',
  parse(inv, { session }): SymoptArgs {
    const op = inv.word.endsWith('+') ? '+' : inv.word.endsWith('-') ? '-' : '=';
    if (inv.rest.trim() === '') return { op };
    return { op, value: evaluateArgument(inv.text, inv.restOffset, session) };
  },
  run(a, { session }): Line[] {
    const { state, factory } = handler(session);
    if (a.value !== undefined) {
      const v = Number(a.value & 0xffffffffn);
      const before = state.symbolOptions;
      state.symbolOptions = (a.op === '+' ? before | v : a.op === '-' ? before & ~v : v) >>> 0;
      // Turning loose matching on or off changes which PDBs qualify: retry modules without one.
      if (((before ^ state.symbolOptions) & SYMOPT_LOAD_ANYTHING) !== 0) {
        if (factory) forgetLoaded(session, factory.reload((m) => m.symbolKind !== undefined && (m.symbolKind !== 'pdb' || m.mismatched)));
      }
    }
    return formatSymbolOptions(state.symbolOptions).map(out);
  },
  format: (lines) => lines,
});
