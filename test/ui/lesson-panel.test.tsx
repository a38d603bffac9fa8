import { afterEach, describe, expect, it, vi } from 'vitest';
import { stripVTControlCharacters as strip } from 'node:util';
import { cleanup, render } from 'ink-testing-library';
import { App } from '../../src/ui/app.js';
import { History } from '../../src/ui/history.js';
import { LessonPanel, panelRows, wrapText } from '../../src/ui/lesson-panel.js';
import { startLesson } from '../unit/lessons/helpers.js';

const settle = (ms = 20) => new Promise((r) => setTimeout(r, ms));

afterEach(() => cleanup());

/** The frame's text rows with the panel border and padding removed. */
function panelText(frame: string): string[] {
  return strip(frame)
    .split('\n')
    .map((l) => l.replace(/^[│╭╰]\s?/, '').replace(/\s?[│╮╯]$/, '').trimEnd());
}

describe('LessonPanel', () => {
  it('shows the lesson, the current step and the status line', async () => {
    const l = await startLesson();
    const r = render(<LessonPanel runner={l.runner} colors={false} />);
    await settle();
    const rows = panelText(r.lastFrame() ?? '');
    expect(rows).toContain('Lesson: 0x101 CLOCK_WATCHDOG_TIMEOUT: the processor that stopped answering');
    expect(rows).toContain('Step 1/9: Show the bug check code and its four parameters.');
    expect(rows).toContain('Step 1 of 9 · 0 passed · 0 hints used · .hint .answer TEXT .skip .back .lesson');
  });

  it('adds each hint as the student asks for it', async () => {
    const l = await startLesson();
    const r = render(<LessonPanel runner={l.runner} colors={false} />);
    await settle();
    expect(strip(r.lastFrame() ?? '')).not.toContain('Hint 1/2');
    await l.type('.hint');
    await settle();
    const one = panelText(r.lastFrame() ?? '').join('\n');
    expect(one).toContain("Hint 1/2: The bug check code and parameters are stored in the dump's header; one dot-command");
    expect(one).not.toContain('Hint 2/2');
    expect(one).toContain('Step 1 of 9 · 0 passed · 1 hint used');
    await l.type('.hint');
    await settle();
    const two = panelText(r.lastFrame() ?? '').join('\n');
    expect(two).toContain('Hint 2/2: Type `.bugcheck` (or `!analyze -v` for the parameters with their meanings).');
    expect(two).toContain('2 hints used');
  });

  it('shows the explanation of a passed step, the next step, and a wrong answer', async () => {
    const l = await startLesson();
    const r = render(<LessonPanel runner={l.runner} colors={false} />);
    await l.type('.bugcheck');
    await settle();
    const passed = panelText(r.lastFrame() ?? '').join('\n');
    expect(passed).toContain('Passed. 0x101 is CLOCK_WATCHDOG_TIMEOUT.');
    expect(passed).toContain('Step 2/9: Which processor stopped responding?');
    expect(passed).toContain('Step 2 of 9 · 1 passed');
    await l.type('.answer 7');
    await settle();
    const wrong = panelText(r.lastFrame() ?? '').join('\n');
    expect(wrong).toContain("'7' is not the answer this step is looking for.");
    expect(wrong).not.toContain('Passed. 0x101');
  });

  it('shows completion when the last step passes', async () => {
    const l = await startLesson();
    const r = render(<LessonPanel runner={l.runner} colors={false} />);
    for (const e of l.runner.lesson.solution) await l.type(e.line);
    await settle();
    const done = panelText(r.lastFrame() ?? '').join('\n');
    expect(done).toContain('Lesson complete: 9/9 steps passed, 0 hints used.');
    expect(done).toContain('.transcript save FILE.md writes a handout of this session; q quits.');
    expect(done).not.toMatch(/Step \d\/9:/);
  });
});

describe('App in lesson mode', () => {
  it('draws the panel between the scrollback and the prompt, and updates it as commands run', async () => {
    const l = await startLesson();
    const r = render(
      <App dispatcher={l.dispatcher} banner={[]} history={new History()} onExit={vi.fn()} colors={false} lesson={l.runner} />,
    );
    const frame = () => strip(r.lastFrame() ?? '');
    await settle(30);
    expect(frame().split('\n').at(-1)).toBe('0: kd>');
    expect(frame()).toContain('Step 1/9: Show the bug check code');
    r.stdin.write('.bugcheck\r');
    await vi.waitFor(() => expect(frame()).toContain('Step 2/9: Which processor stopped responding?'), { timeout: 5000 });
    const lines = frame().split('\n');
    const bugcheck = lines.findIndex((x) => x.startsWith('Bugcheck code 00000101'));
    const step = lines.findIndex((x) => x.includes('Step 2/9'));
    expect(bugcheck).toBeGreaterThanOrEqual(0);
    expect(step).toBeGreaterThan(bugcheck);
    expect(lines.at(-1)).toBe('0: kd>');
  });
});

describe('panel layout', () => {
  it('wraps long text at word boundaries and cuts words longer than the width', () => {
    expect(wrapText('one two three four', 10)).toEqual(['one two', 'three four']);
    expect(wrapText(`x ${'a'.repeat(25)} y`, 10)).toEqual(['x', 'aaaaaaaaaa', 'aaaaaaaaaa', 'aaaaa y']);
  });

  it('knows its height in rows, so the prompt cursor can sit below it', async () => {
    const l = await startLesson();
    const rows = panelRows(l.runner.getView(), 60);
    expect(rows.every((row) => row.text.length <= 60)).toBe(true);
    expect(rows.map((row) => row.tone)).toEqual(['title', 'title', 'task', 'status', 'status']);
  });
});
