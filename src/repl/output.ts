/**
 * Command output as data. A command returns lines; one plain renderer turns them into text
 * for the ink view, plain mode, logs and golden tests alike.
 */

/** What a line is, for colour only: text is identical in every view. */
export type LineRole = 'output' | 'error' | 'warning' | 'prompt';

/** One output line. */
export interface Line {
  readonly text: string;
  readonly role: LineRole;
}

/** An ordinary output line. */
export function out(text: string): Line {
  return { text, role: 'output' };
}

/** An error line (rendered red in a colour terminal). */
export function err(text: string): Line {
  return { text, role: 'error' };
}

/** A warning line. */
export function warn(text: string): Line {
  return { text, role: 'warning' };
}

/** Plain text of a list of lines, newline-terminated. */
export function renderPlain(lines: readonly Line[]): string {
  let s = '';
  for (const l of lines) s += `${l.text}\n`;
  return s;
}

/** Splits text that contains newlines into lines of one role. */
export function linesOf(text: string, role: LineRole = 'output'): Line[] {
  return text.split('\n').map((t) => ({ text: t, role }));
}

/**
 * Appends many lines to `target`. A loop, not `push(...lines)`: spreading the 100k+ lines of a
 * long listing as arguments overflows the call stack.
 */
export function appendLines(target: Line[], lines: readonly Line[]): void {
  for (const l of lines) target.push(l);
}
