import { textLines } from './lesson-text.js';
import { markdownLine, markdownText } from './markdown-text.js';
import type { StepPass } from './runner.js';
import type { TranscriptEntry } from './transcript-recorder.js';
import type { Lesson } from './types.js';

/** What a handout is made of. */
export interface HandoutInput {
  /** The dump or scenario path, as opened. */
  readonly source: string;
  readonly entries: readonly TranscriptEntry[];
  readonly lesson?: Lesson;
  /** Steps passed in this session, in order. */
  readonly passes?: readonly StepPass[];
  /** Shown under the title (a date, by the caller, so tests stay stable). */
  readonly when?: string;
}

/** Lesson navigation and the save itself: left out of handouts, which show the analysis. */
export function isNavigation(command: string): boolean {
  return command.trim() === '' || /^\s*\.(transcript|hint|lesson|skip|back)\b/i.test(command);
}

/** A fence longer than any backtick run inside the block, so output never closes it early. */
function fenced(lines: readonly string[]): string[] {
  let longest = 0;
  for (const l of lines) for (const m of l.matchAll(/`+/g)) longest = Math.max(longest, m[0].length);
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return [`${fence}text`, ...lines, fence];
}

/** One fenced block of prompts, commands and outputs; nothing when there are no entries. */
function commandBlock(entries: readonly TranscriptEntry[]): string[] {
  const lines: string[] = [];
  for (const e of entries) lines.push(`${e.prompt}${e.command}`, ...e.output);
  return lines.length === 0 ? [] : [...fenced(lines), ''];
}

/**
 * The session as a Markdown handout: each run of commands with their output in a fenced block,
 * and after the command that passed a step, that step's task and explanation.
 */
export function renderHandout(input: HandoutInput): string {
  const { lesson } = input;
  const out: string[] = [`# ${lesson ? lesson.title : 'crashkd session'}`, ''];
  out.push(`Dump: \`${input.source}\`${input.when ? ` · ${input.when}` : ''}`, '');
  if (lesson) out.push(...markdownText(textLines(lesson.introduction)), '');
  const passes = [...(input.passes ?? [])].sort((a, b) => a.entry - b.entry);
  const shown = input.entries.map((e, i) => ({ e, i })).filter(({ e }) => !isNavigation(e.command));
  let from = 0;
  for (const p of passes) {
    out.push(...commandBlock(shown.filter(({ i }) => i >= from && i < p.entry).map(({ e }) => e)));
    const total = lesson?.steps.length ?? 0;
    out.push(`**Step ${p.index + 1}/${total}: ${markdownLine(textLines(p.step.task).join(' '))}**`, '', ...markdownText(textLines(p.step.explanation)), '');
    from = Math.max(from, p.entry);
  }
  out.push(...commandBlock(shown.filter(({ i }) => i >= from).map(({ e }) => e)));
  if (lesson) {
    const done = new Set(passes.map((p) => p.step.id));
    const open = lesson.steps.map((s, i) => ({ s, i })).filter(({ s }) => !done.has(s.id));
    if (open.length > 0) {
      out.push('## Steps not passed in this session', '');
      for (const { s, i } of open) out.push(`- Step ${i + 1}: ${markdownLine(textLines(s.task).join(' '))}`);
      out.push('');
    }
  }
  return `${out.join('\n').replace(/\n+$/, '')}\n`;
}
