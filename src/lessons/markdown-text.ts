/**
 * Lesson text is written for the terminal, where a backtick inside an address
 * (fffff880`03165180) is just a character. In Markdown a backtick opens a code span, so the
 * handout rewrites each line: address backticks (between hex digits) are literal, other
 * backticks pair into code spans, and a lone one left over is literal too.
 */
export function markdownLine(line: string): string {
  const isAddressTick = (i: number) => /[0-9a-f]/i.test(line[i - 1] ?? '') && /[0-9a-f]/i.test(line[i + 1] ?? '');
  const delimiters: number[] = [];
  for (let i = 0; i < line.length; i++) if (line[i] === '`' && !isAddressTick(i)) delimiters.push(i);
  // An odd delimiter has no partner: it is a literal backtick.
  if (delimiters.length % 2 === 1) delimiters.pop();
  let out = '';
  let at = 0;
  const plain = (s: string) => s.replace(/`/g, '\\`');
  for (let k = 0; k < delimiters.length; k += 2) {
    const open = delimiters[k]!;
    const close = delimiters[k + 1]!;
    out += plain(line.slice(at, open));
    const code = line.slice(open + 1, close);
    // A code span holding backticks needs a longer fence (and spaces when it starts or ends with one).
    out += code.includes('`') ? `\`\` ${code} \`\`` : `\`${code}\``;
    at = close + 1;
  }
  return out + plain(line.slice(at));
}

/** markdownLine over every line of a text. */
export function markdownText(lines: readonly string[]): string[] {
  return lines.map(markdownLine);
}
