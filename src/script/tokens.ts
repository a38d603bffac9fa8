/**
 * `.foreach` token splitting (-foreach.md): any run of spaces, tabs or line breaks is one
 * delimiter, and nothing else separates tokens (quotes and commas stay inside them).
 */

/** The tokens of `text`, in order. */
export function splitTokens(text: string): string[] {
  const tokens: string[] = [];
  for (const t of text.split(/[ \t\r\n]+/)) if (t !== '') tokens.push(t);
  return tokens;
}
