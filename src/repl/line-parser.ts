/**
 * Splits a typed line into commands the way dbgeng does: `;` separates commands except inside
 * double quotes or `{ }` blocks; `$$` starts a comment that ends at the next `;`; a command
 * starting with `*` is a comment to the end of the line; some commands (`as`, `$<`) take the
 * rest of the line, `;` included; a control-flow construct (`.for (a; b; c) { }`,
 * `.if (x) { } .else { }`) is one command.
 */
import { controlFlowEnd } from '../script/parse-program.js';
import { scriptRestOfLine } from '../script/rest-of-line.js';

/** One command cut from a line, with its offset in that line (for caret columns). */
export interface CommandText {
  readonly text: string;
  readonly offset: number;
}

/** Decides whether the command starting with `text` swallows the rest of the line. */
export type RestOfLinePredicate = (text: string) => boolean;

const DEFAULT_REST_OF_LINE: RestOfLinePredicate = (t) => scriptRestOfLine(t) === true;

/** Splits `line` into commands; comments are dropped, empty commands skipped. */
export function splitCommands(line: string, restOfLine: RestOfLinePredicate = DEFAULT_REST_OF_LINE): CommandText[] {
  const result: CommandText[] = [];
  let i = 0;
  const n = line.length;
  while (i < n) {
    while (i < n && (line[i] === ' ' || line[i] === '\t' || line[i] === ';')) i++;
    if (i >= n) break;
    const start = i;
    if (line[i] === '*') break; // `* comment` runs to the end of the line
    if (line.startsWith('$$', i) && !/^\$\$>?a?</.test(line.slice(i))) {
      // `$$ comment` ends at the next `;`
      const semi = line.indexOf(';', i);
      i = semi < 0 ? n : semi + 1;
      continue;
    }
    if (restOfLine(line.slice(i))) {
      result.push({ text: line.slice(i).trimEnd(), offset: start });
      break;
    }
    const flowEnd = controlFlowEnd(line, i, restOfLine);
    if (flowEnd !== undefined) {
      result.push({ text: line.slice(start, flowEnd).trimEnd(), offset: start });
      i = flowEnd;
      continue;
    }
    let inQuote = false;
    let depth = 0;
    while (i < n) {
      const c = line[i];
      if (c === '\\' && inQuote && i + 1 < n) {
        i += 2;
        continue;
      }
      if (c === '"') inQuote = !inQuote;
      else if (!inQuote && c === '{') depth++;
      else if (!inQuote && c === '}' && depth > 0) depth--;
      else if (!inQuote && depth === 0 && c === ';') break;
      i++;
    }
    const text = line.slice(start, i).trimEnd();
    if (text.length > 0) result.push({ text, offset: start });
    if (i < n) i++; // skip the `;`
  }
  return result;
}

/** The command word: `.trap`, `!irql`, `kv`, `?`, `$$><`, `~`. */
export function commandWord(text: string): string {
  const m =
    /^(\$\$>a<|\$\$><|\$\$<|\$><|\$<|\?\?|\?|~|\||\.[A-Za-z_][\w]*[+-]?|![A-Za-z_][\w.]*|[A-Za-z_]+)/.exec(text);
  return m ? m[1]! : '';
}
