import { formatPointer } from '../src/memory/address.js';
import { defineCommand } from '../src/repl/command.js';
import { out, type Line } from '../src/repl/output.js';
import type { Module } from '../src/target/target.js';
import type { DumpSession } from '../src/session/dump-session.js';
import { formatDebuggerTime } from '../src/format/number-formats.js';

interface LmArgs {
  readonly verbose: boolean;
  readonly names: boolean; // n / f: image name column instead of symbols
  readonly pattern?: string;
}

/** WinDbg's module-name wildcard: `*`, `?`, case-insensitive. */
export function wildcard(pattern: string): RegExp {
  const re = pattern.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${re}$`, 'i');
}

const SYMBOL_TYPE = { pdb: '(pdb symbols)', export: '(export symbols)', none: '(no symbols)', breakpad: '(pdb symbols)' } as const;

function timestampText(ts: number): string {
  return `${formatDebuggerTime(ts * 1000, false)} (${ts.toString(16).toUpperCase().padStart(8, '0')})`;
}

function row(m: Module, a: LmArgs, session: DumpSession): Line[] {
  const size = session.target.pointerSize;
  const range = `${formatPointer(m.base, size)} ${formatPointer(m.base + BigInt(m.size), size)}   `;
  if (a.names) return [out(`${range}${m.name.padEnd(8)} ${m.imageName}`)];
  // Listing does not load symbols: a module nobody needed yet is `(deferred)`, and its load
  // message stays due for its first real use.
  const loaded = session.symbols.isLoaded(m);
  const symbols = loaded ? m.symbols() : undefined;
  const state = m as { privateSymbols?: boolean; mismatched?: boolean };
  const status = state.mismatched ? 'M' : m.timestamp === 0 ? 'T' : ' ';
  const file = symbols?.file ?? '';
  const type = !symbols ? '(deferred)' : symbols.kind === 'pdb' && state.privateSymbols ? '(private pdb symbols)' : SYMBOL_TYPE[symbols.kind];
  const lines = [out(`${range}${m.name.padEnd(8)} ${status} ${type.padEnd(22)} ${file}`)];
  if (a.verbose) {
    if (symbols?.file) lines.push(out(`    Loaded symbol image file: ${m.imageName}`));
    lines.push(
      out(`    Image path: ${m.imagePath}`),
      out(`    Image name: ${m.imageName}`),
      out(`    Timestamp:        ${m.timestamp === 0 ? 'unavailable (FFFFFFFE)' : timestampText(m.timestamp)}`),
      out(`    CheckSum:         ${m.checksum === 0 ? 'missing' : m.checksum.toString(16).toUpperCase().padStart(8, '0')}`),
      out(`    ImageSize:        ${m.size.toString(16).toUpperCase().padStart(8, '0')}`),
    );
  }
  return lines;
}

/** `lm [v] [n|f] [m Pattern]`: list loaded modules. */
export const lmCommand = defineCommand({
  name: 'lm',
  matches: (w) => /^lm[vnfoslmDk1]*$/i.test(w),
  summary: 'List loaded modules (v verbose, n image names, m pattern)',
  usage: 'lm [v] [n|f] [m Pattern]',
  parse(inv): LmArgs {
    // Options may be glued to the command (`lmvm nt`) or follow it (`lm v m nt`).
    const glued = inv.word.slice(2);
    const tokens = inv.rest.trim().split(/\s+/).filter((t) => t !== '');
    let letters = glued;
    let pattern: string | undefined;
    if (letters.endsWith('m') || letters.endsWith('M')) {
      letters = letters.slice(0, -1);
      pattern = tokens.shift();
    }
    while (tokens.length > 0) {
      const t = tokens.shift()!;
      if (t === 'm' || t === 'M') pattern = tokens.shift();
      else if (/^[vnfoslDk]+$/.test(t)) letters += t;
      else if (/^[vnfoslDk]*m$/.test(t)) {
        letters += t.slice(0, -1);
        pattern = tokens.shift();
      } else pattern = t;
    }
    return { verbose: letters.includes('v'), names: /[nf]/.test(letters), ...(pattern ? { pattern } : {}) };
  },
  run(a, { session }) {
    const re = a.pattern ? wildcard(a.pattern) : undefined;
    return session.symbols.modules.all.filter((m) => !re || re.test(m.name));
  },
  format(mods, a, { session }): Line[] {
    const size = session.target.pointerSize;
    const header = size === 8 ? 'start             end                 module name' : 'start    end        module name';
    return [out(header), ...mods.flatMap((m) => row(m, a, session))];
  },
  json: (mods, _a, session) => ({
    modules: mods.map((m) => {
      const loaded = session.symbols.isLoaded(m);
      return {
        name: m.name,
        image: m.imageName,
        start: m.base,
        end: m.base + BigInt(m.size),
        timestamp: m.timestamp,
        symbols: loaded ? m.symbols().kind : 'deferred',
        ...(loaded && m.symbols().file ? { symbolFile: m.symbols().file } : {}),
      };
    }),
  }),
});
