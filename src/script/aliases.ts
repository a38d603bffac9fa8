/**
 * Alias replacement as dbgeng does it before a command is parsed (using-aliases.md and the
 * `${ }` page): fixed-name aliases `$u0`-`$u9` anywhere, then `${Alias}` tokens with their
 * `/d /f /n /v` switches, then user-named aliases standing alone between blanks, `;` or `"`.
 */

/** The aliases a block sees: the table as it was when the block was entered. */
export interface AliasView {
  /** A user-named alias, `.foreach` variable or automatic alias; undefined when not defined. */
  user(name: string): string | undefined;
  /** The value of `$uN` (empty when never set). */
  fixed(n: number): string;
  /** False when no user alias or `.foreach` variable exists, so plain text needs no scan. */
  readonly hasUser: boolean;
}

function isDelimiter(c: string | undefined): boolean {
  return c === ' ' || c === '\t' || c === ';' || c === '"' || c === '\r' || c === '\n';
}

/** `${/v:Name}` in the name position of `as`, `aS` and `ad` means the plain name `Name`. */
export function literalAliasName(word: string): string {
  const m = /^\$\{\/v:([^}]*)\}$/.exec(word);
  return m ? m[1]! : word;
}

/** Replaces one `${...}` token whose inside (between the braces) is `inner`. */
function interpret(inner: string, view: AliasView): string {
  const m = /^\/([vdfn]):(.*)$/s.exec(inner);
  const sw = m?.[1];
  const name = m ? m[2]! : inner;
  if (sw === 'v') return `\${${inner}}`;
  const value = view.user(name);
  switch (sw) {
    case 'd':
      return value === undefined ? '0' : '1';
    case 'f':
      return value ?? '';
    case 'n':
      return value === undefined ? `\${${inner}}` : name;
    default:
      return value ?? `\${${inner}}`;
  }
}

/** `text` with every alias replaced once, as seen through `view`. */
export function expandAliases(text: string, view: AliasView): string {
  // Fast path: most commands of a loop mention no alias at all.
  if (!view.hasUser && !text.includes('$')) return text;
  let s = text.includes('$u') ? text.replace(/\$u([0-9])/g, (_, d: string) => view.fixed(Number(d))) : text;
  if (!view.hasUser && !s.includes('$')) return s;
  let out = '';
  let i = 0;
  const n = s.length;
  while (i < n) {
    if (s.startsWith('${', i)) {
      const close = s.indexOf('}', i + 2);
      if (close < 0) {
        out += s.slice(i);
        break;
      }
      out += interpret(s.slice(i + 2, close), view);
      i = close + 1;
      continue;
    }
    if (!isDelimiter(s[i]) && (i === 0 || isDelimiter(s[i - 1]))) {
      let j = i;
      while (j < n && !isDelimiter(s[j]) && !s.startsWith('${', j)) j++;
      const word = s.slice(i, j);
      const value = j === n || isDelimiter(s[j]) ? view.user(word) : undefined;
      out += value ?? word;
      i = j;
      continue;
    }
    out += s[i];
    i++;
  }
  return out;
}
