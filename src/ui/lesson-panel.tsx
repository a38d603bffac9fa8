import { Box, Text, useCursor, useStdout } from 'ink';
import { useSyncExternalStore } from 'react';
import { completeLines, hintLine, statusText, stepLines } from '../lessons/lesson-text.js';
import type { LessonRunner, LessonView } from '../lessons/runner.js';

/** One row of the panel, already wrapped to its width. */
export interface PanelRow {
  readonly text: string;
  readonly tone: 'title' | 'passed' | 'wrong' | 'info' | 'task' | 'hint' | 'status' | 'blank';
}

/** Columns the border and padding take. */
const FRAME_WIDTH = 4;
/** Rows the border takes. */
const FRAME_HEIGHT = 2;

/** Word-wraps one line to `width` columns (long words are cut). */
export function wrapText(text: string, width: number): string[] {
  const w = Math.max(10, width);
  if (text.length <= w) return [text];
  const rows: string[] = [];
  let row = '';
  for (const word of text.split(/ +/)) {
    let rest = word;
    while (rest.length > w) {
      if (row) rows.push(row);
      rows.push(rest.slice(0, w));
      rest = rest.slice(w);
      row = '';
    }
    if (!row) row = rest;
    else if (row.length + 1 + rest.length <= w) row += ` ${rest}`;
    else {
      rows.push(row);
      row = rest;
    }
  }
  if (row) rows.push(row);
  return rows;
}

/**
 * Joins hard-wrapped lesson text into paragraphs, so the panel can wrap it to its own width: a
 * blank line ends a paragraph, and a `- ` line starts a list item.
 */
export function reflow(lines: readonly string[]): string[] {
  const out: string[] = [];
  let open = false;
  for (const raw of lines) {
    const line = raw.trim();
    if (line === '') {
      out.push('');
      open = false;
    } else if (open && !line.startsWith('- ')) out[out.length - 1] += ` ${line}`;
    else {
      out.push(line);
      open = true;
    }
  }
  return out;
}

/**
 * The panel's rows: title, the last feedback (explanation of the step just passed, or why an
 * answer was wrong), the current task with the hints shown so far, and the status line. Rows are
 * wrapped here, not by ink, so the panel's height is known (the prompt's cursor sits below it).
 */
export function panelRows(view: LessonView, width: number): PanelRow[] {
  const rows: PanelRow[] = [];
  const add = (tone: PanelRow['tone'], lines: readonly string[]) => {
    for (const l of reflow(lines)) for (const r of l === '' ? [''] : wrapText(l, width)) rows.push({ text: r, tone: r === '' ? 'blank' : tone });
  };
  add('title', [`Lesson: ${view.lesson.title}`]);
  if (view.feedback && view.feedback.panel.length > 0) add(view.feedback.kind, [...view.feedback.panel, '']);
  if (view.step) {
    add('task', stepLines(view.step, view.index, view.lesson.steps.length));
    for (let i = 1; i <= view.hintsShown; i++) add('hint', [hintLine(view.step, i)]);
    add('status', [`${statusText(view.counts)} · .hint .answer TEXT .skip .back .lesson`]);
  } else {
    add('passed', completeLines(view.counts));
    add('status', ['.transcript save FILE.md writes a handout of this session; q quits.']);
  }
  return rows;
}

const TONES: Record<PanelRow['tone'], { color?: string; bold?: boolean; dimColor?: boolean }> = {
  title: { color: 'cyan', bold: true },
  passed: { color: 'green' },
  wrong: { color: 'yellow' },
  info: {},
  task: { bold: true },
  hint: { color: 'magenta' },
  status: { dimColor: true },
  blank: {},
};

function useView(runner: LessonRunner): LessonView {
  return useSyncExternalStore(runner.subscribe, runner.getView, runner.getView);
}

function innerWidth(columns: number | undefined): number {
  return Math.max(20, (columns || 80) - FRAME_WIDTH);
}

/** Props of the lesson panel. */
export interface LessonPanelProps {
  readonly runner: LessonRunner;
  readonly colors: boolean;
}

/** The lesson panel drawn above the prompt in lesson mode. */
export function LessonPanel({ runner, colors }: LessonPanelProps) {
  const view = useView(runner);
  const { stdout } = useStdout();
  const rows = panelRows(view, innerWidth(stdout.columns));
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1} {...(colors ? { borderColor: 'cyan' } : {})}>
      {rows.map((r, i) => (
        <Text key={i} wrap="truncate-end" {...(colors ? TONES[r.tone] : {})}>
          {r.text === '' ? ' ' : r.text}
        </Text>
      ))}
    </Box>
  );
}

/** Props of LessonCursor: what the prompt line shows. */
export interface LessonCursorProps {
  readonly runner: LessonRunner;
  readonly prompt: string;
  readonly value: string;
}

/**
 * Without colours the prompt shows the terminal's own cursor, placed from the top of ink's live
 * area, which the panel now occupies: this moves it down by the panel's height. Rendered after
 * the prompt line so its cursor position is the one ink applies.
 */
export function LessonCursor({ runner, prompt, value }: LessonCursorProps) {
  const view = useView(runner);
  const { stdout } = useStdout();
  const { setCursorPosition } = useCursor();
  const columns = Math.max(1, stdout.columns || 80);
  const height = panelRows(view, innerWidth(stdout.columns)).length + FRAME_HEIGHT;
  const at = prompt.length + value.length;
  setCursorPosition({ x: at % columns, y: height + Math.floor(at / columns) });
  return null;
}
