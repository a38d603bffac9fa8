/**
 * Which commands swallow the rest of the line, `;` included (as--as--set-alias-.md, the run
 * script file page, using-aliases.md). Everything else ends at the next `;`.
 */

const VALUE_SWITCHES = new Set(['x', 'e', 'ma', 'mu', 'msa', 'msu']);

/**
 * The script-language answer for the command at the front of `text`: true or false when this
 * module decides, undefined to let the command's own `takesRestOfLine` decide.
 */
export function scriptRestOfLine(text: string): boolean | undefined {
  // `$<` and `$><` allow `;` in file names; the `$$` forms end at `;`.
  if (text.startsWith('$<') || text.startsWith('$><')) return true;
  if (text.startsWith('$$<') || text.startsWith('$$><') || text.startsWith('$$>a<')) return false;
  // `r $.u0=text`: a fixed-name alias value may hold `;`.
  if (/^r\s+\$\.u[0-9]\s*=/i.test(text)) return true;
  const m = /^a([sS])(?=[\s/]|$)/.exec(text);
  if (!m) return undefined;
  // `aS` ends at `;` (unless quoted); `as` takes the line, except with a value switch.
  if (m[1] === 'S') return false;
  const sw = /^as\s*\/([A-Za-z]+)/.exec(text);
  return !(sw && VALUE_SWITCHES.has(sw[1]!.toLowerCase()));
}
