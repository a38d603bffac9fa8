import { CaretError } from '../src/errors.js';
import { parseExpression } from '../src/expr/index.js';
import { defineCommand } from '../src/repl/command.js';
import { out } from '../src/repl/output.js';
import { formatPrintf, unescapeC } from '../src/script/printf.js';
import { scriptState } from '../src/script/state.js';
import { skipQuoted } from '../src/script/syntax.js';

interface PrintfArgs {
  readonly format: string;
  readonly values: readonly bigint[];
}

/** `.printf [/D] [/oX] "Format" [, Arg ...]`: arguments are MASM expressions. */
export const printfCommand = defineCommand({
  name: '.printf',
  summary: 'Print formatted text (%p %N %d %u %x %I64x %ma %mu %msa %msu %y ...; \\n explicit)',
  usage: '.printf [/D] "Format" [, Args]',
  parse(inv, { session }): PrintfArgs {
    const t = inv.text;
    let i = inv.restOffset;
    const skip = () => {
      while (i < t.length && /\s/.test(t[i]!)) i++;
    };
    skip();
    // `/D` (DML) and the WinDbg colour options `/od`, `/oe`... change nothing in a terminal.
    for (let m = /^\/(D|o[dDenpPsvw])(?=\s|")/.exec(t.slice(i)); m; m = /^\/(D|o[dDenpPsvw])(?=\s|")/.exec(t.slice(i))) {
      i += m[0].length;
      skip();
    }
    if (t[i] !== '"') throw new CaretError('syntax', 'Syntax', i < t.length ? i : t.length - 1);
    const close = skipQuoted(t, i, t.length);
    if (t[close - 1] !== '"' || close - 1 === i) throw new CaretError('syntax', 'Syntax', t.length - 1);
    const format = unescapeC(t.slice(i + 1, close - 1));
    i = close;
    const values: bigint[] = [];
    for (;;) {
      skip();
      if (i >= t.length) break;
      if (t[i] !== ',') throw new CaretError('syntax', 'Syntax', i);
      const { value, end } = parseExpression(t, i + 1, session);
      values.push(value);
      i = end;
    }
    return { format, values };
  },
  run(a, { session }) {
    const state = scriptState(session);
    const text = (state.pendingText ?? '') + formatPrintf(a.format, a.values, session);
    state.pendingText = undefined;
    const lines = text.split('\n');
    // Text after the last `\n` waits for the rest of its line (a later .printf, or the end).
    const tail = lines.pop()!;
    if (tail !== '') state.pendingText = tail;
    return lines;
  },
  format: (lines) => lines.map(out),
});
