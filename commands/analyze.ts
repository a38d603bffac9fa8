import { describeBugCheck } from '../src/analysis/describe-bugcheck.js';
import { descriptionLines } from '../src/analysis/format-description.js';
import { analyzeKernel } from '../src/analysis/kernel-analysis.js';
import { kernelShortLines, kernelVerboseLines } from '../src/analysis/kernel-lines.js';
import { analyzeUser, userShortLines, userVerboseLines } from '../src/analysis/user-analysis.js';
import { CaretError } from '../src/errors.js';
import { ArgCursor } from '../src/repl/args.js';
import { defineCommand } from '../src/repl/command.js';
import { stackRowJson } from '../src/format/stack-rows.js';
import { err, out, warn, type Line } from '../src/repl/output.js';

/** Parsed `!analyze` options. */
type AnalyzeArgs =
  | { readonly mode: 'show'; readonly code: bigint; readonly params: readonly bigint[] }
  | { readonly mode: 'analyze'; readonly verbose: boolean; readonly ignored: readonly string[] };

/** Options WinDbg accepts that change nothing for a dump crashkd can read (`-f` forces a bug-check analysis, `-hang` looks for a hang). */
const ACCEPTED = /^-(f|hang|v\d{0,2})$/i;

function ignoredNote(words: readonly string[]): Line[] {
  return words.length === 0 ? [] : [warn(`crashkd: ${words.join(' ')} accepted; crashkd runs the same analysis with or without it`)];
}

/** `!analyze [-v] [-f | -hang]`, `!analyze -show Code [P1 P2 P3 P4]`. */
export const analyzeCommand = defineCommand({
  name: '!analyze',
  summary: 'Analyze the bug check or exception (-v details); -show explains any bug-check code and its parameters',
  usage: '!analyze [-v] | !analyze -show Code [Param1 Param2 Param3 Param4]',
  parse(inv, { session }): AnalyzeArgs {
    const c = new ArgCursor(inv.text, inv.restOffset, session);
    let verbose = false;
    const ignored: string[] = [];
    while (!c.atEnd) {
      const m = /^-\S+/.exec(c.remaining);
      if (!m) throw new CaretError('syntax', 'Syntax', c.pos);
      const word = m[0];
      if (word.toLowerCase() === '-show') {
        c.pos += word.length;
        if (c.atEnd) throw new CaretError('syntax', 'Syntax', inv.text.length - 1);
        const code = c.expression();
        const params: bigint[] = [];
        while (!c.atEnd && params.length < 4) params.push(c.expression());
        c.end();
        return { mode: 'show', code, params };
      }
      if (!ACCEPTED.test(word)) throw new CaretError('syntax', 'Syntax', c.pos);
      if (/^-v/i.test(word)) verbose = true;
      else ignored.push(word);
      c.pos += word.length;
    }
    return { mode: 'analyze', verbose, ignored };
  },
  run(a, { session }): Line[] {
    const t = session.target;
    if (a.mode === 'show') {
      const d = describeBugCheck(a.code, a.params);
      return descriptionLines(d, t.pointerSize, a.params.length === 0).map(out);
    }
    if (t.kind === 'user') {
      const u = analyzeUser(session);
      return [...(a.verbose ? userVerboseLines(u, session) : userShortLines(u)), ...ignoredNote(a.ignored)];
    }
    const k = analyzeKernel(session);
    if (!k) return [err('crashkd: this dump records no bug check, so there is nothing to analyze (try kv on each processor)')];
    const lines = a.verbose ? kernelVerboseLines(k, t) : kernelShortLines(k, t);
    return [...lines, ...ignoredNote(a.ignored)];
  },
  format: (lines) => lines,
  json(_lines, a, session) {
    if (a.mode === 'show') return { description: describeBugCheck(a.code, a.params) };
    if (session.target.kind === 'user') return { analysis: analyzeUser(session) };
    const k = analyzeKernel(session);
    if (!k) return { analysis: null };
    return {
      bugCheck: k.description,
      bugcheckStr: k.bugcheckStr,
      blame: k.blame,
      ...(k.module ? { module: { name: k.module.name, image: k.module.imageName, base: k.module.base } } : {}),
      stackUnit: k.stackUnit,
      stack: k.stack.map(stackRowJson),
      failureBucketId: k.failureBucketId,
      notes: k.notes,
    };
  },
});
