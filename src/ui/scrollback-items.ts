import type { Line, LineRole } from '../repl/output.js';

/** One `<Static>` child: consecutive lines of one role joined, so ink lays out a few nodes, not thousands. */
export interface ScrollbackItem {
  readonly id: number;
  readonly role: LineRole;
  readonly text: string;
}

/** A slice of scrollback rendered by one `<Static>` instance (its key). */
export interface ScrollbackBatch {
  readonly key: number;
  readonly items: ScrollbackItem[];
}

/** Groups lines into items, numbering them from `firstId`. */
export function groupLines(lines: readonly Line[], firstId: number): ScrollbackItem[] {
  const items: ScrollbackItem[] = [];
  let role: LineRole | undefined;
  let texts: string[] = [];
  const flush = (): void => {
    if (role !== undefined) items.push({ id: firstId + items.length, role, text: texts.join('\n') });
  };
  for (const l of lines) {
    if (l.role !== role) {
      flush();
      role = l.role;
      texts = [];
    }
    texts.push(l.text);
  }
  flush();
  return items;
}
